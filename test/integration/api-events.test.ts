import type { Hub } from '../../src/app/hub';
import { apiClient, keyFor, OpenApiConformance, openApiOf, type ApiCall } from '../support/api';
import { startTestHub } from '../support/hub';
import { waitFor } from '../support/wait';
import { post } from '../support/webhooks';

interface EventView {
  id: string;
  source: string;
  type: string;
  time: string;
  bodyBytes: number;
  body?: string;
  bodyEncoding?: string;
  headers?: { name: string; value: string }[];
}
interface Page {
  items: EventView[];
  nextCursor: string | null;
}
interface Problem {
  code: string;
  errors?: { path: string; message: string }[];
}

// Scenario: webhooks accepted by ingest and archived by the archiver are read back through the API by an
// analyst: filtered by source, exact type or `prefix.*`, and time range; paged in both orders without gaps or
// repeats; one event comes with its exact body bytes and its headers as received. Unknown ids are 404, bad
// filters and cursors are 400 naming the parameter, and no key is 401.
describe('Management API: events', () => {
  let hub: Hub;
  let call: ApiCall;
  let conformance: OpenApiConformance;
  let analyst: string;
  const ids: string[] = [];
  let middle = '';

  beforeAll(async () => {
    hub = await startTestHub('apievents', {
      roles: ['api', 'ingest', 'archiver'],
      config: {
        sources: [
          { id: 'shop', verification: { scheme: 'none', allowUnsigned: true }, eventType: { pointer: '/type' } },
          { id: 'crm', verification: { scheme: 'none', allowUnsigned: true }, eventType: { fixed: 'crm.contact' } },
        ],
        agents: [],
        routes: [],
        subscriptions: [],
      },
      env: { archiverRefreshMs: 500 },
    });
    conformance = new OpenApiConformance(await openApiOf(hub));
    call = apiClient(hub, conformance);
    analyst = (await keyFor(hub, 'analyst')).secret;
    const send = async (source: string, body: string): Promise<void> => {
      const res = await post(`${hub.url}/webhooks/${source}`, { body, headers: { 'content-type': 'application/json', 'x-extra': 'kept' } });
      expect(res.status).toBe(202);
      ids.push(res.json.id as string);
    };
    for (const t of ['order.created', 'order.paid', 'refund.created']) await send('shop', `{"type":"${t}","note":"Grüße ✓"}`);
    middle = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 3; i += 1) await send('crm', `{"n":${i}}`);
    await waitFor('all archived', async () => (await hub.ctx.mongo.collection('events').countDocuments({})) === ids.length, 20_000);
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('lists by source, type and time, newest first by default', async () => {
    const all = await call<Page>('GET', '/events', { key: analyst });
    expect(all.status).toBe(200);
    expect(all.body.items.map((e) => e.id)).toEqual([...ids].reverse());
    expect(all.body.items[0]).not.toHaveProperty('body');

    const shop = await call<Page>('GET', '/events?source=shop&order=asc', { key: analyst });
    expect(shop.body.items.map((e) => e.type)).toEqual(['order.created', 'order.paid', 'refund.created']);
    const orders = await call<Page>('GET', '/events?type=order.*', { key: analyst });
    expect(orders.body.items.map((e) => e.type).sort()).toEqual(['order.created', 'order.paid']);
    const exact = await call<Page>('GET', '/events?type=crm.contact&source=crm', { key: analyst });
    expect(exact.body.items).toHaveLength(3);
    const before = await call<Page>('GET', `/events?to=${encodeURIComponent(middle)}`, { key: analyst });
    expect(before.body.items.map((e) => e.source)).toEqual(['shop', 'shop', 'shop']);
    const after = await call<Page>('GET', `/events?from=${encodeURIComponent(middle)}`, { key: analyst });
    expect(after.body.items.map((e) => e.source)).toEqual(['crm', 'crm', 'crm']);
  });

  it('pages over more than one page in both orders', async () => {
    for (const order of ['asc', 'desc']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { body: Page } = await call<Page>('GET', `/events?limit=4&order=${order}${cursor ? `&cursor=${cursor}` : ''}`, { key: analyst });
        seen.push(...res.body.items.map((e) => e.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(order === 'asc' ? ids : [...ids].reverse());
    }
  });

  it('gets one event with its exact body and headers', async () => {
    const res = await call<EventView>('GET', `/events/${ids[0]}`, { key: analyst });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: ids[0], source: 'shop', type: 'order.created', body: '{"type":"order.created","note":"Grüße ✓"}', bodyEncoding: 'utf8' });
    expect(res.body.bodyBytes).toBe(Buffer.byteLength('{"type":"order.created","note":"Grüße ✓"}'));
    const headers = Object.fromEntries((res.body.headers ?? []).map((h) => [h.name, h.value]));
    expect(headers).toMatchObject({ ce_id: ids[0], ce_type: 'order.created', ce_source: '/sources/shop' });
  });

  it('answers errors with problem+json', async () => {
    expect((await call<Problem>('GET', '/events/00000000-0000-4000-8000-000000000000', { key: analyst })).body.code).toBe('not_found');
    expect((await call<Problem>('GET', '/events?from=yesterday', { key: analyst })).body.errors?.[0]?.path).toBe('/query/from');
    expect((await call<Problem>('GET', '/events?type=a*b', { key: analyst })).body.errors?.[0]?.path).toBe('/query/type');
    expect((await call<Problem>('GET', '/events?source[$ne]=x', { key: analyst })).status).toBe(400);
    expect((await call<Problem>('GET', '/events?cursor=bm9wZQ', { key: analyst })).body.errors).toEqual([{ path: '/query/cursor', message: expect.stringMatching(/^must match pattern/) }]);
    expect((await call<Problem>('GET', '/events')).status).toBe(401);
    expect(conformance.failures).toEqual([]);
    expect(conformance.uncovered('events')).toEqual([]);
  });
});
