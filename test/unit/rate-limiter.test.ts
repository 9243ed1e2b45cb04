import { RateLimiter } from '../../src/platform/rate-limiter';

/** A clock the test moves by hand, and a sleep that records what it was asked to wait and moves the clock. */
function fakeTime(): { now: () => number; advance: (ms: number) => void; slept: number[]; sleep: (ms: number, signal?: AbortSignal) => Promise<void> } {
  let t = 1_000_000;
  const slept: number[] = [];
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    slept,
    sleep: async (ms, signal) => {
      slept.push(ms);
      if (!signal?.aborted) t += ms;
    },
  };
}

describe('RateLimiter (one token bucket per key)', () => {
  it('take: a full burst, then a refusal saying when one token is back, then one token per 1/rate seconds', () => {
    const time = fakeTime();
    const limiter = new RateLimiter({ now: time.now });
    const rate = { perSecond: 2, burst: 3 };
    expect([1, 2, 3].map(() => limiter.take('a', rate))).toEqual([
      { allowed: true, retryAfterSeconds: 0, remaining: 2 },
      { allowed: true, retryAfterSeconds: 0, remaining: 1 },
      { allowed: true, retryAfterSeconds: 0, remaining: 0 },
    ]);
    const refused = limiter.take('a', rate);
    expect(refused).toMatchObject({ allowed: false, remaining: 0 });
    expect(refused.retryAfterSeconds).toBeCloseTo(0.5);
    time.advance(500);
    expect(limiter.take('a', rate).allowed).toBe(true);
    expect(limiter.take('a', rate).allowed).toBe(false);
  });

  it('keys have their own buckets', () => {
    const time = fakeTime();
    const limiter = new RateLimiter({ now: time.now });
    const rate = { perSecond: 1, burst: 1 };
    expect(limiter.take('a', rate).allowed).toBe(true);
    expect(limiter.take('a', rate).allowed).toBe(false);
    expect(limiter.take('b', rate).allowed).toBe(true);
  });

  it('a bucket refills to its burst and no further', () => {
    const time = fakeTime();
    const limiter = new RateLimiter({ now: time.now });
    const rate = { perSecond: 10, burst: 2 };
    limiter.take('a', rate);
    limiter.take('a', rate);
    time.advance(60_000);
    expect([1, 2, 3].map(() => limiter.take('a', rate).allowed)).toEqual([true, true, false]);
  });

  it('the burst defaults to one second of rate, rounded up, at least 1', () => {
    const time = fakeTime();
    const limiter = new RateLimiter({ now: time.now });
    const allowedInARow = (perSecond: number): number => {
      let n = 0;
      while (limiter.take(`r${perSecond}`, { perSecond }).allowed) n += 1;
      return n;
    };
    expect(allowedInARow(2.5)).toBe(3);
    expect(allowedInARow(0.2)).toBe(1);
  });

  it('a changed rate starts its key over with a full bucket', () => {
    const time = fakeTime();
    const limiter = new RateLimiter({ now: time.now });
    expect(limiter.take('a', { perSecond: 1, burst: 1 }).allowed).toBe(true);
    expect(limiter.take('a', { perSecond: 1, burst: 1 }).allowed).toBe(false);
    expect(limiter.take('a', { perSecond: 5, burst: 5 }).allowed).toBe(true);
  });

  it('a rate that is not a positive finite number does not limit', () => {
    const limiter = new RateLimiter({ now: fakeTime().now });
    for (const perSecond of [0, -1, Infinity]) {
      expect([1, 2, 3].every(() => limiter.take('a', { perSecond, burst: 1 }).allowed)).toBe(true);
      expect(limiter.peek('a', { perSecond, burst: 1 })).toBe(0);
    }
  });

  it('peek says when take would allow, without taking', () => {
    const time = fakeTime();
    const limiter = new RateLimiter({ now: time.now });
    const rate = { perSecond: 4, burst: 1 };
    expect(limiter.peek('a', rate)).toBe(0);
    expect(limiter.peek('a', rate)).toBe(0);
    expect(limiter.take('a', rate).allowed).toBe(true);
    expect(limiter.peek('a', rate)).toBeCloseTo(0.25);
    time.advance(100);
    expect(limiter.peek('a', rate)).toBeCloseTo(0.15);
    time.advance(150);
    expect(limiter.peek('a', rate)).toBe(0);
    expect(limiter.take('a', rate).allowed).toBe(true);
  });

  it('holds at most maxKeys buckets: full ones are forgotten first, live ones kept while there is room', () => {
    const time = fakeTime();
    const limiter = new RateLimiter({ now: time.now, maxKeys: 2 });
    const rate = { perSecond: 1, burst: 1 };
    limiter.take('refilled', rate);
    time.advance(1000);
    limiter.take('spent', rate);
    time.advance(500); // 'refilled' is full again (same as no bucket); 'spent' holds half a token
    expect(limiter.take('new', rate).allowed).toBe(true); // at the bound: forgets the full bucket only
    expect(limiter.take('spent', rate).allowed).toBe(false);
  });

  it('holds at most maxKeys buckets even when every one is live (a flood from many keys)', () => {
    const time = fakeTime();
    const limiter = new RateLimiter({ now: time.now, maxKeys: 2 });
    const rate = { perSecond: 1, burst: 1 };
    limiter.take('a', rate);
    limiter.take('b', rate);
    expect(limiter.take('c', rate).allowed).toBe(true);
    // 'a' and 'b' were forgotten to make room: they start over full.
    expect(limiter.take('a', rate).allowed).toBe(true);
  });

  it('acquire waits only for what the bucket lacks, and concurrent callers queue one after another', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter({ now: time.now, sleep: time.sleep });
    const rate = { perSecond: 2, burst: 1 };
    await limiter.acquire('s', rate);
    expect(time.slept).toEqual([]);
    // Two callers at the same instant: the first waits for the next token, the second for the one after.
    const before = time.now();
    const waits: number[] = [];
    const noClock = new RateLimiter({ now: () => before, sleep: async (ms) => void waits.push(ms) });
    await noClock.acquire('s', rate);
    await Promise.all([noClock.acquire('s', rate), noClock.acquire('s', rate)]);
    expect(waits).toEqual([500, 1000]);
    // Sequential callers with the clock moving: each waits 1/rate.
    await limiter.acquire('s', rate);
    await limiter.acquire('s', rate);
    expect(time.slept).toEqual([500, 500]);
  });

  it('acquire takes several tokens at once, into debt, and burst is not exceeded after an idle spell', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter({ now: time.now, sleep: time.sleep });
    const rate = { perSecond: 10, burst: 10 };
    await limiter.acquire('replay', rate, 10);
    await limiter.acquire('replay', rate, 5);
    expect(time.slept).toEqual([500]);
    time.advance(10_000);
    await limiter.acquire('replay', rate, 12);
    expect(time.slept).toEqual([500, 200]);
    await limiter.acquire('replay', rate, 0);
    expect(time.slept).toHaveLength(2);
  });

  it('acquire with no limit never waits; an aborted one returns at once, its tokens spent', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter({ now: time.now, sleep: time.sleep });
    await limiter.acquire('x', { perSecond: Infinity }, 1_000_000);
    expect(time.slept).toEqual([]);
    const abort = new AbortController();
    abort.abort();
    const rate = { perSecond: 1, burst: 1 };
    await limiter.acquire('y', rate, 3, abort.signal);
    expect(time.slept).toEqual([2000]);
    expect(limiter.take('y', rate)).toMatchObject({ allowed: false });
    expect(limiter.take('y', rate).retryAfterSeconds).toBeCloseTo(3);
  });

  it('the default sleep resolves early when its signal aborts', async () => {
    const limiter = new RateLimiter({ now: fakeTime().now });
    const abort = new AbortController();
    const waiting = limiter.acquire('z', { perSecond: 0.001, burst: 1 }, 2, abort.signal);
    abort.abort();
    await expect(waiting).resolves.toBeUndefined();
  });
});
