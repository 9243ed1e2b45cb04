import type { Delivery, DeliveryStatus, DeliveryOperations, SubscriptionInput, SubscriptionPatch, SubscriptionView } from '../../delivery';
import { decodeCursor, encodeCursor, pageLimit, type Page } from '../../platform/pagination';
import { access, route, type ApiResource } from '../framework/route';

interface IdParams {
  id: string;
}
interface ListQuery {
  limit?: number;
  cursor?: string;
  enabled?: boolean;
  eventType?: string;
  origin?: 'config' | 'api';
}
export interface DeliveriesQuery {
  limit?: number;
  cursor?: string;
  status?: DeliveryStatus;
  since?: string;
  until?: string;
}

/** What the API shows of a subscription: no secrets, but how many sign now and whether a rotation is under way. */
export type SubscriptionApiView = SubscriptionView & { rotating: boolean; version: number };

/** The subscription's version is its `updatedAt` in milliseconds: every change through the operations sets it. */
const versionOf = (s: SubscriptionView): number => new Date(s.updatedAt).getTime();
const toApi = (s: SubscriptionView): SubscriptionApiView => ({ ...s, rotating: s.secretsLive > 1, version: versionOf(s) });

/** Newest first, then by id: the subscription list is small, so it is filtered and paged in memory. */
function pageSubscriptions(all: SubscriptionView[], q: ListQuery): Page<SubscriptionApiView> {
  const limit = pageLimit(q.limit);
  const key = (s: SubscriptionView): string => `${new Date(s.createdAt).toISOString()}\u0000${s.id}`;
  const sorted = all
    .filter((s) => (q.enabled === undefined || s.enabled === q.enabled) && (q.eventType === undefined || s.eventTypes.includes(q.eventType)) && (q.origin === undefined || s.origin === q.origin))
    .sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0));
  let rest = sorted;
  if (q.cursor !== undefined) {
    const c = decodeCursor(q.cursor);
    const after = `${c.createdAt.toISOString()}\u0000${c.id}`;
    rest = sorted.filter((s) => key(s) < after);
  }
  const items = rest.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(toApi), nextCursor: rest.length > limit && last ? encodeCursor({ createdAt: new Date(last.createdAt), id: last.id }) : null };
}

/** A delivery without its body and attempts, as listed. */
export function deliverySummary(d: Delivery): Omit<Delivery, 'body' | 'bodyEncoding' | 'contentType' | 'attempts' | 'topic' | 'partitionKey' | 'orderKey' | 'seq' | 'leaseUntil' | 'claimToken' | 'cycleAttempts'> {
  const { body: _b, bodyEncoding: _e, contentType: _c, attempts: _a, topic: _t, partitionKey: _p, orderKey: _o, seq: _s, leaseUntil: _l, claimToken: _k, cycleAttempts: _y, ...rest } = d;
  return rest;
}

/** A delivery with its body and every attempt (internal scheduling fields left out). */
export function deliveryDetail(d: Delivery): ReturnType<typeof deliverySummary> & Pick<Delivery, 'body' | 'bodyEncoding' | 'contentType' | 'attempts'> {
  return { ...deliverySummary(d), body: d.body, bodyEncoding: d.bodyEncoding, contentType: d.contentType, attempts: d.attempts };
}

const dateOf = (value: string | undefined): Date | undefined => (value === undefined ? undefined : new Date(value));

/** Lists deliveries newest first with a cursor over (createdAt desc, id asc), the order the repository reads in. */
export async function pageDeliveries(ops: DeliveryOperations, q: DeliveriesQuery & { subscriptionId?: string; eventId?: string }): Promise<Page<ReturnType<typeof deliverySummary>>> {
  const limit = pageLimit(q.limit);
  const rows = await ops.listDeliveries({
    ...(q.subscriptionId ? { subscriptionId: q.subscriptionId } : {}),
    ...(q.eventId ? { eventId: q.eventId } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.since ? { since: dateOf(q.since) } : {}),
    ...(q.until ? { until: dateOf(q.until) } : {}),
    ...(q.cursor !== undefined ? { after: decodeCursor(q.cursor) } : {}),
    limit: limit + 1,
  });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(deliverySummary), nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null };
}

