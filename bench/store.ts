/**
 * `npm run bench:store`: how the store holds up as data grows. Two databases on one FerretDB process of the
 * bench's own (unless MONGODB_URI is set): one left empty, one filled with BENCH_STORE_DOCS (100,000) events,
 * deliveries and idempotency keys through the hub's own writers (the archiver's EventsRepository, the delivery
 * role's DeliveriesRepository, ingest's MongoIdempotencyStore), not raw inserts. Against each it measures:
 *   - list_p99_ms: p99 of the API list calls (events, deliveries, executions, documents; first pages and
 *     filtered pages), BENCH_LIST_CALLS (40) per kind;
 *   - ingest_ratio: bench:ingest's ratio (hub / min(bare HTTP, raw Kafka)), its hub writing idempotency keys into
 *     that database (BENCH_INGEST_DURATION_MS, 4000 per phase);
 *   - boot_s: the time startHub takes with every role on that database (indexes, config upserts, the delivery
 *     backfill) until it serves.
 * Last line: `RESULT list_p99_ms=<n> list_p99_empty_ms=<n> ingest_ratio=<n> ingest_ratio_empty=<n> boot_s=<n>`.
 * Kafka: KAFKA_BROKERS, else the local stack (started when it does not answer).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Connection } from 'mongoose';
import { MongoKeyStore } from '../src/api/data-access/keys-repository';
import { createKey } from '../src/api/domain/keys';
import { startHub, type Hub } from '../src/app/hub';
import { kafkaEntryPoints } from '../consumers';
import { DeliveriesRepository, type Delivery } from '../src/delivery/data-access/deliveries-repository';
import { EventsRepository } from '../src/ingest/data-access/events-repository';
import { MongoIdempotencyStore } from '../src/ingest/data-access/idempotency-repository';
import type { ArchivedEvent } from '../src/ingest/domain/archive';
import { createLogger } from '../src/platform/logger';
import { connectMongo } from '../src/platform/mongo';
import { startFerretdb, stopFerretdb, type MongoInstance } from '../src/stack/ferretdb';
import { kafkaAnswers } from '../src/stack/kafka';
import { stackEndpoints, stackUp } from '../src/stack/stack';
import { newSecretsKey } from '../src/platform/secrets/secret-box';

const int = (name: string, def: number): number => (process.env[name] ? Number(process.env[name]) : def);
const say = (line: string): void => void process.stdout.write(`${line}\n`);

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

const withDb = (uri: string, db: string): string => uri.replace(/\/[^/?]*(\?|$)/, `/${db}$1`);

function p99(ms: number[]): number {
  const sorted = [...ms].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))] ?? 0;
}

const SOURCES = ['github', 'stripe', 'partner', 'shop'];

function event(i: number, base: number): ArchivedEvent {
  const at = new Date(base + i * 10);
  const source = SOURCES[i % SOURCES.length] ?? 'github';
  const body = JSON.stringify({ type: 'agent.task.requested', agent: `agent-${i % 16}`, task: 'Summarise the incident and propose a fix', parameters: { severity: 'high', n: i } });
  return {
    id: `evt_${i.toString(36).padStart(8, '0')}_${randomBytes(4).toString('hex')}`,
    source,
    type: 'agent.task.requested',
    time: at,
    receivedAt: at,
    archivedAt: at,
    idempotencyKey: `msg_${i}`,
    partitionKey: `agent-${i % 16}`,
    contentType: 'application/json',
    topic: `hookhub.in.${source}`,
    partition: i % 3,
    offset: Math.floor(i / 3),
    headers: [{ name: 'ce_type', value: 'agent.task.requested' }],
    body,
    bodyEncoding: 'utf8',
  };
}

function delivery(e: ArchivedEvent, i: number): Delivery {
  return {
    id: `dlv_${e.id}`,
    eventId: e.id,
    eventType: e.type,
    eventSource: e.source,
    subscriptionId: `sub-${i % 8}`,
    topic: 'hookhub.results',
    seq: i,
    status: 'succeeded',
    body: e.body,
    bodyEncoding: 'utf8',
    contentType: 'application/json',
    createdAt: e.time,
    cycleAttempts: 1,
    attemptCount: 1,
    attempts: [],
    finishedAt: e.time,
    trigger: 'result',
  };
}

/** Fills one database through the hub's writers, in batches the way the consumers write them. */
async function fill(conn: Connection, n: number): Promise<void> {
  const events = new EventsRepository(conn);
  await events.init();
  const deliveries = new DeliveriesRepository(conn);
  await deliveries.prepare();
  const keys = new MongoIdempotencyStore(conn);
  const base = Date.now() - n * 10;
  const batch = 500;
  const started = Date.now();
  for (let from = 0; from < n; from += batch) {
    const evs = Array.from({ length: Math.min(batch, n - from) }, (_v, j) => event(from + j, base));
    await events.storeMany(evs);
    await deliveries.insertNew(evs.map((e, j) => delivery(e, from + j)));
    await Promise.all(
      evs.map(async (e) => {
        const claim = await keys.claim('partner', e.idempotencyKey ?? e.id, e.id, e.type, 60_000);
        if (claim.kind === 'claimed') await keys.accept('partner', e.idempotencyKey ?? e.id, claim.token, e.id, e.type, { topic: e.topic, partition: e.partition, offset: String(e.offset) });
      }),
    );
    if ((from / batch) % 20 === 0) say(`  filled ${from + evs.length}/${n} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  await keys.drain();
}

async function timeBoot(uri: string, dbName: string, brokers: string[], run: string): Promise<{ hub: Hub; seconds: number }> {
  const t0 = performance.now();
  const hub = await startHub({
    processEnv: {},
    logger: createLogger('error'),
    roles: ['ingest', 'api', 'archiver', 'agents', 'delivery'],
    entryPoints: kafkaEntryPoints,
    dbName,
    env: { secretsKey: process.env.HOOKHUB_SECRETS_KEY ?? newSecretsKey(), kafkaBrokers: brokers, mongodbUri: uri, port: 0, host: '127.0.0.1', topicPrefix: `bstore-${run}`, kafkaClientId: `bstore-${run}`, logLevel: 'error', apiRatePerSecond: 1_000_000, apiRateBurst: 1_000_000 },
    config: { sources: [], agents: [], routes: [], subscriptions: [] },
  });
  return { hub, seconds: (performance.now() - t0) / 1000 };
}

async function listP99(hub: Hub, calls: number): Promise<{ p99: number; byKind: Record<string, number> }> {
  const db = hub.ctx.mongo;
  const { secret } = await createKey(new MongoKeyStore(db), { role: 'admin', createdBy: 'bench' });
  const paths = ['/api/v1/events?limit=50', '/api/v1/events?source=partner&limit=50', '/api/v1/deliveries?limit=50', '/api/v1/deliveries?subscription=sub-3&limit=50', '/api/v1/executions?limit=50', '/api/v1/documents?limit=50'];
  const all: number[] = [];
  const byKind: Record<string, number> = {};
  for (const p of paths) {
    const ms: number[] = [];
    for (let i = 0; i < calls; i++) {
      const t0 = performance.now();
      const res = await fetch(`${hub.url}${p}`, { headers: { authorization: `Bearer ${secret}` } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${p} answered ${res.status}`);
      ms.push(performance.now() - t0);
    }
    byKind[p] = p99(ms);
    all.push(...ms);
  }
  return { p99: p99(all), byKind };
}

