import type { DeliveryOperations } from '../../delivery';
import { access, route, type ApiResource } from '../framework/route';
import { deliveryDetail, pageDeliveries, type DeliveriesQuery } from './subscriptions';

interface IdParams {
  id: string;
}
type ListQuery = DeliveriesQuery & { subscription?: string; event?: string };

export function deliveriesResource(ops: DeliveryOperations): ApiResource {
  return {
    tag: 'deliveries',
    description: 'Deliveries of events to subscriptions, with every attempt; resend sends one again now.',
    routes: [
      route<Record<string, never>, ListQuery>({
        method: 'get',
        path: '/deliveries',
        operationId: 'listDeliveries',
        summary: 'List deliveries, newest first (without bodies)',
        tag: 'deliveries',
        roles: access.read,
        query: 'api/deliveries/list-query',
        responses: { 200: 'api/deliveries/list' },
        handler: async ({ query }) => {
          const { subscription, event, ...rest } = query;
          return { body: await pageDeliveries(ops, { ...rest, ...(subscription ? { subscriptionId: subscription } : {}), ...(event ? { eventId: event } : {}) }) };
        },
      }),
      route<IdParams>({
        method: 'get',
        path: '/deliveries/:id',
        operationId: 'getDelivery',
        summary: 'Get a delivery with its body and every attempt',
        tag: 'deliveries',
        roles: access.read,
        params: 'api/deliveries/id-params',
        responses: { 200: 'api/deliveries/delivery' },
        handler: async ({ params }) => ({ body: deliveryDetail(await ops.getDelivery(params.id)) }),
      }),
      route<IdParams>({
        method: 'post',
        path: '/deliveries/:id/resend',
        operationId: 'resendDelivery',
        summary: 'Send a delivery again now, with a fresh retry schedule and the same webhook-id',
        tag: 'deliveries',
        roles: access.operate,
        params: 'api/deliveries/id-params',
        responses: { 202: 'api/deliveries/delivery' },
        errors: ['conflict'],
        handler: async ({ params }) => ({ status: 202, body: deliveryDetail(await ops.resendDelivery(params.id)) }),
      }),
    ],
  };
}
