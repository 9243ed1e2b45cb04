import type { Subscription } from '../../src/delivery/data-access/subscriptions-repository';
import { STORE_RUN_AFTER_MS, SubscriptionCache, type SubscriptionStore } from '../../src/delivery/subscription-cache';
import { silentLogger } from '../../src/platform/logger';

/** The subscriptions store, in memory: counts the failure-run writes the cache makes. */
class FakeSubscriptions implements SubscriptionStore {
  token = 'v1';
  readonly docs = new Map<string, Subscription>();
  readonly runWrites: (Date | null)[] = [];

  async version(): Promise<string> {
    return this.token;
  }
  async list(): Promise<Subscription[]> {
    return [...this.docs.values()].map((d) => ({ ...d }));
  }
  async get(id: string): Promise<Subscription | undefined> {
    const d = this.docs.get(id);
    return d ? { ...d } : undefined;
  }
  async setFailingSince(id: string, since: Date | null): Promise<void> {
    this.runWrites.push(since);
    const d = this.docs.get(id);
    if (!d) return;
    if (since) d.failingSince = since;
    else delete d.failingSince;
  }
  async disableIfEnabled(id: string): Promise<boolean> {
    const d = this.docs.get(id);
    if (!d?.enabled) return false;
    d.enabled = false;
    return true;
  }
  /** A change made by another process or an operator: bumps the version. */
  edit(id: string, change: (d: Subscription) => void): void {
    change(this.docs.get(id) as Subscription);
    this.token = `${this.token}+`;
  }
}

const sub = (id: string): Subscription => ({
  id,
  url: `http://127.0.0.1:9/${id}`,
  eventTypes: ['*'],
  filter: {},
  headers: {},
  secrets: [],
  ordered: false,
  enabled: true,
  origin: 'api',
  createdAt: new Date(0),
  updatedAt: new Date(0),
});

const at = (t0: number, ms: number): Date => new Date(t0 + ms);

// Scenario: the delivery processes keep, per subscription, since when every attempt failed (the auto-disable
// window counts from it). An endpoint that fails now and then (the soak's flaky receiver: one attempt in five)
// used to cost two subscription writes per failure (set on the failure, cleared on the next success); a run is
// now stored only once it has lasted STORE_RUN_AFTER_MS, so that other processes and a restart carry it on.
describe('subscription cache: failure runs', () => {
  let store: FakeSubscriptions;
  let cache: SubscriptionCache;
  const t0 = Date.parse('2026-12-02T10:00:00Z');

  beforeEach(async () => {
    store = new FakeSubscriptions();
    store.docs.set('flaky', sub('flaky'));
    cache = new SubscriptionCache(store, silentLogger());
    await cache.fresh();
  });

  it('writes nothing for an endpoint whose failures are short runs between successes', async () => {
    const s = (await cache.get('flaky')) as Subscription;
    for (let i = 0; i < 50; i++) {
      const failedAt = at(t0, i * 500);
      expect(await cache.markFailing(s, failedAt)).toEqual(failedAt);
      expect(await cache.markFailing(s, at(t0, i * 500 + 200))).toEqual(failedAt);
      await cache.markHealthy(s);
    }
    expect(store.runWrites).toEqual([]);
  });

  it('stores a run once it has lasted long enough, with its first failure, and clears it on the next success', async () => {
    const s = (await cache.get('flaky')) as Subscription;
    expect(await cache.markFailing(s, at(t0, 0))).toEqual(at(t0, 0));
    expect(await cache.markFailing(s, at(t0, STORE_RUN_AFTER_MS - 1))).toEqual(at(t0, 0));
    expect(store.runWrites).toEqual([]);
    expect(await cache.markFailing(s, at(t0, STORE_RUN_AFTER_MS))).toEqual(at(t0, 0));
    expect(await cache.markFailing(s, at(t0, STORE_RUN_AFTER_MS + 5000))).toEqual(at(t0, 0));
    expect(store.runWrites).toEqual([at(t0, 0)]);
    expect(store.docs.get('flaky')?.failingSince).toEqual(at(t0, 0));
    await cache.markHealthy(s);
    await cache.markHealthy(s);
    expect(store.runWrites).toEqual([at(t0, 0), null]);
    expect(store.docs.get('flaky')?.failingSince).toBeUndefined();
  });

  it('carries on a run another process stored, and starts a new one after that run was ended elsewhere', async () => {
    store.edit('flaky', (d) => (d.failingSince = at(t0, -60000)));
    await cache.fresh();
    const s = (await cache.get('flaky')) as Subscription;
    expect(await cache.markFailing(s, at(t0, 0))).toEqual(at(t0, -60000));
    // Another process's success (or an operator's enable) clears it in the store.
    store.edit('flaky', (d) => delete d.failingSince);
    await cache.fresh();
    expect(await cache.markFailing(s, at(t0, 1000))).toEqual(at(t0, 1000));
    expect(store.runWrites).toEqual([]);
  });

  it('forgets the run of a subscription it disables: once enabled again, the window starts afresh', async () => {
    const s = (await cache.get('flaky')) as Subscription;
    await cache.markFailing(s, at(t0, 0));
    expect(await cache.disable('flaky', 'failing')).toBe(true);
    store.edit('flaky', (d) => (d.enabled = true));
    await cache.fresh();
    expect(await cache.markFailing(s, at(t0, 3000))).toEqual(at(t0, 3000));
  });
});
