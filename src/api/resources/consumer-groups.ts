import type { HubContext } from '../../app/context';
import { AppError } from '../../platform/errors';
import { consumerLag } from '../data-access/consumer-lag';
import { access, route, type ApiResource } from '../framework/route';

/** Consumer lag: what operators and analysts watch to see whether the consumer roles keep up. */
export function consumersResource(ctx: HubContext): ApiResource {
  return {
    tag: 'consumers',
    description: "The hub's Kafka consumer groups (archiver, agents, delivery, analytics) and their lag.",
    routes: [
      route({
        method: 'get',
        path: '/consumers',
        operationId: 'listConsumerLag',
        summary: "This hub's consumer groups with their lag per topic and partition (read from Kafka now)",
        tag: 'consumers',
        roles: access.read,
        responses: { 200: 'api/consumers/list' },
        errors: ['kafka_unavailable'],
        handler: async () => {
          try {
            const groups = await consumerLag(await ctx.kafka.admin(), `${ctx.env.kafkaClientId}-`);
            return { body: { at: new Date().toISOString(), groups } };
          } catch (err) {
            throw new AppError('kafka_unavailable', `could not read consumer offsets: ${(err as Error).message}`);
          }
        },
      }),
    ],
  };
}
