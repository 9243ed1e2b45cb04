import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { Logger } from '../logger';
import { sleep } from '../timeout';
import type { CommitStrategy, ConsumerControl } from './group-consumer';

/** A slice of one partition's batch, in offset order. */
export interface Chunk {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
}

export interface ReadAheadDeps {
  /** Decodes and stores the chunk's effects (dead-lettering what cannot be decoded); resolves once they are stored. */
  accept(chunk: Chunk): Promise<unknown>;
  /** Waits while the use is saturated (backpressure on the Kafka read). */
  waitForCapacity(): Promise<void>;
  /** Called when the member (re)joins its group. */
  joined?(): void;
  logger: Logger;
}

const CHUNK = 100;
/** Chunks of one partition in flight: the next chunk's first attempts go out while earlier ones are stored. */
const CHUNKS_IN_FLIGHT = 8;
const MAX_BACKOFF_MS = 30000;
/** How long a "rebalancing" heartbeat answer holds new chunks back without the member joining again. */
const REJOIN_WAIT_MS = 10000;

interface IssuedChunk {
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
  chunks: IssuedChunk[];
  settling?: Promise<void>;
  failures: number;
  retryAt: number;
  /** Set while a failed chunk is wound back: nothing new is issued until the seek. */
  windingBack?: Promise<void>;
  /** Woken whenever chunks leave the lane. */
  waiters: (() => void)[];
}

/**
 * The ordered read-ahead commit strategy (the delivery consumer's): reading decoupled from storing. A chunk's offsets are resolved as soon as it is handed to `accept`, so kafkajs
 * fetches the next batch while deliveries are still being sent; commits are separate and strictly ordered per
 * partition: an offset is committed only once every chunk up to it is stored. So a crash re-reads at most the
 * uncommitted chunks, and the use must make that re-read harmless (delivery: deterministic delivery ids). A failed chunk stops the
 * partition: the chunks after it are let finish (not committed), the fetch position is wound back to the failed
 * chunk, and it is read again after a backoff (0.5 s doubling to 30 s).
 */
export class ReadAheadPipeline implements CommitStrategy {
  private readonly lanes = new Map<string, Lane>();
  private generation = 0;
  private closed = false;
  /**
   * When a heartbeat was answered "rebalancing", until the member has joined again: nothing new is issued. Should
   * the join not come (the answer was stale), issuing resumes after `REJOIN_WAIT_MS`, as before the signal.
   */
  private rejoinPendingSince: number | undefined;

  constructor(
    private readonly deps: ReadAheadDeps,
    private readonly control: ConsumerControl,
  ) {}

  /** The member (re)joined its group: chunks read before are not committed; the partitions are read again from the group's offsets. */
  joined(): void {
    this.generation++;
    this.rejoinPendingSince = undefined;
    const unsettled = [...this.lanes.values()].reduce((n, l) => n + l.chunks.length, 0);
    if (unsettled > 0) this.deps.logger.info('rejoined the group: chunks read before are finished but not committed; their partitions are read again from the committed offsets', { chunks: unsettled });
    this.deps.joined?.();
  }

  /**
   * The group is rebalancing: a batch waiting for room in a full lane (a slow endpoint's chunks, a store outage's
   * backoff) returns now, its unissued messages unresolved (read again after the rejoin, from the committed offsets),
   * so that this member does not hold the whole group's rebalance for as long as its lanes stay full.
   */
  rebalancing(): void {
    if (this.rejoinPending()) return;
    this.rejoinPendingSince = Date.now();
    for (const lane of this.lanes.values()) for (const wake of lane.waiters.splice(0)) wake();
  }

  private rejoinPending(): boolean {
    return this.rejoinPendingSince !== undefined && Date.now() - this.rejoinPendingSince < REJOIN_WAIT_MS;
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
    const { batch, resolveOffset, isRunning, isStale } = payload;
    const lane = this.lane(batch.topic, batch.partition);
    const generation = this.generation;
    const live = (): boolean => !this.closed && !this.rejoinPending() && isRunning() && !isStale() && !lane.windingBack && generation === this.generation;
    // Chunks read before a rebalance finish first, so a re-read finds them stored instead of sending them twice.
    await Promise.allSettled(lane.chunks.filter((c) => c.generation !== generation).map((c) => c.done));
    while (live() && Date.now() < lane.retryAt) await sleep(Math.min(lane.retryAt - Date.now(), 500));
    for (let i = 0; i < batch.messages.length; i += CHUNK) {
      await this.deps.waitForCapacity();
      while (live() && lane.chunks.length >= CHUNKS_IN_FLIGHT) await new Promise<void>((resolve) => lane.waiters.push(resolve));
      if (!live()) break;
      const messages = batch.messages.slice(i, i + CHUNK);
      const first = (messages[0] as KafkaMessage).offset;
      const last = (messages[messages.length - 1] as KafkaMessage).offset;
      // From the check to resolving the offset nothing awaits: a seek or rejoin in between cannot be overtaken.
      const chunk: IssuedChunk = { first, last, generation, done: this.deps.accept({ topic: batch.topic, partition: batch.partition, messages }), state: 'running' };
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
        const head = lane.chunks[0] as IssuedChunk;
        try {
          await head.done;
        } catch (err) {
          lane.windingBack = this.windBack(lane, head, err);
          await lane.windingBack;
          lane.windingBack = undefined;
          continue;
        }
        let upTo = lane.chunks.shift() as IssuedChunk;
        while (lane.chunks[0]?.state === 'ok') upTo = lane.chunks.shift() as IssuedChunk;
        lane.waiters.splice(0).forEach((wake) => wake());
        lane.failures = 0;
        if (upTo.generation !== this.generation) continue;
        await this.control
          .commit(lane.topic, lane.partition, (BigInt(upTo.last) + 1n).toString())
          .catch((err: unknown) => this.deps.logger.warn('could not commit offsets; a restart re-reads them', { err, topic: lane.topic, partition: lane.partition }));
      }
    } finally {
      // Synchronously with the loop's last check: a chunk pushed after this starts a new loop.
      lane.settling = undefined;
    }
  }

  private async windBack(lane: Lane, failed: IssuedChunk, err: unknown): Promise<void> {
    const later = lane.chunks.splice(0);
    await Promise.allSettled(later.map((c) => c.done));
    lane.waiters.splice(0).forEach((wake) => wake());
    lane.failures++;
    const backoffMs = Math.min(MAX_BACKOFF_MS, 500 * 2 ** (lane.failures - 1));
    lane.retryAt = Date.now() + backoffMs;
    // After a rejoin the partition is read from the group's offsets anyway (and may be another member's now).
    if (failed.generation === this.generation && !this.closed) this.control.seek(lane.topic, lane.partition, failed.first);
    this.deps.logger.warn('storing a chunk failed; reading it again after a pause', {
      err,
      topic: lane.topic,
      partition: lane.partition,
      offset: failed.first,
      retryInMs: backoffMs,
    });
  }
}
