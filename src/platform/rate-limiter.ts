/**
 * The one rate limiter: a token bucket per key, in this process's memory. A bucket holds up to `burst` tokens and
 * refills continuously at `perSecond`. With N processes a key may get up to N times its rate in total; that keeps
 * the hot paths free of storage I/O. Used per API key (api), per source and per failing client address (ingest),
 * per subscription (delivery) and per replay run (replay).
 *
 * Two ways to spend: `take` answers at once (allowed, or the seconds to wait: for a 429), `acquire` waits until
 * its tokens are there (for senders that pace themselves). `acquire` reserves: it takes its tokens at once, into
 * debt if need be, and waits the debt off, so concurrent callers queue in order instead of racing for each token.
 */
export interface Rate {
  perSecond: number;
  /** Tokens a full bucket holds; by default one second's worth, at least 1. */
  burst?: number;
}

export interface RateDecision {
  allowed: boolean;
  /** Seconds until one token is available again (0 when allowed). */
  retryAfterSeconds: number;
  /** Whole tokens left after this one (0 when refused). */
  remaining: number;
}

export interface RateLimiterOptions {
  /** Milliseconds on a clock that does not go back; tests inject their own. */
  now?: () => number;
  /**
   * Buckets kept at most. Keys can come from senders (client addresses): at the bound the full buckets, which
   * are the same as no bucket, are forgotten; if all are live (a flood from very many keys) all are.
   */
  maxKeys?: number;
  /** Waits `ms` or until `signal` aborts, whichever comes first; tests inject their own. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

interface Bucket {
  tokens: number;
  at: number;
  perSecond: number;
  burst: number;
}

const ALLOWED_UNLIMITED: RateDecision = { allowed: true, retryAfterSeconds: 0, remaining: Infinity };

/** A rate that is missing, not positive or infinite means no limit. */
const unlimited = (perSecond: number | undefined): perSecond is undefined => !perSecond || perSecond <= 0 || !Number.isFinite(perSecond);

export const defaultBurst = (perSecond: number): number => Math.max(1, Math.ceil(perSecond));

export const abortableSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly maxKeys: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(options: RateLimiterOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    this.maxKeys = options.maxKeys ?? 100_000;
    this.sleep = options.sleep ?? abortableSleep;
  }

  /** Takes one token if there is one; never waits. */
  take(key: string, rate: Rate): RateDecision {
    if (unlimited(rate.perSecond)) return ALLOWED_UNLIMITED;
    const b = this.refilled(key, rate.perSecond, rate.burst ?? defaultBurst(rate.perSecond));
    if (b.tokens < 1) return { allowed: false, retryAfterSeconds: (1 - b.tokens) / b.perSecond, remaining: 0 };
    b.tokens -= 1;
    return { allowed: true, retryAfterSeconds: 0, remaining: Math.floor(b.tokens) };
  }

  /** The seconds until `take` would allow one, taking nothing (0: it would allow now). */
  peek(key: string, rate: Rate): number {
    if (unlimited(rate.perSecond)) return 0;
    const burst = rate.burst ?? defaultBurst(rate.perSecond);
    const b = this.buckets.get(key);
    // No bucket, or one for another rate (which `take` would replace with a full one): allowed now.
    if (!b || b.perSecond !== rate.perSecond || b.burst !== burst) return 0;
    const tokens = Math.min(burst, b.tokens + (Math.max(0, this.now() - b.at) / 1000) * rate.perSecond);
    return tokens >= 1 ? 0 : (1 - tokens) / rate.perSecond;
  }

  /**
   * Takes `count` tokens and resolves once they are paid for: at once while the bucket holds them, else after
   * the debt has refilled. Resolves early when `signal` aborts (the tokens stay spent).
   */
  async acquire(key: string, rate: Rate, count = 1, signal?: AbortSignal): Promise<void> {
    if (unlimited(rate.perSecond) || count <= 0) return;
    const b = this.refilled(key, rate.perSecond, rate.burst ?? defaultBurst(rate.perSecond));
    b.tokens -= count;
    if (b.tokens >= 0) return;
    await this.sleep((-b.tokens / b.perSecond) * 1000, signal);
  }

  private refilled(key: string, perSecond: number, burst: number): Bucket {
    const now = this.now();
    let b = this.buckets.get(key);
    if (!b || b.perSecond !== perSecond || b.burst !== burst) {
      if (!b && this.buckets.size >= this.maxKeys) this.forgetFull(now);
      b = { tokens: burst, at: now, perSecond, burst };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(burst, b.tokens + (Math.max(0, now - b.at) / 1000) * perSecond);
    b.at = now;
    return b;
  }

  private forgetFull(now: number): void {
    for (const [k, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * b.perSecond >= b.burst) this.buckets.delete(k);
    }
    if (this.buckets.size >= this.maxKeys) this.buckets.clear();
  }
}
