import { parseTime } from '../../src/analysts/replay/domain/jobs';
import { RateLimiter } from '../../src/platform/rate-limiter';
import { runReplay } from '../../src/analysts/replay/domain/run-replay';
import { replayCopyId, toStructuredLine } from '../../src/analysts/replay/domain/structured';
import { replayEvent } from '../support/replay';
import { freshProgress, type RangePosition, type ReplayChunk, type ReplayEvent, type ReplaySink, type ReplaySources } from '../../src/analysts/replay/domain/types';

const ev = replayEvent;

/** An in-memory source of one partition (the replay domain's own port, not Kafka). */
class ListSource implements ReplaySources {
  constructor(private readonly items: { offset: number; event?: ReplayEvent }[]) {}
  async plan(): Promise<RangePosition[]> {
    return [{ store: 'kafka', partition: 0, start: 0, end: this.items.length, position: 0 }];
  }
  async read(_t: string, ranges: RangePosition[], _w: unknown, onChunk: (r: RangePosition, c: ReplayChunk) => Promise<void>, signal: AbortSignal): Promise<void> {
    for (const range of ranges) {
      for (let i = range.position; i < this.items.length && !signal.aborted; i += 4) {
        await onChunk(range, { items: this.items.slice(i, i + 4), position: Math.min(i + 4, this.items.length) });
      }
    }
  }
}

class ListSink implements ReplaySink {
  ids: string[] = [];
  async emit(events: ReplayEvent[]): Promise<number> {
    this.ids.push(...events.map((e) => e.id));
    return 0;
  }
  async flush(): Promise<void> {}
}

// Scenario: the pure parts of replay — the structured CloudEvent line, derived copy ids, time parsing, and the
// run loop's exact positions: stopping between two events and resuming from the saved progress emits every
// matching event exactly once and counts skipped messages and replay copies apart.
describe('replay domain', () => {
  it('writes JSON bodies as data on one line, other bodies as data_base64', () => {
    const json = JSON.parse(toStructuredLine(ev('e1', 0, { data: Buffer.from('{\n  "a": "x\\ny",\r\n  "b": [1,\n2]\n}'), extensions: { hookhubsource: 'gh' }, traceparent: 'tp' }))) as Record<string, unknown>;
    expect(json).toEqual({ specversion: '1.0', id: 'e1', source: '/sources/gh', type: 'github.push', time: '2026-11-01T00:00:00.000Z', datacontenttype: 'application/json', traceparent: 'tp', hookhubsource: 'gh', data: { a: 'x\ny', b: [1, 2] } });
    const line = toStructuredLine(ev('e2', 0, { data: Buffer.from('a=1&b=2'), datacontenttype: 'application/x-www-form-urlencoded' }));
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toMatchObject({ data_base64: Buffer.from('a=1&b=2').toString('base64') });
    expect(JSON.parse(toStructuredLine(ev('e3', 0, { data: Buffer.from('{broken') })))).toHaveProperty('data_base64');
  });

  it('derives the same uuid-shaped copy id for the same replay and original', () => {
    const a = replayCopyId('r1', 'e1');
    expect(a).toBe(replayCopyId('r1', 'e1'));
    expect(a).not.toBe(replayCopyId('r2', 'e1'));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('parses short and full timestamps and refuses others', () => {
    expect(parseTime('2026-11-01T00:00Z')).toBe(Date.UTC(2026, 10, 1));
    expect(parseTime('2026-11-01T01:02:03.5+01:00')).toBe(Date.UTC(2026, 10, 1, 0, 2, 3, 500));
    expect(parseTime('2026-11-01')).toBe(Date.UTC(2026, 10, 1));
    expect(parseTime('1793491200000')).toBe(1793491200000);
    expect(parseTime('yesterday')).toBeUndefined();
  });

  it('stops between two events and resumes exactly once per event', async () => {
    const items = Array.from({ length: 23 }, (_, i) => {
      if (i === 3) return { offset: i }; // not a CloudEvent / outside the window
      if (i === 7) return { offset: i, event: ev(`copy${i}`, i, { extensions: { replayof: 'x' } }) };
      return { offset: i, event: ev(`e${i}`, i, { type: i % 3 === 0 ? 'github.issues.opened' : 'github.push' }) };
    });
    const spec = { replayId: 'r', topic: 't', fromMs: 0, toMs: 1, types: ['github.push'] };
    const progress = freshProgress();
    const sink = new ListSink();
    const abort = new AbortController();
    const first = await runReplay(spec, progress, { sources: new ListSource(items), sink, limiter: new RateLimiter(), ratePerSecond: Infinity }, {
      checkpointEveryMs: 0,
      signal: abort.signal,
      checkpoint: async () => {
        if (sink.ids.length >= 5) abort.abort();
        return true;
      },
    });
    expect(first).toBe('stopped');
    const second = await runReplay(spec, progress, { sources: new ListSource(items), sink, limiter: new RateLimiter(), ratePerSecond: Infinity }, { checkpointEveryMs: 0, checkpoint: async () => true });
    expect(second).toBe('completed');
    const expected = items.filter((x) => x.event && !x.event.extensions.replayof && x.event.type === 'github.push').map((x) => x.event?.id);
    expect(sink.ids).toEqual(expected);
    expect(progress.counts).toEqual({ read: 21, matched: expected.length, emitted: expected.length, skipped: 2, executionsStarted: 0 });
    expect(progress.ranges?.[0]?.position).toBe(23);
  });
});
