import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Hub } from '../../src/app/hub';
import { hookhub, HOOKHUB_BIN, type CliRun } from '../support/cli';
import { stackEnv, startTestHub, uniqueNames } from '../support/hub';
import { waitFor } from '../support/wait';
import { githubRequest, post, pushPayload, testSources } from '../support/webhooks';

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

const BUSY = /SQLITE_BUSY|database is locked/i;

// Scenario: three kinds of process write to one local store at once: a hub (ingest claims idempotency keys,
// the archiver writes events, the API serves), a second role process started by the CLI (`hookhub start --roles
// ingest,archiver`) and `hookhub keys create` run many times in parallel. Every webhook is accepted, every CLI
// run succeeds, everything lands in the store, and no caller or log ever sees SQLITE_BUSY.
describe('many processes writing one local store', () => {
  const names = uniqueNames('storewriters');
  const se = stackEnv();
  const uri = se.mongodbUri.replace(/\/[^/?]*(\?|$)/, `/${names.dbName}$1`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookhub-writers-'));
  let hub: Hub;
  let second: ChildProcess;
  let secondUrl = '';
  let secondOutput = '';

  beforeAll(async () => {
    const config = { sources: testSources(), agents: [], routes: [], subscriptions: [] };
    fs.writeFileSync(path.join(dir, 'hookhub.yaml'), JSON.stringify(config));
    hub = await startTestHub('writers', { roles: ['ingest', 'archiver', 'api'], names, config });
    const port = await freePort();
    secondUrl = `http://127.0.0.1:${port}`;
    second = spawn('node', [HOOKHUB_BIN, 'start', '--roles', 'ingest,archiver'], {
      cwd: dir,
      env: {
        ...process.env,
        KAFKA_BROKERS: se.kafkaBrokers.join(','),
        MONGODB_URI: uri,
        HOOKHUB_CONFIG: path.join(dir, 'hookhub.yaml'),
        HOOKHUB_PORT: String(port),
        HOOKHUB_HOST: '127.0.0.1',
        HOOKHUB_TOPIC_PREFIX: names.topicPrefix,
        HOOKHUB_KAFKA_CLIENT_ID: names.clientId,
        HOOKHUB_TOPIC_PARTITIONS: '2',
        HOOKHUB_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    second.stdout?.on('data', (d: Buffer) => (secondOutput += d.toString()));
    second.stderr?.on('data', (d: Buffer) => (secondOutput += d.toString()));
    await waitFor('the second role process answers /readyz', async () => (await fetch(`${secondUrl}/readyz`).catch(() => undefined))?.status === 200, 180000);
  }, 240000);

  afterAll(async () => {
    if (second && second.exitCode === null) {
      second.kill('SIGTERM');
      await new Promise((resolve) => second.once('exit', resolve));
    }
    await hub?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('accepts every webhook and key, stores them all, and no caller sees SQLITE_BUSY', async () => {
    const perProcess = 40;
    const refusals: string[] = [];
    // Like a real sender, retry a 503 (on a machine this busy, a deadline may pass); what matters here is why.
    const send = async (url: string, n: number): Promise<number[]> => {
      const statuses: number[] = [];
      const worker = async (w: number): Promise<void> => {
        for (let i = w; i < n; i += 4) {
          const req = await githubRequest('push', pushPayload(`acme/repo-${i % 7}`));
          let res = await post(`${url}/webhooks/github`, req);
          for (let tries = 1; res.status === 503 && tries < 10; tries++) {
            refusals.push(JSON.stringify(res.json));
            res = await post(`${url}/webhooks/github`, req);
          }
          statuses.push(res.status);
        }
      };
      await Promise.all([0, 1, 2, 3].map(worker));
      return statuses;
    };
    const cli = (i: number): Promise<CliRun> => hookhub(['keys', 'create', '--role', 'viewer', '--name', `writer-${i}`, '--quiet'], { MONGODB_URI: uri, HOOKHUB_LOG_LEVEL: 'warn' });
    const [fromHub, fromSecond, runs] = await Promise.all([send(hub.url, perProcess), send(secondUrl, perProcess), Promise.all([0, 1, 2, 3, 4, 5].map(cli))]);

    expect(refusals.filter((r) => BUSY.test(r))).toEqual([]);
    expect([...fromHub, ...fromSecond].filter((s) => s !== 202)).toEqual([]);
    for (const r of runs) {
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      expect(r.stdout).toMatch(/^hh_|\S{20,}/);
    }
    const db = hub.ctx.mongo.db;
    if (!db) throw new Error('no database');
    expect(await db.collection('apikeys').countDocuments({ name: /^writer-/ })).toBe(runs.length);
    await waitFor('both archivers stored every event', async () => (await db.collection('events').countDocuments({})) === 2 * perProcess, 120000);
    expect(secondOutput).not.toMatch(BUSY);
    expect(second.exitCode).toBeNull();
  }, 300000);
});
