import path from 'node:path';
import type { Hub } from '../../src/app/hub';
import { loadHubConfig } from '../../src/config/file';
import { SourcesRepository } from '../../src/ingest/data-access/sources-repository';
import { SchemaRegistry } from '../../src/platform/schemas';
import { startTestHub, uniqueNames } from '../support/hub';
import { waitFor } from '../support/wait';
import { githubRequest, partnerRequest, post, pushPayload, stripeEvent, stripeRequest, taskPayload } from '../support/webhooks';

const root = path.join(__dirname, '..', '..');

// Scenario: the shipped hookhub.yaml is loaded with secrets from the environment and its three sources accept
// correctly signed webhooks; sources live in MongoDB, so an edit made through the repository (as the API will)
// applies to a running hub within the cache time; a config source that can never work fails boot.
describe('sources', () => {
  const names = uniqueNames('ingestsources');
  const secrets = { GITHUB_WEBHOOK_SECRET: 'yaml-gh', STRIPE_WEBHOOK_SECRET: 'whsec_yaml_stripe', PARTNER_WEBHOOK_SECRET: 'whsec_' + Buffer.from('yaml partner secret').toString('base64') };
  let hub: Hub;

  beforeAll(async () => {
    const config = loadHubConfig(path.join(root, 'hookhub.yaml'), SchemaRegistry.load(path.join(root, 'schemas')), secrets);
    hub = await startTestHub('ingestsources', { roles: ['ingest'], names, config, env: { sourcesCacheMs: 300 } });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('the shipped hookhub.yaml sources accept signed webhooks', async () => {
    expect((await post(`${hub.url}/webhooks/github`, await githubRequest('push', pushPayload(), undefined, secrets.GITHUB_WEBHOOK_SECRET))).status).toBe(202);
    expect((await post(`${hub.url}/webhooks/stripe`, stripeRequest(stripeEvent(), { secret: secrets.STRIPE_WEBHOOK_SECRET }))).status).toBe(202);
    expect((await post(`${hub.url}/webhooks/partner`, partnerRequest(taskPayload(), { secret: secrets.PARTNER_WEBHOOK_SECRET }))).status).toBe(202);
  });

  it('config sources are stored with their origin; list/get/upsert/delete work and a running hub follows', async () => {
    const repo = new SourcesRepository(hub.ctx.mongo, { cacheMs: 0 });
    expect((await repo.list()).map((s) => [s.id, s.origin])).toEqual([['github', 'config'], ['partner', 'config'], ['stripe', 'config']]);
    const gh = await repo.get('github');
    expect(gh).toMatchObject({ id: 'github', verification: { scheme: 'github', secrets: ['yaml-gh'] }, eventType: { header: 'X-GitHub-Event', prefix: 'github.' } });
    expect(gh).not.toHaveProperty('_id');

    // Rotate the secret the way the API would: the running hub accepts the new one within its cache time.
    await repo.upsert({ ...(gh as NonNullable<typeof gh>), verification: { scheme: 'github', secrets: ['rotated'] } }, 'api');
    await waitFor('new secret accepted', async () => (await post(`${hub.url}/webhooks/github`, await githubRequest('push', pushPayload(), undefined, 'rotated'))).status === 202, 5000);
    expect((await post(`${hub.url}/webhooks/github`, await githubRequest('push', pushPayload(), undefined, 'yaml-gh'))).status).toBe(401);

    await repo.upsert({ id: 'extra', verification: { scheme: 'none', allowUnsigned: true }, eventType: { fixed: 'extra.ping' }, enabled: false }, 'api');
    await new Promise((r) => setTimeout(r, 400));
    expect((await post(`${hub.url}/webhooks/extra`, { body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(404);
    await repo.upsert({ id: 'extra', verification: { scheme: 'none', allowUnsigned: true }, eventType: { fixed: 'extra.ping' } }, 'api');
    expect((await repo.get('extra'))?.enabled).toBeUndefined();
    await waitFor('enabled source served', async () => (await post(`${hub.url}/webhooks/extra`, { body: '{}', headers: { 'content-type': 'application/json' } })).status === 202, 5000);
    expect(await repo.delete('extra')).toBe(true);
    expect(await repo.delete('extra')).toBe(false);
    await waitFor('deleted source gone', async () => (await post(`${hub.url}/webhooks/extra`, { body: '{}', headers: { 'content-type': 'application/json' } })).status === 404, 5000);
  });

  it('boot fails naming a config source that maps to a schema that does not exist', async () => {
    await expect(
      startTestHub('ingestbad', {
        roles: ['ingest'],
        config: { sources: [{ id: 'bad', verification: { scheme: 'github', secrets: ['x'] }, schemas: [{ type: '*', schema: 'github/nope' }] }], agents: [], routes: [], subscriptions: [] },
      }),
    ).rejects.toThrow(/source bad: \/schemas\/0\/schema no schema named github\/nope/);
  });
});
