/**
 * The soak: a stack of its own, the hub as six OS processes (ingest+api, 2× agents, 2× delivery, archiver), three
 * receivers, a fault-free warm-up that measures end-to-end latency, then the main load with faults on a schedule,
 * a drain, and a verdict read from MongoDB and the receivers' logs. `npm run soak` (bench/soak/main.ts) and the
 * short jest version (test/e2e/soak-short.test.ts) both run this.
 */
import { newSecretsKey } from '../../src/platform/secrets/secret-box';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mongoose from 'mongoose';
import { stringify } from 'yaml';
import { packageRoot } from '../../src/platform/paths';
import { isTransientStoreError, retryTransient } from '../../src/platform/store-retry';
import { sleep } from '../../src/platform/timeout';
import { stageBreakdown } from './breakdown';
import { runSchedule, type FaultRecord, type FaultStep } from './faults';
import { LoadGenerator } from './load';
import { OwnStack, freePort } from './own-stack';
import { measurePickup, type PickupMeasure } from './pickup';
import { SoakReceiver } from './receivers';
import { RoleProcess } from './roles';
import { percentile, verify, type Verdict } from './verify';

export interface SoakOptions {
  events: number;
  rate: number;
  warmupEvents: number;
  warmupRate: number;
  /** Folder of the run: the stack's data and logs, the hub's logs, the receivers' logs. */
  dir: string;
  /** How long the drain may take at most, and how long without progress ends it early. */
  drainTimeoutMs: number;
  quietMs: number;
  /** How long Kafka and FerretDB stay down before they are started again. */
  outageMs: number;
  /** Extra environment of every hub process (settings under test). */
  hubEnv?: Record<string, string>;
  keepData?: boolean;
  /** The sender gives up on a webhook no 2xx answered within this long (default 10 minutes). */
  giveUpMs?: number;
  log: (msg: string) => void;
}

export interface SoakReport {
  verdict: Verdict;
  e2eP50: number;
  e2eP99: number;
  e2eSamples: number;
  faults: FaultRecord[];
  statuses: Record<string, number>;
  notFound: Record<string, number>;
  unexpectedExits: number;
  /** Processes that exited while booting and were started again (see RoleProcess.start). */
  bootFailures: number;
  drainMs: number;
  /** What picking up the source created mid-run cost the groups (absent when the creation failed or did not run). */
  pickup?: PickupMeasure;
  resultLine: string;
}

const AGENT = 'echo';
const SECRETS = {
  soak: 'whsec_c29hay1zb3VyY2Utc2VjcmV0LWZvci1ob29raHViLXNvYWs=',
  'soak-late': 'whsec_c29hay1sYXRlLXNvdXJjZS1zZWNyZXQtZm9yLWhvb2todWI=',
  healthy: 'whsec_c29hay1oZWFsdGh5LXN1YnNjcmliZXItc2VjcmV0LWhvb2s=',
  flaky: 'whsec_c29hay1mbGFreS1zdWJzY3JpYmVyLXNlY3JldC1ob29raHVi',
  late: 'whsec_c29hay1sYXRlLXN1YnNjcmliZXItc2VjcmV0LWhvb2todWI=',
};
/** Short retry schedules so the drain ends in minutes; the flaky one also times out after 1 s. */
const SCHEDULE = ['0', '500ms', '1s', '2s', '5s', '10s', '10s', '20s', '30s', '30s', '60s', '60s'];
const FLAKY_TIMEOUT_MS = 1000;

const source = (id: string): Record<string, unknown> => ({
  id,
  verification: { scheme: 'standard-webhooks', secrets: [SECRETS[id as keyof typeof SECRETS]] },
  eventType: { pointer: '/type' },
  idempotencyKey: { header: 'webhook-id' },
  partitionKey: { pointer: '/key' },
  unknownTypes: 'accept',
});

const subscription = (id: string, url: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id,
  url,
  eventTypes: ['hookhub.execution.succeeded'],
  secret: SECRETS[id as keyof typeof SECRETS],
  retrySchedule: SCHEDULE,
  ...extra,
});

class Api {
  constructor(
    private readonly url: string,
    private readonly key: string,
    private readonly log: (msg: string) => void,
  ) {}

