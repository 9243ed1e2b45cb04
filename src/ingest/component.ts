import type { Component, HubContext } from '../app/context';
import { ConfigError } from '../config/env';
import type { SourceConfig } from '../config/types';
import { DeadLetterWriter } from '../platform/consumer';
import { withTimeout } from '../platform/timeout';
import { Pruner, retentionMs } from '../platform/pruner';
import { kafkaEntryPoints } from '../app/entry-points';
import { Archiver } from './archiver';
import { EventsRepository } from './data-access/events-repository';
import { EventLog } from './data-access/event-log';
import { MongoIdempotencyStore } from './data-access/idempotency-repository';
import { SourcesRepository } from './data-access/sources-repository';
import { Ingestor } from './domain/ingest';
import { RateLimiter } from '../platform/rate-limiter';
import { sourceProblems } from './domain/sources';
import { webhookHandler } from './entry-points/http/webhook-handler';
import { ingestMetrics } from './metrics';
import { BufferedAnalyticsRecorder, AnalyticsStore } from '../analysts';

/** The Kafka topic of a source: its own `topic`, or `<prefix>.in.<id>`. */
export const topicOfSource = (ctx: HubContext, source: Pick<SourceConfig, 'id' | 'topic'>): string => source.topic ?? ctx.topics.inbound(source.id);

/**
 * Upserts the config file's sources into MongoDB `sources` (the same objects the API manages), failing boot on
 * a source that could never accept a request, and warning loudly about unverified ones.
 */
export async function syncConfigSources(ctx: HubContext, repo: SourcesRepository): Promise<void> {
  for (const source of ctx.config.sources) {
    const problems = sourceProblems(source, ctx.schemas);
    if (problems.length > 0) throw new ConfigError(`source ${source.id}: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`);
  }
  await repo.init();
  for (const source of ctx.config.sources) await repo.upsert(source, 'config');
}

export function warnUnverifiedSources(ctx: HubContext, sources: SourceConfig[]): void {
  for (const s of sources.filter((x) => x.verification.scheme === 'none' && x.enabled !== false)) {
    ctx.logger.warn(`SOURCE ${s.id} ACCEPTS UNSIGNED WEBHOOKS (verification scheme "none"): anyone who can reach POST /webhooks/${s.id} can publish events; use it only on a trusted internal network`, { source: s.id });
  }
}

