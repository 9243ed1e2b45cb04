import { AppError } from '../../../platform/errors';
import { SIZE_MS, ceilTo, floorTo, type Resolution } from './buckets';
import { addInto, percentile, type Histogram } from './histogram';
import { decodeKey } from './keys';

export const MAX_BUCKETS = 2000;

export interface RangeQuery {
  from: number;
  to: number;
  bucket: Resolution;
}

/** Rounds the range out to whole minutes (the finest rollup) and refuses series longer than MAX_BUCKETS; an empty range has no buckets. */
export function assertRange(q: RangeQuery): RangeQuery {
  const from = floorTo(q.from, SIZE_MS.minute);
  const to = ceilTo(q.to, SIZE_MS.minute);
  if (from > to) throw new AppError('validation_failed', 'from must not be after to', { errors: [{ path: '/to', message: 'must not be before from' }] });
  const n = Math.ceil((to - floorTo(from, SIZE_MS[q.bucket])) / SIZE_MS[q.bucket]);
  if (n > MAX_BUCKETS) throw new AppError('range_too_large', `${n} ${q.bucket} buckets asked; at most ${MAX_BUCKETS} per query: use a larger bucket or a shorter range`);
  return { from, to, bucket: q.bucket };
}

/** Bucket starts of the output series, covering [from, to). */
export function seriesStarts(q: RangeQuery): number[] {
  const size = SIZE_MS[q.bucket];
  const out: number[] = [];
  for (let t = floorTo(q.from, size); t < q.to; t += size) out.push(t);
  return out;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const obj = (v: unknown): Record<string, number> => (v && typeof v === 'object' ? (v as Record<string, number>) : {});
const rate = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 10000) / 10000 : null);

function addCounts(target: Record<string, number>, source: Record<string, number>): void {
  for (const [k, n] of Object.entries(source)) target[k] = (target[k] ?? 0) + num(n);
}

function top(counts: Record<string, number>, limit: number): { code: string; count: number }[] {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => ({ code: decodeKey(k), count: n }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
    .slice(0, limit);
}

/** Running sums of execution rollups. */
export class ExecutionAgg {
  n = 0;
  c: Record<string, number> = {};
  h: Histogram = {};
  e: Record<string, number> = {};
  dsum = 0;
  mx = -Infinity;

  add(doc: Record<string, unknown>): void {
    this.n += num(doc.n);
    addCounts(this.c, obj(doc.c));
    addInto(this.h, obj(doc.h));
    addCounts(this.e, obj(doc.e));
    this.dsum += num(doc.dsum);
    if (typeof doc.mx === 'number') this.mx = Math.max(this.mx, doc.mx);
  }

  stats(): ExecutionStats {
    const succeeded = this.c.succeeded ?? 0;
    const timed = Object.values(this.h).reduce((s, v) => s + v, 0);
    const max = Number.isFinite(this.mx) ? this.mx : undefined;
    return {
      executions: this.n,
      succeeded,
      failed: this.c.failed ?? 0,
      timed_out: this.c.timed_out ?? 0,
      successRate: rate(succeeded, this.n),
      meanDurationMs: timed ? Math.round(this.dsum / timed) : null,
      p50DurationMs: percentile(this.h, 0.5, max),
      p95DurationMs: percentile(this.h, 0.95, max),
      p99DurationMs: percentile(this.h, 0.99, max),
      topErrors: top(this.e, 10),
    };
  }
}

export interface ExecutionStats {
  executions: number;
  succeeded: number;
  failed: number;
  timed_out: number;
  successRate: number | null;
  meanDurationMs: number | null;
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  p99DurationMs: number | null;
  topErrors: { code: string; count: number }[];
}

/** Running sums of delivery rollups. */
export class DeliveryAgg {
  n = 0;
  ok = 0;
  fail = 0;
  h: Histogram = {};
  s: Record<string, number> = {};
  /** Error kinds (stored under `x`: `k` holds the dimensions). */
  x: Record<string, number> = {};
  mx = -Infinity;

  add(doc: Record<string, unknown>): void {
    this.n += num(doc.n);
    this.ok += num(doc.ok);
    this.fail += num(doc.fail);
    addInto(this.h, obj(doc.h));
    addCounts(this.s, obj(doc.s));
    addCounts(this.x, obj(doc.x));
    if (typeof doc.mx === 'number') this.mx = Math.max(this.mx, doc.mx);
  }

  stats(): DeliveryStats {
    const max = Number.isFinite(this.mx) ? this.mx : undefined;
    return {
      attempts: this.n,
      succeeded: this.ok,
      failed: this.fail,
      successRate: rate(this.ok, this.n),
      p50LatencyMs: percentile(this.h, 0.5, max),
      p95LatencyMs: percentile(this.h, 0.95, max),
      statusCodes: Object.fromEntries(Object.entries(this.s).filter(([, v]) => v > 0)),
      errorKinds: top(this.x, 10).map((x) => ({ kind: x.code, count: x.count })),
    };
  }
}

export interface DeliveryStats {
  attempts: number;
  succeeded: number;
  failed: number;
  successRate: number | null;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  statusCodes: Record<string, number>;
  errorKinds: { kind: string; count: number }[];
}

/** Groups documents by output bucket start and by a key, feeding one aggregator per group. */
export function groupInto<A>(docs: Record<string, unknown>[], keyOf: (doc: Record<string, unknown>) => string, make: () => A, add: (a: A, doc: Record<string, unknown>) => void): Map<string, A> {
  const out = new Map<string, A>();
  for (const doc of docs) {
    const k = keyOf(doc);
    let a = out.get(k);
    if (!a) {
      a = make();
      out.set(k, a);
    }
    add(a, doc);
  }
  return out;
}

export const bucketOf = (doc: Record<string, unknown>, bucket: Resolution): number => floorTo((doc.t as Date).getTime(), SIZE_MS[bucket]);
