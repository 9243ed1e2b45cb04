import { Counter, Histogram } from 'prom-client';
import type { Component, HubContext } from '../app/context';
import { toKafkaHeaders } from '../platform/cloudevents';
import { DeliveryPipeline } from '../../consumers/delivery';
import { DeliveriesRepository, type Delivery } from './data-access/deliveries-repository';
import { EndpointClient, type Resolver } from './data-access/endpoint-client';
import { SubscriptionsRepository } from './data-access/subscriptions-repository';
import { SvixForwarder } from './data-access/svix-forwarder';
import { acceptEvents, deliveryId } from './domain/accept-events';
import { Dispatcher, type Poster } from './domain/dispatcher';
import { PostPool } from './data-access/post-pool';
import type { OutgoingEvent } from './domain/events';
import { parseJsonBody } from './domain/matching';
import { RateLimiter } from './domain/rate-limit';
import { generateSecret } from './domain/secrets';
import { AllowList } from './domain/ssrf';
import { TopicConsumer } from './entry-points/kafka';
import { configToFields, createDeliveryOperations, type DeliveryOperations } from './operations';
import { SubscriptionCache } from './subscription-cache';
import { parseSchedule } from './domain/durations';
import { BufferedAnalyticsRecorder } from '../analysts/analytics/buffered-recorder';
import { AnalyticsStore } from '../analysts/analytics/data-access/rollups';

export interface DeliveryComponentOptions {
  /** DNS seam: tests answer host names themselves (default: the system resolver). */
  resolver?: Resolver;
}

export interface DeliveryComponent extends Component {
  operations: DeliveryOperations;
}

/**
 * Which deliveries exist already, without a MongoDB read per event in steady state: ids this process stored
 * are remembered (bounded), and for a while after the consumer (re)joins its group — when it may re-read
 * another member's uncommitted tail (the pipeline commits only what is stored, so chunks the previous owner
 * was still sending are read again) — every id is checked in MongoDB.
 * Whatever slips through still hits the unique `_id` on insert; the receiver sees the same webhook-id twice.
 */
class SeenDeliveries {
  private readonly ids = new Map<string, true>();
  private verifyUntil = 0;

  constructor(private readonly lookup: (ids: string[]) => Promise<Set<string>>) {}

  joined(): void {
    this.verifyUntil = Date.now() + 15000;
  }

  add(ids: string[]): void {
    for (const id of ids) this.ids.set(id, true);
    for (const id of this.ids.keys()) {
      if (this.ids.size <= 200000) break;
      this.ids.delete(id);
    }
  }

