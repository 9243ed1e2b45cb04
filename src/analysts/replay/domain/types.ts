/** Replay's own vocabulary: what it reads, where from, and the two ports it needs from agents and delivery. */

export type ReplayMode = 'export' | 'redeliver' | 'reprocess';
export const REPLAY_MODES: readonly ReplayMode[] = ['export', 'redeliver', 'reprocess'];

export type ReplayStore = 'kafka' | 'archive';

/** One event as replay sees it, whichever store it came from: CloudEvent attributes + the exact original bytes. */
export interface ReplayEvent {
  id: string;
  source: string;
  type: string;
  time: string;
  datacontenttype: string;
  subject?: string;
  traceparent?: string;
  /** CloudEvent extension attributes (`ce_<name>` headers), e.g. `hookhubsource`, `idempotencykey`. */
  extensions: Record<string, string>;
  /** The Kafka key (the source's partition key), when known. */
  key: string | null;
  data: Buffer;
  origin: { store: ReplayStore; topic: string; partition: number; offset: number; timestampMs: number };
}

/** Re-sends one event to one subscription as a new delivery marked replay (port owned by delivery). */
export interface ReplayRedeliverer {
  redeliver(subscriptionId: string, event: ReplayEvent, replayId: string): Promise<void>;
}

/**
 * Runs the routed agents again for one event as new executions marked replay (port owned by agents).
 * Resolves with the executions started when the implementation knows it synchronously, else 0.
 */
export interface ReplayReprocessor {
  reprocess(event: ReplayEvent, replayId: string): Promise<number>;
}

/** A contiguous stretch of one partition to read from one store; `position` is the next offset to read. */
export interface RangePosition {
  store: ReplayStore;
  partition: number;
  start: number;
  /** Exclusive end offset; null when unbounded (archive of a topic that no longer exists). */
  end: number | null;
  position: number;
}

export interface ReplayCounts {
  /** Events read inside the time range. */
  read: number;
  /** Of those, events whose type matched the filter. */
  matched: number;
  /** Events written (export) or handed to the redeliverer/reprocessor. */
  emitted: number;
  /** Messages in the offset range that are not CloudEvents, fall outside the time range, or are replays themselves. */
  skipped: number;
  /** Executions the reprocessor reported started (0 with the Kafka reprocessor: agents start them asynchronously). */
  executionsStarted: number;
}

export const zeroCounts = (): ReplayCounts => ({ read: 0, matched: 0, emitted: 0, skipped: 0, executionsStarted: 0 });

export interface ReplaySpec {
  replayId: string;
  topic: string;
  fromMs: number;
  toMs: number;
  /** Event-type patterns (`matchesEventType`); empty = every type. */
  types: string[];
}

/** Everything that changes while a replay runs; saved at every checkpoint so a restart resumes from it. */
export interface ReplayProgress {
  ranges: RangePosition[] | null;
  counts: ReplayCounts;
  usedSources: Record<ReplayStore, number>;
}

export const freshProgress = (): ReplayProgress => ({ ranges: null, counts: zeroCounts(), usedSources: { kafka: 0, archive: 0 } });

export interface ReplayChunk {
  /**
   * Messages in offset order: `event` is set for valid CloudEvents inside the time range, absent for messages
   * passed over (not CloudEvents, or outside the time range). Offsets let a run stop exactly between two events.
   */
  items: { offset: number; event?: ReplayEvent }[];
  /** Next offset to read in this range once the whole chunk is handled. */
  position: number;
}

/** Where events come from: Kafka while retained, the MongoDB archive before that (port declared by the runner). */
export interface ReplaySources {
  plan(topic: string, fromMs: number, toMs: number): Promise<RangePosition[]>;
  read(
    topic: string,
    ranges: RangePosition[],
    window: { fromMs: number; toMs: number },
    onChunk: (range: RangePosition, chunk: ReplayChunk) => Promise<void>,
    signal: AbortSignal,
  ): Promise<void>;
}

/** Where matched events go: an NDJSON writer, the redeliverer or the reprocessor. */
export interface ReplaySink {
  /** Resolves once the events are written or handed over, with the executions started (reprocess) or 0. */
  emit(events: ReplayEvent[]): Promise<number>;
  /** Makes everything emitted so far durable (a checkpoint happens after it). */
  flush(): Promise<void>;
}
