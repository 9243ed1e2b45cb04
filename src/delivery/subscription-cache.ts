import type { Logger } from '../platform/logger';
import type { SubscriptionDirectory } from './domain/dispatcher';
import type { Subscription, SubscriptionsRepository } from './data-access/subscriptions-repository';

/**
 * Subscriptions held in memory for matching (re-read every refresh interval), and the dispatcher's view of
 * them: failure-run bookkeeping is written only when it changes, so a healthy endpoint costs no extra write.
 */
export class SubscriptionCache implements SubscriptionDirectory {
  private byId = new Map<string, Subscription>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly repo: SubscriptionsRepository,
    private readonly logger: Logger,
  ) {}

  all(): Subscription[] {
    return [...this.byId.values()];
  }

  async refresh(): Promise<void> {
    const list = await this.repo.list();
    this.byId = new Map(list.map((s) => [s.id, s]));
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
