import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'svix';
import type { Attempt, Claimed, Delivery, DeliveryState } from '../../src/delivery/data-access/deliveries-repository';
import type { DueEntry } from '../../src/delivery/data-access/due-queue';
import { EndpointClient } from '../../src/delivery/data-access/endpoint-client';
import type { Subscription } from '../../src/delivery/data-access/subscriptions-repository';
import { AttemptRunner, type AttemptRunnerSettings, type DeliveryStore, type SubscriptionDirectory } from '../../src/delivery/domain/attempt-runner';
import type { OutgoingEvent } from '../../src/delivery/domain/events';
import { silentLogger } from '../../src/platform/logger';
import { RateLimiter } from '../../src/platform/rate-limiter';

const SECRET = 'whsec_dGVzdC1kaXNwYXRjaGVyLXNlY3JldC1mb3ItaG9va2h1Yg==';

/** Deliveries in a map, answering as the MongoDB store does: due = pending and its time has come, claims by token. */
class MemoryDeliveries implements DeliveryStore {
  readonly docs = new Map<string, Delivery>();
  private tokens = 0;
  claimed: string[] = [];
  renewals = 0;

  async insertNew(deliveries: Delivery[]): Promise<Delivery[]> {
    const created = deliveries.filter((d) => !this.docs.has(d.id));
    for (const d of created) this.docs.set(d.id, structuredClone(d));
    return created;
  }
  private dueEntries(): DueEntry[] {
    const now = Date.now();
    return [...this.docs.values()]
      .filter((d) => (d.status === 'pending' && (d.nextAttemptAt?.getTime() ?? 0) <= now) || (d.status === 'delivering' && (d.leaseUntil?.getTime() ?? 0) < now))
      .map((d) => ({ id: d.id, at: d.nextAttemptAt ?? d.createdAt, seq: d.seq, ...(d.orderKey ? { orderKey: d.orderKey } : {}) }));
  }
  async findDue(limit: number): Promise<DueEntry[]> {
    return this.dueEntries().slice(0, limit);
  }
  async unfinishedOf(orderKeys: string[]): Promise<DueEntry[]> {
    return [...this.docs.values()]
      .filter((d) => d.orderKey && orderKeys.includes(d.orderKey) && (d.status === 'pending' || d.status === 'delivering'))
      .map((d) => ({ id: d.id, at: d.createdAt, seq: d.seq, ...(d.orderKey ? { orderKey: d.orderKey } : {}) }));
  }
  async claim(entries: DueEntry[], leaseMs: number): Promise<Claimed> {
    const due = new Set(this.dueEntries().map((e) => e.id));
    const deliveries = entries.flatMap((e) => {
      const d = this.docs.get(e.id);
      if (!d || !due.has(e.id)) return [];
      Object.assign(d, { status: 'delivering', claimToken: `t${++this.tokens}`, leaseUntil: new Date(Date.now() + leaseMs) });
      this.claimed.push(d.id);
      return [structuredClone(d)];
    });
    // Only pending deliveries are due here: nothing is ever re-claimed from a lease that ran out.
    return { deliveries, reclaimed: 0 };
  }
  async recordAttempt(ref: Pick<Delivery, 'id' | 'claimToken'>, attempt: Attempt, state: DeliveryState): Promise<boolean> {
    const d = this.docs.get(ref.id);
    if (!d || d.claimToken !== ref.claimToken) return false;
    delete d.claimToken;
    delete d.leaseUntil;
    delete d.nextAttemptAt;
    Object.assign(d, state, { attempts: [...d.attempts, attempt], attemptCount: d.attemptCount + 1 });
    return true;
  }
  async finishWithoutAttempt(ref: Pick<Delivery, 'id' | 'claimToken'>, error: string): Promise<void> {
    const d = this.docs.get(ref.id);
    if (d && d.claimToken === ref.claimToken) Object.assign(d, { status: 'failed', lastError: error, finishedAt: new Date() });
  }
  async renew(claims: Pick<Delivery, 'id' | 'claimToken' | 'leaseUntil'>[], leaseMs: number): Promise<Date> {
    const until = new Date(Date.now() + leaseMs);
    for (const c of claims) {
      const d = this.docs.get(c.id);
      if (d && d.claimToken === c.claimToken) d.leaseUntil = until;
    }
    this.renewals++;
    return until;
  }
  async release(claims: Pick<Delivery, 'id' | 'claimToken'>[]): Promise<void> {
    for (const c of claims) {
      const d = this.docs.get(c.id);
      if (d && d.claimToken === c.claimToken) Object.assign(d, { status: 'pending', nextAttemptAt: new Date() });
    }
  }
}

