/**
 * Agents stage throughput: events/s through route → echo built-in → executions in MongoDB → results on Kafka,
 * against a ceiling measured in the same run: the same execution documents bulk-written with the MongoDB
 * driver (insertMany, unordered, in batches) into a collection with the same unique index.
 *
 *   npm run bench:agents            (BENCH_EVENTS=20000, BENCH_LIVE_EVENTS=3000 by default)
 *
 * Phase 1 pre-produces N events, starts the stage and times from the first execution stored to the last
 * (group join is excluded). Phase 2 produces events at a steady rate below the measured throughput while the
 * stage runs and measures consumer lag: from the event's ce_time to its execution being stored.
 * The last line is `RESULT ratio=<stage/ceiling> eps=<events/s> lag_p99_ms=<…>`.
 */
import { newSecretsKey } from '../src/platform/secrets/secret-box';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Message } from 'kafkajs';
import { emptyHubConfig, startHub } from '../src/app/hub';
import { kafkaEntryPoints } from '../consumers';
import { toKafkaHeaders } from '../src/platform/cloudevents';
import { createLogger, silentLogger } from '../src/platform/logger';
import { sleep } from '../src/platform/timeout';
import { benchStack } from './stack';

const N = Number(process.env.BENCH_EVENTS ?? 20000);
const LIVE = Number(process.env.BENCH_LIVE_EVENTS ?? 3000);
const BATCH = 1000;

const say = (msg: string): void => void process.stdout.write(`${msg}\n`);

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0;
}

function inbound(i: number, phase: string): Message {
  const id = randomUUID();
  return {
    key: `entity-${i % 500}`,
    value: JSON.stringify({ type: 'bench.ping', phase, n: i, payload: { user: `u${i % 97}`, tags: ['a', 'b'], amount: i * 3 } }),
    headers: toKafkaHeaders({ id, source: '/sources/bench', type: 'bench.ping', time: new Date().toISOString(), extensions: { hookhubsource: 'bench' } }),
  };
}

