import { randomUUID } from 'node:crypto';
import type { Hub } from '../../src/app/hub';
import { MongoIdempotencyStore } from '../../src/ingest/data-access/idempotency-repository';
import { startTestHub, uniqueNames } from '../support/hub';
import { waitFor } from '../support/wait';
import { githubRequest, post, pushPayload, testSources } from '../support/webhooks';

// Scenario: idempotency keys are remembered for HOOKHUB_INGEST_KEY_RETENTION_MS, not forever. Within the window
// a redelivery is a duplicate; once the background pruning has deleted the key's records, the same delivery id
// is a new event. A retention shorter than the stale-claim bound is refused at boot.
describe('ingest idempotency retention', () => {
  const names = uniqueNames('ingestretention');
  let hub: Hub;

  beforeAll(async () => {
    hub = await startTestHub('retention', {
      roles: ['ingest'],
      names,
      config: { sources: testSources(), agents: [], routes: [], subscriptions: [] },
      env: { kafkaAckTimeoutMs: 1000, ingestClaimStaleMs: 1500, ingestKeyRetentionMs: 2500, ingestKeyPruneIntervalMs: 250 },
    });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('forgets a key once it is older than the retention, and then accepts the delivery as a new event', async () => {
    const delivery = randomUUID();
    const first = await post(`${hub.url}/webhooks/github`, await githubRequest('push', pushPayload(), delivery));
    expect(first.status).toBe(202);
    const again = await post(`${hub.url}/webhooks/github`, await githubRequest('push', pushPayload(), delivery));
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ id: first.json.id, duplicate: true });

    const keys = new MongoIdempotencyStore(hub.ctx.mongo);
    expect((await keys.get('github', delivery))?.state).toBe('accepted');
    await waitFor('the key pruned', async () => (await keys.get('github', delivery)) === undefined, 20000);

    const later = await post(`${hub.url}/webhooks/github`, await githubRequest('push', pushPayload(), delivery));
    expect(later.status).toBe(202);
    expect(later.json.id).not.toBe(first.json.id);
  });

  it('refuses a retention that does not exceed the stale-claim bound', async () => {
    await expect(
      startTestHub('retention-bad', { roles: ['ingest'], names: { ...names, clientId: `${names.clientId}-bad` }, config: { sources: testSources(), agents: [], routes: [], subscriptions: [] }, env: { ingestClaimStaleMs: 30000, ingestKeyRetentionMs: 20000 } }),
    ).rejects.toThrow(/HOOKHUB_INGEST_KEY_RETENTION_MS/);
  });
});
