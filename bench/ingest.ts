/**
 * `npm run bench:ingest`: on loopback, N concurrent clients for a fixed time against
 *   (a) hookhub's POST /webhooks/:source — Standard Webhooks signature, JSON Schema, dedupe claim, Kafka acks=all;
 *   (b) a bare express endpoint that answers 202 to the same JSON (the HTTP ceiling);
 *   (c) a raw kafkajs producer sending the same payloads with acks=all, one send per client (the Kafka ceiling).
 * Prints req/s, p50 and p99 of each, and last `RESULT ratio=<hub/min(b,c)> rps=<hub> p99_ms=<hub p99>`.
 * Uses KAFKA_BROKERS / MONGODB_URI, or starts (or reuses) the local stack when both are unset. Settings:
 * BENCH_DURATION_MS (10000), BENCH_WARMUP_MS (2000), BENCH_CONCURRENCY (64), BENCH_ROUNDS (3: the phases alternate and
 * the round with the median throughput of each is compared), BENCH_HUB_ONLY=1 (measure (a) only,
 * for profiling; prints no RESULT), BENCH_NO_KEY=1 (also measure the hub on a source without idempotency key,
 * to see what the MongoDB claim costs).
 * Clients run in a worker thread, so they do not share the server's event loop, over one keep-alive socket each with
 * prebuilt requests (bench/raw-http.ts): a general HTTP client's CPU would be taken from the servers it measures
 * on a small machine. Each phase prints the load thread's own busy time per request (client_us_per_req).
 * Unless MONGODB_URI is set, the hub gets a FerretDB process of its own for the run (BENCH_SHARED_STORE=1 uses
 * the stack's), so the numbers do not include queueing behind whatever else uses the shared dev store.
 * BENCH_INGEST_DB names the database the hub writes (default: a new one per run); bench:store sets it.
 */
import { newSecretsKey } from '../src/platform/secrets/secret-box';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import express from 'express';
import { Kafka, logLevel } from 'kafkajs';
import { RawHttpConnection, postRequest } from './raw-http';
import { startHub } from '../src/app/hub';
import { kafkaEntryPoints } from '../consumers';
import { createLogger } from '../src/platform/logger';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startFerretdb, stopFerretdb, type MongoInstance } from '../src/stack/ferretdb';
import { benchStack } from './stack';

interface LoadSpec {
  url: string;
  path: string;
  secret?: string;
  durationMs: number;
  warmupMs: number;
  concurrency: number;
}

interface Measured {
  name: string;
  count: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  errors: Record<string, number>;
  /** Main-thread event-loop busy time per answered request, in µs: the server's own cost, whatever the load. */
  busyUs?: number;
  /** CPU time per answered request, in µs, of each process that took part (this one includes the load threads). */
  cpuUs?: Record<string, number>;
  /** The load thread's own event-loop busy time per request, in µs. */
  clientUs?: number;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere. */
function cpuSeconds(pid: number): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Pids of the processes whose CPU the bench reports: this one, the store and the broker (found by their command lines). */
function processesOfInterest(storePort: number): Record<string, number> {
  const found: Record<string, number> = { bench: process.pid };
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmd = '';
    try {
      cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    if (cmd.includes('ferretdb') && cmd.includes(`:${storePort}`)) found.ferretdb = Number(entry);
    else if (cmd.includes('kafka.Kafka') || cmd.includes('kafka_2.13')) found.kafka ??= Number(entry);
  }
  return found;
}

let watched: Record<string, number> = { bench: process.pid };

/** Runs `fn`, then adds the CPU each watched process used meanwhile, per answered request. */
async function withCpu(fn: () => Promise<Measured & { total?: number }>): Promise<Measured> {
  const before = Object.fromEntries(Object.entries(watched).map(([k, pid]) => [k, cpuSeconds(pid)]));
  const m = await fn();
  const cpuUs: Record<string, number> = {};
  for (const [k, pid] of Object.entries(watched)) {
    const a = before[k];
    const b = cpuSeconds(pid);
    if (a !== undefined && b !== undefined) cpuUs[k] = ((b - a) * 1e6) / Math.max(1, m.total ?? m.count);
  }
  return { ...m, cpuUs };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.once('error', reject);
  });
}

