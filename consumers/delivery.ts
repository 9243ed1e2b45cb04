import type { EachBatchPayload, IHeaders } from 'kafkajs';
import { CloudEventError, fromKafkaMessage } from '../src/platform/cloudevents';
import type { IncomingEvent } from '../src/delivery/domain/accept-events';
import type { Logger } from '../src/platform/logger';
import { sleep } from '../src/platform/timeout';

export interface DeliveryConsumerDeps {
  /** The use case: store one delivery per (event, matching subscription) and dispatch. */
  accept(events: IncomingEvent[]): Promise<unknown>;
  /** Waits while the dispatcher is saturated (backpressure on the Kafka read). */
  waitForCapacity(): Promise<void>;
  /** A message that is not a CloudEvent: parked on the DLQ with the reason, then skipped. */
  deadLetter(topic: string, message: { key: Buffer | null; value: Buffer | null; headers?: IHeaders }, reason: string): Promise<void>;
  logger: Logger;
}

/** What the pipeline needs from the consumer it runs in (kafkajs with `autoCommit: false`). */
export interface ConsumerControl {
  /** Commits `offset` (the next one to read) for the group. */
  commit(topic: string, partition: number, offset: string): Promise<void>;
  /** Makes the next fetch of the partition start at `offset`; batches fetched before turn stale. */
  seek(topic: string, partition: number, offset: string): void;
}

const CHUNK = 100;
/** Chunks of one partition in flight: the next chunk's first attempts go out while earlier ones are stored. */
const CHUNKS_IN_FLIGHT = 8;
const MAX_BACKOFF_MS = 30000;

interface Chunk {
  first: string;
  last: string;
  /** Group generation the chunk was read in: one from before a rebalance is never committed. */
  generation: number;
  done: Promise<unknown>;
  state: 'running' | 'ok' | 'failed';
}

/** One topic-partition: chunks in offset order, committed strictly in that order. */
interface Lane {
  topic: string;
  partition: number;
  chunks: Chunk[];
  settling?: Promise<void>;
  failures: number;
  retryAt: number;
  /** Set while a failed chunk is wound back: nothing new is issued until the seek. */
  windingBack?: Promise<void>;
  /** Woken whenever chunks leave the lane. */
  waiters: (() => void)[];
}

/**
 * Consumer group `<clientId>-delivery` on `<prefix>.results` and `<prefix>.in.*`: parse → accept → commit, with
 * reading decoupled from storing. A chunk's offsets are resolved as soon as it is handed to `accept`, so kafkajs
 * fetches the next batch while deliveries are still being sent; commits are separate and strictly ordered per
 * partition: an offset is committed only once every chunk up to it is stored. So a crash re-reads at most the
 * uncommitted chunks, and the deterministic delivery ids make that re-read harmless. A failed chunk stops the
 * partition: the chunks after it are let finish (not committed), the fetch position is wound back to the failed
 * chunk, and it is read again after a backoff (0.5 s doubling to 30 s).
 */
export class DeliveryPipeline {
  private readonly lanes = new Map<string, Lane>();
  private generation = 0;
  private closed = false;

  constructor(
    private readonly deps: DeliveryConsumerDeps,
    private readonly control: ConsumerControl,
  ) {}

  /** The member (re)joined its group: chunks read before are not committed; the partitions are read again from the group's offsets. */
  joined(): void {
    this.generation++;
  }

  /** Issues nothing more, waits for every chunk in flight and commits what was stored. */
  async drain(): Promise<void> {
    this.closed = true;
    for (;;) {
      const busy = [...this.lanes.values()].filter((l) => l.settling || l.chunks.length > 0);
      if (busy.length === 0) return;
      await Promise.allSettled(busy.map((l) => l.settling ?? sleep(50)));
    }
  }

