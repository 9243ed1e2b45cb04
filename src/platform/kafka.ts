import { Kafka, Partitioners, logLevel, type Admin, type ITopicConfig, type LogEntry, type Producer } from 'kafkajs';
import type { Logger } from './logger';
import { sleep, withTimeout } from './timeout';

export interface KafkaPortOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** Partitions and replication of topics created on demand. */
  partitions: number;
  replication: number;
}

const levels: Record<number, string> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'debug',
  [logLevel.DEBUG]: 'debug',
};

/**
 * The one place that talks to kafkajs for clients, producing and topics. Every send uses acks=all, so a produced
 * message that resolves is durable on every in-sync replica, and one request is in flight at a time, so a retry
 * never reorders a partition. The producer is deliberately not kafkajs's idempotent one (see `producer()`).
 */
/**
 * kafkajs logs every CreateTopics answer that carries a per-topic error at error level, "topic already exists"
 * included, which `ensureTopics` meets on every start against an existing cluster. The admin client then throws
 * for the real failures, and our callers log those; the raw answer is kept at debug.
 */
/**
 * A rebalance (a member joined, left or picked up a new topic) makes every member rejoin; kafkajs reports the
 * rejoin at warn or error level although nothing is wrong. Consumers log what they got after it at info.
 */
const EXPECTED_REBALANCE = ['The group is rebalancing, re-joining', 'The coordinator is not aware of this member, re-joining the group'];
/**
 * The broker's answers that start such a rejoin: the members that stay learn of a rebalance from a heartbeat (or a
 * commit) answered "rebalancing" or "not aware of this member", which kafkajs's connection logs at error level
 * before its runner rejoins. The runner's line (above) and the consumer's "joined" line say what happened.
 */
