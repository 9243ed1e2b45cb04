/**
 * Fixed latency histogram shared by every rollup: roughly log-spaced upper bounds in milliseconds (a 1-1.5-2-3-5-7.5
 * series per decade), so a percentile read from the bucket counts is at most one bucket (≤ ~50%) above the truth.
 * Bucket keys are `b_<bound>` and `b_inf`: no `.` or `$`, so they are valid field names in any document store.
 */
export const LATENCY_BOUNDS_MS: readonly number[] = [
  1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10000, 15000,
  20000, 30000, 60000, 120000, 300000, 600000, 1800000, 3600000,
];

export const OVERFLOW_KEY = 'b_inf';

export function bucketKey(ms: number): string {
  const v = Number.isFinite(ms) && ms > 0 ? ms : 0;
  let lo = 0;
  let hi = LATENCY_BOUNDS_MS.length - 1;
  if (v > (LATENCY_BOUNDS_MS[hi] ?? 0)) return OVERFLOW_KEY;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= (LATENCY_BOUNDS_MS[mid] ?? 0)) hi = mid;
    else lo = mid + 1;
  }
  return `b_${LATENCY_BOUNDS_MS[lo]}`;
}

/** Upper bound of a bucket key (Infinity for the overflow bucket). */
export function boundOf(key: string): number {
  return key === OVERFLOW_KEY ? Infinity : Number(key.slice(2));
}

export type Histogram = Record<string, number>;

/**
 * The `p`-quantile (0 < p ≤ 1) of the histogram, reported as the upper bound of the bucket holding it,
 * clamped to the largest value seen (`max`) so the overflow bucket and sparse top buckets stay honest.
 */
export function percentile(h: Histogram, p: number, max?: number): number | null {
  const entries = Object.entries(h)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => [boundOf(k), n] as const)
    .sort((a, b) => a[0] - b[0]);
  const total = entries.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let cum = 0;
  for (const [bound, n] of entries) {
    cum += n;
    if (cum >= rank) {
      if (max !== undefined && Number.isFinite(max) && max < bound) return max;
      return Number.isFinite(bound) ? bound : (max ?? null);
    }
  }
  return max ?? null;
}

export function addInto(target: Histogram, source: Histogram | undefined): void {
  if (!source) return;
  for (const [k, n] of Object.entries(source)) target[k] = (target[k] ?? 0) + n;
}
