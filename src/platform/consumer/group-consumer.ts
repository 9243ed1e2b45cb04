import type { Consumer, EachBatchPayload } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { KafkaPort } from '../kafka';
import type { Logger } from '../logger';
import type { FetchSettings } from './fetch-settings';
import { groupJoins, watchLag } from './metrics';

/** What a commit strategy may do to the consumer it runs in (kafkajs with `autoCommit: false`). */
export interface ConsumerControl {
  /** Commits `offset` (the next one to read) for the group. */
  commit(topic: string, partition: number, offset: string): Promise<void>;
  /** Makes the next fetch of the partition start at `offset`; batches fetched before turn stale. */
  seek(topic: string, partition: number, offset: string): void;
}

/**
 * How a use consumes and commits: `commitAfterBatch` (commit each batch once it is stored) or the ordered
 * read-ahead (`ReadAheadPipeline`). A fresh strategy is made for every run of the consumer.
 */
export interface CommitStrategy {
  eachBatch(payload: EachBatchPayload): Promise<void>;
  /** The member (re)joined its group: partitions it gets may repeat another member's uncommitted work. */
  joined?(): void;
  /** Stops issuing work and waits until what was issued is stored and committed. */
  drain?(): Promise<void>;
  /**
   * The group is rebalancing (a heartbeat from inside a batch was answered so): the strategy stops waiting and
   * returns from `eachBatch` soon, leaving what it has not issued unresolved, so the member rejoins at once instead
   * of holding every member's pause for as long as its batch would have taken. `joined` follows.
   */
  rebalancing?(): void;
}

/** Heartbeat answers that mean the member must rejoin its group. */
const REJOIN_NEEDED = new Set(['REBALANCE_IN_PROGRESS', 'UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION']);

export interface GroupConsumerOptions {
  kafka: KafkaPort;
  logger: Logger;
  groupId: string;
  /** The topics to read: those of the cluster matching a pattern, or a list the use computes (e.g. its sources' topics). */
  topics: RegExp | (() => Promise<string[]>);
  /** How often the topic list is looked at again (a new source is a new topic). */
  refreshMs: number;
  /**
   * A changed topic list found by a refresh is read again until it stayed the same this long (at most
   * `TOPIC_SETTLE_ROUNDS` times as long) before the member rejoins with it: a burst of new topics (sources created
   * one after another) costs one rejoin, not one per topic. The member keeps consuming meanwhile. Default 0.
   */
  topicSettleMs?: number;
  fetch: FetchSettings;
  strategy: (control: ConsumerControl) => CommitStrategy;
  /** Called on every refresh tick before the topic list is read (e.g. the agents stage re-reads its registry). */
  onRefresh?: () => Promise<void>;
  /** Consumer lag per partition (`hookhub_consumer_lag`) and group joins are exported on this registry. */
  metrics?: Registry;
}

/** A topic list that keeps changing is taken in after this many settle periods all the same. */
const TOPIC_SETTLE_ROUNDS = 5;

/** Pause before a crashed consumer starts over from the committed offsets (a non-retriable error waits longer). */
const CRASH_RESTART_MS = { retriable: 500, other: 2000 };

/** One kafkajs consumer and the strategy it runs: a member is retired for good once `close` took it. */
interface Member {
  consumer: Consumer;
  strategy: CommitStrategy;
  retired: boolean;
  /** Its `disconnect` resolved: a batch it still gets comes from a runner kafkajs lost track of. */
  disconnected: boolean;
  /** Joins of the group so far: a heartbeat answer from before the latest join is stale. */
  joins: number;
}

/**
 * One consumer group member, written once for every stage: subscribes to the topics the use wants, keeps the
 * membership alive during long batches, restarts it after any crash (itself, never kafkajs), picks up new topics,
 * and lets a commit strategy decide what is committed. kafkajs resolves a subscription once, so a changed topic list
 * restarts the member (after its strategy drained and committed): the group rebalances and the committed offsets
 * carry over. Rebalances are expected; they are logged at info with what the member got.
 */
