import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Hub } from '../../src/app/hub';
import { operationsOf, produceResult } from '../support/delivery';
import { stackEnv, startTestHub, uniqueNames } from '../support/hub';
import { TestReceiver } from '../support/receiver';
import { TEST_SECRETS_KEY } from '../support/secrets-key';
import { waitFor } from '../support/wait';

const bin = path.join(__dirname, '..', '..', 'bin', 'hookhub.js');

// Scenario: a delivery process (a real OS process) makes the first attempts of a subscriber that never answers;
// it stores those deliveries as claimed by itself and commits the results' offsets, then it is killed with SIGKILL
// before any attempt ends. Nothing is lost: once the claim lease runs out, another delivery process takes each
// delivery over and sends it again with the same webhook-id, and it ends `succeeded` with the attempt that process
// recorded (the dead one recorded none).
describe('delivery: a process killed while its first attempts are out, stored as claimed', () => {
  const names = uniqueNames('dlvclaimcrash');
  const se = stackEnv();
  const mongoUri = se.mongodbUri.replace(/\/[^/]*$/, `/${names.dbName}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookhub-dlvcrash-'));
  const receiver = new TestReceiver();
  const hubs: Hub[] = [];
  let child: ChildProcess | undefined;
  let out = '';
  let release!: () => void;
  // A short lease, so that the takeover comes soon; it must outlast the default attempt timeout.
  const lease = { HOOKHUB_DELIVERY_LEASE_MS: '3000', HOOKHUB_DELIVERY_TIMEOUT_MS: '1000' };

  beforeAll(async () => {
    await receiver.start();
    receiver.hold = new Promise<void>((resolve) => (release = resolve));
    fs.writeFileSync(path.join(dir, 'hookhub.yaml'), 'sources: []\n');
  });

  afterAll(async () => {
    release();
    child?.kill('SIGKILL');
    await Promise.all(hubs.map((h) => h.stop()));
    await receiver.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('another process attempts each claimed delivery again after the lease, and each ends succeeded', async () => {
    const N = 5;
    child = spawn('node', [bin, 'start', '--roles', 'delivery'], {
      env: {
        ...process.env,
        KAFKA_BROKERS: se.kafkaBrokers.join(','),
        MONGODB_URI: mongoUri,
        HOOKHUB_CONFIG: path.join(dir, 'hookhub.yaml'),
        HOOKHUB_SECRETS_KEY: process.env.HOOKHUB_SECRETS_KEY ?? TEST_SECRETS_KEY,
        HOOKHUB_PORT: '0',
        HOOKHUB_HOST: '127.0.0.1',
        HOOKHUB_TOPIC_PREFIX: names.topicPrefix,
        HOOKHUB_KAFKA_CLIENT_ID: names.clientId,
        HOOKHUB_TOPIC_PARTITIONS: '2',
        HOOKHUB_OUTBOUND_ALLOW: '127.0.0.1/32',
        HOOKHUB_LOG_LEVEL: process.env.TEST_LOG ?? 'warn',
        ...lease,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor('the delivery process to be up', () => out.includes('hookhub is up'), 30000);

    // This process only manages subscriptions and produces results (no delivery role yet).
    const control = await startTestHub('dlvclaimcrash', { roles: ['api'], names });
    hubs.push(control);
    const ops = operationsOf(control);
    const { subscription } = await ops.createSubscription({ url: `${receiver.url}/hung`, eventTypes: ['hookhub.execution.succeeded'], timeoutMs: 60000 });
    for (let i = 0; i < N; i++) await produceResult(control, { agent: 'crash', key: `k${i}` });

    const claimed = await waitFor(
      'every delivery stored as claimed by the process, its attempt out',
      async () => {
        const list = await ops.listDeliveries({ subscriptionId: subscription.id, limit: 100 });
        return list.length === N && list.every((d) => d.status === 'delivering') && receiver.open === N ? list : undefined;
      },
      30000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; delivery process output: ${out.slice(-4000)}`);
    });
    const admin = await control.ctx.kafka.admin();
    const topic = control.ctx.topics.results;
    const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p.offset]));
    await waitFor('the results committed by the delivery process', async () => {
      const [t] = await admin.fetchOffsets({ groupId: `${names.clientId}-delivery`, topics: [topic] });
      return t !== undefined && t.partitions.every((p) => p.offset === ends.get(p.partition));
    });

    child.kill('SIGKILL');
    await new Promise((r) => child?.once('exit', r));
    release();
    const takeover = await startTestHub('dlvclaimcrash', {
      roles: ['delivery'],
      names,
      env: { deliveryAllowPrivate: ['127.0.0.1/32'], deliveryPollMs: 100, deliveryLeaseMs: 3000, deliveryTimeoutMs: 1000 },
    });
    hubs.push(takeover);

    const done = await waitFor(
      'every delivery succeeded through the other process',
      async () => {
        const list = await ops.listDeliveries({ subscriptionId: subscription.id, limit: 100 });
        return list.length === N && list.every((d) => d.status === 'succeeded') ? list : undefined;
      },
      30000,
    );
    expect(new Set(done.map((d) => d.id))).toEqual(new Set(claimed.map((d) => d.id)));
    // The dead process recorded nothing; the attempt recorded is the takeover's.
    expect(done.map((d) => d.attemptCount)).toEqual(done.map(() => 1));
    // Each webhook-id reached the receiver twice: the attempt cut by the kill, then the takeover's.
    for (const d of done) expect(receiver.of(d.id)).toHaveLength(2);
  }, 120000);
});
