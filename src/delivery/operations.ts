import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Env } from '../config/settings';
import type { SubscriptionConfig } from '../config/types';
import { AppError } from '../platform/errors';
import type { SchemaRegistry } from '../platform/schemas';
import { DeliveriesRepository, type Delivery, type ListQuery as DeliveryListQuery } from './data-access/deliveries-repository';
import { SubscriptionsRepository, type Subscription, type SubscriptionFields } from './data-access/subscriptions-repository';
import { generateSecret, isValidSecret } from './domain/secrets';

/** A subscription as shown to operators: everything but the secrets (those are shown once, on create/rotate). */
export type SubscriptionView = Omit<Subscription, 'secrets'> & { secretsLive: number };

export interface DeliveryOperationsDeps {
  mongo: Connection;
  schemas: SchemaRegistry;
  env: Pick<Env, 'deliveryRotationGraceMs'>;
  /** Called after a change that the attempt runner should see at once (same process). */
  onChange?: () => void;
}

export function toView(s: Subscription, now = new Date()): SubscriptionView {
  const { secrets, ...rest } = s;
  return { ...rest, secretsLive: secrets.filter((x) => !x.expiresAt || x.expiresAt > now).length };
}

export function configToFields(c: SubscriptionConfig): SubscriptionFields {
  return {
    url: c.url,
    eventTypes: c.eventTypes,
    secrets: c.secret ? [{ secret: c.secret }] : [],
    ordered: c.ordered ?? false,
    enabled: c.enabled ?? true,
    ...(c.filter ? { filter: c.filter } : {}),
    ...(c.headers ? { headers: c.headers } : {}),
    ...(c.rateLimitPerSecond !== undefined ? { rateLimitPerSecond: c.rateLimitPerSecond } : {}),
    ...(c.description !== undefined ? { description: c.description } : {}),
    ...(c.retrySchedule ? { retrySchedule: c.retrySchedule } : {}),
    ...(c.timeoutMs !== undefined ? { timeoutMs: c.timeoutMs } : {}),
    ...(c.httpsOnly !== undefined ? { httpsOnly: c.httpsOnly } : {}),
  };
}

function toConfig(s: Subscription): SubscriptionConfig {
  const { id, url, eventTypes, filter, headers, rateLimitPerSecond, ordered, enabled, description, retrySchedule, timeoutMs, httpsOnly } = s;
  return Object.fromEntries(
    Object.entries({ id, url, eventTypes, filter, headers, rateLimitPerSecond, ordered, enabled, description, retrySchedule, timeoutMs, httpsOnly }).filter(([, v]) => v !== undefined),
  ) as unknown as SubscriptionConfig;
}

export type SubscriptionInput = Omit<SubscriptionConfig, 'id'> & { id?: string };
export type SubscriptionPatch = Partial<Omit<SubscriptionConfig, 'id' | 'secret'>>;

/**
 * Subscription and delivery operations as plain functions; the API component maps them to HTTP. Errors are
 * AppErrors from the catalogue (`validation_failed`, `not_found`, `already_exists`, `conflict`).
 */
