import type { Logger } from '../../platform/logger';
import type { ExecutionStore } from './ports';

/**
 * The leases this process holds on executions of batches in progress (queued behind their key, or running),
 * renewed while held, and the writes to each execution document from this process, one at a time.
 */
export class Leases {
  /** Executions held for a batch in progress, with how many batches hold each. */
  private readonly held = new Map<string, number>();

  /**
   * Writes to one execution document from this process, one at a time. A Mongo-wire backend without
   * document-level atomicity can otherwise lose a write when a lease renewal and the final write overlap,
   * reverting a finished execution to `running`.
   */
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: ExecutionStore,
    readonly owner: string,
    readonly leaseMs: number,
    private readonly logger: Logger,
  ) {}

  /** Runs `fn` (a write to execution `id`) after the writes to it already under way. */
  serial<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(id) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(fn);
    const tail = next.catch(() => undefined);
    this.chains.set(id, tail);
    void tail.then(() => {
      if (this.chains.get(id) === tail) this.chains.delete(id);
    });
    return next;
  }

  /** Resolves once the writes under way to these executions (renewals) have landed. */
  async settled(ids: string[]): Promise<void> {
    await Promise.all(ids.map((id) => this.chains.get(id)));
  }

  hold(id: string): void {
    this.held.set(id, (this.held.get(id) ?? 0) + 1);
  }

  unhold(id: string): void {
    const n = (this.held.get(id) ?? 1) - 1;
    if (n <= 0) this.held.delete(id);
    else this.held.set(id, n);
  }

  isHeld(id: string): boolean {
    return this.held.has(id);
  }

  /** Renews every held lease a few times per lease period until the returned function is called. */
  keepRenewing(): () => void {
    const renew = setInterval(() => this.renewHeld(), Math.max(200, Math.floor(this.leaseMs / 3)));
    renew.unref();
    return () => clearInterval(renew);
  }

  private renewHeld(): void {
    for (const id of this.held.keys()) {
      if (this.chains.has(id)) continue; // a write is under way; the next tick renews
      this.serial(id, () => this.store.renewLeases([id], this.owner, this.leaseMs)).catch((err: unknown) => this.logger.warn('lease renewal failed', { err }));
    }
  }
}
