/**
 * bench:replay — export throughput of `hookhub replay` vs kcat over the same range, and analytics query latency
 * over the rollups of 1M executions. Needs kcat; starts (or reuses) the local stack unless KAFKA_BROKERS / MONGODB_URI say where.
 *
 *   npm run bench:replay            (BENCH_EVENTS=200000 BENCH_EXECUTIONS=1000000 to change the sizes;
 *                                    BENCH_ONLY=export|analytics to measure one half, printing PARTIAL)
 *
 * Last line: RESULT ratio=<hub eps / kcat eps> eps=<hub events/s> analytics_p95_ms=<p95 of the analytics queries>
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AnalyticsStore } from '../src/analysts/analytics/data-access/rollups';
import { SealedDocsBuilder } from '../src/analysts/analytics/data-access/rollup-layout';
import { executionIncrements, type ExecutionFact } from '../src/analysts/analytics/domain/rollup';
import { agentAnalytics, teamAnalytics } from '../src/analysts/analytics/queries';
import { NdjsonSink } from '../src/analysts/replay/data-access/sinks';
import { replayInProcess } from '../src/analysts/replay/run-local';
import { topicNames } from '../src/app/context';
import { loadEnv } from '../src/config/env';
import { toKafkaHeaders } from '../src/platform/cloudevents';
import { KafkaPort } from '../src/platform/kafka';
import { silentLogger } from '../src/platform/logger';
import { connectMongo } from '../src/platform/mongo';
import { benchStack } from './stack';

const say = (m: string): void => void process.stdout.write(`${m}\n`);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const EXECUTIONS = Number(process.env.BENCH_EXECUTIONS ?? 1_000_000);

function ensureKcat(): void {
  if (spawnSync('kcat', ['-V']).status === 0) return;
  say('kcat is not installed; installing the Debian package (apt-get install -y kcat) …');
  const r = spawnSync('sh', ['-c', 'apt-get install -y kcat >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y kcat >/dev/null 2>&1)'], { stdio: 'inherit' });
  if (r.status !== 0 || spawnSync('kcat', ['-V']).status !== 0) {
    throw new Error('kcat is required for the comparison: install it with `apt-get install -y kcat` (Debian/Ubuntu) and run again');
  }
}

function body(i: number): string {
  return JSON.stringify({
    ref: 'refs/heads/main',
    after: randomBytes(20).toString('hex'),
    repository: { id: 1000 + (i % 97), full_name: `acme/repo-${i % 97}`, private: false },
    pusher: { name: `dev${i % 31}`, email: `dev${i % 31}@example.com` },
    head_commit: { id: randomBytes(20).toString('hex'), message: `commit number ${i}: fix the thing that was broken`, timestamp: new Date().toISOString() },
  });
}

async function replayBench(kafka: KafkaPort, mongo: Awaited<ReturnType<typeof connectMongo>>, env: ReturnType<typeof loadEnv>): Promise<{ ratio: number; eps: number }> {
  const prefix = `bench-${randomBytes(3).toString('hex')}`;
  const topics = topicNames(prefix);
  const topic = topics.inbound('bench');
  await kafka.ensureTopics([topic], { numPartitions: 3 });
  const producer = await kafka.producer();
  const t0 = Date.now() - 3_600_000;
  const spread = 1_800_000; // the range's events spread over 30 minutes
  const outside = Math.round(EVENTS * 0.05);
  say(`producing ${EVENTS} events in range + ${2 * outside} outside it to ${topic} …`);
  const tp = Date.now();
  const batch = 5000;
  const at = (i: number): number => {
    if (i < outside) return t0 - 60_000 + (i % 50_000);
    if (i >= outside + EVENTS) return t0 + spread + 60_000 + (i % 50_000);
    return t0 + Math.floor(((i - outside) * spread) / EVENTS);
  };
  const total = EVENTS + 2 * outside;
  // Produce in timestamp order so each partition's log is time-ordered, as a live topic is.
  for (let start = 0; start < total; start += batch) {
    const messages = [];
    for (let i = start; i < Math.min(total, start + batch); i++) {
      const ts = at(i);
      messages.push({
        key: `k${i % 1000}`,
        value: body(i),
        timestamp: String(ts),
        headers: toKafkaHeaders({ id: `ev-${i}`, source: '/sources/bench', type: i % 4 === 0 ? 'github.issues.opened' : 'github.push', time: new Date(ts).toISOString(), extensions: { hookhubsource: 'bench' } }),
      });
    }
    await producer.send({ topic, acks: -1, messages });
  }
  say(`produced in ${((Date.now() - tp) / 1000).toFixed(1)} s`);
  const fromMs = t0;
  const toMs = t0 + spread;

  const out = path.join(os.tmpdir(), `${prefix}.ndjson`);
  const runHub = async (): Promise<{ secs: number; read: number }> => {
    const sink = await NdjsonSink.toFile(out);
    const th = process.hrtime.bigint();
    const { progress } = await replayInProcess(
      { kafka, mongo, topics, topicPrefix: prefix, clientId: env.kafkaClientId },
      { source: 'bench', topic, fromMs, toMs, types: [], mode: 'export', subscriptionId: null },
      { sink, ratePerSecond: Infinity, progressEveryMs: 1000 },
    );
    await sink.close();
    return { secs: Number(process.hrtime.bigint() - th) / 1e9, read: progress.counts.emitted };
  };
  const runKcat = async (): Promise<{ secs: number; lines: number }> => {
    const kout = `${out}.kcat`;
    const fd = fs.openSync(kout, 'w');
    const tk = process.hrtime.bigint();
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn('kcat', ['-C', '-b', env.kafkaBrokers.join(','), '-t', topic, '-o', `s@${fromMs}`, '-o', `e@${toMs}`, '-e', '-q', '-J'], { stdio: ['ignore', fd, 'inherit'] });
      child.once('exit', resolve);
    });
    const secs = Number(process.hrtime.bigint() - tk) / 1e9;
    fs.closeSync(fd);
    if (code !== 0) throw new Error(`kcat exited with ${code}`);
    const lines = fs.readFileSync(kout, 'utf8').split('\n').filter(Boolean).length;
    fs.rmSync(kout, { force: true });
    return { secs, lines };
  };

  // One warm-up each (page cache, JIT, broker), then the best of three runs each, alternating.
  await runHub();
  await runKcat();
  let hubBest = Infinity;
  let kcatBest = Infinity;
  for (let i = 0; i < 3; i++) {
    const h = await runHub();
    if (h.read !== EVENTS) throw new Error(`hub exported ${h.read} events, expected ${EVENTS}`);
    const k = await runKcat();
    if (k.lines !== EVENTS) throw new Error(`kcat read ${k.lines} events, expected ${EVENTS}`);
    hubBest = Math.min(hubBest, h.secs);
    kcatBest = Math.min(kcatBest, k.secs);
    say(`run ${i + 1}: hub ${h.secs.toFixed(2)} s (${Math.round(EVENTS / h.secs)} ev/s), kcat ${k.secs.toFixed(2)} s (${Math.round(EVENTS / k.secs)} ev/s)`);
  }
  const lines = fs.readFileSync(out, 'utf8').split('\n').filter(Boolean).length;
  fs.rmSync(out, { force: true });
  if (lines !== EVENTS) throw new Error(`export file holds ${lines} lines, expected ${EVENTS}`);
  await (await kafka.admin()).deleteTopics({ topics: [topic] }).catch(() => undefined);
  const eps = EVENTS / hubBest;
  const kcatEps = EVENTS / kcatBest;
  say(`export of ${EVENTS} events: hub ${Math.round(eps)} ev/s, kcat ${Math.round(kcatEps)} ev/s (best of 3)`);
  return { ratio: eps / kcatEps, eps };
}

/**
 * Writes the rollup documents 1M executions over a week would leave (28 agents, 4 teams, generated a day at a time): the
 * sealed partitions the live path (`$inc` upserts, then the sealer) ends up with for a past week.
 */
