/**
 * Token buckets per source, in this process only: with N ingest processes a source may get up to N times its
 * rate in total. Refills continuously at `perSecond`, holds at most `burst` tokens.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number; perSecond: number; burst: number }>();

  constructor(
    private readonly now: () => number = () => performance.now(),
    private readonly maxKeys = 100_000,
  ) {}

  /** Takes one token; returns 0 when allowed, or the seconds until a token is available. */
  take(key: string, perSecond: number, burst = Math.max(1, Math.ceil(perSecond))): number {
    const b = this.refilled(key, perSecond, burst);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return (1 - b.tokens) / perSecond;
  }

  /** The seconds until `take` would allow one, without taking anything (0: it would allow now). */
  wait(key: string, perSecond: number, burst = Math.max(1, Math.ceil(perSecond))): number {
    const b = this.buckets.get(key);
    if (!b) return 0;
    const tokens = Math.min(burst, b.tokens + ((this.now() - b.at) / 1000) * perSecond);
    return tokens >= 1 ? 0 : (1 - tokens) / perSecond;
  }

  private refilled(key: string, perSecond: number, burst: number): { tokens: number; at: number; perSecond: number; burst: number } {
    const now = this.now();
    let b = this.buckets.get(key);
    if (!b || b.perSecond !== perSecond || b.burst !== burst) {
      // Keys can come from senders (client IPs): forget the full buckets, which are the same as no bucket.
      if (this.buckets.size >= this.maxKeys) this.forgetFull(now);
      b = { tokens: burst, at: now, perSecond, burst };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
    return b;
  }

  private forgetFull(now: number): void {
    for (const [k, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * b.perSecond >= b.burst) this.buckets.delete(k);
    }
    // Still full of live buckets (a flood from very many addresses): start over rather than grow without bound.
    if (this.buckets.size >= this.maxKeys) this.buckets.clear();
  }
}
