import { cover } from '../../src/analysts/analytics/domain/buckets';
import { bucketKey, percentile } from '../../src/analysts/analytics/domain/histogram';
import { decodeKey, encodeKey } from '../../src/analysts/analytics/domain/keys';
import { executionIncrements, toUpdates } from '../../src/analysts/analytics/domain/rollup';

const T = Date.UTC(2026, 10, 1);
const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

// Scenario: the pure parts of analytics — histogram buckets and percentiles, safe keys, the resolution cover of a
// range, and how one execution becomes rollup upserts.
describe('analytics domain', () => {
  it('puts durations in the bucket whose upper bound holds them', () => {
    expect(bucketKey(0)).toBe('b_1');
    expect(bucketKey(1)).toBe('b_1');
    expect(bucketKey(1.2)).toBe('b_2');
    expect(bucketKey(250)).toBe('b_300');
    expect(bucketKey(300)).toBe('b_300');
    expect(bucketKey(3_600_001)).toBe('b_inf');
    expect(bucketKey(Number.NaN)).toBe('b_1');
  });

  it('reads percentiles from bucket counts, clamped to the largest value seen', () => {
    const h = { b_10: 50, b_100: 45, b_1000: 5 };
    expect(percentile(h, 0.5)).toBe(10);
    expect(percentile(h, 0.95)).toBe(100);
    expect(percentile(h, 0.96)).toBe(1000);
    expect(percentile(h, 0.99, 640)).toBe(640);
    expect(percentile({ b_inf: 2 }, 0.5, 5_000_000)).toBe(5_000_000);
    expect(percentile({}, 0.5)).toBeNull();
  });

  it('encodes free-form keys without dots or dollars and decodes them back', () => {
    for (const v of ['timeout', 'bad_input.schema', '$where', 'ünïcode/😀', '']) {
      const k = encodeKey(v);
      expect(k).not.toMatch(/[.$]/);
      expect(decodeKey(k)).toBe(v);
    }
  });

  it('covers a range with the coarsest rollups that fit, never coarser than the output bucket', () => {
    expect(cover(T + 5 * MIN, T + 2 * DAY + 90 * MIN, 'day')).toEqual([
      { resolution: 'minute', from: T + 5 * MIN, to: T + HOUR },
      { resolution: 'hour', from: T + HOUR, to: T + DAY },
      { resolution: 'day', from: T + DAY, to: T + 2 * DAY },
      { resolution: 'hour', from: T + 2 * DAY, to: T + 2 * DAY + HOUR },
      { resolution: 'minute', from: T + 2 * DAY + HOUR, to: T + 2 * DAY + 90 * MIN },
    ]);
    expect(cover(T, T + 2 * DAY, 'hour')).toEqual([{ resolution: 'hour', from: T, to: T + 2 * DAY }]);
    expect(cover(T, T + 10 * MIN, 'day')).toEqual([{ resolution: 'minute', from: T, to: T + 10 * MIN }]);
  });

  it('turns executions into one merged upsert per rollup document and resolution', () => {
    const at = new Date(T + 61 * MIN);
    const updates = toUpdates([
      ...executionIncrements({ agent: 'a', team: 't', status: 'failed', durationMs: 40, errorCode: 'x.y', finishedAt: at }),
      ...executionIncrements({ agent: 'a', team: 't', status: 'succeeded', durationMs: 400, finishedAt: at }),
    ]);
    expect(updates).toHaveLength(6); // (agent, team) × 3 resolutions
    const minute = updates.find((u) => u.metric === 'exec_agent' && u.resolution === 'm');
    expect(minute?.bucket.getTime()).toBe(T + 61 * MIN);
    expect(minute?.inc).toEqual({ n: 2, 'c.failed': 1, 'c.succeeded': 1, 'h.b_50': 1, 'h.b_500': 1, dsum: 440, 'e.x~2ey': 1 });
    expect(minute?.max).toEqual({ mx: 400 });
    expect(updates.find((u) => u.metric === 'exec_team' && u.resolution === 'd')?.bucket.getTime()).toBe(T);
  });
});
