import { Counter, Histogram } from 'prom-client';
import type { Component, HubContext } from '../app/context';
import { kafkaEntryPoints } from '../app/entry-points';
import { DeadLetterWriter } from '../platform/consumer';
import { DeliveriesRepository } from './data-access/deliveries-repository';
import { DeliveryEventsPublisher } from './data-access/delivery-events';
import { EndpointClient, type Resolver } from './data-access/endpoint-client';
import { SubscriptionsRepository } from './data-access/subscriptions-repository';
import { SvixForwarder } from './data-access/svix-forwarder';
import { acceptEvents } from './domain/accept-events';
import { AttemptRunner, type Poster } from './domain/attempt-runner';
import { PostPool } from './data-access/post-pool';
import { RateLimiter } from '../platform/rate-limiter';
import { generateSecret } from './domain/secrets';
import { outboundAllowEntries } from '../platform/outbound/guard';
import { configToFields, createDeliveryOperations, type DeliveryOperations } from './operations';
import { SeenDeliveries } from './seen-deliveries';
import { AttemptRunnerSink, SvixSink } from './sinks';
import { SubscriptionCache } from './subscription-cache';
import { parseSchedule } from '../platform/durations';
import { Pruner, retentionMs } from '../platform/pruner';
import { BufferedAnalyticsRecorder, AnalyticsStore } from '../analysts';

export interface DeliveryComponentOptions {
  /** DNS seam: tests answer host names themselves (default: the system resolver). */
  resolver?: Resolver;
}

export interface DeliveryComponent extends Component {
  operations: DeliveryOperations;
}

/**
 * The delivery role: consumes results and inbound events, stores one delivery per matching subscription and
 * sends it signed, with durable retries (built-in attempt runner) — or hands it to a Svix server when SVIX_TOKEN
 * is set.
 */
export function createDeliveryComponent(ctx: HubContext, options: DeliveryComponentOptions = {}): DeliveryComponent {
  const { env, logger } = ctx;
  parseSchedule(env.deliverySchedule);
  if (env.deliveryLeaseMs <= env.deliveryTimeoutMs) {
    throw new Error(`HOOKHUB_DELIVERY_LEASE_MS (${env.deliveryLeaseMs}) must be longer than HOOKHUB_DELIVERY_TIMEOUT_MS (${env.deliveryTimeoutMs})`);
  }
  const subsRepo = new SubscriptionsRepository(ctx.mongo);
  const deliveries = new DeliveriesRepository(ctx.mongo);
  const cache = new SubscriptionCache(subsRepo, logger);
  const connections = Math.max(16, env.deliveryConcurrency);
  // The sender, wherever it runs, has at most HOOKHUB_DELIVERY_CONCURRENCY requests open; the attempt runner hands
  // it more than that (see AttemptRunner), so a freed slot is refilled where it is freed.
  // A resolver given here is a function of this thread, so a custom one keeps signing and sending on it too.
  const allow = outboundAllowEntries(env);
  const client: Poster & { close(): Promise<void> } =
    env.deliveryThreads > 0 && !options.resolver
      ? new PostPool({ allow, connections, inFlight: env.deliveryConcurrency, threads: env.deliveryThreads, logger })
      : new EndpointClient(allow, options.resolver, connections, env.deliveryConcurrency);
  const attempts = new Counter({ name: 'hookhub_delivery_attempts_total', help: 'Delivery attempts by outcome (success or error kind).', labelNames: ['outcome'], registers: [ctx.metrics] });
  // Label children resolved once per outcome: resolving labels on every attempt shows up at thousands/s.
  const attemptsBy = new Map<string, { inc(): void }>();
  const latency = new Histogram({ name: 'hookhub_delivery_attempt_seconds', help: 'Latency of delivery attempts.', buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15], registers: [ctx.metrics] });

  const analytics = new BufferedAnalyticsRecorder(new AnalyticsStore(ctx.mongo), logger);
  const runner = new AttemptRunner({
    store: deliveries,
    subscriptions: cache,
    poster: client,
    events: new DeliveryEventsPublisher(ctx.kafka, ctx.topics.results),
    limiter: new RateLimiter(),
    logger,
    settings: {
      schedule: env.deliverySchedule,
      jitterPercent: env.deliveryJitterPercent,
      timeoutMs: env.deliveryTimeoutMs,
      maxRetryAfterMs: env.deliveryMaxRetryAfterMs,
      disableAfterMs: env.deliveryDisableAfterMs,
      httpsOnly: env.deliveryHttpsOnly,
      concurrency: env.deliveryConcurrency,
      pollMs: env.deliveryPollMs,
      leaseMs: env.deliveryLeaseMs,
    },
    onAttempt: (a) => {
      let counter = attemptsBy.get(a.outcome);
      if (!counter) attemptsBy.set(a.outcome, (counter = attempts.labels({ outcome: a.outcome })));
      counter.inc();
      latency.observe(a.latencyMs / 1000);
      analytics.deliveryAttempt({ subscriptionId: a.subscriptionId, ok: a.ok, latencyMs: a.latencyMs, at: a.at, ...(a.status !== undefined ? { statusCode: a.status } : {}), ...(a.errorKind ? { errorKind: a.errorKind } : {}) });
    },
  });

  const pruner = new Pruner({
    role: 'delivery',
    rules: [deliveries.retentionRule(retentionMs(env.deliveryRetention, 'HOOKHUB_DELIVERY_RETENTION'))],
    intervalMs: env.pruneIntervalMs,
    batch: env.pruneBatch,
    logger,
    metrics: ctx.metrics,
  });

  const seen = new SeenDeliveries((ids) => deliveries.existing(ids));
  const svix = env.svixToken ? new SvixForwarder(env.svixToken, env.svixServerUrl, env.topicPrefix) : undefined;

  const operations = createDeliveryOperations({
    mongo: ctx.mongo,
    schemas: ctx.schemas,
    env,
    onChange: () => {
      void cache.fresh().then(() => runner.kick(), (err: unknown) => logger.warn('could not refresh subscriptions', { err }));
    },
  });

  const sink = svix ? new SvixSink(svix, deliveries) : new AttemptRunnerSink(runner, seen);
  const consumer = kafkaEntryPoints(ctx).delivery(ctx, {
    accept: (events) =>
      acceptEvents(
        {
          subscriptions: () => cache.fresh(),
          insertNew: async (docs) => {
            const created = await deliveries.insertNew(docs);
            seen.add(docs.map((d) => d.id));
            return created;
          },
          existing: (ids) => seen.existing(ids),
          sink,
        },
        events,
      ),
    waitForCapacity: () => runner.waitForCapacity(),
    joined: () => seen.joined(),
    deadLetters: new DeadLetterWriter(ctx.kafka, ctx.topics.dlq('delivery'), 'delivery'),
  });

  return {
    name: 'delivery',
    operations,
    async start() {
      await ctx.kafka.ensureTopics([ctx.topics.results]);
      await deliveries.prepare();
      for (const c of ctx.config.subscriptions) await subsRepo.upsertFromConfig(c.id, configToFields(c), generateSecret());
      await cache.refresh();
      cache.startRefreshing(env.deliveryRefreshMs);
      if (!svix) runner.start();
      await consumer.start();
      pruner.start();
      logger.info('delivery started', { backend: svix ? 'svix' : 'built-in', subscriptions: cache.all().length });
    },
    async stop() {
      await pruner.stop();
      await consumer.stop();
      await runner.stop();
      await analytics.stop();
      cache.stopRefreshing();
      await client.close();
    },
  };
}