async function ingestRatio(uri: string, dbName: string, brokers: string[]): Promise<number> {
  const script = path.join(__dirname, 'ingest.js');
  const { stdout } = await promisify(execFile)('node', ['--max-semi-space-size=64', script], {
    env: { ...process.env, MONGODB_URI: uri, KAFKA_BROKERS: brokers.join(','), BENCH_INGEST_DB: dbName, BENCH_DURATION_MS: String(int('BENCH_INGEST_DURATION_MS', 4000)), BENCH_WARMUP_MS: '1000' },
    maxBuffer: 16 * 1024 * 1024,
  });
  const m = /RESULT ratio=([\d.]+)/.exec(stdout);
  if (!m?.[1]) throw new Error(`bench:ingest printed no RESULT:\n${stdout}`);
  return Number(m[1]);
}

async function main(): Promise<void> {
  const n = int('BENCH_STORE_DOCS', 100_000);
  const calls = int('BENCH_LIST_CALLS', 40);
  const ep = stackEndpoints();
  let brokers = process.env.KAFKA_BROKERS ? process.env.KAFKA_BROKERS.split(',') : ep.kafkaBrokers;
  if (!process.env.KAFKA_BROKERS && !(await kafkaAnswers(brokers))) brokers = (await stackUp(say)).kafkaBrokers;
  let uri = process.env.MONGODB_URI ?? '';
  let own: MongoInstance | undefined;
  if (!uri) {
    own = { dir: fs.mkdtempSync(path.join(os.tmpdir(), 'hh-bench-store-')), port: await freePort() };
    await startFerretdb(own, () => undefined);
    uri = `mongodb://127.0.0.1:${own.port}/bench`;
  }
  const run = randomBytes(3).toString('hex');
  const dbs = { empty: `bstore_empty_${run}`, full: `bstore_full_${run}` };
  say(`bench:store  docs=${n} list_calls=${calls} store=${own ? 'own FerretDB' : 'MONGODB_URI'} loadavg=${os.loadavg().map((l) => l.toFixed(1)).join(',')}`);
  try {
    const results: Record<'empty' | 'full', { list: number; ratio: number; boot: number }> = { empty: { list: 0, ratio: 0, boot: 0 }, full: { list: 0, ratio: 0, boot: 0 } };
    const conn = await connectMongo({ uri: withDb(uri, dbs.full), logger: createLogger('error') });
    const t0 = performance.now();
    await fill(conn, n);
    await conn.close();
    say(`filled ${n} events, deliveries and idempotency keys in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    for (const phase of ['empty', 'full'] as const) {
      const { hub, seconds } = await timeBoot(uri, dbs[phase], brokers, `${run}${phase}`);
      try {
        const lists = await listP99(hub, calls);
        results[phase].list = lists.p99;
        results[phase].boot = seconds;
        say(`${phase.padEnd(5)} boot_s=${seconds.toFixed(2)} list_p99_ms=${lists.p99.toFixed(1)} ${Object.entries(lists.byKind).map(([k, v]) => `${k.replace('/api/v1/', '')}=${v.toFixed(1)}`).join(' ')}`);
      } finally {
        await hub.stop();
      }
      results[phase].ratio = await ingestRatio(uri, dbs[phase], brokers);
      say(`${phase.padEnd(5)} ingest_ratio=${results[phase].ratio.toFixed(3)} loadavg=${os.loadavg()[0]?.toFixed(1)}`);
    }
    say(
      `RESULT list_p99_ms=${results.full.list.toFixed(1)} list_p99_empty_ms=${results.empty.list.toFixed(1)} ingest_ratio=${results.full.ratio.toFixed(3)} ingest_ratio_empty=${results.empty.ratio.toFixed(3)} boot_s=${results.full.boot.toFixed(2)}`,
    );
  } finally {
    if (own) {
      await stopFerretdb(own);
      fs.rmSync(own.dir, { recursive: true, force: true });
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