export class GroupConsumer {
  /** The member consuming now; it is set before it connects, so that a crash while it joins is seen. */
  private member?: Member;
  private topics: string[] = [];
  private timer?: NodeJS.Timeout;
  /** Restarts, refreshes and stops run one after another. */
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;
  private rebalances = 0;
  /** Set when the group rebalances: a settle in progress ends (another member already rejoined with the new list). */
  private rebalancedSince = 0;
  /** Ends the wait of a settle in progress at once (stop, rebalance). */
  private endSettle?: () => void;
  private readonly log: Logger;

  constructor(private readonly o: GroupConsumerOptions) {
    this.log = o.logger.child({ group: o.groupId });
  }

  async start(): Promise<void> {
    this.topics = await this.wantedTopics();
    await this.run();
    if (this.o.metrics) watchLag(this.o.metrics, this.o.kafka, this.o.groupId, () => this.topics);
    const tick = (): void => {
      this.timer = setTimeout(() => {
        void this.serial(() => this.refresh()).finally(() => {
          if (!this.stopped) tick();
        });
      }, this.o.refreshMs);
      this.timer.unref();
    };
    tick();
  }

  /** Stops consuming once what was read is stored and committed, then leaves the group. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.endSettle?.();
    await this.serial(() => this.close());
  }

  /** The topics this member reads now. */
  subscribed(): readonly string[] {
    return this.topics;
  }

  private serial(step: () => Promise<void>): Promise<void> {
    // A failed step must not stop later ones: each starts from a settled chain.
    this.chain = this.chain.catch(() => undefined).then(step);
    return this.chain.catch((err: unknown) => void this.log.warn('consumer step failed; the next refresh tries again', { err }));
  }

  private async wantedTopics(): Promise<string[]> {
    const { topics } = this.o;
    if (typeof topics === 'function') return [...new Set(await topics())].sort();
    const all = await (await this.o.kafka.admin()).listTopics();
    return all.filter((t) => topics.test(t)).sort();
  }

  private async refresh(): Promise<void> {
    try {
      await this.o.onRefresh?.();
    } catch (err) {
      this.log.warn('consumer refresh hook failed', { err });
    }
    await this.pickUpTopics(this.o.topicSettleMs ?? 0);
  }