/** The ingest role: `POST /webhooks/:source` into Kafka, acknowledged only when durable. */
export function createIngestComponent(ctx: HubContext): Component {
  const { env } = ctx;
  if (env.ingestClaimStaleMs <= env.kafkaAckTimeoutMs) {
    throw new ConfigError(`HOOKHUB_INGEST_CLAIM_STALE_MS (${env.ingestClaimStaleMs}) must be greater than HOOKHUB_KAFKA_ACK_TIMEOUT_MS (${env.kafkaAckTimeoutMs}), or a slow produce could be taken over`);
  }
  if (env.ingestKeyRetentionMs <= env.ingestClaimStaleMs) {
    throw new ConfigError(`HOOKHUB_INGEST_KEY_RETENTION_MS (${env.ingestKeyRetentionMs}) must be greater than HOOKHUB_INGEST_CLAIM_STALE_MS (${env.ingestClaimStaleMs}), or a claim still being produced could be forgotten`);
  }
  const sources = new SourcesRepository(ctx.mongo, { cacheMs: env.sourcesCacheMs });
  const idempotency = new MongoIdempotencyStore(ctx.mongo, {
    lingerMs: env.ingestLingerMs,
    maxItems: env.ingestBatchMax,
    onError: (what, err) => ctx.logger.warn(`ingest: failed ${what}`, { err: (err as Error).message }),
  });
  const eventLog = new EventLog(ctx.kafka, { ackTimeoutMs: env.kafkaAckTimeoutMs, lingerMs: env.ingestLingerMs, maxItems: env.ingestBatchMax });
  const ingestor = new Ingestor({
    sources,
    idempotency,
    publisher: eventLog,
    schemas: ctx.schemas,
    limiter: new RateLimiter(),
    failedAuthLimiter: new RateLimiter(),
    options: { failedAuth: { perSecond: env.ingestFailedAuthPerSecond, burst: env.ingestFailedAuthBurst }, defaultBodyLimit: env.bodyLimitBytes, ackTimeoutMs: env.kafkaAckTimeoutMs, claimStaleMs: env.ingestClaimStaleMs, topicOf: (s) => topicOfSource(ctx, s) },
    onInfraError: (what, err, request) => ctx.logger.warn(`ingest: failed ${what}`, { err: (err as Error).message, ...request }),
  });
  const analytics = new BufferedAnalyticsRecorder(new AnalyticsStore(ctx.mongo), ctx.logger);
  const metrics = ingestMetrics(ctx.metrics);
  const observed: typeof metrics = {
    ...metrics,
    rejected(source, type, code, startedMs) {
      metrics.rejected(source, type, code, startedMs);
      analytics.ingestRejected({ source, code, at: new Date(), ...(type ? { type } : {}) });
    },
  };
  const pruner = new Pruner({
    role: 'ingest',
    rules: [idempotency.retentionRule(env.ingestKeyRetentionMs)],
    intervalMs: env.ingestKeyPruneIntervalMs,
    batch: env.pruneBatch,
    logger: ctx.logger,
    metrics: ctx.metrics,
    prepare: () => idempotency.ensureRetentionIndex(),
  });
  return {
    name: 'ingest',
    serve: webhookHandler(ingestor, observed, ctx.logger),
    async start() {
      await syncConfigSources(ctx, sources);
      const all = await sources.list();
      warnUnverifiedSources(ctx, all);
      pruner.start();
      // Create the known topics now so the first webhook does not pay for it; Kafka may still be starting.
      await withTimeout(ctx.kafka.ensureTopics(all.map((s) => topicOfSource(ctx, s))), env.kafkaAckTimeoutMs, 'topics not created in time').catch((err: unknown) =>
        ctx.logger.warn('ingest: could not create source topics at boot; they are created on the first webhook', { err: (err as Error).message }),
      );
    },
    async stop() {
      await pruner.stop();
      await eventLog.drain();
      await ingestor.drain();
      await idempotency.drain();
      await analytics.stop();
    },
  };
}

/**
 * The archiver role: every source's inbound topic into MongoDB `events` (one idempotent bulk write per batch,
 * committed after it). Sources added later (API, another process) are picked up by its consumer's refresh.
 */
export function createArchiverComponent(ctx: HubContext): Component {
  const sources = new SourcesRepository(ctx.mongo, { cacheMs: 0 });
  const events = new EventsRepository(ctx.mongo);
  const archiver = new Archiver(events, new DeadLetterWriter(ctx.kafka, ctx.topics.dlq('archiver'), 'archiver'), ctx.logger, ctx.metrics);
  const consumer = kafkaEntryPoints(ctx).archiver(ctx, {
    archiver,
    topics: async () => {
      const topics = [...new Set((await sources.list()).map((s) => topicOfSource(ctx, s)))];
      await ctx.kafka.ensureTopics(topics);
      return topics;
    },
  });
  const pruner = new Pruner({
    role: 'archiver',
    rules: [events.retentionRule(retentionMs(ctx.env.eventRetention, 'HOOKHUB_EVENT_RETENTION'))],
    intervalMs: ctx.env.pruneIntervalMs,
    batch: ctx.env.pruneBatch,
    logger: ctx.logger,
    metrics: ctx.metrics,
  });
  return {
    name: 'archiver',
    async start() {
      await events.init();
      await syncConfigSources(ctx, sources);
      await consumer.start();
      pruner.start();
    },
    async stop() {
      await pruner.stop();
      await consumer.stop();
    },
  };
}
