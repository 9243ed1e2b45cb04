import type { Hub } from '../../src/app/hub';
import { startKafka, stopKafka, type KafkaInstance } from '../../src/stack/kafka';
import { removeOwnBroker, startOwnBroker } from '../support/broker';
import { startTestHub } from '../support/hub';
import { waitFor } from '../support/wait';

// Scenario: the hub's own broker dies. /readyz must say 503 naming Kafka within 10 s, and 200 once the broker
// is back. This test runs a broker of its own so the shared test broker is never disturbed.
describe('readiness follows Kafka', () => {
  let kafka: KafkaInstance;
  let hub: Hub;

  beforeAll(async () => {
    kafka = await startOwnBroker();
    hub = await startTestHub('readyz', { roles: [], env: { kafkaBrokers: [`127.0.0.1:${kafka.port}`], readyTimeoutMs: 1500 } });
  }, 120000);

  afterAll(async () => {
    await hub?.stop().catch(() => undefined);
    await removeOwnBroker(kafka);
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
