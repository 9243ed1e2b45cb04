import { matchesEventType } from '../../../platform/matching';
import type { RateLimiter } from '../../../platform/rate-limiter';
import type { RangePosition, ReplayChunk, ReplayEvent, ReplayProgress, ReplaySink, ReplaySources, ReplaySpec } from './types';

export interface ReplayRunDeps {
  sources: ReplaySources;
  sink: ReplaySink;
  /** Paces the events handed to the sink at `ratePerSecond`, with up to one second of burst. */
  limiter: RateLimiter;
  /** Events per second; `Infinity` never waits. */
  ratePerSecond: number;
}

export interface ReplayRunHooks {
  /** How often `checkpoint` is called while running (and once at the end). */
  checkpointEveryMs: number;
  /** Saves progress (after the sink flushed); returns false to stop the run (cancelled, lease lost, shutdown). */
  checkpoint(progress: ReplayProgress): Promise<boolean>;
  /** Aborts the run from outside (Ctrl-C, shutdown); checked between chunks. */
  signal?: AbortSignal;
}

export type ReplayOutcome = 'completed' | 'stopped';

/** How many events to release at once: a tenth of a second's worth, so slow rates still flow smoothly. */
const sliceSize = (perSecond: number): number => (Number.isFinite(perSecond) ? Math.max(1, Math.floor(perSecond / 10)) : Infinity);

export const isReplayCopy = (e: ReplayEvent): boolean => e.extensions.replayof !== undefined;

/**
 * The replay use case: plan the ranges once (Kafka offsets for [from, to) per partition, the archive for what
 * Kafka no longer holds), then read them from their saved positions, keep the events whose type matches, pace
 * them, hand them to the sink, and checkpoint positions and counts regularly. Resuming with the saved progress
 * continues exactly where the last checkpoint left off.
 */
export async function runReplay(spec: ReplaySpec, progress: ReplayProgress, deps: ReplayRunDeps, hooks: ReplayRunHooks): Promise<ReplayOutcome> {
  const stop = new AbortController();
  const onOuterAbort = (): void => stop.abort();
  hooks.signal?.addEventListener('abort', onOuterAbort);
  if (hooks.signal?.aborted) stop.abort();
  try {
    if (!progress.ranges) {
      progress.ranges = await deps.sources.plan(spec.topic, spec.fromMs, spec.toMs);
      if (!(await saveCheckpoint(progress, deps, hooks))) return 'stopped';
    }
    let last = Date.now();
    const shouldKeep = (e: ReplayEvent): boolean => spec.types.length === 0 || spec.types.some((p) => matchesEventType(p, e.type));

    const onChunk = async (range: RangePosition, chunk: ReplayChunk): Promise<void> => {
      const { items } = chunk;
      const slice = sliceSize(deps.ratePerSecond);
      let i = 0;
      while (i < items.length || (i === 0 && items.length === 0)) {
        if (stop.signal.aborted) return;
        // A slice holds up to `slice` matched events; position and counts advance only past handled messages.
        const batch: ReplayEvent[] = [];
        let read = 0;
        let skipped = 0;
        let j = i;
        while (j < items.length && batch.length < slice) {
          const e = items[j]?.event;
          if (!e || isReplayCopy(e)) skipped += 1;
          else {
            read += 1;
            if (shouldKeep(e)) batch.push(e);
          }
          if (e) progress.usedSources[range.store] += 1;
          j += 1;
        }
        await deps.limiter.acquire(spec.replayId, { perSecond: deps.ratePerSecond, burst: deps.ratePerSecond }, batch.length, stop.signal);
        if (stop.signal.aborted) {
          for (let k = i; k < j; k++) if (items[k]?.event) progress.usedSources[range.store] -= 1;
          return;
        }
        const started = batch.length ? await deps.sink.emit(batch) : 0;
        const c = progress.counts;
        c.read += read;
        c.matched += batch.length;
        c.emitted += batch.length;
        c.executionsStarted += started;
        c.skipped += skipped;
        const lastOffset = items[j - 1]?.offset;
        range.position = Math.max(range.position, j >= items.length ? chunk.position : (lastOffset ?? range.position - 1) + 1);
        i = j;
        if (items.length === 0) break;
      }
      if (Date.now() - last >= hooks.checkpointEveryMs) {
        last = Date.now();
        if (!(await saveCheckpoint(progress, deps, hooks))) stop.abort();
      }
    };

    const pending = (store: RangePosition['store']): RangePosition[] =>
      (progress.ranges ?? []).filter((r) => r.store === store && (r.end === null || r.position < r.end));
    // Oldest first: what only the archive still has, then Kafka.
    const archived = pending('archive');
    if (archived.length && !stop.signal.aborted) await deps.sources.read(spec.topic, archived, spec, onChunk, stop.signal);
    const live = pending('kafka');
    if (live.length && !stop.signal.aborted) await deps.sources.read(spec.topic, live, spec, onChunk, stop.signal);
    if (stop.signal.aborted) {
      await saveCheckpoint(progress, deps, hooks);
      return 'stopped';
    }
    for (const r of progress.ranges ?? []) if (r.end !== null) r.position = Math.max(r.position, r.end);
    // Completed only once the final checkpoint is saved (a worker that lost its lease must not claim the end).
    return (await saveCheckpoint(progress, deps, hooks)) ? 'completed' : 'stopped';
  } finally {
    hooks.signal?.removeEventListener('abort', onOuterAbort);
  }
}

async function saveCheckpoint(progress: ReplayProgress, deps: ReplayRunDeps, hooks: ReplayRunHooks): Promise<boolean> {
  await deps.sink.flush();
  return hooks.checkpoint(progress);
}
