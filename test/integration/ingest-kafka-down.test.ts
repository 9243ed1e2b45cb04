import { randomUUID } from 'node:crypto';
import type { Hub } from '../../src/app/hub';
import { MongoIdempotencyStore } from '../../src/ingest/data-access/idempotency-repository';
import { startKafka, stopKafka, type KafkaInstance } from '../../src/stack/kafka';
import { removeOwnBroker, startOwnBroker } from '../support/broker';
import { startTestHub } from '../support/hub';
import { waitFor } from '../support/wait';
import { githubRequest, post, pushPayload, testSources } from '../support/webhooks';

// Scenario: the hub's broker dies. A webhook must then be answered 503 kafka_unavailable with Retry-After within
// the ack timeout, and nothing may be recorded as accepted; once the broker is back the sender's retry of the
// same delivery is answered 202. The test runs a broker of its own so the shared test broker is never disturbed.
describe('ingest when Kafka is down', () => {
  let kafka: KafkaInstance;
  let hub: Hub;

  beforeAll(async () => {
    kafka = await startOwnBroker();
    hub = await startTestHub('ingestdown', {
      roles: ['ingest'],
      config: { sources: testSources(), agents: [], routes: [], subscriptions: [] },
      env: { kafkaBrokers: [`127.0.0.1:${kafka.port}`], kafkaAckTimeoutMs: 2000 },
    });
  }, 120000);

  afterAll(async () => {
    await hub?.stop().catch(() => undefined);
    await removeOwnBroker(kafka);
  }, 60000);

  it('503 with Retry-After while the broker is down, nothing accepted, then 202 on the retry', async () => {
    const warm = await post(`${hub.url}/webhooks/github`, await githubRequest('push', pushPayload()));
    expect(warm.status).toBe(202);

    await stopKafka(kafka);
    const delivery = randomUUID();
    const started = Date.now();
    const down = await post(`${hub.url}/webhooks/github`, await githubRequest('push', pushPayload(), delivery));
    expect(down.status).toBe(503);
    expect(down.json.code).toBe('kafka_unavailable');
    expect(Number(down.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Date.now() - started).toBeLessThan(10000);
    const keys = new MongoIdempotencyStore(hub.ctx.mongo);
    expect((await keys.get('github', delivery))?.state).not.toBe('accepted');

    await startKafka(kafka, () => undefined);
    const retried = await waitFor(
      '202 after the broker is back',
      async () => {
        const res = await post(`${hub.url}/webhooks/github`, await githubRequest('push', pushPayload(), delivery));
        return res.status === 202 || res.status === 200 ? res : undefined;
      },
      60000,
      500,
    );
    expect(retried.status).toBe(202);
    await waitFor('the key recorded as accepted', async () => (await keys.get('github', delivery))?.state === 'accepted');
  }, 150000);
});