async function loadRollups(store: AnalyticsStore, weekStart: number): Promise<void> {
  const agents = Array.from({ length: 28 }, (_, i) => ({ agent: `agent-${i}`, team: `team-${i % 4}` }));
  const codes = ['timeout', 'upstream_5xx', 'bad_input', 'rate_limited', 'llm.refused'];
  const perDay = Math.ceil(EXECUTIONS / 7);
  const sealed = new SealedDocsBuilder();
  for (let day = 0; day < 7; day++) {
    const facts: ExecutionFact[] = [];
    for (let i = 0; i < perDay && day * perDay + i < EXECUTIONS; i++) {
      const a = agents[Math.floor(Math.random() * agents.length)] ?? { agent: 'agent-0', team: 'team-0' };
      const r = Math.random();
      const status = r < 0.9 ? 'succeeded' : r < 0.97 ? 'failed' : 'timed_out';
      const gauss = Math.sqrt(-2 * Math.log(Math.random() || 1e-9)) * Math.cos(2 * Math.PI * Math.random());
      facts.push({
        ...a,
        status,
        durationMs: Math.round(Math.exp(5.5 + gauss)),
        ...(status !== 'succeeded' ? { errorCode: status === 'timed_out' ? 'timeout' : (codes[Math.floor(Math.random() * codes.length)] ?? 'x') } : {}),
        finishedAt: new Date(weekStart + day * 86_400_000 + Math.floor(Math.random() * 86_400_000)),
      });
    }
    sealed.add(facts.flatMap(executionIncrements));
  }
  // What the sealer leaves once the slots are closed: per (metric, tier, day or month) partition, its directory and
  // one compact document per dimension tuple (and hour, in the minute tier).
  let written = 0;
  const partitions = sealed.build();
  for (const [name, list] of partitions) {
    for (let i = 0; i < list.length; i += 1000) await store.partition(name).insertMany(list.slice(i, i + 1000), { ordered: false });
    written += list.length;
  }
  say(`wrote ${written} rollup documents in ${partitions.size} partitions for ${EXECUTIONS} executions`);
}

