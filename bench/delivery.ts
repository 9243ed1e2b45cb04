/**
 * Delivery benchmark: deliveries/s from results on Kafka to a fast local receiver, against a ceiling measured in
 * the same run (the same signed payloads posted by a bare undici client at the same concurrency), then with a
 * receiver answering in 200 ms to show throughput scales with concurrency instead of serialising. Ceiling and
 * hub are measured alternately BENCH_ROUNDS times (default 11, after BENCH_WARMUP_ROUNDS uncounted ones, default 1)
 * and their medians compared; a ceiling round starts only once the hub has stored the previous round's deliveries.
 * Run: npm run bench:delivery. The last line is `RESULT ratio=… dps=… slow_dps=…`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { newSecretsKey } from '../src/platform/secrets/secret-box';
import { randomBytes, randomUUID } from 'node:crypto';
import { Agent, request } from 'undici';
import { emptyHubConfig, startHub, type Hub } from '../src/app/hub';
import { kafkaEntryPoints } from '../consumers';
import { toKafkaHeaders } from '../src/platform/cloudevents';
import { silentLogger } from '../src/platform/logger';
import { connectMongo } from '../src/platform/mongo';
import { benchStack } from './stack';
import { generateSecret } from '../src/delivery/domain/secrets';
import { signDelivery } from '../src/delivery/domain/signing';

const N = Number(process.env.BENCH_N ?? 3000);
const SLOW_N = Number(process.env.BENCH_SLOW_N ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
/** 11: single rounds last well under a second and this shared machine's speed swings by tens of percent between them. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 11);
/**
 * Results per produce request. A round's results are put on Kafka at once (3000 by default, under the broker's
 * 1 MB per partition batch), as the ceiling has all its payloads at hand: the hub then works through a backlog,
 * and the rate measured is its capacity rather than the pace at which this process produces.
 */
const PRODUCE_BATCH = Number(process.env.BENCH_PRODUCE_BATCH ?? 3000);
/** The hub's HOOKHUB_DELIVERY_THREADS (0: sign and send on its main event loop, as the ceiling client does). */
const THREADS = Number(process.env.BENCH_THREADS ?? 1);
/** Rounds of both sides run first and not counted: the first round of each runs on code not yet optimised. */
const WARMUP_ROUNDS = Number(process.env.BENCH_WARMUP_ROUNDS ?? 1);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

interface Receiver {
  url: string;
  count: number;
  close(): Promise<void>;
  waitFor(n: number): Promise<void>;
  /** Starts a new flow window: `flowRate` counts from the first request answered after this. */
  mark(): void;
  /** Requests answered per second between the first and the last answer since `mark`. */
  flowRate(): number;
}

async function receiver(delayMs: number): Promise<Receiver> {
  let count = 0;
  let flow = { n: 0, first: 0, last: 0 };
  let waiter: { n: number; resolve: () => void } | undefined;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const done = (): void => {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        count++;
        const now = performance.now();
        if (flow.n++ === 0) flow.first = now;
        flow.last = now;
        if (waiter && count >= waiter.n) waiter.resolve();
      };
      if (delayMs) setTimeout(done, delayMs);
      else done();
    });
  });
  server.keepAliveTimeout = 60000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get count() {
      return count;
    },
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
    waitFor: (n) => (count >= n ? Promise.resolve() : new Promise<void>((resolve) => (waiter = { n, resolve }))),
    mark: () => void (flow = { n: 0, first: 0, last: 0 }),
    flowRate: () => (flow.n > 1 ? ((flow.n - 1) * 1000) / (flow.last - flow.first) : 0),
  };
}

function resultBody(agent: string, i: number): Buffer {
  return Buffer.from(JSON.stringify({ execution: { id: randomUUID(), agent, team: 'bench', status: 'succeeded', eventId: randomUUID(), eventType: 'github.push', attempts: 1, durationMs: 5, output: { text: `result ${i}`, pad: 'x'.repeat(300) }, startedAt: new Date().toISOString(), finishedAt: new Date().toISOString() }, documents: [] }));
}

type Results = { key: string; value: Buffer; headers: ReturnType<typeof toKafkaHeaders> }[][];

