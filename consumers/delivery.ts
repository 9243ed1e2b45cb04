import type { HubContext } from '../src/app/context';
import type { Runnable } from '../src/app/entry-points';
import type { IncomingEvent } from '../src/delivery/domain/accept-events';
import type { DeliveryIntake } from '../src/delivery/intake';
import { CloudEventError, fromKafkaMessage } from '../src/platform/cloudevents';
import { FETCH_SETTINGS, GroupConsumer, ReadAheadPipeline, type DeadLetter } from '../src/platform/consumer';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Group `<clientId>-delivery` on results, inbound topics (plain fan-out) and replayed redeliveries: decode → accept
 * (store one delivery per matching subscription, first attempt) → commit, with the ordered read-ahead: the next
 * chunk is read while earlier ones are still being sent, and offsets are committed in order once stored.
 */
export function deliveryConsumer(ctx: HubContext, intake: DeliveryIntake): Runnable {
  const logger = ctx.logger.child({ component: 'delivery' });
  return new GroupConsumer({
    kafka: ctx.kafka,
    logger,
    groupId: `${ctx.env.kafkaClientId}-delivery`,
    topics: new RegExp(`^${escape(ctx.env.topicPrefix)}\\.(results|in\\..+|replay\\.deliveries)$`),
    refreshMs: ctx.env.deliveryRefreshMs,
    topicSettleMs: ctx.env.topicSettleMs,
    fetch: FETCH_SETTINGS.delivery,
    metrics: ctx.metrics,
    strategy: (control) =>
      new ReadAheadPipeline(
        {
          accept: async ({ topic, partition, messages }) => {
            const events: IncomingEvent[] = [];
            const letters: DeadLetter[] = [];
            for (const m of messages) {
              try {
                events.push({ event: fromKafkaMessage(m), topic, offset: m.offset, ...(m.key ? { key: m.key.toString('utf8') } : {}) });
              } catch (err) {
                if (!(err instanceof CloudEventError)) throw err;
                logger.warn('poison message on a delivery topic; sent to the DLQ', { topic, partition, offset: m.offset, reason: err.message });
                letters.push({ original: m, topic, partition, code: 'cloudevent_invalid', error: err.message, attempts: 1 });
              }
            }
            await intake.deadLetters.write(letters);
            return intake.accept(events);
          },
          waitForCapacity: () => intake.waitForCapacity(),
          joined: () => intake.joined(),
          logger,
        },
        control,
      ),
  });
}
