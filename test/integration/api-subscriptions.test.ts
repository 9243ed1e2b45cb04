import type { Hub } from '../../src/app/hub';
import { DeliveriesRepository, type Delivery } from '../../src/delivery/data-access/deliveries-repository';
import type { SubscriptionApiView } from '../../src/api/resources/subscriptions';
import { type ApiCall, apiTestKit, type OpenApiConformance } from '../support/api';
import { startTestHub } from '../support/hub';

interface Problem {
  code: string;
  status: number;
  errors?: { path: string; message: string }[];
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
type WithSecret = { secret: string; subscription: SubscriptionApiView };

/** A failed delivery as the attempt runner leaves it after its last attempt (seeded so resend/recover have work). */
function failedDelivery(id: string, subscriptionId: string, createdAt: Date): Delivery {
  return {
    id,
    eventId: `evt-${id}`,
    eventType: 'github.push',
    eventSource: '/sources/github',
    subscriptionId,
    topic: 'unused.in.github',
    seq: 0,
    status: 'failed',
    body: '{"ref":"main"}',
    bodyEncoding: 'utf8',
    contentType: 'application/json',
    createdAt,
    cycleAttempts: 2,
    attemptCount: 2,
    attempts: [
      { at: createdAt, status: 500, latencyMs: 12, errorKind: 'http_status', error: 'HTTP 500', trigger: 'schedule' },
      { at: new Date(createdAt.getTime() + 1000), status: 503, latencyMs: 9, errorKind: 'http_status', error: 'HTTP 503', trigger: 'schedule' },
    ],
    lastStatus: 503,
    lastError: 'HTTP 503',
    finishedAt: new Date(createdAt.getTime() + 1000),
    trigger: 'schedule',
  };
}

// Scenario: operators manage subscriptions and their deliveries through HTTP on the real stack. Create returns
// the signing secret once; reads never show a secret (only how many sign and whether a rotation is under way);
// rotate returns the new secret once; updates honour If-Match; enable/disable/delete act on the stored record.
// Deliveries list with filters and a cursor over more than one page, show their attempts, and resend/recover
// queue failed ones again. Analysts may read but not change; bad input is 400, unknown ids 404. Every answer
// conforms to the served OpenAPI document, and every subscriptions and deliveries operation succeeds once.
describe('Management API: subscriptions and deliveries', () => {
  let hub: Hub;
  let call: ApiCall;
  let conformance: OpenApiConformance;
  let operator: string;
  let analyst: string;
  let repo: DeliveriesRepository;

  beforeAll(async () => {
    hub = await startTestHub('apisubs', { roles: ['api'] });
    ({ conformance, call, operator, analyst } = await apiTestKit(hub));
    repo = new DeliveriesRepository(hub.ctx.mongo);
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('creates a subscription whose secret is shown once and never again', async () => {
    const created = await call<WithSecret>('POST', '/subscriptions', { key: operator, body: { id: 'orders', url: 'https://example.test/hook', eventTypes: ['github.push', 'stripe.*'], description: 'orders team' } });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    expect(created.headers.get('location')).toBe('/api/v1/subscriptions/orders');
    expect(created.body.subscription).toMatchObject({ id: 'orders', enabled: true, origin: 'api', secretsLive: 1, rotating: false });

    const got = await call<SubscriptionApiView>('GET', '/subscriptions/orders', { key: analyst });
    expect(got.status).toBe(200);
    expect(JSON.stringify(got.body)).not.toContain(created.body.secret);
    expect(got.body).not.toHaveProperty('secrets');
    expect(got.headers.get('etag')).toBe(`"${got.body.version}"`);

    const generated = await call<WithSecret>('POST', '/subscriptions', { key: operator, body: { url: 'https://example.test/other', eventTypes: ['agent.*'] } });
    expect(generated.body.subscription.id).toMatch(/^sub-[a-f0-9]{12}$/);
    const dup = await call<Problem>('POST', '/subscriptions', { key: operator, body: { id: 'orders', url: 'https://example.test/x', eventTypes: ['a'] } });
    expect([dup.status, dup.body.code]).toEqual([409, 'already_exists']);
    const denied = await call<Problem>('POST', '/subscriptions', { key: analyst, body: { url: 'https://example.test/x', eventTypes: ['a'] } });
    expect([denied.status, denied.body.code]).toEqual([403, 'forbidden']);
  });

  it('lists with filters and a cursor over more than one page', async () => {
    for (let i = 0; i < 4; i += 1) expect((await call('POST', '/subscriptions', { key: operator, body: { id: `page-${i}`, url: 'https://example.test/p', eventTypes: ['paged.event'] } })).status).toBe(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: Page<SubscriptionApiView> } = await call<Page<SubscriptionApiView>>('GET', `/subscriptions?eventType=paged.event&limit=3${cursor ? `&cursor=${cursor}` : ''}`, { key: analyst });
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((s) => s.id));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(2);
    expect([...seen].sort()).toEqual(['page-0', 'page-1', 'page-2', 'page-3']);
    const all = await call<Page<SubscriptionApiView>>('GET', '/subscriptions?origin=api&enabled=true', { key: analyst });
    expect(all.body.items.map((s) => s.id)).toContain('orders');
    expect(all.body.items.every((s) => !('secrets' in s))).toBe(true);
  });

  it('updates with If-Match, refusing a stale version with 412', async () => {
    const got = await call<SubscriptionApiView>('GET', '/subscriptions/orders', { key: operator });
    const etag = got.headers.get('etag') as string;
    const updated = await call<SubscriptionApiView>('PATCH', '/subscriptions/orders', { key: operator, body: { description: 'orders and refunds', timeoutMs: 5000 }, headers: { 'if-match': etag } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ description: 'orders and refunds', timeoutMs: 5000 });
    expect(updated.headers.get('etag')).not.toBe(etag);
    const stale = await call<Problem>('PATCH', '/subscriptions/orders', { key: operator, body: { description: 'lost' }, headers: { 'if-match': etag } });
    expect([stale.status, stale.body.code]).toEqual([412, 'precondition_failed']);
    const bad = await call<Problem>('PATCH', '/subscriptions/orders', { key: operator, body: { url: 'ftp://x', secret: 'whsec_x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.path)).toEqual(expect.arrayContaining(['/body/url', '/body/secret']));
    const injection = await call<Problem>('PATCH', '/subscriptions/orders', { key: operator, body: { filter: { $where: 'x' } } });
    expect([injection.status, injection.body.code]).toEqual([400, 'validation_failed']);
    expect((await call<Problem>('PATCH', '/subscriptions/missing', { key: operator, body: { description: 'x' } })).status).toBe(404);
  });

  it('rotates the secret (new one shown once, both sign during the grace period), disables and enables', async () => {
    const rotated = await call<WithSecret>('POST', '/subscriptions/orders/rotate-secret', { key: operator });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.subscription).toMatchObject({ secretsLive: 2, rotating: true });
    const got = await call<SubscriptionApiView>('GET', '/subscriptions/orders', { key: analyst });
    expect(JSON.stringify(got.body)).not.toContain(rotated.body.secret);
    expect(got.body.rotating).toBe(true);

    const disabled = await call<SubscriptionApiView>('POST', '/subscriptions/orders/disable', { key: operator });
    expect(disabled.body).toMatchObject({ enabled: false });
    expect(disabled.body.disabledReason).toContain('disabled through the API');
    expect((await call<Page<SubscriptionApiView>>('GET', '/subscriptions?enabled=false', { key: analyst })).body.items.map((s) => s.id)).toEqual(['orders']);
    const enabled = await call<SubscriptionApiView>('POST', '/subscriptions/orders/enable', { key: operator });
    expect(enabled.body.enabled).toBe(true);
    expect(enabled.body.disabledReason).toBeUndefined();
    expect((await call<Problem>('POST', '/subscriptions/orders/enable', { key: analyst })).status).toBe(403);
  });

  it('lists deliveries by subscription, status and time over pages, shows attempts, resends and recovers', async () => {
    const base = Date.now() - 60_000;
    await repo.insertNew([0, 1, 2, 3, 4].map((i) => failedDelivery(`msg_orders${i}`, 'orders', new Date(base + i * 1000))));
    await repo.insertNew([failedDelivery('msg_other0', 'page-0', new Date(base))]);

    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: Page<{ id: string; status: string }> } = await call<Page<{ id: string; status: string }>>('GET', `/subscriptions/orders/deliveries?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { key: analyst });
      ids.push(...res.body.items.map((d) => d.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(ids).toEqual(['msg_orders4', 'msg_orders3', 'msg_orders2', 'msg_orders1', 'msg_orders0']);

    const ranged = await call<Page<{ id: string }>>('GET', `/deliveries?subscription=orders&status=failed&since=${new Date(base + 1000).toISOString()}&until=${new Date(base + 3000).toISOString()}`, { key: analyst });
    expect(ranged.body.items.map((d) => d.id)).toEqual(['msg_orders2', 'msg_orders1']);
    expect(ranged.body.items[0]).not.toHaveProperty('body');
    const everything = await call<Page<{ id: string }>>('GET', '/deliveries?limit=200', { key: analyst });
    expect(everything.body.items.map((d) => d.id)).toEqual(expect.arrayContaining(['msg_other0', 'msg_orders0']));

    const one = await call<Delivery>('GET', '/deliveries/msg_orders0', { key: analyst });
    expect(one.body.attempts.map((a) => a.status)).toEqual([500, 503]);
    expect(one.body.body).toBe('{"ref":"main"}');

    const resent = await call<Delivery>('POST', '/deliveries/msg_orders0/resend', { key: operator });
    expect(resent.status).toBe(202);
    expect(resent.body).toMatchObject({ status: 'pending', trigger: 'resend' });
    expect((await repo.get('msg_orders0'))?.status).toBe('pending');
    expect((await call<Problem>('POST', '/deliveries/msg_orders1/resend', { key: analyst })).status).toBe(403);
    expect((await call<Problem>('GET', '/deliveries/msg_nothing', { key: analyst })).status).toBe(404);

    const recovered = await call<{ recovered: number }>('POST', '/subscriptions/orders/recover', { key: operator, body: { since: new Date(base + 2000).toISOString() } });
    expect(recovered.body).toEqual({ recovered: 3 });
    expect((await repo.get('msg_orders1'))?.status).toBe('failed');
    expect((await repo.get('msg_orders4'))?.trigger).toBe('recover');
    const badSince = await call<Problem>('POST', '/subscriptions/orders/recover', { key: operator, body: { since: 'yesterday' } });
    expect(badSince.body.errors?.[0]?.path).toBe('/body/since');
    expect((await call<Problem>('GET', '/deliveries?status=lost', { key: analyst })).body.errors?.[0]?.path).toBe('/query/status');
    expect((await call<Problem>('GET', '/deliveries?subscription[$ne]=x', { key: analyst })).status).toBe(400);
  });

  it('deletes with If-Match; the subscription is gone', async () => {
    const got = await call<SubscriptionApiView>('GET', '/subscriptions/page-3', { key: operator });
    expect((await call<Problem>('DELETE', '/subscriptions/page-3', { key: operator, headers: { 'if-match': '"1"' } })).status).toBe(412);
    const deleted = await call('DELETE', '/subscriptions/page-3', { key: operator, headers: { 'if-match': got.headers.get('etag') as string } });
    expect(deleted.status).toBe(204);
    expect((await call<Problem>('GET', '/subscriptions/page-3', { key: operator })).status).toBe(404);
    expect((await call<Problem>('DELETE', '/subscriptions/page-3', { key: operator })).status).toBe(404);
  });

  it('answered every subscriptions and deliveries operation conformingly', () => {
    expect(conformance.failures).toEqual([]);
    expect(conformance.uncovered('subscriptions')).toEqual([]);
    expect(conformance.uncovered('deliveries')).toEqual([]);
  });
});
