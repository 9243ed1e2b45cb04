import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { stackEnv, uniqueNames } from '../support/hub';
import { waitFor } from '../support/wait';

const bin = path.join(__dirname, '..', '..', 'bin', 'hookhub.js');

// Scenario: `hookhub start --dev` prints a signed curl example for the sample config's GitHub source. Sending
// exactly what it prints is answered 202, and sending it again 200 as a duplicate.
describe('dev banner curl example', () => {
  it('is correctly signed and shows the duplicate answer on a second send', async () => {
    const names = uniqueNames('devcurl');
    const se = stackEnv();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KAFKA_BROKERS: se.kafkaBrokers.join(','),
      MONGODB_URI: se.mongodbUri.replace(/\/[^/]*$/, `/${names.dbName}`),
      HOOKHUB_PORT: '0',
      HOOKHUB_HOST: '127.0.0.1',
      HOOKHUB_TOPIC_PREFIX: names.topicPrefix,
      HOOKHUB_KAFKA_CLIENT_ID: names.clientId,
      HOOKHUB_LOG_LEVEL: 'warn',
    };
    for (const k of ['HOOKHUB_CONFIG', 'GITHUB_WEBHOOK_SECRET', 'STRIPE_WEBHOOK_SECRET', 'PARTNER_WEBHOOK_SECRET']) delete env[k];
    const child = spawn('node', [bin, 'start', '--dev', '--roles', 'ingest'], { env, cwd: os.tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitFor('the curl example', () => out.includes('--data-binary'), 30000);
      const url = /curl -i -X POST (\S+)/.exec(out)?.[1] as string;
      const headers = Object.fromEntries([...out.matchAll(/-H '([^:']+): ([^']*)'/g)].map((m) => [m[1] as string, m[2] as string]));
      const body = /--data-binary '([^']*)'/.exec(out)?.[1] as string;
      expect(headers['x-hub-signature-256']).toMatch(/^sha256=[0-9a-f]{64}$/);
      const first = await fetch(url, { method: 'POST', headers, body });
      expect(first.status).toBe(202);
      const firstBody = (await first.json()) as { id: string };
      const again = await fetch(url, { method: 'POST', headers, body });
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ id: firstBody.id, duplicate: true });
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }, 60000);
});
