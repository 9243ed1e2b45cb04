import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stackEnv, uniqueNames } from '../support/hub';
import { waitFor } from '../support/wait';

const bin = path.join(__dirname, '..', '..', 'bin', 'hookhub.js');

// Scenario: the packaged CLI runs the hub as a real process. It answers /readyz, and SIGTERM shuts it down
// cleanly (exit 0) well inside the shutdown bound. `hookhub stack status` reports both parts answering.
describe('hookhub CLI', () => {
  it('stack status names both parts of the running stack', () => {
    const r = spawnSync('node', [bin, 'stack', 'status', '--json'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const status = JSON.parse(r.stdout) as Record<string, { answering: boolean }>;
    expect(status.kafka?.answering).toBe(true);
    expect(status.ferretdb?.answering).toBe(true);
  });

  it('rejects an unknown role with a clear message', () => {
    const r = spawnSync('node', [bin, 'start', '--roles', 'ingest,bogus'], { encoding: 'utf8', env: { ...process.env, HOOKHUB_PORT: '0' } });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('unknown role "bogus"');
  });

  it('fails fast naming a bad setting', () => {
    const r = spawnSync('node', [bin, 'start'], { encoding: 'utf8', env: { ...process.env, HOOKHUB_PORT: 'abc' } });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('HOOKHUB_PORT (port) must be an integer');
  });

  it('exits with an error (not a half-started process) when its port is taken', async () => {
    const names = uniqueNames('cliport');
    const se = stackEnv();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = spawnSync('node', [bin, 'start', '--roles', 'archiver'], {
        encoding: 'utf8',
        timeout: 45000,
        cwd: os.tmpdir(),
        env: { ...process.env, KAFKA_BROKERS: se.kafkaBrokers.join(','), MONGODB_URI: se.mongodbUri.replace(/\/[^/]*$/, `/${names.dbName}`), HOOKHUB_PORT: String(port), HOOKHUB_HOST: '127.0.0.1', HOOKHUB_TOPIC_PREFIX: names.topicPrefix, HOOKHUB_LOG_LEVEL: 'error' },
      });
      expect(r.signal).toBeNull();
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('EADDRINUSE');
    } finally {
      blocker.close();
    }
  }, 60000);

  it('starts, answers /readyz and stops cleanly on SIGTERM', async () => {
    const names = uniqueNames('clistart');
    const se = stackEnv();
    const child = spawn('node', [bin, 'start', '--roles', 'archiver'], {
      env: {
        ...process.env,
        KAFKA_BROKERS: se.kafkaBrokers.join(','),
        MONGODB_URI: se.mongodbUri.replace(/\/[^/]*$/, `/${names.dbName}`),
        HOOKHUB_PORT: '0',
        HOOKHUB_HOST: '127.0.0.1',
        HOOKHUB_TOPIC_PREFIX: names.topicPrefix,
        HOOKHUB_LOG_LEVEL: 'warn',
      },
      cwd: os.tmpdir(), // no ./hookhub.yaml there: the hub runs with an empty config
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await waitFor('the ready URL', () => /ready\s+(http:\/\/\S+)\/readyz/.exec(out)?.[1], 30000);
      await waitFor('readyz 200', async () => (await fetch(`${url}/readyz`)).status === 200, 20000);
      const t0 = Date.now();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(Date.now() - t0).toBeLessThan(15000);
      expect(out).toContain('stopped cleanly');
    } finally {
      child.kill('SIGKILL');
    }
  }, 60000);
});
