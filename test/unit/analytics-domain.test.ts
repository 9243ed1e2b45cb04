import { cover } from '../../src/analysts/analytics/domain/buckets';
import { bucketKey, percentile } from '../../src/analysts/analytics/domain/histogram';
import { decodeKey, encodeKey } from '../../src/analysts/analytics/domain/keys';
import { decodeSlots, directoryIds, encodeSlots, partitionName, partitionSpan, sealPlan, sealedDocs, slotsOf, toSlotUpdates, type SlotDoc } from '../../src/analysts/analytics/data-access/rollup-layout';
import { executionIncrements } from '../../src/analysts/analytics/domain/rollup';

const T = Date.UTC(2026, 10, 1);
const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

// Scenario: the pure parts of analytics — histogram buckets and percentiles, safe keys, the resolution cover of a
// range, how one execution becomes rollup upserts, and how closed slots are sealed into compact strings.
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

  it('turns executions into one merged upsert per rollup document: a day, an hour and a minute slot', () => {
    const at = new Date(T + 61 * MIN);
    const updates = toSlotUpdates([
      ...executionIncrements({ agent: 'a', team: 't', status: 'failed', durationMs: 40, errorCode: 'x.y', finishedAt: at }),
      ...executionIncrements({ agent: 'a', team: 't', status: 'succeeded', durationMs: 400, finishedAt: at }),
    ]);
    expect(updates).toHaveLength(6); // (agent, team) × (day, hour, minute tier)
    const minute = updates.find((u) => u.collection === 'analytics_exec_agent_m_20261101');
    expect(minute?.id).toBe('01|["a","t"]');
    expect(minute?.inc).toEqual({ 's01.n': 2, 's01.c.failed': 1, 's01.c.succeeded': 1, 's01.h.b_50': 1, 's01.h.b_500': 1, 's01.dsum': 440, 's01.e.x~2ey': 1 });
    expect(minute?.max).toEqual({ 's01.mx': 400 });
    expect(updates.find((u) => u.collection === 'analytics_exec_team_h_20261101')).toMatchObject({ id: '["t"]', inc: { 's01.n': 2 } });
    expect(updates.find((u) => u.collection === 'analytics_exec_team_d_202611')?.inc).toMatchObject({ 's00.n': 2 });
  });

  it('seals closed slots into one string that reads back the same sums, and leaves open ones live', () => {
    const doc: SlotDoc = {
      _id: '["a","t"]',
      z: encodeSlots(new Map([[3, { n: 1, h: { b_10: 1 }, mx: 9 }]])),
      s03: { n: 2, h: { b_10: 1, b_20: 1 }, mx: 18 },
      s04: { n: 1, c: { succeeded: 1 } },
      s05: { n: 4 },
    };
    const hourEnd = (i: number): number => T + (i + 1) * HOUR;
    const plan = sealPlan(doc, hourEnd, T + 5 * HOUR);
    expect(plan?.filter).toEqual({ _id: doc._id, z: doc.z, 's03.n': 2, 's04.n': 1 });
    expect(Object.keys(plan?.update.$unset ?? {})).toEqual(['s03', 's04']);
    const after: SlotDoc = { _id: doc._id, z: plan?.update.$set.z, s05: { n: 4 } };
    expect(slotsOf(after)).toEqual(slotsOf(doc));
    expect(slotsOf(after).get(3)).toEqual({ n: 3, h: { b_10: 2, b_20: 1 }, mx: 18 });
    expect(decodeSlots(plan?.update.$set.z ?? '', (i) => i === 4)).toEqual(new Map([[4, { n: 1, c: { succeeded: 1 } }]]));
    expect(sealPlan(after, hourEnd, T + 5 * HOUR)).toBeUndefined();
  });

  it('builds the sealed documents of a history directly, as the sealer would leave them', () => {
    const facts = [0, 1, 2].map((i) => ({ agent: 'a', team: 't', status: 'succeeded', durationMs: 10 * (i + 1), finishedAt: new Date(T + i * HOUR) }));
    const docs = sealedDocs(facts.flatMap(executionIncrements));
    const [directory, ...hourTier] = docs.get('analytics_exec_agent_h_20261101') ?? [];
    expect(directoryIds(directory)).toEqual(['["a","t"]']);
    expect(hourTier).toHaveLength(1);
    expect(directoryIds(docs.get('analytics_exec_agent_m_20261101')?.[0])).toEqual(['00|["a","t"]', '01|["a","t"]', '02|["a","t"]']);
    expect(slotsOf(docs.get('analytics_exec_agent_d_202611')?.[1] as SlotDoc).get(0)).toEqual({ n: 3, c: { succeeded: 3 }, h: { b_10: 1, b_20: 1, b_30: 1 }, dsum: 60, mx: 30 });
    expect([...slotsOf(hourTier[0] as SlotDoc).entries()]).toEqual([
      [0, { n: 1, c: { succeeded: 1 }, h: { b_10: 1 }, dsum: 10, mx: 10 }],
      [1, { n: 1, c: { succeeded: 1 }, h: { b_20: 1 }, dsum: 20, mx: 20 }],
      [2, { n: 1, c: { succeeded: 1 }, h: { b_30: 1 }, dsum: 30, mx: 30 }],
    ]);
  });
});

describe('analytics partition names', () => {
  it('give back the span each partition covers, and nothing for other collections', () => {
    // Retention decides from the collection name alone: a day partition covers its UTC day, a month one its month.
    expect(partitionSpan('analytics_delivery_h_20261126')).toEqual({ metric: 'delivery', tier: 'h', startMs: Date.UTC(2026, 10, 26), endMs: Date.UTC(2026, 10, 27) });
    expect(partitionSpan('analytics_exec_agent_d_202612')).toEqual({ metric: 'exec_agent', tier: 'd', startMs: Date.UTC(2026, 11, 1), endMs: Date.UTC(2027, 0, 1) });
    expect(partitionSpan(partitionName('ingest_rejected', 'm', Date.UTC(2025, 1, 28, 13)))).toMatchObject({ tier: 'm', startMs: Date.UTC(2025, 1, 28) });
    expect(partitionSpan('analytics_health')).toBeUndefined();
    expect(partitionSpan('analytics_nosuchmetric_h_20261126')).toBeUndefined();
    expect(partitionSpan('analytics_delivery_d_20261126')).toBeUndefined();
  });
});
