import type { Hub } from '../../src/app/hub';
import { type ApiCall, apiTestKit, type OpenApiConformance } from '../support/api';
import { produceInbound } from '../support/agents';
import { startTestHub } from '../support/hub';
import { waitFor } from '../support/wait';

interface RouteView {
  id: string;
  agent: string;
  eventType: string;
  enabled: boolean;
  origin: string;
  version: number;
  filter?: Record<string, unknown>;
  input?: Record<string, unknown>;
}
interface Page {
  items: RouteView[];
  nextCursor: string | null;
}
interface Problem {
  code: string;
  errors?: { path: string; message: string }[];
}

// Scenario: an operator manages routes through HTTP on a hub that also runs the agents stage. A created route
// sends matching inbound events to its agent within the registry refresh; edits honour If-Match; routes to
// unknown agents, duplicates and unknown fields are refused; lists page in id order with filters; a deleted
// route is gone. Analysts read only.
describe('Management API: routes', () => {
  let hub: Hub;
  let call: ApiCall;
  let conformance: OpenApiConformance;
  let operator: string;
  let analyst: string;

  beforeAll(async () => {
    hub = await startTestHub('apiroutes', {
      roles: ['api', 'agents'],
      config: { sources: [], agents: [{ name: 'echo', runner: { kind: 'builtin', name: 'echo' } }, { name: 'other', runner: { kind: 'builtin', name: 'echo' } }], routes: [], subscriptions: [] },
      env: { agentsRefreshMs: 300 },
    });
    ({ conformance, call, operator, analyst } = await apiTestKit(hub));
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('creates a route that the agents stage follows, updates it with If-Match and deletes it', async () => {
    const created = await call<RouteView>('POST', '/routes', { key: operator, body: { id: 'orders', source: 'shop', eventType: 'order.*', filter: { '/total': 10 }, agent: 'echo', input: { total: '/total' } } });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/api/v1/routes/orders');
    expect(created.body).toMatchObject({ id: 'orders', agent: 'echo', enabled: true, origin: 'api', version: 1, filter: { '/total': 10 } });

    await hub.ctx.kafka.ensureTopics([hub.ctx.topics.inbound('shop')]);
    // routes and topics are re-read every 300 ms: send until one event is routed (each send is a new event)
    const executed = await waitFor('a routed execution', async () => {
      await produceInbound(hub, { source: 'shop', type: 'order.paid', data: { total: 10 } });
      const n = await hub.ctx.mongo.collection('executions').findOne({ agent: 'echo', route: 'orders' });
      return n ?? undefined;
    }, 30_000, 1000);
    expect(executed).toMatchObject({ agent: 'echo', route: 'orders' });

    const updated = await call<RouteView>('PATCH', '/routes/orders', { key: operator, body: { agent: 'other', enabled: false }, headers: { 'if-match': '"1"' } });
    expect([updated.status, updated.body.agent, updated.body.enabled, updated.body.version, updated.headers.get('etag')]).toEqual([200, 'other', false, 2, '"2"']);
    const stale = await call<Problem>('PATCH', '/routes/orders', { key: operator, body: { enabled: true }, headers: { 'if-match': '"1"' } });
    expect([stale.status, stale.body.code]).toEqual([412, 'precondition_failed']);
    expect((await call<RouteView>('GET', '/routes/orders', { key: analyst })).body.agent).toBe('other');

    expect((await call('DELETE', '/routes/orders', { key: operator })).status).toBe(204);
    expect((await call<Problem>('GET', '/routes/orders', { key: analyst })).body.code).toBe('not_found');
    expect((await call<Problem>('DELETE', '/routes/orders', { key: operator })).status).toBe(404);
  });

  it('refuses unknown agents, duplicates, unknown fields and analysts', async () => {
    const ghost = await call<Problem>('POST', '/routes', { key: operator, body: { id: 'r1', eventType: 'x.*', agent: 'ghost' } });
    expect([ghost.status, ghost.body.errors]).toEqual([400, [{ path: '/body/agent', message: 'no agent named ghost' }]]);
    expect((await call('POST', '/routes', { key: operator, body: { id: 'r1', eventType: 'x.*', agent: 'echo' } })).status).toBe(201);
    expect((await call<Problem>('POST', '/routes', { key: operator, body: { id: 'r1', eventType: 'y', agent: 'echo' } })).body.code).toBe('already_exists');
    expect((await call<Problem>('POST', '/routes', { key: operator, body: { id: 'r2', eventType: 'y', agent: 'echo', priority: 1 } })).body.errors?.[0]?.path).toBe('/body/priority');
    expect((await call<Problem>('PATCH', '/routes/r1', { key: operator, body: { agent: 'ghost' } })).status).toBe(400);
    expect((await call<Problem>('POST', '/routes', { key: analyst, body: { id: 'r3', eventType: 'y', agent: 'echo' } })).status).toBe(403);
  });

  it('lists routes in id order with filters and pages', async () => {
    for (const id of ['r2', 'r3', 'r4']) expect((await call('POST', '/routes', { key: operator, body: { id, eventType: 'z', agent: id === 'r4' ? 'other' : 'echo', source: 'crm' } })).status).toBe(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: Page } = await call<Page>('GET', `/routes?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { key: analyst });
      seen.push(...res.body.items.map((r) => r.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect((await call<Page>('GET', '/routes?agent=other', { key: analyst })).body.items.map((r) => r.id)).toEqual(['r4']);
    expect((await call<Page>('GET', '/routes?source=crm&agent=echo', { key: analyst })).body.items.map((r) => r.id)).toEqual(['r2', 'r3']);
    expect((await call<Page>('GET', '/routes?enabled=false', { key: analyst })).body.items).toEqual([]);
    expect(conformance.failures).toEqual([]);
    expect(conformance.uncovered('routes')).toEqual([]);
  });
});
