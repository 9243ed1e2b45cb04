import { fromKafkaMessage, nextTraceparent, toKafkaHeaders, traceIdOf } from '../../src/platform/cloudevents';
import { matchesEventType, matchesFilter, readPointer } from '../../src/platform/matching';

describe('event-type patterns', () => {
  it.each([
    ['github.issues.*', 'github.issues.opened', true],
    ['github.issues.*', 'github.issues', false],
    ['github.*', 'github.issues.opened', true],
    ['github.*.opened', 'github.issues.opened', true],
    ['github.*.opened', 'github.issues.closed', false],
    ['github.push', 'github.push', true],
    ['github.push', 'github.pushed', false],
    ['*', 'anything.at.all', true],
    ['hookhub.execution.*', 'hookhub.execution.succeeded', true],
  ])('%s vs %s → %s', (pattern, type, expected) => {
    expect(matchesEventType(pattern, type)).toBe(expected);
  });
});

describe('field filters', () => {
  const body = { action: 'opened', issue: { labels: 3, 'a/b': true }, draft: false };
  it('reads JSON pointers, escapes included', () => {
    expect(readPointer(body, '/issue/a~1b')).toBe(true);
    expect(readPointer(body, '/missing/x')).toBeUndefined();
    expect(readPointer(body, '/__proto__')).toBeUndefined();
  });
  it('matches only when every entry is equal', () => {
    expect(matchesFilter(body, { '/action': 'opened', '/draft': false })).toBe(true);
    expect(matchesFilter(body, { '/action': 'closed' })).toBe(false);
    expect(matchesFilter(body, { '/issue/labels': '3' })).toBe(false);
    expect(matchesFilter(body, undefined)).toBe(true);
  });
});

describe('CloudEvents binary mode', () => {
  it('round-trips through Kafka headers with extensions', () => {
    const headers = toKafkaHeaders({ id: 'e1', source: '/sources/github', type: 'github.push', time: '2026-01-01T00:00:00Z', traceparent: nextTraceparent(), extensions: { partitionkey: 'a/b' } });
    const ce = fromKafkaMessage({ headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(String(v))])), value: Buffer.from('{}') });
    expect(ce).toMatchObject({ id: 'e1', source: '/sources/github', type: 'github.push', extensions: { partitionkey: 'a/b' } });
    expect(ce.data.toString()).toBe('{}');
  });
  it('rejects messages that are not CloudEvents', () => {
    expect(() => fromKafkaMessage({ headers: {}, value: Buffer.from('x') })).toThrow('ce_specversion');
  });
  it('continues an incoming trace and starts one otherwise', () => {
    const incoming = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    expect(traceIdOf(nextTraceparent(incoming))).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(traceIdOf(nextTraceparent('garbage'))).toMatch(/^[0-9a-f]{32}$/);
  });
});
