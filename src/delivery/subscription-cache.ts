import { FreshSnapshot } from '../platform/fresh-snapshot';
import type { Logger } from '../platform/logger';
import type { SubscriptionDirectory } from './domain/attempt-runner';
import type { Subscription, SubscriptionsRepository } from './data-access/subscriptions-repository';

/**
 * Subscriptions held in memory for matching, and the attempt runner's view of them: failure-run bookkeeping is
 * written only when it changes, so a healthy endpoint costs no extra write.
 * `fresh()` checks the subscriptions version first (read-your-writes, see ConfigVersions); the periodic full
 * re-read is only a backstop for changes written to MongoDB by other means.
 */
export class SubscriptionCache implements SubscriptionDirectory {
  private readonly snapshot: FreshSnapshot<Map<string, Subscription>>;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly repo: SubscriptionsRepository,
    private readonly logger: Logger,
  ) {
    this.snapshot = new FreshSnapshot({
      version: () => repo.version(),
      load: async () => new Map((await repo.list()).map((s) => [s.id, s])),
    });
  }

  private get byId(): Map<string, Subscription> {
    return this.snapshot.current ?? new Map<string, Subscription>();
  }

  /** As of the last check (what the batch being delivered was matched against). */
  all(): Subscription[] {
    return [...this.byId.values()];
  }

  /** Every subscription, including each change answered before this call. */
  async fresh(): Promise<Subscription[]> {
    return [...(await this.snapshot.fresh()).values()];
  }

  async refresh(): Promise<void> {
    await this.snapshot.reload();
  }

  startRefreshing(ms: number): void {
    const tick = (): void => {
      this.timer = setTimeout(() => {
        this.refresh()
          .catch((err: unknown) => this.logger.warn('could not refresh subscriptions', { err }))
          .finally(() => {
            if (this.timer) tick();
          });
      }, ms);
      this.timer.unref();
    };
    tick();
  }

  stopRefreshing(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  async getFresh(id: string): Promise<Subscription | undefined> {
    return (await this.snapshot.fresh()).get(id);
  }

  async get(id: string): Promise<Subscription | undefined> {
    const cached = this.byId.get(id);
    if (cached) return cached;
    const fresh = await this.repo.get(id);
    if (fresh) this.byId.set(id, fresh);
    return fresh;
  }

  async markFailing(sub: Subscription, at: Date): Promise<Date> {
    const cur = this.byId.get(sub.id) ?? sub;
    if (cur.failingSince) return cur.failingSince;
    cur.failingSince = at;
    await this.repo.setFailingSince(sub.id, at);
    return at;
  }

  async markHealthy(sub: Subscription): Promise<void> {
    const cur = this.byId.get(sub.id) ?? sub;
    if (!cur.failingSince) return;
    delete cur.failingSince;
    await this.repo.setFailingSince(sub.id, null);
  }

  async disable(id: string, reason: string): Promise<boolean> {
    const done = await this.repo.disableIfEnabled(id, reason);
    const cur = this.byId.get(id);
    if (cur) cur.enabled = false;
    return done;
  }
}
