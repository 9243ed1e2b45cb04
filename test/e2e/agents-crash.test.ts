import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { toKafkaHeaders } from '../../src/platform/cloudevents';
import { json, startServer } from '../support/agents';
import { stackEnv, uniqueNames } from '../support/hub';
import { waitFor } from '../support/wait';

const bin = path.join(__dirname, '..', '..', 'bin', 'hookhub.js');
const SECRET = 'whsec_' + Buffer.from('crash-test-secret-0123456789abc').toString('base64');

// Scenario: the agents role runs as a real process. Events for two keys are routed to an http agent that takes
// ~0.8 s per call. Mid-run the process is killed with SIGKILL (no drain, no commit) and started again. Every
// event ends with exactly one succeeded execution; executions finished before the kill are not called again;
// the one that was in flight is taken over once its lease expires and re-sent with the same webhook-id, so
// the agent service (deduplicating on webhook-id, as Standard Webhooks receivers do) applies each effect once.
describe('agents role: killed mid-run and restarted', () => {
  const names = uniqueNames('agentscrash');
  const se = stackEnv();
  const mongoUri = se.mongodbUri.replace(/\/[^/]*$/, `/${names.dbName}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookhub-crash-'));
  const callsById = new Map<string, number>();
  const effects = new Set<string>();
  const pending = new Set<string>();
  let svc: Awaited<ReturnType<typeof startServer>>;
  let child: ChildProcess | undefined;
  let out = '';

  const startChild = async (): Promise<ChildProcess> => {
    const c = spawn('node', [bin, 'start', '--roles', 'agents'], {
      env: {
        ...process.env,
        KAFKA_BROKERS: se.kafkaBrokers.join(','),
        MONGODB_URI: mongoUri,
        HOOKHUB_CONFIG: path.join(dir, 'hookhub.yaml'),
        HOOKHUB_PORT: '0',
        HOOKHUB_HOST: '127.0.0.1',
        HOOKHUB_TOPIC_PREFIX: names.topicPrefix,
        HOOKHUB_KAFKA_CLIENT_ID: names.clientId,
        HOOKHUB_TOPIC_PARTITIONS: '2',
        // The agent service below runs on loopback, which the outbound guard refuses unless allow-listed.
        HOOKHUB_OUTBOUND_ALLOW: '127.0.0.1/32',
        HOOKHUB_AGENTS_LEASE_MS: '2000',
        HOOKHUB_AGENTS_REFRESH_MS: '500',
        HOOKHUB_AGENTS_SESSION_TIMEOUT_MS: '6000',
        HOOKHUB_LOG_LEVEL: process.env.TEST_LOG ?? 'warn',
        CRASH_AGENT_SECRET: SECRET,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    c.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    if (process.env.TEST_LOG_FILE) c.stdout?.on('data', (d: Buffer) => fs.appendFileSync(process.env.TEST_LOG_FILE as string, `[${c.pid}] ${d.toString()}`));
    c.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const before = out.length;
    await waitFor('the hub to be up', () => out.slice(before).includes('hookhub is up'), 30000);
    return c;
  };

  beforeAll(async () => {
    svc = await startServer(async (req, res) => {
      const id = String(req.headers['webhook-id']);
      callsById.set(id, (callsById.get(id) ?? 0) + 1);
      pending.add(id);
      await new Promise((r) => setTimeout(r, 800));
      pending.delete(id);
      effects.add(id);
      json(res, 200, { output: { done: id } });
    });
    fs.writeFileSync(
      path.join(dir, 'hookhub.yaml'),
      [
        'sources:',
        '  - id: jobs',
        '    verification: { scheme: none }',
        'agents:',
        '  - name: slow-http',
        '    timeoutMs: 10000',
        `    runner: { kind: http, url: "${svc.url}/run", secret: "\${CRASH_AGENT_SECRET}" }`,
        'routes:',
        '  - id: jobs-to-slow',
        '    source: jobs',
        '    eventType: "job.*"',
        '    agent: slow-http',
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await svc?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loses no event and applies no effect twice', async () => {
    child = await startChild();
    const kafka = new Kafka({ brokers: se.kafkaBrokers, clientId: 'crash-test', logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const id = randomUUID();
      ids.push(id);
      await producer.send({
        topic: `${names.topicPrefix}.in.jobs`,
        acks: -1,
        messages: [{ key: `key-${i % 2}`, value: JSON.stringify({ job: i }), headers: toKafkaHeaders({ id, source: '/sources/jobs', type: 'job.run', time: new Date().toISOString(), extensions: { hookhubsource: 'jobs' } }) }],
      });
    }
    await producer.disconnect();

    const conn = await mongoose.createConnection(mongoUri).asPromise();
    try {
      const executions = conn.collection('executions');
      // Kill while the agent service is answering a call, so one execution is certainly in flight at the kill.
      const inFlight = await waitFor(
        'two executions done and a call in flight',
        async () => ((await executions.countDocuments({ status: 'succeeded' })) >= 2 && pending.size > 0 ? new Set(pending) : undefined),
        30000,
        20,
      );
      child.kill('SIGKILL');
      await new Promise((r) => child?.once('exit', r));
      const doneBeforeKill = (await executions.find({ status: 'succeeded' }).toArray()).map((d) => String(d._id));

      child = await startChild();
      await waitFor('all eight executions succeeded', async () => (await executions.countDocuments({ status: 'succeeded' })) === 8, 90000).catch(async (err: Error) => {
        const states = (await executions.find({}).toArray()).map((d) => `${String(d.status)}/${String(d.attempts)}/${String(d.owner)}/${String(d.leaseUntil?.toISOString?.())}`);
        throw new Error(`${err.message}; executions: ${states.join(', ')}; hub output: ${out.slice(-6000)}`);
      });

      for (const id of ids) expect(await executions.countDocuments({ eventId: id })).toBe(1);
      for (const id of doneBeforeKill) expect(callsById.get(id)).toBe(1);
      expect(effects.size).toBe(8);
      const all = await executions.find({}).toArray();
      expect(new Set(all.map((d) => String(d._id)))).toEqual(effects);
      const retried = all.filter((d) => (callsById.get(String(d._id)) ?? 0) > 1);
      expect(inFlight.size).toBeGreaterThanOrEqual(1);
      // Every call in flight at the kill was sent again: the killed hub never stored its result.
      for (const id of inFlight) expect(callsById.get(id)).toBeGreaterThanOrEqual(2);
      for (const d of retried) expect(d.attempts).toBeGreaterThanOrEqual(2);
    } finally {
      await conn.close();
    }
  }, 180000);
});