const int = (name: string, def: number): number => (process.env[name] ? Number(process.env[name]) : def);

const payload = (i: number): string =>
  JSON.stringify({ type: 'agent.task.requested', agent: `agent-${i % 16}`, task: 'Summarise the incident and propose a fix', parameters: { severity: 'high', n: i } });

/** Standard Webhooks signature, computed with node:crypto to keep client CPU low (the hub verifies with svix). */
function signed(secret: Buffer, body: string): Record<string, string> {
  const id = `msg_${randomUUID()}`;
  const ts = String(Math.floor(Date.now() / 1000));
  const sig = createHmac('sha256', secret).update(`${id}.${ts}.${body}`).digest('base64');
  return { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': `v1,${sig}` };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function summarise(name: string, latencies: number[], seconds: number, errors: Record<string, number>): Measured {
  const sorted = Float64Array.from(latencies).sort();
  return { name, count: latencies.length, seconds, rps: latencies.length / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99), errors };
}

interface LoopResult {
  latencies: number[];
  errors: Record<string, number>;
  total: number;
}

/**
 * `concurrency` closed-loop clients, each sending `payload(i)` through `send` until the window ends; only answers
 * inside the measured window count. `send` resolves with an error label (e.g. an unexpected status) or undefined.
 */
async function closedLoop(spec: Pick<LoadSpec, 'durationMs' | 'warmupMs' | 'concurrency'>, send: (body: string, i: number, client: number) => Promise<string | undefined>): Promise<LoopResult> {
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  const measureFrom = performance.now() + spec.warmupMs;
  const end = measureFrom + spec.durationMs;
  let i = 0;
  let total = 0;
  const client = async (_: unknown, index: number): Promise<void> => {
    while (performance.now() < end) {
      const n = i++;
      const t0 = performance.now();
      let failed: string | undefined;
      try {
        failed = await send(payload(n), n, index);
        total += 1;
      } catch (err) {
        failed = (err as Error).name;
      }
      const t1 = performance.now();
      if (t0 < measureFrom || t1 > end) continue;
      if (failed === undefined) latencies.push(t1 - t0);
      else errors[failed] = (errors[failed] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, client));
  return { latencies, errors, total };
}

/** Worker: closed-loop HTTP clients, one keep-alive connection each (signed when the spec has a secret). */
async function loadWorker(spec: LoadSpec): Promise<LoopResult & { seconds: number; clientUs: number }> {
  const url = new URL(spec.url);
  const connections = await Promise.all(Array.from({ length: spec.concurrency }, () => RawHttpConnection.connect(url.hostname, Number(url.port))));
  const secret = spec.secret ? Buffer.from(spec.secret.replace(/^whsec_/, ''), 'base64') : undefined;
  const before = performance.eventLoopUtilization();
  const result = await closedLoop(spec, async (body, _i, client) => {
    const headers = secret ? signed(secret, body) : { 'content-type': 'application/json' };
    const status = await (connections[client] as RawHttpConnection).request(postRequest(url.host, spec.path, headers, body));
    return status === 202 ? undefined : String(status);
  });
  const busy = performance.eventLoopUtilization(before).active;
  for (const c of connections) c.close();
  return { ...result, seconds: spec.durationMs / 1000, clientUs: (busy * 1000) / Math.max(1, result.total) };
}

function runLoad(name: string, spec: LoadSpec): Promise<Measured> {
  return withCpu(() => runLoadOnce(name, spec));
}

function runLoadOnce(name: string, spec: LoadSpec): Promise<Measured & { total: number }> {
  return new Promise((resolve, reject) => {
    const before = performance.eventLoopUtilization();
    const worker = new Worker(__filename, { workerData: spec });
    worker.once('message', (m: { latencies: number[]; seconds: number; errors: Record<string, number>; total: number; clientUs: number }) => {
      const busy = performance.eventLoopUtilization(before).active;
      resolve({ ...summarise(name, m.latencies, m.seconds, m.errors), busyUs: (busy * 1000) / Math.max(1, m.total), clientUs: m.clientUs, total: m.total });
    });
    worker.once('error', reject);
  });
}

async function bareExpress(spec: Omit<LoadSpec, 'url' | 'path'>): Promise<Measured> {
  const app = express();
  app.post('/webhooks/bare', express.json({ limit: '1mb' }), (_req, res) => {
    res.status(202).json({ ok: true });
  });
  const server = http.createServer(app);
  server.keepAliveTimeout = 65000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    return await runLoad('express', { ...spec, url, path: '/webhooks/bare' });
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

function rawKafka(brokers: string[], topic: string, spec: Omit<LoadSpec, 'url' | 'path'>): Promise<Measured> {
  return withCpu(() => rawKafkaOnce(brokers, topic, spec));
}

async function rawKafkaOnce(brokers: string[], topic: string, spec: Omit<LoadSpec, 'url' | 'path'>): Promise<Measured & { total: number }> {
  const kafka = new Kafka({ clientId: 'bench-raw', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3, replicationFactor: 1 }] });
  await admin.disconnect();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const before = performance.eventLoopUtilization();
  const { latencies, errors, total } = await closedLoop(spec, async (body, i) => {
    await producer.send({ topic, acks: -1, messages: [{ key: `agent-${i % 16}`, value: Buffer.from(body), headers: { ce_id: randomUUID() } }] });
    return undefined;
  });
  const busy = performance.eventLoopUtilization(before).active;
  await producer.disconnect();
  return { ...summarise('kafkajs', latencies, spec.durationMs / 1000, errors), busyUs: (busy * 1000) / Math.max(1, total), total };
}