/** Result messages in batches of PRODUCE_BATCH, built ahead (as the ceiling's signed payloads are) so building them is not timed. */
function results(agent: string, n: number): Results {
  const batches: Results = [];
  for (let i = 0; i < n; i += PRODUCE_BATCH) {
    batches.push(
      Array.from({ length: Math.min(PRODUCE_BATCH, n - i) }, (_, j) => ({
        key: `k${(i + j) % 64}`,
        value: resultBody(agent, i + j),
        headers: toKafkaHeaders({ id: randomUUID(), source: '/agents/bench', type: 'hookhub.execution.succeeded', time: new Date().toISOString() }),
      })),
    );
  }
  return batches;
}

async function produce(hub: Hub, batches: Results): Promise<void> {
  const producer = await hub.ctx.kafka.producer();
  for (const messages of batches) await producer.send({ topic: hub.ctx.topics.results, acks: -1, messages });
}

/**
 * Waits until the hub has stored every delivery it sent (it stores after sending): otherwise its FerretDB
 * writes would still be running during the next ceiling round and slow that down. The delivery consumer commits
 * an offset only once everything before it is stored, so its group's committed offsets tell, without a query
 * that FerretDB would answer by scanning every stored delivery.
 */
async function settled(hub: Hub, produced: number): Promise<void> {
  const admin = await hub.ctx.kafka.admin();
  const groupId = `${hub.ctx.env.kafkaClientId}-delivery`;
  for (;;) {
    const [t] = await admin.fetchOffsets({ groupId, topics: [hub.ctx.topics.results] });
    const committed = (t?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    if (committed >= produced) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Rates of one round: over the whole round (first send to last answer) and at the receiver (first to last answer). */
interface Rates {
  endToEnd: number;
  flow: number;
}

async function ceiling(target: Receiver, secret: string, n: number): Promise<Rates> {
  const url = target.url;
  const agent = new Agent({ connections: CONCURRENCY, keepAliveTimeout: 30000 });
  const payloads = Array.from({ length: n }, (_, i) => {
    const body = resultBody('ceiling', i);
    return { body, headers: { 'content-type': 'application/json', ...signDelivery(`msg_${i}`, body, [secret]) } };
  });
  let next = 0;
  target.mark();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) {
        const p = payloads[next++];
        if (!p) break;
        const res = await request(`${url}/ceiling`, { method: 'POST', dispatcher: agent, headers: p.headers, body: p.body });
        await res.body.text();
      }
    }),
  );
  const secs = (performance.now() - started) / 1000;
  await agent.close();
  return { endToEnd: n / secs, flow: target.flowRate() };
}