  readonly eachBatch = async (payload: EachBatchPayload): Promise<void> => {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    const lane = this.lane(batch.topic, batch.partition);
    const generation = this.generation;
    const live = (): boolean => !this.closed && isRunning() && !isStale() && !lane.windingBack && generation === this.generation;
    // Slow endpoints can keep chunks busy for longer than the session timeout: keep the membership alive while
    // this waits (kafkajs sends at most one heartbeat per heartbeat interval however often this is called).
    const beat = setInterval(() => void heartbeat().catch(() => undefined), 1000);
    try {
      // Chunks read before a rebalance finish first, so a re-read finds them stored instead of sending them twice.
      await Promise.allSettled(lane.chunks.filter((c) => c.generation !== generation).map((c) => c.done));
      while (live() && Date.now() < lane.retryAt) await sleep(Math.min(lane.retryAt - Date.now(), 500));
      for (let i = 0; i < batch.messages.length; i += CHUNK) {
        await this.deps.waitForCapacity();
        while (live() && lane.chunks.length >= CHUNKS_IN_FLIGHT) await new Promise<void>((resolve) => lane.waiters.push(resolve));
        if (!live()) break;
        const messages = batch.messages.slice(i, i + CHUNK);
        const events: IncomingEvent[] = [];
        for (const m of messages) {
          try {
            events.push({ event: fromKafkaMessage(m), topic: batch.topic, offset: m.offset, ...(m.key ? { key: m.key.toString('utf8') } : {}) });
          } catch (err) {
            if (!(err instanceof CloudEventError)) throw err;
            await this.deps.deadLetter(batch.topic, { key: m.key, value: m.value, ...(m.headers ? { headers: m.headers } : {}) }, err.message);
          }
        }
        // From the check to resolving the offset nothing awaits: a seek or rejoin in between cannot be overtaken.
        if (!live()) break;
        const last = (messages[messages.length - 1] as (typeof messages)[number]).offset;
        const chunk: Chunk = { first: (messages[0] as (typeof messages)[number]).offset, last, generation, done: this.deps.accept(events), state: 'running' };
        chunk.done.then(
          () => (chunk.state = 'ok'),
          () => (chunk.state = 'failed'),
        );
        lane.chunks.push(chunk);
        resolveOffset(last);
        this.settle(lane);
      }
      // While a failed chunk is wound back, hold this partition's fetch loop instead of letting it spin on
      // batches that the seek makes stale.
      await lane.windingBack;
    } finally {
      clearInterval(beat);
    }
  };

  private lane(topic: string, partition: number): Lane {
    const key = `${topic}\u0000${partition}`;
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { topic, partition, chunks: [], failures: 0, retryAt: 0, waiters: [] };
      this.lanes.set(key, lane);
    }
    return lane;
  }

  /** Commits the lane's stored prefix, one commit for every run of chunks found stored together. */
  private settle(lane: Lane): void {
    lane.settling ??= this.settleLoop(lane);
  }

  private async settleLoop(lane: Lane): Promise<void> {
    try {
      while (lane.chunks.length > 0) {
        const head = lane.chunks[0] as Chunk;
        try {
          await head.done;
        } catch (err) {
          lane.windingBack = this.windBack(lane, head, err);
          await lane.windingBack;
          lane.windingBack = undefined;
          continue;
        }
        let upTo = lane.chunks.shift() as Chunk;
        while (lane.chunks[0]?.state === 'ok') upTo = lane.chunks.shift() as Chunk;
        lane.waiters.splice(0).forEach((wake) => wake());
        lane.failures = 0;
        if (upTo.generation !== this.generation) continue;
        await this.control
          .commit(lane.topic, lane.partition, (BigInt(upTo.last) + 1n).toString())
          .catch((err: unknown) => this.deps.logger.warn('could not commit delivery offsets; a restart re-reads them', { err, topic: lane.topic, partition: lane.partition }));
      }
    } finally {
      // Synchronously with the loop's last check: a chunk pushed after this starts a new loop.
      lane.settling = undefined;
    }
  }

  private async windBack(lane: Lane, failed: Chunk, err: unknown): Promise<void> {
    const later = lane.chunks.splice(0);
    await Promise.allSettled(later.map((c) => c.done));
    lane.waiters.splice(0).forEach((wake) => wake());
    lane.failures++;
    const backoffMs = Math.min(MAX_BACKOFF_MS, 500 * 2 ** (lane.failures - 1));
    lane.retryAt = Date.now() + backoffMs;
    // After a rejoin the partition is read from the group's offsets anyway (and may be another member's now).
    if (failed.generation === this.generation && !this.closed) this.control.seek(lane.topic, lane.partition, failed.first);
    this.deps.logger.warn('storing deliveries failed; reading the events again after a pause', {
      err,
      topic: lane.topic,
      partition: lane.partition,
      offset: failed.first,
      retryInMs: backoffMs,
    });
  }
}
