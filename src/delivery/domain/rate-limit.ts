import { sleep } from '../../platform/timeout';

/**
 * A token bucket per subscription (deliveries/s, burst = one second's worth, at least 1). Per process: with
 * N delivery processes a subscription may see up to N times its rate; documented in docs/guides/subscriptions.md.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number; rate: number }>();

  /** Resolves when the subscription may send one more delivery. */
  async take(key: string, perSecond: number | undefined): Promise<void> {
    if (!perSecond || perSecond <= 0) return;
    for (;;) {
      const now = Date.now();
      const burst = Math.max(1, perSecond);
      let b = this.buckets.get(key);
      if (!b || b.rate !== perSecond) {
        b = { tokens: burst, at: now, rate: perSecond };
        this.buckets.set(key, b);
      }
      b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
      b.at = now;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return;
      }
      await sleep(Math.ceil(((1 - b.tokens) / perSecond) * 1000));
    }
  }
}