  /** POSTs until a 2xx (a fault may be in progress); resolves with the moment the answer arrived. */
  async create(resource: string, body: Record<string, unknown>): Promise<number> {
    for (let i = 0; ; i++) {
      try {
        const res = await fetch(`${this.url}/api/v1/${resource}`, { method: 'POST', headers: { authorization: `Bearer ${this.key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        const at = Date.now();
        const text = await res.text();
        if (res.status === 201) return at;
        if (res.status < 500 && res.status !== 429) throw new Error(`POST /api/v1/${resource} answered ${res.status}: ${text}`);
        this.log(`POST /api/v1/${resource} answered ${res.status} (retrying): ${text.slice(0, 200)}`);
      } catch (err) {
        if (err instanceof Error && err.message.startsWith('POST')) throw err;
        this.log(`POST /api/v1/${resource} failed (retrying): ${(err as Error).message}`);
      }
      if (i > 60) throw new Error(`POST /api/v1/${resource} kept failing`);
      await sleep(1000);
    }
  }
}

let stopEverything: (() => Promise<void>) | undefined;

/** Stops the processes of a run in progress (for SIGINT): the role processes, then the soak's stack. */
export async function interruptSoak(): Promise<void> {
  await stopEverything?.();
}

export async function runSoak(o: SoakOptions): Promise<SoakReport> {
  const runId = path.basename(o.dir).replace(/[^a-z0-9]/gi, '').slice(-12) || 'run';
  fs.mkdirSync(path.join(o.dir, 'logs'), { recursive: true });
  const logs = path.join(o.dir, 'logs');
  const stack = await OwnStack.create(o.dir, o.log);
  const receivers = {
    healthy: new SoakReceiver('healthy', SECRETS.healthy, path.join(logs, 'receiver-healthy.ndjson')),
    flaky: new SoakReceiver('flaky', SECRETS.flaky, path.join(logs, 'receiver-flaky.ndjson'), { failShare: 0.2, hangShare: 0.02, hangMs: FLAKY_TIMEOUT_MS * 3 }),
    late: new SoakReceiver('late', SECRETS.late, path.join(logs, 'receiver-late.ndjson')),
  };
  const processes: RoleProcess[] = [];
  let load: LoadGenerator | undefined;
  stopEverything = async (): Promise<void> => {
    await Promise.allSettled(processes.map((p) => p.kill9()));
    await stack.down();
  };
  try {
    o.log(`stack of its own in ${o.dir}`);
    await stack.up();
    for (const r of Object.values(receivers)) await r.start();
    const mongodbUri = stack.mongodbUri('soak');
    const configFile = path.join(o.dir, 'hookhub.soak.yaml');
    fs.writeFileSync(
      configFile,
      stringify({
        sources: [source('soak')],
        agents: [{ name: AGENT, team: 'PLATFORM', runner: { kind: 'builtin', name: 'echo' } }],
        routes: [{ id: 'soak-echo', source: 'soak', eventType: 'soak.tick', agent: AGENT }],
        subscriptions: [subscription('healthy', receivers.healthy.url), subscription('flaky', receivers.flaky.url, { timeoutMs: FLAKY_TIMEOUT_MS })],
      }),
    );
    const httpPort = await freePort();
    const hubUrl = `http://127.0.0.1:${httpPort}`;
    const secretsKey = process.env.HOOKHUB_SECRETS_KEY ?? newSecretsKey();
    const env = (port: number): NodeJS.ProcessEnv => ({
      ...process.env,
      HOOKHUB_SECRETS_KEY: secretsKey,
      KAFKA_BROKERS: stack.brokers.join(','),
      MONGODB_URI: mongodbUri,
      HOOKHUB_CONFIG: configFile,
      HOOKHUB_PORT: String(port),
      HOOKHUB_HOST: '127.0.0.1',
      HOOKHUB_OUTBOUND_ALLOW: '127.0.0.1/32',
      HOOKHUB_LOG_LEVEL: 'info',
      HOOKHUB_API_KEY: '',
      ...o.hubEnv,
    });
    const role = (name: string, roles: string, port = 0): RoleProcess => {
      const p = new RoleProcess({ name, roles, env: env(port) }, logs);
      processes.push(p);
      return p;
    };
    const front = role('ingest-api', 'ingest,api', httpPort);
    await front.start();
    const agents = [role('agents-1', 'agents'), role('agents-2', 'agents')];
    const delivery = [role('delivery-1', 'delivery'), role('delivery-2', 'delivery')];
    const archiver = role('archiver', 'archiver');
    await Promise.all([...agents, ...delivery, archiver].map((p) => p.start()));
    o.log(`hub up: ${processes.map((p) => `${p.spec.name} (pid ${p.pid})`).join(', ')}`);

    const { stdout } = await promisify(execFile)(process.execPath, [path.join(packageRoot(), 'bin', 'hookhub.js'), 'keys', 'create', '--role', 'admin', '--quiet'], { env: env(0) });
    const api = new Api(hubUrl, stdout.trim(), o.log);

    const lateSources = new Set<string>();
    load = new LoadGenerator({ hubUrl, secrets: SECRETS, runId, giveUpMs: o.giveUpMs ?? 10 * 60_000, retry404Sources: new Set(['soak-late']) });

    // Until one webhook goes through in under a second, the consumer groups are still forming (not a latency).
    for (let i = 0; i < 60; i++) {
      const [probe] = await load.run(1, 1, () => 'soak');
      const id = probe?.eventId;
      if (id) await waitUntil(() => receivers.healthy.firstOkAt.has(id), 30000);
      const at = id ? receivers.healthy.firstOkAt.get(id) : undefined;
      if (at !== undefined && probe?.acceptedAt !== undefined && at - probe.acceptedAt < 1000) break;
    }
    // Warm-up: no faults, the latency figure. The first second primes connections and the JIT and is not counted.
    o.log(`warm-up: ${o.warmupEvents} webhooks at ${o.warmupRate}/s`);
    const warm = await load.run(o.warmupEvents, o.warmupRate, () => 'soak');
    const warmAccepted = warm.filter((e) => e.eventId);
    await waitUntil(() => warmAccepted.every((e) => receivers.healthy.firstOkAt.has(e.eventId as string)), 120000);
    const latencies = warmAccepted.slice(Math.min(o.warmupRate, Math.floor(warmAccepted.length / 5))).flatMap((e) => {
      const at = receivers.healthy.firstOkAt.get(e.eventId as string);
      return at === undefined || e.acceptedAt === undefined ? [] : [at - e.acceptedAt];
    });
    const e2eP50 = percentile(latencies, 50);
    const e2eP99 = percentile(latencies, 99);
    o.log(`warm-up e2e (202 → healthy receiver): p50 ${e2eP50} ms, p99 ${e2eP99} ms over ${latencies.length} webhooks; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const hops = await retryTransient(() => stageBreakdown(mongodbUri, warmAccepted, receivers.healthy.firstOkAt, 'healthy'), { retries: 10, minTimeout: 1000, maxTimeout: 10000 });
    for (const hop of hops) o.log(`  ${hop.name}: p50 ${hop.p50} ms, p99 ${hop.p99} ms`);

    // Main phase: load and faults side by side.
    let lateSince: number | undefined;
    const plannedMs = (o.events / o.rate) * 1000;
    // A killed role process is started again at once but not waited for: its start (which includes joining the
    // group while the dead member still holds its partitions) overlaps the next steps, as in production.
    const restarts: Promise<void>[] = [];
    const restartFailures: FaultRecord[] = [];
    const restart = (p: RoleProcess) => async (): Promise<void> => {
      await p.kill9();
      const t = Date.now();
      // A boot that overlaps the next faults (the broker down) may take minutes on a busy machine; one that
      // never completes is a finding of the run, reported with the faults, not a reason to stop the run.
      restarts.push(
        p.start(300000).then(
          () => o.log(`${p.spec.name} is up again after ${Date.now() - t} ms`),
          (err: unknown) => void restartFailures.push({ name: `start ${p.spec.name} again`, startedAt: t, tookMs: Date.now() - t, error: (err as Error).message }),
        ),
      );
    };
    // The source is created first, so that what picking up its topic costs the groups (measured below, from the
    // creation to the next step that disturbs them) is not mixed with a killed member's rebalance.
    const pickupStep = 'create source "soak-late" and its route (a quarter of the load goes there)';
    const steps: FaultStep[] = [
      {
        at: 0.1,
        name: pickupStep,
        run: async () => {
          await api.create('sources', source('soak-late'));
          await api.create('routes', { id: 'soak-late-echo', source: 'soak-late', eventType: 'soak.tick', agent: AGENT });
          lateSources.add('soak-late');
        },
      },
      // A killed member's restart takes up to its old session's end (30 s) and must not all fall in the broker's
      // outage: the kills stay early, as before the pickup was measured.
      { at: 0.2, name: 'kill -9 agents-1, start it again', run: restart(agents[0] as RoleProcess) },
      { at: 0.25, name: 'create subscription "late" (owed every result finished after its 201)', run: async () => void (lateSince = await api.create('subscriptions', subscription('late', receivers.late.url))) },
      { at: 0.3, name: 'kill -9 delivery-1, start it again', run: restart(delivery[0] as RoleProcess) },
      {
        at: 0.5,
        name: 'kill -9 the Kafka broker, start it again',
        run: async () => {
          await stack.killKafka();
          await sleep(o.outageMs);
          await stack.startKafka();
        },
      },
      {
        at: 0.75,
        name: 'kill -9 FerretDB, start it again',
        run: async () => {
          await stack.killFerretdb();
          await sleep(o.outageMs);
          await stack.startFerretdb();
        },
      },
    ];
    if (o.events === 0) steps.splice(0);
    o.log(`main: ${o.events} webhooks at ${o.rate}/s with ${steps.length} scheduled steps`);
    const started = Date.now();
    let faultsDone = false;
    const [, faults] = await Promise.all([
      // The load lasts at least as long as the faults: every fault happens under load.
      load.run(o.events, o.rate, (n) => (lateSources.size > 0 && n % 4 === 0 ? 'soak-late' : 'soak'), () => faultsDone),
      runSchedule(steps, started, plannedMs, o.log).finally(() => (faultsDone = true)),
    ]);
    await Promise.all(restarts);
    faults.push(...restartFailures);
    o.log(`main load sent in ${Date.now() - started} ms; answers ${JSON.stringify(Object.fromEntries(load.statuses))}`);

    const subscribers = [
      { name: 'healthy', logFile: path.join(logs, 'receiver-healthy.ndjson') },
      { name: 'flaky', logFile: path.join(logs, 'receiver-flaky.ndjson') },
      // Owed nothing when it was never created (SOAK_EVENTS=0, or its creation failed: then the faults say so).
      ...(lateSince !== undefined ? [{ name: 'late', logFile: path.join(logs, 'receiver-late.ndjson'), since: lateSince }] : []),
    ];
    const drainStarted = Date.now();
    await drain(mongodbUri, load.events.flatMap((e) => (e.eventId ? [e.eventId] : [])), receivers, lateSince, o);
    const drainMs = Date.now() - drainStarted;
    const sent = load.events;
    const verdict = await retryTransient(() => verify(mongodbUri, sent, AGENT, subscribers), { retries: 10, minTimeout: 1000, maxTimeout: 10000 });
    const created = faults.find((f) => f.name === pickupStep && !f.error);
    const disturbed = faults.find((f) => f.name.startsWith('kill -9') && created !== undefined && f.startedAt > created.startedAt);
    const pickup = created
      ? await retryTransient(() => measurePickup(mongodbUri, sent, created.startedAt, disturbed?.startedAt ?? created.startedAt + 10000, logs, 'healthy'), { retries: 10, minTimeout: 1000, maxTimeout: 10000 })
      : undefined;
    const resultLine = `RESULT accepted=${verdict.accepted} archived=${verdict.archived} executions=${verdict.executions} delivered=${verdict.delivered} lost=${verdict.lost} dup_deliveries=${verdict.dupDeliveries} e2e_p50_ms=${e2eP50} e2e_p99_ms=${e2eP99}`;
    return {
      verdict,
      e2eP50,
      e2eP99,
      e2eSamples: latencies.length,
      faults,
      statuses: Object.fromEntries(load.statuses),
      notFound: Object.fromEntries(load.notFound),
      unexpectedExits: processes.reduce((n, p) => n + p.unexpectedExits, 0),
      bootFailures: processes.reduce((n, p) => n + p.bootFailures, 0),
      drainMs,
      ...(pickup ? { pickup } : {}),
      resultLine,
    };
  } finally {
    stopEverything = undefined;
    await Promise.allSettled(processes.map((p) => p.stop()));
    await load?.close();
    await Promise.allSettled(Object.values(receivers).map((r) => r.stop()));
    await stack.down();
    if (!o.keepData) stack.removeData();
  }
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await sleep(100);
}

/** A read of the drain's that the store did not answer in time (a loaded machine): no progress, not the end. */
async function unlessTransient<T>(read: Promise<T>, o: SoakOptions): Promise<T | undefined> {
  try {
    return await read;
  } catch (err) {
    if (!isTransientStoreError(err)) throw err;
    o.log(`drain: the store did not answer (${(err as Error).message}); trying again`);
    return undefined;
  }
}

/** The precise check behind the cheap counts: every accepted event is archived and has its succeeded execution. */
async function allStored(db: ReturnType<InstanceType<typeof mongoose.mongo.MongoClient>['db']>, ids: string[]): Promise<boolean> {
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    const [archived, executed] = await Promise.all([
      db.collection<{ _id: string }>('events').countDocuments({ _id: { $in: chunk } }),
      db.collection('executions').countDocuments({ agent: AGENT, status: 'succeeded', eventId: { $in: chunk } }),
    ]);
    if (archived < chunk.length || executed < chunk.length) return false;
  }
  return true;
}

/**
 * Waits until the archive, the executions and every receiver have caught up with what was accepted, or until
 * nothing moved for `quietMs`, or `drainTimeoutMs`. Cheap counts only; the verdict reads everything afterwards.
 */
async function drain(mongodbUri: string, acceptedIds: string[], receivers: Record<'healthy' | 'flaky' | 'late', SoakReceiver>, lateSince: number | undefined, o: SoakOptions): Promise<void> {
  const client = new mongoose.mongo.MongoClient(mongodbUri, { serverSelectionTimeoutMS: 30000 });
  await client.connect();
  try {
    const db = client.db();
    const accepted = acceptedIds.length;
    const deadline = Date.now() + o.drainTimeoutMs;
    let last = '';
    let lastChange = Date.now();
    let lastLog = 0;
    // Once every accepted event is archived and executed, these counts cannot change: they are not read again,
    // so a drain waiting on a subscriber's retries does not keep scanning whole collections of a starved store.
    let settled: [number, number, number] | undefined;
    while (Date.now() < deadline) {
      // On a loaded machine the store may not answer a count in time: that is no progress, not the end.
      const read = settled ?? await unlessTransient(
        Promise.all([
          db.collection('events').countDocuments({}),
          db.collection('executions').countDocuments({ agent: AGENT, status: 'succeeded' }),
          lateSince === undefined ? Promise.resolve(0) : db.collection('executions').countDocuments({ agent: AGENT, status: 'succeeded', finishedAt: { $gte: new Date(lateSince) } }),
        ]),
        o,
      );
      if (!read) {
        await sleep(2000);
        continue;
      }
      const [archived, executions, lateOwed] = read;
      if (archived >= accepted && executions >= accepted) settled = read;
      // Receivers count the accepted events they got, not every event: a webhook the sender saw refused (a 409
      // while its first try was still being produced) may be in Kafka all the same, and would make a plain count
      // reach `accepted` while an accepted event is still owed.
      const got = (r: SoakReceiver): number => acceptedIds.reduce((n, id) => n + (r.firstOkAt.has(id) ? 1 : 0), 0);
      const counts = { archived, executions, healthy: got(receivers.healthy), flaky: got(receivers.flaky), late: receivers.late.firstOkAt.size, lateOwed };
      const now = JSON.stringify(counts);
      if (Date.now() - lastLog > 10000) {
        o.log(`drain: accepted ${accepted} ${now}`);
        lastLog = Date.now();
      }
      if (archived >= accepted && executions >= accepted && counts.healthy >= accepted && counts.flaky >= accepted && counts.late >= lateOwed && (await unlessTransient(allStored(db, acceptedIds), o))) return;
      if (now !== last) {
        last = now;
        lastChange = Date.now();
      } else if (Date.now() - lastChange > o.quietMs) {
        o.log(`drain: no progress for ${o.quietMs} ms, checking what arrived`);
        return;
      }
      await sleep(2000);
    }
    o.log('drain: time is up, checking what arrived');
  } finally {
    await client.close();
  }
}