  async existing(ids: string[]): Promise<Set<string>> {
    if (Date.now() < this.verifyUntil) return this.lookup(ids);
    return new Set(ids.filter((id) => this.ids.has(id)));
  }
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The delivery role: consumes results and inbound events, stores one delivery per matching subscription and
 * sends it signed, with durable retries (built-in dispatcher) — or hands it to a Svix server when SVIX_TOKEN
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
  // The sender, wherever it runs, has at most HOOKHUB_DELIVERY_CONCURRENCY requests open; the dispatcher hands
  // it more than that (see Dispatcher), so a freed slot is refilled where it is freed.
  // A resolver given here is a function of this thread, so a custom one keeps signing and sending on it too.
  const client: Poster & { close(): Promise<void> } =
    env.deliveryThreads > 0 && !options.resolver
      ? new PostPool({ allow: env.deliveryAllowPrivate, connections, inFlight: env.deliveryConcurrency, threads: env.deliveryThreads, logger })
      : new EndpointClient(new AllowList(env.deliveryAllowPrivate), options.resolver, connections, env.deliveryConcurrency);
  const attempts = new Counter({ name: 'hookhub_delivery_attempts_total', help: 'Delivery attempts by outcome (success or error kind).', labelNames: ['outcome'], registers: [ctx.metrics] });
  // Label children resolved once per outcome: resolving labels on every attempt shows up at thousands/s.
  const attemptsBy = new Map<string, { inc(): void }>();
  const latency = new Histogram({ name: 'hookhub_delivery_attempt_seconds', help: 'Latency of delivery attempts.', buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15], registers: [ctx.metrics] });

  const publish = async (e: OutgoingEvent): Promise<void> => {
    const producer = await ctx.kafka.producer();
    await producer.send({
      topic: ctx.topics.results,
      acks: -1,
      messages: [
        {
          key: e.subscriptionId,
          value: Buffer.from(JSON.stringify(e.data)),
          headers: toKafkaHeaders({ id: e.id, source: '/delivery', type: e.type, time: new Date().toISOString(), subject: e.subject, extensions: { hookhubsubscription: e.subscriptionId } }),
        },
      ],
    });
  };

  const analytics = new BufferedAnalyticsRecorder(new AnalyticsStore(ctx.mongo), logger);
  const dispatcher = new Dispatcher({
    store: deliveries,
    subscriptions: cache,
    poster: client,
    events: { publish },
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

  const seen = new SeenDeliveries((ids) => deliveries.existing(ids));
  const svix = env.svixToken ? new SvixForwarder(env.svixToken, env.svixServerUrl, env.topicPrefix) : undefined;

  const operations = createDeliveryOperations({
    mongo: ctx.mongo,
    schemas: ctx.schemas,
    env,
    onChange: () => {
      void cache.fresh().then(() => dispatcher.kick(), (err: unknown) => logger.warn('could not refresh subscriptions', { err }));
    },
  });

  const consumer = new TopicConsumer({
    kafka: ctx.kafka,
    groupId: `${env.kafkaClientId}-delivery`,
    // results, inbound topics (plain fan-out) and replayed redeliveries from the analysts' replay jobs
    pattern: new RegExp(`^${escape(env.topicPrefix)}\\.(results|in\\..+|replay\\.deliveries)$`),
    refreshMs: env.deliveryRefreshMs,
    logger,
    onJoin: () => seen.joined(),
    pipeline: (control) => new DeliveryPipeline({
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
            ...(svix
              ? {}
              : {
                  deliverNow: async (docs: Delivery[]) => {
                    const created = await dispatcher.deliverNow(docs);
                    seen.add(created.map((d) => d.id));
                    return created;
                  },
                }),
            dispatch: async (created, matched) => {
              if (!svix) {
                if (created.some((d) => d.status === 'pending')) dispatcher.kick();
                return;
              }
              // Svix backend: every matched event is handed over (again, after a re-read: Svix dedupes by
              // idempotency key), then its deliveries are marked forwarded with the Svix message id.
              for (const { event, subs } of matched.values()) {
                for (const s of subs) await svix.mirror(s);
                const body = parseJsonBody(event.event.data, event.event.datacontenttype);
                const payload = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : { data: event.event.data.toString('utf8') };
                const msgId = await svix.forward({ eventId: event.event.id, eventType: event.event.type, payload, subscriptionIds: subs.map((s) => s.id) });
                for (const s of subs) await deliveries.setForwarded(deliveryId(event.event.id, s.id), msgId);
              }
            },
          },
          events,
        ),
      waitForCapacity: () => dispatcher.waitForCapacity(),
      deadLetter: async (topic, message, reason) => {
        logger.warn('poison message on a delivery topic; sent to the DLQ', { topic, reason });
        const dlq = ctx.topics.dlq('delivery');
        await ctx.kafka.ensureTopics([dlq]);
        const producer = await ctx.kafka.producer();
        await producer.send({
          topic: dlq,
          acks: -1,
          messages: [{ key: message.key, value: message.value, headers: { ...(message.headers ?? {}), 'hookhub-error': reason, 'hookhub-origin-topic': topic } }],
        });
      },
      logger,
    }, control),
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
      if (!svix) dispatcher.start();
      await consumer.start();
      logger.info('delivery started', { backend: svix ? 'svix' : 'built-in', subscriptions: cache.all().length });
    },
    async stop() {
      await consumer.stop();
      await dispatcher.stop();
      await analytics.stop();
      cache.stopRefreshing();
      await client.close();
    },
  };
}