class MemorySubscriptions implements SubscriptionDirectory {
  readonly subs = new Map<string, Subscription>();
  failing: string[] = [];
  healthy: string[] = [];
  async get(id: string): Promise<Subscription | undefined> {
    return this.subs.get(id);
  }
  async getFresh(id: string): Promise<Subscription | undefined> {
    return this.subs.get(id);
  }
  async markFailing(sub: Subscription, at: Date): Promise<Date> {
    this.failing.push(sub.id);
    return sub.failingSince ?? at;
  }
  async markHealthy(sub: Subscription): Promise<void> {
    this.healthy.push(sub.id);
  }
  async disable(id: string, reason: string): Promise<boolean> {
    const s = this.subs.get(id);
    if (!s?.enabled) return false;
    Object.assign(s, { enabled: false, disabledReason: reason });
    return true;
  }
}

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A subscriber on a local port: answers each request with the next scripted status (200 once the script ends). */
class Subscriber {
  readonly received: Received[] = [];
  private readonly waiters: { n: number; resolve: () => void }[] = [];
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = this.statuses.shift() ?? 200;
      res.end('ok');
      for (const w of this.waiters.filter((w) => this.received.length >= w.n)) w.resolve();
    });
  });
  constructor(private readonly statuses: number[] = []) {}
  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }
  /** Resolves once `n` requests have arrived. */
  requests(n: number): Promise<void> {
    if (this.received.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const settings: AttemptRunnerSettings = { schedule: ['0', '5s', '5m'], jitterPercent: 0, timeoutMs: 5000, maxRetryAfterMs: 60_000, disableAfterMs: 86_400_000, httpsOnly: false, concurrency: 4, pollMs: 50, leaseMs: 30_000 };

function subscription(url: string, extra: Partial<Subscription> = {}): Subscription {
  return { id: 'sub-1', url, eventTypes: ['order.*'], secrets: [{ secret: SECRET }], ordered: false, enabled: true, origin: 'api', createdAt: new Date(), updatedAt: new Date(), ...extra };
}

function delivery(id: string, extra: Partial<Delivery> = {}): Delivery {
  return {
    id,
    eventId: `evt-${id}`,
    eventType: 'order.created',
    eventSource: '/sources/shop',
    subscriptionId: 'sub-1',
    topic: 'hookhub.in.shop',
    seq: 1,
    status: 'pending',
    body: JSON.stringify({ order: id }),
    bodyEncoding: 'utf8',
    contentType: 'application/json',
    createdAt: new Date(),
    nextAttemptAt: new Date(Date.now() - 1000),
    cycleAttempts: 0,
    attemptCount: 0,
    attempts: [],
    trigger: 'event',
    ...extra,
  };
}

/** Resolves once `check` holds (polled on every turn of the event loop, not on a clock). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
}

// Scenario: the delivery attempt runner (the built-in sink) against in-memory stores and a real subscriber on a local port (the real
// EndpointClient signs and posts): a due delivery is claimed and sent with Standard Webhooks signature headers
// that svix verifies, while one not yet due is left alone; a failed attempt is scheduled again after the
// schedule's delay and then succeeds; an ordered key sends only its oldest delivery; a delivery whose schedule
// is spent fails and is announced as exhausted (the delivery dead letter); a 410 disables the subscription; a
// first attempt handed over inline is stored with its attempt, and skipped for a disabled subscription.
describe('AttemptRunner', () => {
  let subscriber: Subscriber;
  let store: MemoryDeliveries;
  let subs: MemorySubscriptions;
  let events: OutgoingEvent[];
  let runner: AttemptRunner | undefined;

  async function start(statuses: number[], sub: Partial<Subscription> = {}, overrides: Partial<AttemptRunnerSettings> = {}): Promise<AttemptRunner> {
    subscriber = new Subscriber(statuses);
    subs.subs.set('sub-1', subscription(await subscriber.listen(), sub));
    runner = new AttemptRunner({
      store,
      subscriptions: subs,
      poster: new EndpointClient(['127.0.0.1/32']),
      events: { publish: async (e) => void events.push(e) },
      limiter: new RateLimiter(),
      logger: silentLogger(),
      settings: { ...settings, ...overrides },
    });
    return runner;
  }

  beforeEach(() => {
    store = new MemoryDeliveries();
    subs = new MemorySubscriptions();
    events = [];
    runner = undefined;
  });

  afterEach(async () => {
    await runner?.stop();
    await subscriber?.close();
  });

  it('claims a due delivery and sends it signed, leaving one not yet due alone', async () => {
    store.docs.set('d1', delivery('d1'));
    store.docs.set('d2', delivery('d2', { nextAttemptAt: new Date(Date.now() + 3_600_000) }));
    (await start([])).start();
    await until(() => store.docs.get('d1')?.status === 'succeeded');

    expect(store.claimed).toEqual(['d1']);
    expect(subscriber.received).toHaveLength(1);
    const [req] = subscriber.received;
    expect(req?.headers).toMatchObject({ 'webhook-id': 'd1', 'svix-id': 'd1', 'x-hookhub-event-id': 'evt-d1', 'x-hookhub-event-type': 'order.created', 'content-type': 'application/json' });
    const headers = Object.fromEntries(Object.entries(req?.headers ?? {}).map(([k, v]) => [k, String(v)]));
    expect(new Webhook(SECRET).verify(req?.body ?? '', headers)).toEqual({ order: 'd1' });
    expect(store.docs.get('d1')).toMatchObject({ attemptCount: 1, cycleAttempts: 1, lastStatus: 200, attempts: [expect.objectContaining({ status: 200, trigger: 'event' })] });
    expect(store.docs.get('d2')).toMatchObject({ status: 'pending', attemptCount: 0 });
    expect(subs.healthy).toEqual(['sub-1']);
  });

  it('schedules a failed attempt again after the schedule delay, then succeeds on the retry', async () => {
    store.docs.set('d1', delivery('d1'));
    (await start([503], { retrySchedule: ['0', '2s', '1h'] })).start();
    await until(() => store.docs.get('d1')?.attemptCount === 1);

    const after = store.docs.get('d1') as Delivery;
    const first = after.attempts[0] as Attempt;
    expect(after).toMatchObject({ status: 'pending', cycleAttempts: 1, lastStatus: 503 });
    expect(first.nextAttemptAt).toEqual(after.nextAttemptAt);
    // The retry is due 2 s (the schedule's second entry, no jitter) after the attempt was answered.
    const delay = (after.nextAttemptAt as Date).getTime() - first.at.getTime();
    expect(delay).toBeGreaterThanOrEqual(2000);
    expect(delay).toBeLessThanOrEqual(2000 + first.latencyMs + 1000);
    expect(subs.failing).toEqual(['sub-1']);

    // Due now: the next poll claims it again and the subscriber answers 200.
    after.nextAttemptAt = new Date(Date.now() - 1);
    await until(() => store.docs.get('d1')?.status === 'succeeded');
    expect(store.docs.get('d1')).toMatchObject({ attemptCount: 2, cycleAttempts: 2, lastStatus: 200 });
    expect(store.docs.get('d1')?.attempts.map((a) => a.trigger)).toEqual(['event', 'schedule']);
    expect(subscriber.received.map((r) => r.headers['webhook-id'])).toEqual(['d1', 'd1']);
    expect(events).toEqual([]);
  });

  it('sends only the oldest unfinished delivery of an ordered key', async () => {
    store.docs.set('d1', delivery('d1', { orderKey: 'sub-1|t|k', seq: 1, nextAttemptAt: new Date(Date.now() + 3_600_000) }));
    store.docs.set('d2', delivery('d2', { orderKey: 'sub-1|t|k', seq: 2 }));
    store.docs.set('d3', delivery('d3', { orderKey: 'sub-1|t|other', seq: 3 }));
    (await start([], { ordered: true })).start();
    await until(() => store.docs.get('d3')?.status === 'succeeded');
    await runner?.stop();

    expect(store.claimed).toEqual(['d3']);
    expect(store.docs.get('d2')).toMatchObject({ status: 'pending', attemptCount: 0 });
  });

  it('gives up when the schedule is spent: the delivery fails and an exhausted event goes out', async () => {
    store.docs.set('d1', delivery('d1'));
    (await start([500], { retrySchedule: ['0'] })).start();
    await until(() => events.length === 1);

    expect(store.docs.get('d1')).toMatchObject({ status: 'failed', attemptCount: 1, lastStatus: 500 });
    expect(events[0]).toMatchObject({ type: 'hookhub.delivery.exhausted', subject: 'd1', subscriptionId: 'sub-1', data: { delivery: expect.objectContaining({ id: 'd1', attempts: 1, lastStatus: 500 }) } });
    expect(subs.subs.get('sub-1')?.enabled).toBe(true);
  });

  it('disables the subscription when the endpoint answers 410 Gone', async () => {
    store.docs.set('d1', delivery('d1'));
    (await start([410])).start();
    await until(() => events.length === 1);

    expect(events[0]).toMatchObject({ type: 'hookhub.subscription.disabled', subscriptionId: 'sub-1' });
    expect(subs.subs.get('sub-1')).toMatchObject({ enabled: false });
  });

  // A busy process holds claimed retries longer than one lease: here a subscription paced at 2 per second holds ten
  // claimed at once for about four seconds, with a three-second lease. A rival process polling the same store
  // must never find one of them due (it would send it again and this process's outcome would be dropped).
  it('renews the leases of claims it still holds, so no other process takes them over mid-wait', async () => {
    for (let i = 0; i < 10; i++) store.docs.set(`d${i}`, delivery(`d${i}`));
    (await start([], { rateLimitPerSecond: 2 }, { leaseMs: 3000, concurrency: 16 })).start();
    await until(() => store.claimed.length === 10);
    const rival: string[] = [];
    let done = false;
    const rivalPolls = (async () => {
      while (!done) {
        const got = await store.claim(await store.findDue(20), 3000);
        rival.push(...got.deliveries.map((d) => d.id));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    await until(() => [...store.docs.values()].every((d) => d.status === 'succeeded'));
    done = true;
    await rivalPolls;

    expect(rival).toEqual([]);
    expect(store.claimed).toHaveLength(10);
    expect(store.renewals).toBeGreaterThan(0);
    expect(subscriber.received.map((r) => r.headers['webhook-id']).sort()).toEqual([...store.docs.keys()].sort());
    expect([...store.docs.values()].map((d) => d.attemptCount)).toEqual(Array(10).fill(1));
  }, 20000);

  it('stores a first attempt handed over inline with its outcome, and skips a disabled subscription', async () => {
    const d = await start([]);
    d.start();
    const stored = await d.deliverNow([delivery('d1', { status: 'delivering', nextAttemptAt: undefined })]);
    expect(stored.map((s) => s.id)).toEqual(['d1']);
    expect(store.docs.get('d1')).toMatchObject({ status: 'succeeded', attemptCount: 1, attempts: [expect.objectContaining({ status: 200, trigger: 'event' })] });

    (subs.subs.get('sub-1') as Subscription).enabled = false;
    expect(await d.deliverNow([delivery('d2', { status: 'delivering', nextAttemptAt: undefined })])).toEqual([]);
    expect(store.docs.has('d2')).toBe(false);
    expect(subscriber.received).toHaveLength(1);
  });
});