const line = (m: Measured): string =>
  `${m.name.padEnd(8)} rps=${m.rps.toFixed(0).padStart(6)} p50_ms=${m.p50.toFixed(2).padStart(6)} p99_ms=${m.p99.toFixed(2).padStart(7)} n=${m.count}${m.busyUs !== undefined ? ` loop_us_per_req=${m.busyUs.toFixed(0)}` : ''}${m.clientUs !== undefined ? ` client_us_per_req=${m.clientUs.toFixed(0)}` : ''}${m.cpuUs ? ` cpu_us_per_req=${Object.entries(m.cpuUs).map(([k, v]) => `${k}:${v.toFixed(0)}`).join(',')}` : ''}${Object.keys(m.errors).length ? ` errors=${JSON.stringify(m.errors)}` : ''}`;

async function main(): Promise<void> {
  const spec = { durationMs: int('BENCH_DURATION_MS', 10000), warmupMs: int('BENCH_WARMUP_MS', 2000), concurrency: int('BENCH_CONCURRENCY', 64) };
  const storeGiven = process.env.MONGODB_URI !== undefined;
  const ep = await benchStack();
  const brokers = ep.kafkaBrokers;
  let mongodbUri = ep.mongodbUri;
  let ownStore: MongoInstance | undefined;
  if (!storeGiven && process.env.BENCH_SHARED_STORE !== '1') {
    ownStore = { dir: fs.mkdtempSync(path.join(os.tmpdir(), 'hh-bench-ferretdb-')), port: await freePort() };
    await startFerretdb(ownStore, () => undefined);
    mongodbUri = `mongodb://127.0.0.1:${ownStore.port}/bench`;
  }
  watched = processesOfInterest(ownStore?.port ?? Number(new URL(mongodbUri).port || 27017));
  const run = randomBytes(3).toString('hex');
  const secret = 'whsec_' + randomBytes(24).toString('base64');
  process.stdout.write(`bench:ingest  concurrency=${spec.concurrency} duration=${spec.durationMs}ms warmup=${spec.warmupMs}ms brokers=${brokers.join(',')} store=${ownStore ? 'own FerretDB' : mongodbUri.replace(/\/\/[^@]*@/, '//***@')}\n`);

  const hub = await startHub({
    entryPoints: kafkaEntryPoints,
    // HOOKHUB_* settings from the environment apply (e.g. HOOKHUB_INGEST_LINGER_MS), except those set here.
    processEnv: process.env,
    logger: createLogger('warn'),
    roles: ['ingest'],
    dbName: process.env.BENCH_INGEST_DB ?? `bench_${run}`,
    env: { secretsKey: process.env.HOOKHUB_SECRETS_KEY ?? newSecretsKey(), kafkaBrokers: brokers, mongodbUri, port: 0, host: '127.0.0.1', topicPrefix: `bench-${run}`, kafkaClientId: `bench-${run}`, logLevel: 'warn' },
    config: {
      sources: [
        {
          id: 'nokey',
          verification: { scheme: 'standard-webhooks', secrets: [secret] },
          eventType: { pointer: '/type' },
          partitionKey: { pointer: '/agent' },
          schemas: [{ type: 'agent.task.requested', schema: 'hookhub/agent.task.requested' }],
          unknownTypes: 'reject',
        },
        {
          id: 'partner',
          verification: { scheme: 'standard-webhooks', secrets: [secret] },
          eventType: { pointer: '/type' },
          idempotencyKey: { header: 'webhook-id' },
          partitionKey: { pointer: '/agent' },
          schemas: [{ type: 'agent.task.requested', schema: 'hookhub/agent.task.requested' }],
          unknownTypes: 'reject',
        },
      ],
      agents: [],
      routes: [],
      subscriptions: [],
    },
  });
  // Phases alternate in rounds and the medians are compared, so one busy or quiet moment on a shared machine
  // does not decide the ratio.
  const rounds = int('BENCH_ROUNDS', 3);
  const hubOnly = process.env.BENCH_HUB_ONLY === '1';
  const runs: Record<'hub' | 'nokey' | 'express' | 'kafkajs', Measured[]> = { hub: [], nokey: [], express: [], kafkajs: [] };
  const record = (list: Measured[], m: Measured, round: number): void => {
    list.push(m);
    process.stdout.write(`round ${round} ${line(m)}\n`);
  };
  try {
    for (let round = 1; round <= rounds; round++) {
      record(runs.hub, await runLoad('hub', { ...spec, url: hub.url, path: '/webhooks/partner', secret }), round);
      // For reading the numbers: the same path without the idempotency claim (no MongoDB write per request).
      if (process.env.BENCH_NO_KEY === '1') record(runs.nokey, await runLoad('hub-nokey', { ...spec, url: hub.url, path: '/webhooks/nokey', secret }), round);
      if (hubOnly) continue;
      record(runs.express, await bareExpress(spec), round);
      record(runs.kafkajs, await rawKafka(brokers, `bench-${run}.raw`, spec), round);
    }
  } finally {
    await hub.ctx.mongo.dropDatabase().catch(() => undefined);
    await hub.stop();
    if (ownStore) {
      await stopFerretdb(ownStore);
      fs.rmSync(ownStore.dir, { recursive: true, force: true });
    }
  }
  /** The round with the median throughput (its latencies with it). */
  const median = (list: Measured[]): Measured => {
    const sorted = [...list].sort((a, b) => a.rps - b.rps);
    const m = sorted[Math.floor((sorted.length - 1) / 2)];
    if (!m) throw new Error('no rounds measured');
    return m;
  };
  process.stdout.write(`medians of ${rounds} round(s):\n`);
  const hubResult = median(runs.hub);
  process.stdout.write(`${line(hubResult)}\n`);
  if (runs.nokey.length > 0) process.stdout.write(`${line(median(runs.nokey))}\n`);
  if (hubOnly) return;
  const bare = median(runs.express);
  const raw = median(runs.kafkajs);
  process.stdout.write(`${line(bare)}\n${line(raw)}\n`);
  const ceiling = Math.min(bare.rps, raw.rps);
  process.stdout.write(`ceiling = min(express, kafkajs) = ${ceiling.toFixed(0)} req/s\n`);
  process.stdout.write(`RESULT ratio=${(hubResult.rps / ceiling).toFixed(2)} rps=${hubResult.rps.toFixed(0)} p99_ms=${hubResult.p99.toFixed(2)}\n`);
}

if (isMainThread) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
} else {
  loadWorker(workerData as LoadSpec).then((r) => parentPort?.postMessage(r));
}
