import { sleep } from '../../../platform/timeout';

/**
 * Paces replay output at `perSecond` events/s with up to one second of burst: each `take(n)` moves a virtual
 * clock forward by n/rate and sleeps while it runs ahead of real time. `Infinity` never waits.
 */
export class RateLimiter {
  private next = 0;

  constructor(private readonly perSecond: number, private readonly signal?: AbortSignal) {}

  /** How many events to release at once: a tenth of a second's worth, so slow rates still flow smoothly. */
  sliceSize(): number {
    return Number.isFinite(this.perSecond) ? Math.max(1, Math.floor(this.perSecond / 10)) : Infinity;
  }

  async take(n: number): Promise<void> {
    if (!Number.isFinite(this.perSecond) || n <= 0) return;
    const now = Date.now();
    this.next = Math.max(this.next, now - 1000) + (n / this.perSecond) * 1000;
    let wait = this.next - now;
    while (wait > 0 && !this.signal?.aborted) {
      const step = Math.min(wait, 200);
      await sleep(step);
      wait -= step;
    }
  }
}