const REBALANCE_ANSWER = /^Response (Heartbeat|OffsetCommit|SyncGroup|LeaveGroup)\(/;
const REBALANCE_ANSWER_TEXT = ['The group is rebalancing, so a rejoin is needed', 'The coordinator is not aware of this member'];

const NOT_YET_TEXT = ['This server does not host this topic-partition', 'There is no leader for this topic-partition'];

function quieted(entry: LogEntry): string | undefined {
  const message = String(entry.log.message);
  if (entry.namespace === 'Connection' && message.startsWith('Response CreateTopics')) return 'debug';
  // "Not yet" answers right after a topic is created: ensureTopics waits them out (see waitForLeaders).
  if (entry.namespace === 'Connection' && message.startsWith('Response Metadata') && NOT_YET_TEXT.some((t) => String(entry.log.error).includes(t))) return 'debug';
  if (entry.namespace === 'Runner' && EXPECTED_REBALANCE.some((m) => message.startsWith(m))) return 'info';
  if (entry.namespace === 'Connection' && REBALANCE_ANSWER.test(message) && REBALANCE_ANSWER_TEXT.some((t) => String(entry.log.error).includes(t))) return 'info';
  return undefined;
}

/** How long `ensureTopics` waits for a new topic's partitions to have leaders before it gives up. */
const TOPIC_READY_TIMEOUT_MS = 30000;

/** Errors that mean "not yet" right after a topic is created (metadata not propagated, leader not elected). */
const NOT_YET = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION', 'NOT_LEADER_OR_FOLLOWER']);

function isRetriable(err: unknown): boolean {
  for (let e = err as { retriable?: boolean; type?: string; cause?: unknown; originalError?: unknown } | undefined; e; e = (e.cause ?? e.originalError) as typeof e) {
    if (e.retriable === true || (e.type !== undefined && NOT_YET.has(e.type))) return true;
  }
  return false;
}

/** The `min.insync.replicas` of topics hookhub creates: 2 when there are two copies or more, else 1. */
export function minInsyncReplicas(replication: number): number {
  return Math.max(1, Math.min(2, replication));
}

function minInsyncEntry(replication: number): { name: string; value: string }[] {
  return [{ name: 'min.insync.replicas', value: String(minInsyncReplicas(replication)) }];
}

export class KafkaPort {
  readonly kafka: Kafka;
  private producerPromise?: Promise<Producer>;
  private adminPromise?: Promise<Admin>;
  private readonly knownTopics = new Set<string>();
  private readonly pendingTopics = new Map<string, Promise<void>>();

  constructor(readonly options: KafkaPortOptions) {
    const log = options.logger;
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      connectionTimeout: 3000,
      requestTimeout: 30000,
      logLevel: logLevel.WARN,
      logCreator: () => (entry: LogEntry) => {
        const { message, ...extra } = entry.log;
        log.log(quieted(entry) ?? levels[entry.level] ?? 'info', `kafka: ${message}`, { namespace: entry.namespace, ...extra });
      },
    });
  }

  /**
   * The shared producer (acks=all is passed on every send by `send`). Not kafkajs's idempotent producer: when a
   * produce request timed out after the broker had applied it, kafkajs rolls the partition's sequence number back,
   * and the next batch, with other messages, is sent under the applied batch's sequence. The broker takes it for a
   * duplicate and answers success with the earlier batch's offsets without writing it: an acknowledged event that
   * is not in Kafka. Beside a CPU hog the short soak had three webhooks answered 202 that no consumer ever saw,
   * each after "The broker received an out of order sequence number" on an earlier try. Without idempotence an
   * acknowledgement always means this batch was written; a retry after a lost answer may write it twice, which
   * every consumer drops by event id (archive `_id`, one execution per (event, agent), delivery ids).
   */
  producer(): Promise<Producer> {
    this.producerPromise ??= (async () => {
      const producer = this.kafka.producer({ idempotent: false, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      return producer;
    })().catch((err: unknown) => {
      this.producerPromise = undefined;
      throw err;
    });
    return this.producerPromise;
  }

  admin(): Promise<Admin> {
    this.adminPromise ??= (async () => {
      const admin = this.kafka.admin({ retry: { retries: 1, initialRetryTime: 100 } });
      await admin.connect();
      return admin;
    })().catch((err: unknown) => {
      this.adminPromise = undefined;
      throw err;
    });
    return this.adminPromise;
  }

  /**
   * Creates the topics that do not exist yet (idempotent, concurrent callers share one request), with
   * `min.insync.replicas` = min(2, replication): with acks=all a write is then acknowledged only once it is on
   * at least two brokers whenever there are two copies to have (see docs/security.md, "Durability").
   */
  async ensureTopics(topics: string[], config: Partial<ITopicConfig> = {}): Promise<void> {
    const missing = topics.filter((t) => !this.knownTopics.has(t));
    if (missing.length === 0) return;
    await Promise.all(
      missing.map((topic) => {
        let p = this.pendingTopics.get(topic);
        if (!p) {
          p = (async () => {
            const admin = await this.admin();
            // A topic another process created a moment ago (kafkajs then skips its own leader wait) may have no
            // leaders yet either: wait for them in both cases.
            await admin.createTopics({
              waitForLeaders: false,
              topics: [{ topic, numPartitions: this.options.partitions, replicationFactor: this.options.replication, ...config, configEntries: [...minInsyncEntry(this.options.replication), ...(config.configEntries ?? [])] }],
            });
            await this.waitForLeaders(admin, topic);
            this.knownTopics.add(topic);
          })().finally(() => this.pendingTopics.delete(topic));
          this.pendingTopics.set(topic, p);
        }
        return p;
      }),
    );
  }

  /**
   * Waits until every partition of the topic has a leader. Right after creation the broker may still answer
   * "This server does not host this topic-partition" (retriable): producing or joining a group then would fail.
   */
  private async waitForLeaders(admin: Admin, topic: string): Promise<void> {
    const deadline = Date.now() + TOPIC_READY_TIMEOUT_MS;
    for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
      try {
        const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
        const partitions = topics[0]?.partitions ?? [];
        if (partitions.length > 0 && partitions.every((p) => p.leader >= 0)) return;
      } catch (err) {
        if (!isRetriable(err) || Date.now() > deadline) throw err;
      }
      if (Date.now() > deadline) throw new Error(`topic ${topic}: partitions have no leader after ${TOPIC_READY_TIMEOUT_MS} ms`);
      await sleep(delay);
    }
  }

  /** Health check: the cluster answers a metadata request within `ms`. */
  async ping(ms: number): Promise<void> {
    await withTimeout(
      (async () => {
        const admin = await this.admin();
        await admin.describeCluster();
      })(),
      ms,
      `Kafka did not answer within ${ms} ms`,
    );
  }

  async disconnect(): Promise<void> {
    const producer = this.producerPromise;
    const admin = this.adminPromise;
    this.producerPromise = undefined;
    this.adminPromise = undefined;
    await Promise.allSettled([
      producer?.then((p) => p.disconnect()),
      admin?.then((a) => a.disconnect()),
    ]);
  }
}
