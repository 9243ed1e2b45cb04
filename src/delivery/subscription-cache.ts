import { FreshSnapshot } from '../platform/fresh-snapshot';
import type { Logger } from '../platform/logger';
import type { SubscriptionDirectory } from './domain/attempt-runner';
import type { Subscription, SubscriptionsRepository } from './data-access/subscriptions-repository';

/** What the cache needs of the subscriptions store. */
export type SubscriptionStore = Pick<SubscriptionsRepository, 'version' | 'list' | 'get' | 'setFailingSince' | 'disableIfEnabled'>;

/** How long a failure run lasts before its start is stored on the subscription (see `markFailing`). */
export const STORE_RUN_AFTER_MS = 10_000;

/**
 * Subscriptions held in memory for matching, and the attempt runner's view of them: failure-run bookkeeping is
 * written only when it changes, so a healthy endpoint costs no extra write.
 * `fresh()` checks the subscriptions version first (read-your-writes, see ConfigVersions); the periodic full
 * re-read is only a backstop for changes written to MongoDB by other means.
 */
export class SubscriptionCache implements SubscriptionDirectory {
  private readonly snapshot: FreshSnapshot<Map<string, Subscription>>;
  private timer?: NodeJS.Timeout;
  /** Failure runs of this process, by subscription: since when every attempt failed, and whether that is stored. */
  private readonly runs = new Map<string, { since: Date; stored: boolean }>();

  constructor(
    private readonly repo: SubscriptionStore,
    private readonly logger: Logger,
  ) {
    this.snapshot = new FreshSnapshot({
      version: () => repo.version(),
      load: async () => {
        const byId = new Map((await repo.list()).map((s) => [s.id, s]));
        // A stored run that is no longer stored was ended elsewhere (a success in another process, or an enable).
        for (const [id, run] of this.runs) if (run.stored && !byId.get(id)?.failingSince) this.runs.delete(id);
        return byId;
      },
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

  /**
   * A failure run starts in memory; it is written to MongoDB only once it has lasted `STORE_RUN_AFTER_MS`, so an
   * endpoint that fails now and then (a run of one or two attempts) costs no write at all, where it cost two per
   * failure (set, then clear on the next success). What the stored start is for: the other delivery processes, and
   * a restart, continue the same run (disabling counts from its start); a run shorter than that is not worth it.
   */
  async markFailing(sub: Subscription, at: Date): Promise<Date> {
    const cur = this.byId.get(sub.id) ?? sub;
    let run = this.runs.get(sub.id);
    if (!run) {
      run = cur.failingSince ? { since: cur.failingSince, stored: true } : { since: at, stored: false };
      this.runs.set(sub.id, run);
    }
    if (!run.stored && at.getTime() - run.since.getTime() >= STORE_RUN_AFTER_MS) {
      run.stored = true;
      cur.failingSince = run.since;
      await this.repo.setFailingSince(sub.id, run.since);
    }
    return run.since;
  }

  async markHealthy(sub: Subscription): Promise<void> {
    const cur = this.byId.get(sub.id) ?? sub;
    const run = this.runs.get(sub.id);
    this.runs.delete(sub.id);
    if (!cur.failingSince && !run?.stored) return;
    delete cur.failingSince;
    await this.repo.setFailingSince(sub.id, null);
  }

  async disable(id: string, reason: string): Promise<boolean> {
    this.runs.delete(id);
    const done = await this.repo.disableIfEnabled(id, reason);
    const cur = this.byId.get(id);
    if (cur) cur.enabled = false;
    return done;
  }
}
