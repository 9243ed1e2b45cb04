import type { EachBatchPayload, IHeaders } from 'kafkajs';
import { CloudEventError, fromKafkaMessage } from '../src/platform/cloudevents';
import type { IncomingEvent } from '../src/delivery/domain/accept-events';

export interface DeliveryConsumerDeps {
  /** The use case: store one delivery per (event, matching subscription) and dispatch. */
  accept(events: IncomingEvent[]): Promise<unknown>;
  /** Waits while the dispatcher is saturated (backpressure on the Kafka read). */
  waitForCapacity(): Promise<void>;
  /** A message that is not a CloudEvent: parked on the DLQ with the reason, then skipped. */
  deadLetter(topic: string, message: { key: Buffer | null; value: Buffer | null; headers?: IHeaders }, reason: string): Promise<void>;
}

const CHUNK = 200;

/**
 * Consumer group `<clientId>-delivery` on `<prefix>.results` and `<prefix>.in.*`: parse → accept → commit.
 * Offsets are resolved only after the deliveries of a chunk are stored, so a crash re-reads them and the
 * deterministic delivery ids make that re-read harmless.
 */
export function deliveryBatchHandler(deps: DeliveryConsumerDeps): (payload: EachBatchPayload) => Promise<void> {
  return async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
    for (let i = 0; i < batch.messages.length && isRunning() && !isStale(); i += CHUNK) {
      const chunk = batch.messages.slice(i, i + CHUNK);
      await deps.waitForCapacity();
      const events: IncomingEvent[] = [];
      for (const m of chunk) {
        try {
          events.push({ event: fromKafkaMessage(m), topic: batch.topic, offset: m.offset, ...(m.key ? { key: m.key.toString('utf8') } : {}) });
        } catch (err) {
          if (!(err instanceof CloudEventError)) throw err;
          await deps.deadLetter(batch.topic, { key: m.key, value: m.value, ...(m.headers ? { headers: m.headers } : {}) }, err.message);
        }
      }
      await deps.accept(events);
      const last = chunk[chunk.length - 1];
      if (last) resolveOffset(last.offset);
      await heartbeat();
      await commitOffsetsIfNecessary();
    }
  };
}
