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

const CHUNK = 100;
/** Chunks of one partition accepted at once: the next chunk's first attempts go out while earlier ones are stored. */
const CHUNKS_IN_FLIGHT = 8;

/**
 * Consumer group `<clientId>-delivery` on `<prefix>.results` and `<prefix>.in.*`: parse → accept → commit.
 * Chunks of a batch are accepted in a pipeline, but offsets are resolved strictly in order and only after every
 * delivery of a chunk and of the chunks before it is stored, so a crash re-reads them and the deterministic
 * delivery ids make that re-read harmless.
 */
export function deliveryBatchHandler(deps: DeliveryConsumerDeps): (payload: EachBatchPayload) => Promise<void> {
  return async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
    const pending: { last: string; done: Promise<unknown> }[] = [];
    const settleOldest = async (): Promise<void> => {
      const head = pending.shift();
      if (!head) return;
      await head.done;
      if (isStale()) return;
      resolveOffset(head.last);
      await heartbeat();
      await commitOffsetsIfNecessary();
    };
    // Slow endpoints can keep a chunk busy for longer than the session timeout: keep the membership alive
    // meanwhile (kafkajs sends at most one heartbeat per heartbeat interval however often this is called).
    const beat = setInterval(() => void heartbeat().catch(() => undefined), 1000);
    try {
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
        const done = deps.accept(events);
        // Awaited in order by settleOldest; this keeps an early failure from counting as unhandled meanwhile.
        done.catch(() => undefined);
        pending.push({ last: (chunk[chunk.length - 1] as (typeof chunk)[number]).offset, done });
        while (pending.length >= CHUNKS_IN_FLIGHT) await settleOldest();
      }
      while (pending.length > 0) await settleOldest();
    } catch (err) {
      // Later chunks may still be sending: let them finish (nothing more is resolved) before kafkajs re-reads.
      await Promise.allSettled(pending.map((p) => p.done));
      throw err;
    } finally {
      clearInterval(beat);
    }
  };
}
