/**
 * Token bucket per API key, in process memory: each key holds up to `burst` tokens, refilled at `ratePerSecond`.
 * With several api processes the effective limit is per process; that keeps the hot path free of storage I/O.
 */
export interface RateDecision {
  allowed: boolean;
  /** Seconds until one token is available again (only when refused). */
  retryAfterSeconds: number;
  remaining: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly maxKeys = 100_000,
  ) {}

  take(key: string, nowMs: number): RateDecision {
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: nowMs };
    const tokens = Math.min(this.burst, b.tokens + (Math.max(0, nowMs - b.at) / 1000) * this.ratePerSecond);
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: nowMs });
      return { allowed: false, retryAfterSeconds: (1 - tokens) / this.ratePerSecond, remaining: 0 };
    }
    if (!this.buckets.has(key) && this.buckets.size >= this.maxKeys) this.evictFull(nowMs);
    this.buckets.set(key, { tokens: tokens - 1, at: nowMs });
    return { allowed: true, retryAfterSeconds: 0, remaining: Math.floor(tokens - 1) };
  }

  /** Drops buckets that have refilled completely: they carry no state a new bucket would not. */
  private evictFull(nowMs: number): void {
    for (const [k, b] of this.buckets) {
      if (b.tokens + ((nowMs - b.at) / 1000) * this.ratePerSecond >= this.burst) this.buckets.delete(k);
    }
  }
}