export function createDeliveryOperations(deps: DeliveryOperationsDeps) {
  const subs = new SubscriptionsRepository(deps.mongo);
  const deliveries = new DeliveriesRepository(deps.mongo);
  const changed = (): void => deps.onChange?.();

  const validate = (c: SubscriptionConfig): void => {
    const errors = deps.schemas.validate('config/subscription', c);
    if (errors.length) throw new AppError('validation_failed', 'subscription is not valid', { errors });
    if (c.secret !== undefined && !isValidSecret(c.secret)) {
      throw new AppError('validation_failed', 'subscription is not valid', { errors: [{ path: '/secret', message: 'must be whsec_ followed by base64 of 24 to 64 bytes' }] });
    }
  };
  const mustGet = async (id: string): Promise<Subscription> => {
    const s = await subs.get(id);
    if (!s) throw new AppError('not_found', `subscription ${id} does not exist`);
    return s;
  };

  return {
    /** Creates a subscription; the secret (given or generated) is returned here and never again. */
    async createSubscription(input: SubscriptionInput): Promise<{ subscription: SubscriptionView; secret: string }> {
      const config = { ...input, id: input.id ?? `sub-${randomBytes(6).toString('hex')}` } as SubscriptionConfig;
      validate(config);
      const secret = config.secret ?? generateSecret();
      const fields = configToFields({ ...config, secret });
      if (!(await subs.insert(config.id, fields, 'api'))) throw new AppError('already_exists', `subscription ${config.id} already exists`);
      changed();
      return { subscription: toView(await mustGet(config.id)), secret };
    },

    async getSubscription(id: string): Promise<SubscriptionView> {
      return toView(await mustGet(id));
    },

    async listSubscriptions(): Promise<SubscriptionView[]> {
      return (await subs.list()).map((s) => toView(s));
    },

    /**
     * Replaces the given fields (`null` removes an optional one); the secret changes only by rotation. With
     * `ifUpdatedAt` the write applies only if nobody changed the subscription since (else `precondition_failed`).
     */
    async updateSubscription(id: string, patch: SubscriptionPatch, options: { ifUpdatedAt?: Date } = {}): Promise<SubscriptionView> {
      const current = await mustGet(id);
      if (options.ifUpdatedAt && current.updatedAt.getTime() !== options.ifUpdatedAt.getTime()) throw new AppError('precondition_failed', `subscription ${id} changed since you read it`);
      const merged = { ...toConfig(current), ...patch } as Record<string, unknown>;
      const unset = Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] === null);
      for (const k of unset) delete merged[k];
      validate(merged as unknown as SubscriptionConfig);
      const { secrets: _s, ...fields } = configToFields(merged as unknown as SubscriptionConfig);
      const updated = await subs.update(id, fields, unset, options.ifUpdatedAt);
      if (options.ifUpdatedAt && !updated) throw new AppError('precondition_failed', `subscription ${id} changed since you read it`);
      changed();
      return toView(updated ?? current);
    },

    /**
     * Rotates the secret: the new one (given or generated) signs from now on, and the previous live ones keep
     * signing alongside it until `graceMs` has passed, so receivers can switch without dropping a message.
     */
    async rotateSecret(id: string, options: { secret?: string; graceMs?: number } = {}): Promise<{ subscription: SubscriptionView; secret: string }> {
      const current = await mustGet(id);
      if (options.secret !== undefined && !isValidSecret(options.secret)) {
        throw new AppError('validation_failed', 'secret is not valid', { errors: [{ path: '/secret', message: 'must be whsec_ followed by base64 of 24 to 64 bytes' }] });
      }
      const secret = options.secret ?? generateSecret();
      const now = Date.now();
      const expiresAt = new Date(now + (options.graceMs ?? deps.env.deliveryRotationGraceMs));
      const previous = current.secrets
        .filter((s) => !s.expiresAt || s.expiresAt.getTime() > now)
        .map((s) => ({ secret: s.secret, expiresAt: s.expiresAt && s.expiresAt < expiresAt ? s.expiresAt : expiresAt }));
      const updated = await subs.update(id, { secrets: [{ secret }, ...previous] });
      changed();
      return { subscription: toView(updated ?? current), secret };
    },

    async enableSubscription(id: string): Promise<SubscriptionView> {
      await mustGet(id);
      const s = await subs.setEnabled(id, true);
      changed();
      return toView(s as Subscription);
    },

    async disableSubscription(id: string, reason?: string): Promise<SubscriptionView> {
      await mustGet(id);
      const s = await subs.setEnabled(id, false, reason);
      changed();
      return toView(s as Subscription);
    },

    /** With `ifUpdatedAt`, deletes only if nobody changed the subscription since (else `precondition_failed`). */
    async deleteSubscription(id: string, options: { ifUpdatedAt?: Date } = {}): Promise<void> {
      if (!(await subs.delete(id, options.ifUpdatedAt))) {
        if (options.ifUpdatedAt && (await subs.get(id))) throw new AppError('precondition_failed', `subscription ${id} changed since you read it`);
        throw new AppError('not_found', `subscription ${id} does not exist`);
      }
      changed();
    },

    /** Newest first, without bodies; filter by subscription, event, status or creation time; `after` pages on. */
    async listDeliveries(q: DeliveryListQuery = {}): Promise<Delivery[]> {
      return deliveries.list(q);
    },

    /** One delivery with its body and every attempt. */
    async getDelivery(id: string): Promise<Delivery> {
      const d = await deliveries.get(id);
      if (!d) throw new AppError('not_found', `delivery ${id} does not exist`);
      return d;
    },

    /** Sends one delivery again now, with a fresh retry schedule and the same `webhook-id`. */
    async resendDelivery(id: string): Promise<Delivery> {
      const d = await deliveries.get(id);
      if (!d) throw new AppError('not_found', `delivery ${id} does not exist`);
      if (d.status === 'delivering') throw new AppError('conflict', `delivery ${id} is being attempted right now`);
      if (d.status === 'forwarded') throw new AppError('conflict', `delivery ${id} was handed to Svix; resend it there`);
      await deliveries.restart({ _id: id }, 'resend');
      changed();
      return (await deliveries.get(id)) as Delivery;
    },

    /** Sends again every failed delivery of a subscription created at or after `since`; returns how many. */
    async recoverDeliveries(subscriptionId: string, since: Date): Promise<{ recovered: number }> {
      await mustGet(subscriptionId);
      const recovered = await deliveries.restart({ subscriptionId, status: 'failed', createdAt: { $gte: since } }, 'recover');
      changed();
      return { recovered };
    },
  };
}

export type DeliveryOperations = ReturnType<typeof createDeliveryOperations>;
