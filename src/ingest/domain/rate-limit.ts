/**
 * Token buckets per source, in this process only: with N ingest processes a source may get up to N times its
 * rate in total. Refills continuously at `perSecond`, holds at most `burst` tokens.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number; perSecond: number; burst: number }>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Takes one token; returns 0 when allowed, or the seconds until a token is available. */
  take(key: string, perSecond: number, burst = Math.max(1, Math.ceil(perSecond))): number {
    const now = this.now();
    let b = this.buckets.get(key);
    if (!b || b.perSecond !== perSecond || b.burst !== burst) {
      b = { tokens: burst, at: now, perSecond, burst };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return (1 - b.tokens) / perSecond;
  }
}
