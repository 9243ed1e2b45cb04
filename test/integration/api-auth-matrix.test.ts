import type { Hub } from '../../src/app/hub';
import { createApiDeps, defineApi } from '../../src/api/resources';
import { API_ROLES, pathParamNames, toOpenApiPath, type AnyRoute, type ApiRole } from '../../src/api/framework/route';
import { apiClient, keyFor, OpenApiConformance, openApiOf, type ApiCall } from '../support/api';
import { startTestHub } from '../support/hub';

interface Caller {
  name: string;
  role?: ApiRole;
  authorization?: string;
}

// Scenario: the auth matrix, walked generically over the route table (routes added later are covered without
// touching this file). For every route and every caller: public routes answer anyone; otherwise a request
// without a key, with an unknown, malformed or revoked key, or with another scheme is 401 `unauthorized`; a
// role the route does not list is 403 `forbidden`; a listed role gets past auth (whatever the handler then
// says: 2xx, 400 for the sample input, 404). Every answer conforms to the served OpenAPI document.
describe('Management API auth matrix', () => {
  let hub: Hub;
  let call: ApiCall;
  let conformance: OpenApiConformance;
  let routes: AnyRoute[];
  const callers: Caller[] = [];

  beforeAll(async () => {
    hub = await startTestHub('apimatrix', { roles: ['api'] });
    routes = defineApi(createApiDeps(hub.ctx)).resources.flatMap((r) => r.routes);
    conformance = new OpenApiConformance(await openApiOf(hub));
    call = apiClient(hub, conformance);
    for (const role of API_ROLES) callers.push({ name: role, role, authorization: `Bearer ${(await keyFor(hub, role)).secret}` });
    const revoked = await keyFor(hub, 'admin', 'revoked-admin');
    const admin = callers[0]?.authorization as string;
    expect((await call('DELETE', `/keys/${revoked.id}`, { headers: { authorization: admin } })).status).toBe(200);
    callers.push(
      { name: 'no key' },
      { name: 'unknown key', authorization: `Bearer hh_${'A'.repeat(43)}` },
      { name: 'malformed key', authorization: 'Bearer not-a-key' },
      { name: 'revoked key', authorization: `Bearer ${revoked.secret}` },
      { name: 'basic auth', authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
      { name: 'operator filter injection', authorization: 'Bearer {"$ne":null}' },
    );
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('the table and the OpenAPI document list the same operations', () => {
    const inDoc = conformance.operations.map((o) => `${o.method} ${o.template} ${o.operationId}`).sort();
    const inTable = routes.map((r) => `${r.method} ${toOpenApiPath(r.path)} ${r.operationId}`).sort();
    expect(inDoc).toEqual(inTable);
    for (const r of routes) {
      const op = conformance.operations.find((o) => o.operationId === r.operationId);
      expect(op?.roles).toEqual(r.roles === 'public' ? 'public' : [...r.roles]);
    }
  });

  it('answers every route × caller as the table says', async () => {
    const mismatches: string[] = [];
    let walked = 0;
    for (const r of routes) {
      const path = pathParamNames(r.path).reduce((p, name) => p.replace(`:${name}`, 'sample'), r.path);
      for (const c of callers) {
        const res = await call(r.method.toUpperCase(), path, { ...(c.authorization ? { headers: { authorization: c.authorization } } : {}), ...(r.body ? { body: {} } : {}) });
        walked += 1;
        const code = (res.body as { code?: string }).code;
        let expected: string;
        let ok: boolean;
        if (r.roles === 'public') {
          expected = 'not 401/403';
          ok = res.status !== 401 && res.status !== 403 && res.status < 500;
        } else if (!c.role) {
          expected = '401 unauthorized';
          ok = res.status === 401 && code === 'unauthorized';
        } else if (r.roles.includes(c.role)) {
          expected = 'past auth';
          ok = ![401, 403, 429].includes(res.status) && res.status < 500;
        } else {
          expected = '403 forbidden';
          ok = res.status === 403 && code === 'forbidden';
        }
        if (!ok) mismatches.push(`${r.method.toUpperCase()} ${r.path} as ${c.name}: expected ${expected}, got ${res.status} ${code ?? ''}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(walked).toBe(routes.length * callers.length);
    expect(conformance.failures).toEqual([]);
  });
});