async function analyticsBench(mongo: Awaited<ReturnType<typeof connectMongo>>): Promise<number> {
  const store = new AnalyticsStore(mongo);
  await store.init();
  const weekStart = Math.floor((Date.now() - 8 * 86_400_000) / 86_400_000) * 86_400_000;
  const tl = Date.now();
  await loadRollups(store, weekStart);
  say(`loaded in ${((Date.now() - tl) / 1000).toFixed(1)} s`);
  const D = 86_400_000;
  const H = 3_600_000;
  const queries: [string, () => Promise<unknown>][] = [
    ['agents, week by day', () => agentAnalytics(store, { from: weekStart, to: weekStart + 7 * D, bucket: 'day' })],
    ['agents, last day by hour', () => agentAnalytics(store, { from: weekStart + 6 * D, to: weekStart + 7 * D, bucket: 'hour' })],
    ['one agent, week by hour', () => agentAnalytics(store, { from: weekStart, to: weekStart + 7 * D, bucket: 'hour', agent: 'agent-7' })],
    ['one agent, 6 h by minute', () => agentAnalytics(store, { from: weekStart + 3 * D, to: weekStart + 3 * D + 6 * H, bucket: 'minute', agent: 'agent-3' })],
    ['teams, week by day', () => teamAnalytics(store, { from: weekStart, to: weekStart + 7 * D, bucket: 'day' })],
    ['teams, ragged 30 h by hour', () => teamAnalytics(store, { from: weekStart + D + 17 * 60_000, to: weekStart + 2 * D + 6 * H + 43 * 60_000, bucket: 'hour' })],
    ['one team, week by hour', () => teamAnalytics(store, { from: weekStart, to: weekStart + 7 * D, bucket: 'hour', team: 'team-2' })],
  ];
  for (const [, q] of queries) await q(); // warm-up
  const samples: number[] = [];
  const perQuery = new Map<string, number[]>();
  for (let round = 0; round < 15; round++) {
    for (const [name, q] of queries) {
      const t = process.hrtime.bigint();
      await q();
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      samples.push(ms);
      perQuery.set(name, [...(perQuery.get(name) ?? []), ms]);
    }
  }
  const p95 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.ceil(0.95 * xs.length) - 1] ?? NaN;
  for (const [name, xs] of perQuery) say(`  ${name.padEnd(28)} p95 ${p95(xs).toFixed(1)} ms`);
  const check = await agentAnalytics(store, { from: weekStart, to: weekStart + 7 * D, bucket: 'day' });
  if (check.totals.executions !== EXECUTIONS) throw new Error(`rollups hold ${check.totals.executions} executions, expected ${EXECUTIONS}`);
  say(`analytics over ${EXECUTIONS} executions: p95 ${p95(samples).toFixed(1)} ms over ${samples.length} queries`);
  return p95(samples);
}

async function main(): Promise<void> {
  ensureKcat();
  await benchStack();
  const env = loadEnv(process.env);
  const logger = silentLogger();
  const kafka = new KafkaPort({ brokers: env.kafkaBrokers, clientId: `${env.kafkaClientId}-bench`, logger, partitions: 3, replication: env.topicReplication });
  const dbName = `hookhub_bench_${randomBytes(3).toString('hex')}`;
  const mongo = await connectMongo({ uri: env.mongodbUri, dbName, logger });
  try {
    // BENCH_ONLY=export or BENCH_ONLY=analytics measures one half (for profiling); the RESULT needs both.
    const only = process.env.BENCH_ONLY;
    const { ratio, eps } = only === 'analytics' ? { ratio: NaN, eps: NaN } : await replayBench(kafka, mongo, env);
    const analyticsP95 = only === 'export' ? NaN : await analyticsBench(mongo);
    if (only) return void say(`PARTIAL ratio=${ratio.toFixed(2)} eps=${Math.round(eps)} analytics_p95_ms=${analyticsP95.toFixed(1)}`);
    say(`RESULT ratio=${ratio.toFixed(2)} eps=${Math.round(eps)} analytics_p95_ms=${analyticsP95.toFixed(1)}`);
  } finally {
    await mongo.dropDatabase().catch(() => undefined);
    await mongo.close();
    await kafka.disconnect();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:replay failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