async function main(): Promise<void> {
  const ep = await benchStack();
  const brokers = ep.kafkaBrokers;
  const mongodbUri = ep.mongodbUri;
  const id = randomBytes(3).toString('hex');
  const names = { topicPrefix: `bench-agents-${id}`, dbName: `bench_agents_${id}`, clientId: `bench-agents-${id}` };
  const partitions = Number(process.env.BENCH_PARTITIONS ?? 3);
  const secretsKey = process.env.HOOKHUB_SECRETS_KEY ?? newSecretsKey();
  say(`agents bench: ${N} events pre-produced + ${LIVE} live, ${partitions} partitions, db ${names.dbName}`);

  const hub = await startHub({
    entryPoints: kafkaEntryPoints,
    logger: silentLogger(),
    processEnv: {},
    dbName: names.dbName,
    roles: [],
    config: emptyHubConfig(),
    env: { secretsKey, kafkaBrokers: brokers, mongodbUri, port: 0, host: '127.0.0.1', topicPrefix: names.topicPrefix, kafkaClientId: names.clientId, topicPartitions: partitions },
  });
  const topic = hub.ctx.topics.inbound('bench');
  await hub.ctx.kafka.ensureTopics([topic, hub.ctx.topics.results]);
  const producer = await hub.ctx.kafka.producer();
  const tp = Date.now();
  for (let i = 0; i < N; i += BATCH) {
    await producer.send({ topic, acks: -1, messages: Array.from({ length: Math.min(BATCH, N - i) }, (_, j) => inbound(i + j, 'backlog')) });
  }
  say(`produced ${N} events in ${Date.now() - tp} ms`);
  await hub.stop();

  // The stage under test: the agents role alone, echo built-in routed from every event.
  const stage = await startHub({
    entryPoints: kafkaEntryPoints,
    logger: process.env.BENCH_LOG ? createLogger(process.env.BENCH_LOG) : silentLogger(),
    processEnv: {},
    dbName: names.dbName,
    roles: ['agents'],
    config: {
      ...emptyHubConfig(),
      sources: [{ id: 'bench', verification: { scheme: 'none' } }],
      agents: [{ name: 'echo', runner: { kind: 'builtin', name: 'echo' } }],
      routes: [{ id: 'all-to-echo', eventType: '*', agent: 'echo' }],
    },
    env: { secretsKey, kafkaBrokers: brokers, mongodbUri, port: 0, host: '127.0.0.1', topicPrefix: names.topicPrefix, kafkaClientId: names.clientId, topicPartitions: partitions },
  });
  const db = stage.ctx.mongo.db;
  if (!db) throw new Error('no database');
  const executions = db.collection('executions');
  // "Stored" = the group's committed offsets: the stage commits a batch only after its executions are written.
  const admin = await stage.ctx.kafka.admin();
  const committed = async (): Promise<number> => {
    const [t] = await admin.fetchOffsets({ groupId: `${names.clientId}-agents`, topics: [topic] });
    return (t?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  };
  const t0 = Date.now();
  let count = 0;
  let tFirst = 0;
  while (count < N) {
    await sleep(20);
    count = await committed();
    if (count > 0 && tFirst === 0) tFirst = Date.now();
    if (Date.now() - t0 > 600000) throw new Error(`only ${count} of ${N} events committed after 10 minutes`);
  }
  const tEnd = Date.now();
  const stored = await executions.countDocuments({});
  if (stored !== N) throw new Error(`${N} events committed but ${stored} executions stored`);
  // The first commit covers a whole first batch: count the time from the stage's first stored execution instead.
  const [first] = await executions.find({}, { projection: { createdAt: 1 } }).sort({ createdAt: 1 }).limit(1).toArray();
  const start = Math.min(tFirst, (first?.createdAt as Date | undefined)?.getTime() ?? tFirst);
  const stageMs = Math.max(1, tEnd - start);
  const eps = N / (stageMs / 1000);
  say(`stage: ${N} executions stored in ${stageMs} ms (from the first stored; ${tEnd - t0} ms from start incl. group join) → ${eps.toFixed(0)} events/s`);

  // Phase 2: live traffic at ~half the measured rate; lag = ce_time → execution stored.
  const rate = Math.max(200, Math.floor(eps / 2));
  const perTick = Math.max(1, Math.floor(rate / 20));
  const liveProducer = await stage.ctx.kafka.producer();
  const tl = Date.now();
  for (let i = 0; i < LIVE; i += perTick) {
    const tick = Date.now();
    await liveProducer.send({ topic, acks: -1, messages: Array.from({ length: Math.min(perTick, LIVE - i) }, (_, j) => inbound(N + i + j, 'live')) });
    await sleep(Math.max(0, 50 - (Date.now() - tick)));
  }
  let liveCount = 0;
  while ((liveCount = await committed()) < N + LIVE) {
    await sleep(100);
    if (Date.now() - tl > 120000) throw new Error(`live phase did not finish: ${liveCount - N} of ${LIVE}`);
  }
  const live = await executions.find({ eventType: 'bench.ping', 'event.offset': { $exists: true } }, { projection: { createdAt: 1, 'event.time': 1, outputJson: 1 } }).toArray();
  const lags = live.filter((d) => String(d.outputJson).includes('"live"')).map((d) => (d.createdAt as Date).getTime() - Date.parse((d.event as { time: string }).time));
  const backlogLags = live.filter((d) => String(d.outputJson).includes('"backlog"')).map((d) => (d.createdAt as Date).getTime() - Date.parse((d.event as { time: string }).time));
  const lagP99 = percentile(lags, 99);
  say(`live: ${lags.length} events at ~${rate}/s → lag p50 ${percentile(lags, 50)} ms, p99 ${lagP99} ms (backlog phase p99 ${percentile(backlogLags, 99)} ms, waiting in Kafka included)`);
  await stage.stop();

  // Ceiling: the same execution documents, bulk-written with the driver into a collection with the same index.
  const conn = await (await import('mongoose')).default.createConnection(mongodbUri, { dbName: names.dbName }).asPromise();
  const cdb = conn.db;
  if (!cdb) throw new Error('no database');
  const docs = await cdb.collection('executions').find({}).limit(N).toArray();
  // A database of its own, fresh like the stage's was (FerretDB keeps one file per database).
  const ceilingDb = conn.useDb(`${names.dbName}_ceiling`).db;
  if (!ceilingDb) throw new Error('no ceiling database');
  // The best of a few shapes (batch size × parallel writers, one writer per partition at most), each into a
  // fresh collection with the same unique index, so the ceiling is the fastest the driver manages here.
  let ceilingEps = 0;
  for (const [batchSize, writers] of [[500, 1], [1000, 1], [1000, partitions]] as const) {
    const ceiling = ceilingDb.collection(`executions_${batchSize}_${writers}`);
    await ceiling.createIndex({ eventId: 1, agent: 1 }, { unique: true });
    const slices = Array.from({ length: writers }, (_, w) => docs.filter((_, i) => i % writers === w));
    const tc = Date.now();
    await Promise.all(
      slices.map(async (slice) => {
        for (let i = 0; i < slice.length; i += batchSize) await ceiling.insertMany(slice.slice(i, i + batchSize), { ordered: false });
      }),
    );
    const ms = Math.max(1, Date.now() - tc);
    const rate = docs.length / (ms / 1000);
    say(`ceiling: ${docs.length} execution documents, insertMany(unordered) ${batchSize}/batch × ${writers} writer(s): ${ms} ms → ${rate.toFixed(0)} docs/s`);
    ceilingEps = Math.max(ceilingEps, rate);
  }
  if (!process.env.BENCH_KEEP) await Promise.all([cdb.dropDatabase(), ceilingDb.dropDatabase()]);
  await conn.close();

  say(`RESULT ratio=${(eps / ceilingEps).toFixed(2)} eps=${eps.toFixed(0)} lag_p99_ms=${lagP99}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
