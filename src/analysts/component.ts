import type { ComponentFactory } from '../app/context';
import { kafkaEntryPoints } from '../app/entry-points';
import { AnalyticsStore } from './analytics/data-access/rollups';
import { SIZE_MS, floorTo } from './analytics/domain/buckets';
import { ReplayRepository } from './replay/data-access/replay-repository';
import { replayWorker } from './replay/entry-points/worker';

/**
 * `api` role: the collections behind /api/v1/replays and /api/v1/analytics/… (their indexes, at start). The
 * routes themselves are in the Management API's route table (src/api/resources), behind its keys and roles.
 */
export const analystsApi: ComponentFactory = (ctx) => {
  const store = new AnalyticsStore(ctx.mongo);
  const repo = new ReplayRepository(ctx.mongo);
  return {
    name: 'analysts-api',
    async start() {
      await Promise.all([store.init(), repo.init()]);
    },
  };
};

/** `api` role: runs queued replay jobs (one at a time per process; any number of api processes share the queue). */
export const replayJobs: ComponentFactory = (ctx) => replayWorker(ctx, new ReplayRepository(ctx.mongo));

/**
 * `archiver` role: the two analytics consumer groups (results → execution rollups, inbound → ingest rollups), and
 * the sealer that folds closed rollup slots of today and yesterday into compact strings every
 * `analyticsSealIntervalMs` (reads stay exact without it, only slower), and retention (hourly, on the same timer).
 */
export const analyticsConsumers: ComponentFactory = (ctx) => {
  const store = new AnalyticsStore(ctx.mongo);
  const consumers = kafkaEntryPoints(ctx).analytics(ctx, store);
  const log = ctx.logger.child({ component: 'analytics-sealer' });
  let timer: NodeJS.Timeout | undefined;
  let sealing: Promise<void> = Promise.resolve();
  let prunedAt = 0;
  /** Retention, at most once an hour: whole partitions past HOOKHUB_ANALYTICS_RETENTION_DAYS are dropped. */
  const pruneIfDue = async (now: number): Promise<void> => {
    if (now - prunedAt < SIZE_MS.hour) return;
    prunedAt = now;
    const dropped = await store.dropPartitionsBefore(floorTo(now, SIZE_MS.day) - ctx.env.analyticsRetentionDays * SIZE_MS.day);
    if (dropped.length > 0) log.info('dropped analytics partitions past retention', { partitions: dropped.length });
  };
  const sealOnce = (): Promise<void> => {
    const now = Date.now();
    const today = floorTo(now, SIZE_MS.day);
    sealing = sealing
      .then(() => pruneIfDue(now))
      .then(() => (ctx.env.analyticsSealIntervalMs > 0 ? store.seal(now, [today - SIZE_MS.day, today], ctx.env.analyticsSealAfterMs) : 0))
      .then(
        (n) => {
          if (n > 0) log.debug('sealed analytics rollups', { documents: n });
        },
        (err: unknown) => {
          log.warn('could not seal analytics rollups', { err });
        },
      );
    return sealing;
  };
  return {
    name: 'analytics-consumers',
    async start() {
      await store.init();
      await consumers.start();
      // Sealing off (`0`) still leaves the hourly retention to run, on a one-minute tick.
      timer = setInterval(() => void sealOnce(), ctx.env.analyticsSealIntervalMs || 60_000);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await consumers.stop();
      await sealing;
    },
  };
};
