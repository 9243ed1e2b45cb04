import type { Hub } from '../../src/app/hub';
import type { ApiKeyView } from '../../src/api/domain/keys';
import { apiClient, keyFor, OpenApiConformance, openApiOf, type ApiCall } from '../support/api';
import { startTestHub } from '../support/hub';
import { waitFor } from '../support/wait';

interface KeyPage {
  items: ApiKeyView[];
  nextCursor: string | null;
}
interface Problem {
  code: string;
  status: number;
  errors?: { path: string; message: string }[];
}

// Scenario: an admin manages API keys through HTTP on the real stack. A created key is returned once and works
// at once; listings show the prefix only (never the key or its hash) and page stably; renames honour If-Match;
// a revoked key stops working at once. Bad input and injection attempts are 400 `validation_failed` naming the
// field, and never reach the database. Every answer conforms to the served OpenAPI document, and every keys
// and meta operation answers with a conforming success at least once.
describe('Management API: keys', () => {
  let hub: Hub;
  let call: ApiCall;
  let conformance: OpenApiConformance;
  let admin: string;
  let adminId: string;

  beforeAll(async () => {
    hub = await startTestHub('apikeys', { roles: ['api'] });
    conformance = new OpenApiConformance(await openApiOf(hub));
    call = apiClient(hub, conformance);
    ({ secret: admin, id: adminId } = await keyFor(hub, 'admin', 'bootstrap'));
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('serves its OpenAPI document without a key', async () => {
    const res = await call<{ openapi: string }>('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
  });

  it('creates a key that is shown once, works at once and is stored as a hash only', async () => {
    const created = await call<{ key: string; apiKey: ApiKeyView }>('POST', '/keys', { key: admin, body: { role: 'operator', name: 'deploy bot' } });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^hh_[A-Za-z0-9_-]{43}$/);
    expect(created.body.apiKey).toMatchObject({ role: 'operator', name: 'deploy bot', createdBy: adminId, revokedAt: null, version: 1 });
    expect(created.body.key.startsWith(created.body.apiKey.prefix)).toBe(true);
    expect(created.headers.get('location')).toBe(`/api/v1/keys/${created.body.apiKey.id}`);

    const me = await call('GET', '/me', { key: created.body.key });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ keyId: created.body.apiKey.id, name: 'deploy bot', role: 'operator' });

    const raw = await hub.ctx.mongo.collection('apikeys').findOne({ _id: created.body.apiKey.id as never });
    expect(JSON.stringify(raw)).not.toContain(created.body.key);
    expect(raw?.hash).toMatch(/^[a-f0-9]{64}$/);

    const got = await call<ApiKeyView>('GET', `/keys/${created.body.apiKey.id}`, { key: admin });
    expect(got.status).toBe(200);
    expect(Object.keys(got.body).sort()).toEqual(['createdAt', 'createdBy', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt', 'role', 'version']);
    // lastUsedAt is written in the background after the key was used
    const firstUse = await waitFor('lastUsedAt', async () => (await call<ApiKeyView>('GET', `/keys/${created.body.apiKey.id}`, { key: admin })).body.lastUsedAt);
    // within the throttle window another use does not write again
    expect((await call('GET', '/me', { key: created.body.key })).status).toBe(200);
    expect((await call<ApiKeyView>('GET', `/keys/${created.body.apiKey.id}`, { key: admin })).body.lastUsedAt).toBe(firstUse);
  });

  it('pages through more than one page in a stable newest-first order, with filters', async () => {
    for (let i = 0; i < 7; i += 1) expect((await call('POST', '/keys', { key: admin, body: { role: 'analyst', name: `page-${i}` } })).status).toBe(201);
    const all = await hub.ctx.mongo.collection('apikeys').countDocuments({});
    const seen: ApiKeyView[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: KeyPage } = await call<KeyPage>('GET', `/keys?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { key: admin });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(Math.ceil(all / 3));
    expect(seen).toHaveLength(all);
    expect(new Set(seen.map((k) => k.id)).size).toBe(all);
    const order = seen.map((k) => [k.createdAt, k.id].join(' '));
    expect(order).toEqual([...order].sort().reverse());

    const analysts = await call<KeyPage>('GET', '/keys?role=analyst&limit=200', { key: admin });
    expect(analysts.body.items.length).toBe(7);
    expect(analysts.body.items.every((k) => k.role === 'analyst')).toBe(true);
    expect(analysts.body.nextCursor).toBeNull();
  });

  it('renames with If-Match and refuses a stale version with 412', async () => {
    const { id } = await keyFor(hub, 'analyst', 'to-rename');
    const got = await call<ApiKeyView>('GET', `/keys/${id}`, { key: admin });
    expect(got.headers.get('etag')).toBe('"1"');
    const first = await call<ApiKeyView>('PATCH', `/keys/${id}`, { key: admin, body: { name: 'renamed' }, headers: { 'if-match': '"1"' } });
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"2"');
    expect(first.body).toMatchObject({ name: 'renamed', version: 2 });
    const stale = await call<Problem>('PATCH', `/keys/${id}`, { key: admin, body: { name: 'lost update' }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('precondition_failed');
    const unconditional = await call<ApiKeyView>('PATCH', `/keys/${id}`, { key: admin, body: { name: 'last' } });
    expect(unconditional.body).toMatchObject({ name: 'last', version: 3 });
    const bad = await call<Problem>('PATCH', `/keys/${id}`, { key: admin, body: { name: 'x' }, headers: { 'if-match': 'yesterday' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.path).toBe('/headers/if-match');
    expect((await call<Problem>('PATCH', '/keys/key_0000000000000000', { key: admin, body: { name: 'x' } })).status).toBe(404);
  });

  it('revokes a key: it stops working at once, and revoking again changes nothing', async () => {
    const { id, secret } = await keyFor(hub, 'operator', 'short-lived');
    expect((await call('GET', '/me', { key: secret })).status).toBe(200);
    const revoked = await call<ApiKeyView>('DELETE', `/keys/${id}`, { key: admin });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const after = await call<Problem>('GET', '/me', { key: secret });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('unauthorized');
    expect(after.headers.get('www-authenticate')).toBe('Bearer realm="hookhub"');
    const again = await call<ApiKeyView>('DELETE', `/keys/${id}`, { key: admin });
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    const listed = await call<KeyPage>('GET', '/keys?revoked=true', { key: admin });
    expect(listed.body.items.map((k) => k.id)).toContain(id);
    const live = await call<KeyPage>('GET', '/keys?revoked=false&limit=200', { key: admin });
    expect(live.body.items.map((k) => k.id)).not.toContain(id);
    expect((await call('DELETE', '/keys/key_ffffffffffffffff', { key: admin })).status).toBe(404);
  });

  it('rejects bad input with 400 validation_failed naming each field', async () => {
    const body = await call<Problem>('POST', '/keys', { key: admin, body: { role: 'root', color: 'red' } });
    expect(body.status).toBe(400);
    expect(body.contentType).toContain('application/problem+json');
    expect(body.body.code).toBe('validation_failed');
    expect(body.body.errors).toEqual(expect.arrayContaining([{ path: '/body/role', message: 'must be one of admin, operator, analyst' }, { path: '/body/color', message: 'is not allowed' }]));

    for (const q of ['limit=0', 'limit=201', 'limit=abc', 'limit=1.5']) {
      const res = await call<Problem>('GET', `/keys?${q}`, { key: admin });
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.path).toBe('/query/limit');
    }
    expect((await call<Problem>('GET', '/keys?revoked=maybe', { key: admin })).body.errors?.[0]?.path).toBe('/query/revoked');
    expect((await call<Problem>('GET', '/keys?cursor=bm9wZQ', { key: admin })).body.errors).toEqual([{ path: '/query/cursor', message: expect.stringMatching(/^must match pattern/) }]);
    expect((await call<Problem>('GET', '/keys/not-a-key-id', { key: admin })).body.errors?.[0]?.path).toBe('/params/id');
    expect((await call<Problem>('GET', '/me?verbose=1', { key: admin })).body.errors).toEqual([{ path: '/query/verbose', message: 'is not allowed' }]);

    const noBody = await call<Problem>('POST', '/keys', { key: admin });
    expect(noBody.body.errors).toEqual([{ path: '/body', message: 'a JSON body is required' }]);
    const malformed = await call<Problem>('POST', '/keys', { key: admin, rawBody: '{"role":', headers: { 'content-type': 'application/json' } });
    expect([malformed.status, malformed.body.code]).toEqual([400, 'json_malformed']);
    const text = await call<Problem>('POST', '/keys', { key: admin, rawBody: 'role=admin', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect([text.status, text.body.code]).toEqual([415, 'unsupported_media_type']);
    const big = await call<Problem>('POST', '/keys', { key: admin, body: { role: 'admin', name: 'x'.repeat(2 * 1024 * 1024) } });
    expect([big.status, big.body.code]).toEqual([413, 'payload_too_large']);
    const wrongMethod = await call<Problem>('PUT', '/keys', { key: admin });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST, GET, HEAD, OPTIONS');
  });

  it('keeps MongoDB operators and prototype keys out of queries and bodies', async () => {
    const before = await hub.ctx.mongo.collection('apikeys').countDocuments({});
    const attempts: [string, string, { body?: unknown; rawBody?: string }, string][] = [
      ['GET', '/keys?role[$ne]=admin', {}, '/query/role[$ne]'],
      ['GET', '/keys?role=admin&role=analyst', {}, '/query/role'],
      ['GET', '/keys?$where=1', {}, '/query/$where'],
      ['GET', '/keys?revoked[$exists]=true', {}, '/query/revoked[$exists]'],
      ['GET', '/keys/%7B%22%24ne%22%3Anull%7D', {}, '/params/id'],
      ['POST', '/keys', { body: { role: { $ne: null } } }, '/body/role/$ne'],
      ['POST', '/keys', { body: { role: 'admin', name: { $gt: '' } } }, '/body/name/$gt'],
      ['POST', '/keys', { body: { role: 'admin', 'name.first': 'x' } }, '/body/name.first'],
      ['POST', '/keys', { rawBody: '{"role":"admin","__proto__":{"role":"admin"}}' }, '/body/__proto__'],
      ['POST', '/keys', { rawBody: '{"role":"admin","constructor":{"prototype":{"polluted":true}}}' }, '/body/constructor'],
      ['PATCH', `/keys/${adminId}`, { body: { name: 'x', $set: { role: 'admin' } } }, '/body/$set'],
    ];
    for (const [method, path, opts, field] of attempts) {
      const res = await call<Problem>(method, path, { key: admin, ...opts, ...(opts.rawBody ? { headers: { 'content-type': 'application/json' } } : {}) });
      expect({ attempt: `${method} ${path}`, status: res.status, code: res.body.code }).toEqual({ attempt: `${method} ${path}`, status: 400, code: 'validation_failed' });
      expect(res.body.errors?.map((e) => e.path)).toContain(field);
    }
    expect(await hub.ctx.mongo.collection('apikeys').countDocuments({})).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const adminNow = await call<ApiKeyView>('GET', `/keys/${adminId}`, { key: admin });
    expect(adminNow.body.name).toBe('bootstrap');
  });

  it('echoes the request id and answers every keys and meta operation conformingly', async () => {
    const res = await call('GET', '/keys?limit=1', { key: admin, headers: { 'x-request-id': 'keys-req-1' } });
    expect(res.headers.get('x-request-id')).toBe('keys-req-1');
    expect(conformance.failures).toEqual([]);
    expect(conformance.uncovered('keys')).toEqual([]);
    expect(conformance.uncovered('meta')).toEqual([]);
  });
});
