import type { ComponentFactory } from '../app/context';
import { analyticsIngestConsumer } from '../../consumers/analytics-ingest';
import { analyticsResultsConsumer } from '../../consumers/analytics';
import { AnalyticsStore } from './analytics/data-access/rollups';
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

/** `archiver` role: the two analytics consumer groups (results → execution rollups, inbound → ingest rollups). */
export const analyticsConsumers: ComponentFactory = (ctx) => {
  const store = new AnalyticsStore(ctx.mongo);
  const results = analyticsResultsConsumer(ctx, store);
  const ingest = analyticsIngestConsumer(ctx, store);
  return {
    name: 'analytics-consumers',
    async start() {
      await store.init();
      await results.start?.();
      await ingest.start?.();
    },
    async stop() {
      await Promise.all([ingest.stop?.(), results.stop?.()]);
    },
  };
};