  /** Rejoins with the wanted topics when they changed; `settleMs` > 0 first waits for a burst of changes to end. */
  private async pickUpTopics(settleMs = 0): Promise<void> {
    let wanted = await this.wantedTopics();
    if (this.stopped) return;
    // Without a running consumer (its last start failed, or there was nothing to read) it is started here.
    const running = this.member !== undefined || this.topics.length === 0;
    const same = (list: string[]): boolean => list.join('\n') === this.topics.join('\n');
    if (running && same(wanted)) return;
    if (running && settleMs > 0) {
      const since = Date.now();
      const rebalances = this.rebalancedSince;
      for (let round = 0; round < TOPIC_SETTLE_ROUNDS; round++) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, settleMs);
          this.endSettle = (): void => {
            clearTimeout(t);
            resolve();
          };
        });
        this.endSettle = undefined;
        // Stopped, or the group rebalanced meanwhile (its pickup, queued behind this step, takes the list in).
        if (this.stopped || this.rebalancedSince !== rebalances) break;
        const again = await this.wantedTopics();
        const settled = again.join('\n') === wanted.join('\n');
        wanted = again;
        if (settled) break;
      }
      if (this.stopped || same(wanted)) return;
      this.log.debug('topic list settled', { waitedMs: Date.now() - since });
    }
    const added = wanted.filter((t) => !this.topics.includes(t));
    if (added.length > 0) this.log.info('topics changed; the member rejoins its group with them', { added, topics: wanted.length });
    await this.close();
    this.topics = wanted;
    if (!this.stopped) await this.run();
  }

  private async run(): Promise<void> {
    if (this.topics.length === 0 || this.stopped) return;
    const { fetch } = this.o;
    const consumer = this.o.kafka.kafka.consumer({
      groupId: this.o.groupId,
      maxWaitTimeInMs: fetch.maxWaitTimeInMs,
      minBytes: fetch.minBytes,
      maxBytesPerPartition: fetch.maxBytesPerPartition,
      heartbeatInterval: fetch.heartbeatIntervalMs,
      sessionTimeout: fetch.sessionTimeoutMs,
      allowAutoTopicCreation: false,
      // kafkajs restarts a crashed consumer from a timer of its own, outside `serial`: a `disconnect` that lands
      // while that timer is pending, or while the restarted runner is still joining, cannot stop it (kafkajs
      // forgets that runner), and it joins later as a second member of this process, with a closed strategy
      // that reads nothing: its partitions stall for good (the soak's lost results). Every restart goes
      // through `serial` instead, one member at a time.
      retry: { retries: 5, restartOnFailure: () => Promise.resolve(false) },
    });
    const strategy = this.o.strategy({
      commit: (topic, partition, offset) => consumer.commitOffsets([{ topic, partition, offset }]),
      seek: (topic, partition, offset) => consumer.seek({ topic, partition, offset }),
    });
    const member: Member = { consumer, strategy, retired: false, disconnected: false, joins: 0 };
    this.member = member;
    consumer.on(consumer.events.REBALANCING, () => {
      this.rebalances++;
      this.rebalancedSince++;
      this.endSettle?.();
      this.log.info('the group is rebalancing; rejoining', { rebalances: this.rebalances });
      // Another member may be rejoining because it found a new topic: look now, so that this member picks it up
      // within the same rebalance instead of starting a second one at its own next refresh.
      void this.serial(() => this.pickUpTopics());
    });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      if (member.retired) {
        this.log.warn('a retired consumer joined the group', { memberId: payload.memberId });
        return;
      }
      member.joins++;
      strategy.joined?.();
      if (this.o.metrics) groupJoins(this.o.metrics).inc({ group: this.o.groupId });
      const partitions = Object.values(payload.memberAssignment).reduce((n, ps) => n + ps.length, 0);
      this.log.info('joined the consumer group', { partitions, leader: payload.isLeader, rebalances: this.rebalances, joinMs: payload.duration });
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (this.stopped || member.retired) return;
      // Start over from the committed offsets after a pause: nothing was committed for the failed batch.
      const retriable = payload.error.name === 'KafkaJSNumberOfRetriesExceeded' || (payload.error as { retriable?: boolean }).retriable === true;
      const inMs = retriable ? CRASH_RESTART_MS.retriable : CRASH_RESTART_MS.other;
      this.log.warn('consumer crashed; restarting it from the committed offsets', { err: payload.error, inMs });
      setTimeout(() => {
        void this.serial(async () => {
          if (this.stopped || this.member !== member) return;
          await this.close();
          await this.run();
        });
      }, inMs).unref();
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: this.topics, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: fetch.partitionsConsumedConcurrently,
        eachBatch: (payload) => this.eachBatch(member, payload),
      });
    } catch (err) {
      if (this.member === member) this.member = undefined;
      member.retired = true;
      await consumer.disconnect().catch(() => undefined);
      member.disconnected = true;
      throw err;
    }
    this.log.info('consumer subscribed', { topics: this.topics });
  }

  private async eachBatch(member: Member, payload: EachBatchPayload): Promise<void> {
    // A runner that outlived its consumer's disconnect must not hold partitions: throwing crashes it for good (no
    // restart), and the group gives its partitions to the live members once its session expires.
    if (member.disconnected) throw new Error('this consumer was disconnected; its partitions go to the live members');
    // Long batches (slow agents, slow endpoints) must not cost the membership: kafkajs sends at most one
    // heartbeat per interval however often this asks.
    const beat = setInterval(
      () => {
        const joins = member.joins;
        void payload.heartbeat().catch((err: unknown) => {
          if (member.joins === joins && REJOIN_NEEDED.has(String((err as { type?: unknown }).type))) member.strategy.rebalancing?.();
        });
      },
      Math.max(500, this.o.fetch.heartbeatIntervalMs / 2),
    );
    try {
      await member.strategy.eachBatch(payload);
    } finally {
      clearInterval(beat);
    }
  }

  private async close(): Promise<void> {
    const member = this.member;
    this.member = undefined;
    if (!member) return;
    member.retired = true;
    await member.strategy.drain?.();
    // kafkajs waits for the batches in progress before it leaves the group.
    try {
      await member.consumer.disconnect();
    } finally {
      member.disconnected = true;
    }
  }
}
