/**
 * How long picking up a new topic pauses a consumer group (issue: adding a source must not stall everyone).
 *
 *   npm run bench:pickup            (BENCH_RATE=100 messages/s on the existing topic, BENCH_NEW_TOPICS=3, BENCH_SETTLE_MS=2000)
 *
 * Four groups (one per stage: archiver, agents, delivery, analytics), each with two members, as with the roles
 * in two processes, read every `<prefix>.in.*` topic with the stages' fetch settings while a steady stream is
 * produced to the existing topic. Then BENCH_NEW_TOPICS topics are created one after another (a source each).
 * For each group the pause is the longest time a message of the steady stream waited beyond the group's usual
 * latency (its median before the pickup): what the others lost while the group took the new topics in.
 * The last line is `RESULT max_pause_ms=<worst group> joins=<member joins in all groups> picked_up=<yes|no>`.
 */
import { randomBytes } from 'node:crypto';
import { Registry } from 'prom-client';
import { FETCH_SETTINGS, GroupConsumer, commitAfterBatch, type FetchSettings } from '../src/platform/consumer';
import { KafkaPort } from '../src/platform/kafka';
import { silentLogger } from '../src/platform/logger';
import { sleep } from '../src/platform/timeout';
import { stackEndpoints } from '../src/stack/stack';

const RATE = Number(process.env.BENCH_RATE ?? 100);
const NEW_TOPICS = Number(process.env.BENCH_NEW_TOPICS ?? 3);
/** The members' topic settle (HOOKHUB_TOPIC_SETTLE_MS, default 2000; 0: rejoin at the first change seen). */
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 2000);
const WARMUP_MS = 8000;
const AFTER_MS = 15000;

const say = (msg: string): void => void process.stdout.write(`${msg}\n`);

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0;
}

interface Seen {
  at: number;
  latencyMs: number;
}

async function main(): Promise<void> {
  const ep = stackEndpoints();
  const brokers = process.env.KAFKA_BROKERS ? process.env.KAFKA_BROKERS.split(',') : ep.kafkaBrokers;
  const id = randomBytes(3).toString('hex');
  const prefix = `bench-pickup-${id}.in.`;
  const ports: KafkaPort[] = [];
  const port = (): KafkaPort => {
    const p = new KafkaPort({ brokers, clientId: `bench-pickup-${id}`, logger: silentLogger(), partitions: 3, replication: 1 });
    ports.push(p);
    return p;
  };
  const admin = port();
  await admin.ensureTopics([`${prefix}existing`]);

  const stages: Record<string, FetchSettings> = FETCH_SETTINGS;
  const seen = new Map<string, Seen[]>();
  const newTopicReads = new Map<string, number>();
  const registry = new Registry();
  const members: GroupConsumer[] = [];
  for (const [stage, fetch] of Object.entries(stages)) {
    seen.set(stage, []);
    // Two members per group, each on its own connections, as two processes would be.
    for (let m = 0; m < 2; m++) {
      members.push(
        new GroupConsumer({
          kafka: port(),
          logger: silentLogger(),
          groupId: `bench-pickup-${id}-${stage}`,
          topics: new RegExp(`^${prefix.replace(/[.]/g, '\\.')}`),
          refreshMs: 5000,
          topicSettleMs: SETTLE_MS,
          fetch,
          metrics: registry,
          strategy: commitAfterBatch(async (batch) => {
            const now = Date.now();
            if (batch.topic !== `${prefix}existing`) {
              newTopicReads.set(stage, (newTopicReads.get(stage) ?? 0) + batch.messages.length);
              return;
            }
            for (const msg of batch.messages) seen.get(stage)?.push({ at: now, latencyMs: now - Number(msg.timestamp) });
          }),
        }),
      );
    }
  }
  await Promise.all(members.map((c) => c.start()));

  const producer = await admin.producer();
  let producing = true;
  const stream = (async () => {
    for (let i = 0; producing; i++) {
      await producer.send({ topic: `${prefix}existing`, acks: -1, messages: [{ key: `k${i % 30}`, value: String(i) }] });
      await sleep(1000 / RATE);
    }
  })();

  await sleep(WARMUP_MS);
  const joinsBefore = await joinsByGroup(registry);
  const pickupAt = Date.now();
  for (let t = 0; t < NEW_TOPICS; t++) {
    await admin.ensureTopics([`${prefix}new${t}`]);
    await producer.send({ topic: `${prefix}new${t}`, acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ key: `n${i}`, value: String(i) })) });
  }
  await sleep(AFTER_MS + SETTLE_MS * 2);
  producing = false;
  await stream;

  const joinsAfter = await joinsByGroup(registry);
  let worst = 0;
  for (const [stage, list] of seen) {
    const before = list.filter((s) => s.at < pickupAt).map((s) => s.latencyMs);
    const after = list.filter((s) => s.at >= pickupAt).map((s) => s.latencyMs);
    const usual = percentile(before, 50);
    const pause = Math.max(0, Math.max(0, ...after) - usual);
    worst = Math.max(worst, pause);
    const group = `bench-pickup-${id}-${stage}`;
    say(`${stage.padEnd(10)} joins_after_pickup=${(joinsAfter.get(group) ?? 0) - (joinsBefore.get(group) ?? 0)} usual_p50_ms=${usual} p99_before_ms=${percentile(before, 99)} max_after_ms=${Math.max(0, ...after)} pause_ms=${pause} new_topic_messages=${newTopicReads.get(stage) ?? 0}/${NEW_TOPICS * 10}`);
  }
  const joins = (await registry.getSingleMetricAsString('hookhub_consumer_group_joins_total'))
    .split('\n')
    .filter((l) => l.startsWith('hookhub_consumer_group_joins_total{'))
    .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
  const pickedUp = [...Object.keys(stages)].every((s) => (newTopicReads.get(s) ?? 0) >= NEW_TOPICS * 10);
  await Promise.all(members.map((c) => c.stop()));
  await Promise.all(ports.map((p) => p.disconnect()));
  say(`RESULT max_pause_ms=${worst} joins=${joins} picked_up=${pickedUp ? 'yes' : 'no'}`);
}

/** Member joins so far per group (`hookhub_consumer_group_joins_total`), both members together. */
async function joinsByGroup(registry: Registry): Promise<Map<string, number>> {
  const metric = await registry.getMetricsAsJSON();
  const joins = metric.find((m) => m.name === 'hookhub_consumer_group_joins_total') as { values: { labels: Record<string, string | number>; value: number }[] } | undefined;
  return new Map((joins?.values ?? []).map((v) => [String(v.labels.group), v.value]));
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