export function subscriptionsResource(ops: DeliveryOperations): ApiResource {
  /** If-Match carries the version (updatedAt in ms); the operations apply the write only while it still holds. */
  const precondition = (ifMatch: number | undefined): { ifUpdatedAt?: Date } => (ifMatch === undefined ? {} : { ifUpdatedAt: new Date(ifMatch) });
  const view = (s: SubscriptionView): { body: SubscriptionApiView; etag: number } => ({ body: toApi(s), etag: versionOf(s) });
  const withSecret = (r: { subscription: SubscriptionView; secret: string }, status: number): { status: number; body: { secret: string; subscription: SubscriptionApiView }; etag: number } => ({
    status,
    body: { secret: r.secret, subscription: toApi(r.subscription) },
    etag: versionOf(r.subscription),
  });

  return {
    tag: 'subscriptions',
    description: 'Endpoints that receive signed deliveries of matching events. Secrets are shown once, on create and on rotation.',
    routes: [
      route<Record<string, never>, Record<string, never>, SubscriptionInput>({
        method: 'post',
        path: '/subscriptions',
        operationId: 'createSubscription',
        summary: 'Create a subscription (its signing secret is returned only in this response)',
        tag: 'subscriptions',
        roles: access.operate,
        body: 'api/subscriptions/create-request',
        responses: { 201: 'api/subscriptions/secret' },
        errors: ['already_exists'],
        etag: true,
        handler: async ({ body }) => {
          const created = await ops.createSubscription(body);
          return { ...withSecret(created, 201), headers: { Location: `/api/v1/subscriptions/${created.subscription.id}` } };
        },
      }),
      route<Record<string, never>, ListQuery>({
        method: 'get',
        path: '/subscriptions',
        operationId: 'listSubscriptions',
        summary: 'List subscriptions, newest first',
        tag: 'subscriptions',
        roles: access.read,
        query: 'api/subscriptions/list-query',
        responses: { 200: 'api/subscriptions/list' },
        handler: async ({ query }) => ({ body: pageSubscriptions(await ops.listSubscriptions(), query) }),
      }),
      route<IdParams>({
        method: 'get',
        path: '/subscriptions/:id',
        operationId: 'getSubscription',
        summary: 'Get a subscription (without its secrets)',
        tag: 'subscriptions',
        roles: access.read,
        params: 'api/subscriptions/id-params',
        responses: { 200: 'api/subscriptions/subscription' },
        etag: true,
        handler: async ({ params }) => view(await ops.getSubscription(params.id)),
      }),
      route<IdParams, Record<string, never>, SubscriptionPatch>({
        method: 'patch',
        path: '/subscriptions/:id',
        operationId: 'updateSubscription',
        summary: 'Change fields of a subscription (honours If-Match)',
        tag: 'subscriptions',
        roles: access.operate,
        params: 'api/subscriptions/id-params',
        body: 'api/subscriptions/update-request',
        responses: { 200: 'api/subscriptions/subscription' },
        ifMatch: true,
        etag: true,
        handler: async ({ params, body, ifMatch }) => {
          return view(await ops.updateSubscription(params.id, body, precondition(ifMatch)));
        },
      }),
      route<IdParams>({
        method: 'delete',
        path: '/subscriptions/:id',
        operationId: 'deleteSubscription',
        summary: 'Delete a subscription (honours If-Match); its deliveries stay for audit',
        tag: 'subscriptions',
        roles: access.operate,
        params: 'api/subscriptions/id-params',
        responses: { 204: null },
        ifMatch: true,
        handler: async ({ params, ifMatch }) => {
          await ops.deleteSubscription(params.id, precondition(ifMatch));
          return { status: 204 };
        },
      }),
      route<IdParams>({
        method: 'post',
        path: '/subscriptions/:id/rotate-secret',
        operationId: 'rotateSubscriptionSecret',
        summary: 'Rotate the signing secret: the new one is returned only in this response; the old ones keep signing for the grace period',
        tag: 'subscriptions',
        roles: access.operate,
        params: 'api/subscriptions/id-params',
        responses: { 200: 'api/subscriptions/secret' },
        etag: true,
        handler: async ({ params }) => withSecret(await ops.rotateSecret(params.id), 200),
      }),
      route<IdParams>({
        method: 'post',
        path: '/subscriptions/:id/enable',
        operationId: 'enableSubscription',
        summary: 'Enable a subscription',
        tag: 'subscriptions',
        roles: access.operate,
        params: 'api/subscriptions/id-params',
        responses: { 200: 'api/subscriptions/subscription' },
        etag: true,
        handler: async ({ params }) => view(await ops.enableSubscription(params.id)),
      }),
      route<IdParams>({
        method: 'post',
        path: '/subscriptions/:id/disable',
        operationId: 'disableSubscription',
        summary: 'Disable a subscription (matching events are no longer delivered to it)',
        tag: 'subscriptions',
        roles: access.operate,
        params: 'api/subscriptions/id-params',
        responses: { 200: 'api/subscriptions/subscription' },
        etag: true,
        handler: async ({ params, principal }) => view(await ops.disableSubscription(params.id, `disabled through the API by ${principal?.keyId ?? 'a key'}`)),
      }),
      route<IdParams, DeliveriesQuery>({
        method: 'get',
        path: '/subscriptions/:id/deliveries',
        operationId: 'listSubscriptionDeliveries',
        summary: 'List the deliveries of a subscription, newest first',
        tag: 'subscriptions',
        roles: access.read,
        params: 'api/subscriptions/id-params',
        query: 'api/subscriptions/deliveries-query',
        responses: { 200: 'api/deliveries/list' },
        handler: async ({ params, query }) => {
          await ops.getSubscription(params.id);
          return { body: await pageDeliveries(ops, { ...query, subscriptionId: params.id }) };
        },
      }),
      route<IdParams, Record<string, never>, { since: string }>({
        method: 'post',
        path: '/subscriptions/:id/recover',
        operationId: 'recoverSubscriptionDeliveries',
        summary: 'Send again every failed delivery of the subscription created at or after `since`',
        tag: 'subscriptions',
        roles: access.operate,
        params: 'api/subscriptions/id-params',
        body: 'api/subscriptions/recover-request',
        responses: { 200: 'api/subscriptions/recovered' },
        handler: async ({ params, body }) => ({ body: await ops.recoverDeliveries(params.id, new Date(body.since)) }),
      }),
    ],
  };
}