async function main(): Promise<void> {
  const fast = await receiver(0);
  const slow = await receiver(200);
  const ep = await benchStack();
  const id = `bench${randomBytes(3).toString('hex')}`;
  const secret = generateSecret();
  // Subscriptions come from the config file (upserted at boot), so the hub keeps its default refresh interval:
  // a fast one would list every topic of the shared broker (well over a thousand) twice a second, in this process.
  const hub = await startHub({
    entryPoints: kafkaEntryPoints,
    logger: silentLogger(),
    processEnv: {},
    dbName: `b_${id}`,
    config: {
      ...emptyHubConfig(),
      subscriptions: [
        { id: 'fast', url: `${fast.url}/hook`, eventTypes: ['hookhub.execution.*'], filter: { '/execution/agent': 'fast' }, secret },
        { id: 'slow', url: `${slow.url}/hook`, eventTypes: ['hookhub.execution.*'], filter: { '/execution/agent': 'slow' }, secret },
      ],
    },
    roles: ['delivery'],
    env: {
      secretsKey: process.env.HOOKHUB_SECRETS_KEY ?? newSecretsKey(),
      kafkaBrokers: ep.kafkaBrokers,
      mongodbUri: ep.mongodbUri,
      port: 0,
      host: '127.0.0.1',
      topicPrefix: `b-${id}`,
      kafkaClientId: `hh-${id}`,
      topicPartitions: 3,
      deliveryAllowPrivate: ['127.0.0.1/32'],
      deliveryConcurrency: CONCURRENCY,
      deliveryThreads: THREADS,
      deliveryPollMs: 5000,
    },
  });
  try {
    // Warm-up: the consumer has joined and the keep-alive pool is open.
    const progress = setInterval(() => process.stderr.write(`… fast=${fast.count} slow=${slow.count}\n`), 5000);
    progress.unref();
    await produce(hub, results('fast', 20));
    await fast.waitFor(20);
    process.stderr.write('warm-up done\n');

    // Steady state: for 15 s after joining its group the consumer checks MongoDB for every delivery id
    // (it may re-read another member's uncommitted tail); measure after that window.
    await new Promise((r) => setTimeout(r, 15000));
    // The machine is shared, so its load drifts: ceiling and hub are measured alternately, ROUNDS times each,
    // and the medians are compared, so that neither side alone catches a quiet or a busy moment.
    let produced = 20; // results on the hub's topic
    const ceilings: Rates[] = [];
    const hubs: Rates[] = [];
    for (let round = 1 - WARMUP_ROUNDS; round <= ROUNDS; round++) {
      const e0 = performance.eventLoopUtilization();
      const c = await ceiling(fast, secret, N);
      const ceilingLoop = performance.eventLoopUtilization(e0).utilization;
      const batches = results('fast', N);
      const before = fast.count;
      fast.mark();
      const e1 = performance.eventLoopUtilization();
      const t0 = performance.now();
      await produce(hub, batches);
      await fast.waitFor(before + N);
      const h: Rates = { endToEnd: N / ((performance.now() - t0) / 1000), flow: fast.flowRate() };
      const hubLoop = performance.eventLoopUtilization(e1).utilization;
      await settled(hub, (produced += N));
      process.stderr.write(
        `${round < 1 ? 'warm-up round' : `round ${round}`}: hub ${h.flow.toFixed(0)} deliveries/s at the receiver (${h.endToEnd.toFixed(0)} from the first produce), ceiling ${c.flow.toFixed(0)} req/s (${c.endToEnd.toFixed(0)} from the first send); main event loop busy: hub ${(hubLoop * 100).toFixed(0)}%, ceiling ${(ceilingLoop * 100).toFixed(0)}%\n`,
      );
      if (round < 1) continue;
      ceilings.push(c);
      hubs.push(h);
    }
    const dps = median(hubs.map((r) => r.flow));
    const ceil = median(ceilings.map((r) => r.flow));
    console.log(`fast receiver: hub ${dps.toFixed(0)} deliveries/s, bare undici ceiling ${ceil.toFixed(0)} req/s at the receiver, first to last answer (medians of ${ROUNDS} alternating rounds, N=${N}, concurrency ${CONCURRENCY}, hub delivery threads ${THREADS})`);
    const pairs = hubs.map((h, i) => h.flow / (ceilings[i] as Rates).flow);
    console.log(`  round by round (each hub round against the ceiling round just before it): median ratio ${median(pairs).toFixed(2)}, lowest ${Math.min(...pairs).toFixed(2)}, highest ${Math.max(...pairs).toFixed(2)}`);
    console.log(`  whole rounds (hub from its first produce, which adds Kafka's produce-to-fetch latency; ceiling from its first send): hub ${median(hubs.map((r) => r.endToEnd)).toFixed(0)}, ceiling ${median(ceilings.map((r) => r.endToEnd)).toFixed(0)}`);

    const slowBatches = results('slow', SLOW_N);
    const started = performance.now();
    await produce(hub, slowBatches);
    await slow.waitFor(SLOW_N);
    const slowDps = SLOW_N / ((performance.now() - started) / 1000);
    console.log(`200 ms receiver: hub ${slowDps.toFixed(0)} deliveries/s (serial would be 5/s; bound at concurrency ${CONCURRENCY}: ${(CONCURRENCY / 0.2).toFixed(0)}/s)`);
    console.log(`RESULT ratio=${(dps / ceil).toFixed(2)} dps=${dps.toFixed(0)} slow_dps=${slowDps.toFixed(0)}`);
  } finally {
    // Dropped after the hub stopped, from a connection of its own: FerretDB (SQLite) has crashed with SIGBUS
    // when a database was dropped while other connections were still reading it.
    await hub.stop();
    const admin = await connectMongo({ uri: hub.ctx.env.mongodbUri, dbName: `b_${id}`, logger: silentLogger() });
    await admin.db?.dropDatabase().catch(() => undefined);
    await admin.close();
    await fast.close();
    await slow.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
