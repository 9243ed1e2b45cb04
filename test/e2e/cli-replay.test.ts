import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Hub } from '../../src/app/hub';
import { startTestHub, stackEnv, uniqueNames } from '../support/hub';
import { eventsAt, minuteFloor, produceInbound, readTopic } from '../support/events';
import { waitFor } from '../support/wait';

const bin = path.join(__dirname, '..', '..', 'bin', 'hookhub.js');

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('node', [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

// Scenario: `hookhub replay` runs locally against Kafka and MongoDB (no API). It exports exactly the events of
// [from, to) of a source to a file or stdout with a progress summary on stderr, filters by type, reprocesses
// onto the inbound topic as replay copies, and refuses a redelivery without a subscription.
describe('hookhub replay CLI', () => {
  const names = uniqueNames('clireplay');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-cli-'));
  const start = minuteFloor(Date.now() - 7200_000);
  const inside = eventsAt('in', start, 9);
  let hub: Hub;
  let env: NodeJS.ProcessEnv;
  const window = ['--from', new Date(start).toISOString(), '--to', new Date(start + 600_000).toISOString()];

  beforeAll(async () => {
    hub = await startTestHub('clireplay', { roles: [], names });
    await produceInbound(hub.ctx.kafka, hub.ctx.topics.inbound('gh'), 'gh', [...eventsAt('old', start - 60_000, 4), ...inside, ...eventsAt('late', start + 600_000, 3)]);
    const se = stackEnv();
    env = {
      ...process.env,
      KAFKA_BROKERS: se.kafkaBrokers.join(','),
      MONGODB_URI: se.mongodbUri.replace(/\/[^/]*$/, `/${names.dbName}`),
      HOOKHUB_TOPIC_PREFIX: names.topicPrefix,
      HOOKHUB_KAFKA_CLIENT_ID: names.clientId,
    };
  });
  afterAll(async () => {
    await hub?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exports the window to a file and reports what it read', async () => {
    const out = path.join(dir, 'day.ndjson');
    const r = await run(['replay', '--source', 'gh', ...window, '--mode', 'export', '--out', out], env);
    expect(r.stderr).toMatch(/completed \(export .*\): read=9 matched=9 emitted=9 skipped=0 sources=kafka:9,archive:0/);
    expect(r.code).toBe(0);
    const ids = fs.readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: string }).id);
    expect(ids.sort()).toEqual(inside.map((e) => e.id).sort());
  });

  it('exports to stdout filtered by type', async () => {
    const r = await run(['replay', '--source', 'gh', ...window, '--type', 'github.issues.*', '--no-progress'], env);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; type: string });
    expect(lines.map((l) => l.id).sort()).toEqual(inside.filter((e) => e.type === 'github.issues.opened').map((e) => e.id).sort());
  });

  it('reprocesses onto the inbound topic as replay copies', async () => {
    const r = await run(['replay', '--source', 'gh', ...window, '--mode', 'reprocess', '--type', 'github.push'], env);
    expect(r.code).toBe(0);
    const replayId = /replay (\S+) completed/.exec(r.stderr)?.[1];
    const msgs = await readTopic(hub.ctx.kafka.kafka, hub.ctx.topics.inbound('gh'), 16 + 5, `${names.clientId}-check`);
    const copies = msgs.filter((m) => m.ce.extensions?.replayid === replayId);
    expect(copies.map((c) => c.ce.extensions?.replayof).sort()).toEqual(inside.filter((e) => e.type === 'github.push').map((e) => e.id).sort());
  });

  it('stops cleanly on Ctrl-C, keeping what it already wrote', async () => {
    const out = path.join(dir, 'slow.ndjson');
    const child = spawn('node', [bin, 'replay', '--source', 'gh', ...window, '--out', out, '--rate', '2'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await waitFor('the first progress line', () => stderr.includes('ev/s'), 30000);
    await new Promise((r) => setTimeout(r, 1000));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const m = /stopped \(export .*\): read=(\d+) matched=\d+ emitted=(\d+)/.exec(stderr);
    expect(m).not.toBeNull();
    const lines = fs.readFileSync(out, 'utf8').split('\n').filter(Boolean);
    expect(lines.length).toBe(Number(m?.[2]));
    expect(lines.length).toBeLessThan(9);
  });

  it('needs a subscription to redeliver', async () => {
    const r = await run(['replay', '--source', 'gh', ...window, '--mode', 'redeliver'], env);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('subscription: is required for mode redeliver');
  });
});
