import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Hub } from '../../src/app/hub';
import { startKafka, stopKafka, type KafkaInstance } from '../../src/stack/kafka';
import { startTestHub } from '../support/hub';
import { waitFor } from '../support/wait';

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

// Scenario: the hub's own broker dies. /readyz must say 503 naming Kafka within 10 s, and 200 once the broker
// is back. This test runs a broker of its own so the shared test broker is never disturbed.
describe('readiness follows Kafka', () => {
  let kafka: KafkaInstance;
  let hub: Hub;

  beforeAll(async () => {
    kafka = { dir: fs.mkdtempSync(path.join(os.tmpdir(), 'hh-kafka-')), port: await freePort(), controllerPort: await freePort() };
    await startKafka(kafka, () => undefined);
    hub = await startTestHub('readyz', { roles: [], env: { kafkaBrokers: [`127.0.0.1:${kafka.port}`], readyTimeoutMs: 1500 } });
  }, 120000);

  afterAll(async () => {
    await hub?.stop().catch(() => undefined);
    if (kafka) {
      await stopKafka(kafka);
      fs.rmSync(kafka.dir, { recursive: true, force: true });
    }
  }, 60000);

  it('goes 200 → 503 naming kafka → 200', async () => {
    expect((await fetch(`${hub.url}/readyz`)).status).toBe(200);

    await stopKafka(kafka);
    const stoppedAt = Date.now();
    const down = await waitFor('503', async () => {
      const res = await fetch(`${hub.url}/readyz`);
      return res.status === 503 ? ((await res.json()) as { failing: string[]; code: string }) : undefined;
    }, 10000, 250);
    expect(Date.now() - stoppedAt).toBeLessThan(10000);
    expect(down.failing).toEqual(['kafka']);
    expect(down.code).toBe('not_ready');

    await startKafka(kafka, () => undefined);
    await waitFor('200 again', async () => (await fetch(`${hub.url}/readyz`)).status === 200, 30000, 250);
  }, 120000);
});
