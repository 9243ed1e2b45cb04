import type { Hub } from '../../src/app/hub';
import { type ApiCall, apiTestKit, keyFor, type OpenApiConformance } from '../support/api';
import { startTestHub } from '../support/hub';
import { waitFor } from '../support/wait';
import { post } from '../support/webhooks';
import { openSecret } from '../support/secrets-key';

interface SourceView {
  id: string;
  enabled: boolean;
  version: number;
  origin: string;
  topic: string;
  url: string;
  verification: { scheme: string; secretCount: number; secretHints: string[]; secrets?: string[] };
  description?: string;
}
interface Page {
  items: SourceView[];
  nextCursor: string | null;
}
interface Problem {
  code: string;
  errors?: { path: string; message: string }[];
}

const SECRET_A = 'whsec_' + Buffer.from('api sources secret A').toString('base64');
const webhook = (hub: Hub, id: string) => post(`${hub.url}/webhooks/${id}`, { body: '{"hello":"world"}', headers: { 'content-type': 'application/json' } });

// Scenario: an operator manages webhook sources through HTTP on a hub that also runs ingest. A created source
// takes webhooks within the ingest cache time, disabling it makes them 404 and enabling brings them back, and
// a deleted one is gone; secrets are write-only (count + last 4 characters on read, never in any answer);
// edits honour If-Match; analysts read but may not write; lists page in id order with filters; bad sources
// (reserved id, unusable secrets, unknown fields, duplicates) are 400/409 and change nothing.
describe('Management API: sources', () => {
  let hub: Hub;
  let call: ApiCall;
  let conformance: OpenApiConformance;
  let operator: string;
  let analyst: string;
  let admin: string;

  beforeAll(async () => {
    hub = await startTestHub('apisources', { roles: ['api', 'ingest'], env: { sourcesCacheMs: 200 } });
    ({ conformance, call, operator, analyst } = await apiTestKit(hub));
    admin = (await keyFor(hub, 'admin')).secret;
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('creates a source that ingest serves, masks its secrets and follows enable/disable/delete', async () => {
    const created = await call<SourceView>('POST', '/sources', {
      key: operator,
      body: { id: 'shop', description: 'shop events', verification: { scheme: 'standard-webhooks', secrets: [SECRET_A] }, eventType: { pointer: '/type' } },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/api/v1/sources/shop');
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body).toMatchObject({ id: 'shop', enabled: true, origin: 'api', version: 1, url: '/webhooks/shop', verification: { scheme: 'standard-webhooks', secretCount: 1, secretHints: [`…${SECRET_A.slice(-4)}`] } });
    expect(JSON.stringify(created.body)).not.toContain(SECRET_A);
    expect(created.body.topic).toBe(hub.ctx.topics.inbound('shop'));

    // scheme none (an admin's choice): ingest accepts unsigned webhooks, so the effect on ingest is easy to see
    expect((await call('POST', '/sources', { key: admin, body: { id: 'open', verification: { scheme: 'none', allowUnsigned: true }, eventType: { fixed: 'open.ping' } } })).status).toBe(201);
    await waitFor('new source accepted by ingest', async () => (await webhook(hub, 'open')).status === 202, 10_000);

    const disabled = await call<SourceView>('POST', '/sources/open/disable', { key: operator });
    expect([disabled.status, disabled.body.enabled, disabled.body.version]).toEqual([200, false, 2]);
    await waitFor('disabled source refused', async () => (await webhook(hub, 'open')).status === 404, 10_000);
    const enabled = await call<SourceView>('POST', '/sources/open/enable', { key: admin, headers: { 'if-match': '"2"' } });
    expect([enabled.status, enabled.body.enabled, enabled.body.version]).toEqual([200, true, 3]);
    await waitFor('re-enabled source accepted', async () => (await webhook(hub, 'open')).status === 202, 10_000);
    expect((await call<Problem>('POST', '/sources/open/disable', { key: operator, headers: { 'if-match': '"2"' } })).status).toBe(412);

    const got = await call<SourceView>('GET', '/sources/shop', { key: analyst });
    expect(got.status).toBe(200);
    expect(got.body.verification).not.toHaveProperty('secrets');

    const deleted = await call('DELETE', '/sources/open', { key: operator });
    expect(deleted.status).toBe(204);
    await waitFor('deleted source gone', async () => (await webhook(hub, 'open')).status === 404, 10_000);
    expect((await call<Problem>('GET', '/sources/open', { key: operator })).body.code).toBe('not_found');
    expect((await call<Problem>('DELETE', '/sources/open', { key: operator })).status).toBe(404);
  });

  it('updates with If-Match, keeps secrets when only the scheme options change, and rotates them on request', async () => {
    const first = await call<SourceView>('PATCH', '/sources/shop', { key: operator, body: { description: 'renamed' }, headers: { 'if-match': '"1"' } });
    expect([first.status, first.body.description, first.body.version, first.headers.get('etag')]).toEqual([200, 'renamed', 2, '"2"']);
    const stale = await call<Problem>('PATCH', '/sources/shop', { key: operator, body: { description: 'lost' }, headers: { 'if-match': '"1"' } });
    expect([stale.status, stale.body.code]).toEqual([412, 'precondition_failed']);

    const kept = await call<SourceView>('PATCH', '/sources/shop', { key: operator, body: { verification: { scheme: 'standard-webhooks', toleranceSeconds: 60 } } });
    expect(kept.body.verification).toMatchObject({ secretCount: 1, toleranceSeconds: 60 });
    const secretB = 'whsec_' + Buffer.from('api sources secret B').toString('base64');
    const rotated = await call<SourceView>('PATCH', '/sources/shop', { key: operator, body: { verification: { scheme: 'standard-webhooks', secrets: [secretB, SECRET_A] } } });
    expect(rotated.body.verification.secretHints).toEqual([`…${secretB.slice(-4)}`, `…${SECRET_A.slice(-4)}`]);
    const stored = await hub.ctx.mongo.collection('sources').findOne({ id: 'shop' });
    expect(JSON.stringify(stored)).not.toContain(secretB);
    expect((stored?.verification.secrets as string[]).map(openSecret)).toEqual([secretB, SECRET_A]);

    const bad = await call<Problem>('PATCH', '/sources/shop', { key: operator, body: { verification: { scheme: 'github', secrets: [] } } });
    expect([bad.status, bad.body.errors]).toEqual([400, [{ path: '/body/verification/secrets', message: 'scheme github needs at least one secret' }]]);
    expect((await call<Problem>('PATCH', '/sources/nope', { key: operator, body: { description: 'x' } })).status).toBe(404);
    expect((await call<Problem>('PATCH', '/sources/shop', { key: analyst, body: { description: 'x' } })).status).toBe(403);
  });

  it('pages in id order with filters', async () => {
    for (let i = 0; i < 5; i += 1) {
      expect((await call('POST', '/sources', { key: admin, body: { id: `page-${i}`, enabled: i % 2 === 0, verification: { scheme: 'none', allowUnsigned: true }, eventType: { fixed: 'x.y' } } })).status).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: Page } = await call<Page>('GET', `/sources?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { key: analyst });
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((s) => s.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4', 'shop']);
    const off = await call<Page>('GET', '/sources?enabled=false', { key: analyst });
    expect(off.body.items.map((s) => s.id)).toEqual(['page-1', 'page-3']);
    const fromApi = await call<Page>('GET', '/sources?origin=config', { key: analyst });
    expect(fromApi.body.items).toEqual([]);
  });

  it('refuses bad, reserved, duplicate and injected sources', async () => {
    const before = await hub.ctx.mongo.collection('sources').countDocuments({});
    const dup = await call<Problem>('POST', '/sources', { key: admin, body: { id: 'shop', verification: { scheme: 'none', allowUnsigned: true } } });
    expect([dup.status, dup.body.code]).toEqual([409, 'already_exists']);
    const reserved = await call<Problem>('POST', '/sources', { key: operator, body: { id: 'api', verification: { scheme: 'none', allowUnsigned: true } } });
    expect([reserved.status, reserved.body.errors?.[0]?.path]).toEqual([400, '/body/id']);
    const noSecret = await call<Problem>('POST', '/sources', { key: operator, body: { id: 'gh', verification: { scheme: 'github' } } });
    expect(noSecret.body.errors).toEqual([{ path: '/body/verification/secrets', message: 'scheme github needs at least one secret' }]);
    const unknown = await call<Problem>('POST', '/sources', { key: operator, body: { id: 'x', verification: { scheme: 'none', allowUnsigned: true }, owner: 'me' } });
    expect(unknown.body.errors?.map((e) => e.path)).toContain('/body/owner');
    for (const topic of [hub.ctx.topics.results, hub.ctx.topics.inbound('api'), 'elsewhere']) {
      const res = await call<Problem>('POST', '/sources', { key: operator, body: { id: 'sneaky', verification: { scheme: 'none', allowUnsigned: true }, topic } });
      expect([res.status, res.body.errors?.[0]?.path]).toEqual([400, '/body/topic']);
    }
    const ownTopic = await call<SourceView>('POST', '/sources', { key: admin, body: { id: 'own-topic', verification: { scheme: 'none', allowUnsigned: true }, topic: hub.ctx.topics.inbound('shared') } });
    expect([ownTopic.status, ownTopic.body.topic]).toEqual([201, hub.ctx.topics.inbound('shared')]);
    expect((await call('DELETE', '/sources/own-topic', { key: operator })).status).toBe(204);
    const injected = await call<Problem>('GET', '/sources?origin[$ne]=api', { key: operator });
    expect(injected.status).toBe(400);
    expect((await call<Problem>('GET', '/sources?cursor=not%2Bbase64url', { key: operator })).body.errors).toEqual([{ path: '/query/cursor', message: expect.stringMatching(/^must match pattern/) }]);
    expect((await call<Problem>('POST', '/sources', { key: analyst, body: { id: 'x', verification: { scheme: 'none', allowUnsigned: true } } })).status).toBe(403);
    expect(await hub.ctx.mongo.collection('sources').countDocuments({})).toBe(before);
  });

  it('answers every sources operation conformingly', () => {
    expect(conformance.failures).toEqual([]);
    expect(conformance.uncovered('sources')).toEqual([]);
  });
});
