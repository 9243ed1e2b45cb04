import type { Hub } from '../../src/app/hub';
import { freePort } from '../support/broker';
import { startTestHub } from '../support/hub';

// Scenario: /metrics is behind a bearer token when HOOKHUB_METRICS_TOKEN is set, and /readyz tells anyone
// only which dependency is down, never the driver's error (host names, ports, internals).
describe('security: metrics and health answers', () => {
  let hub: Hub;
  let deadBroker: string;
  const token = 'metrics-token-for-tests-0123456789';

  beforeAll(async () => {
    deadBroker = `127.0.0.1:${await freePort()}`;
    // No role uses Kafka at boot, so the hub starts with a broker address nothing listens on.
    hub = await startTestHub('secmetrics', { roles: [], env: { metricsToken: token, kafkaBrokers: [deadBroker], readyTimeoutMs: 1000 } });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('/metrics answers 401 without the token or with a wrong one, and the metrics with it', async () => {
    const none = await fetch(`${hub.url}/metrics`);
    expect([none.status, ((await none.json()) as { code: string }).code]).toEqual([401, 'metrics_unauthorized']);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    const wrong = await fetch(`${hub.url}/metrics`, { headers: { authorization: `Bearer ${token}x` } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('process_cpu');
    const right = await fetch(`${hub.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('process_cpu_user_seconds_total');
  });

  it('/readyz names the failing dependency without its error text', async () => {
    const res = await fetch(`${hub.url}/readyz`);
    const text = await res.text();
    expect(res.status).toBe(503);
    expect(JSON.parse(text)).toMatchObject({ code: 'not_ready', failing: ['kafka'], checks: { kafka: 'unavailable', mongodb: 'ok' } });
    expect(text).not.toContain(deadBroker.split(':')[1] as string);
    expect(text).not.toMatch(/ECONNREFUSED|did not answer|Connection/i);
  });
});
