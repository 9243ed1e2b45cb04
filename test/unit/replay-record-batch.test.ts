import { createRequire } from 'node:module';
import type { KafkaMessage } from 'kafkajs';
import { eventFromRecord, parseFetchResponse, partitionChunks, nextFetchOffset, type PartitionFetch } from '../../src/analysts/replay/data-access/kafka-fetch';
import { eventFromKafka } from '../../src/analysts/replay/data-access/kafka-range';
import { HeaderReader, batchesEnd, forEachRecord, utf8, type RecordView } from '../../src/analysts/replay/data-access/record-batch';
import type { ReplayChunk } from '../../src/analysts/replay/domain/types';
import { toKafkaHeaders } from '../../src/platform/cloudevents';

// kafkajs's own encoders and decoders, the reference the lean reader must agree with.
const load = createRequire(__filename);
interface EncoderLike {
  buffer: Buffer;
}
type HeaderValue = Buffer | string | null | (Buffer | string | null)[];
const { RecordBatch } = load('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (o: { compression?: number; firstOffset?: bigint; firstTimestamp?: number; maxTimestamp?: number; lastOffsetDelta?: number; transactional?: boolean; producerId?: bigint; records: EncoderLike[] }) => Promise<EncoderLike>;
};
const Record = load('kafkajs/src/protocol/recordBatch/record/v0') as (o: { offsetDelta: number; timestampDelta: number; key: Buffer | null; value: Buffer | null; headers?: Record<string, HeaderValue> }) => EncoderLike;
const Decoder = load('kafkajs/src/protocol/decoder') as new (b: Buffer) => unknown;
const decodeMessages = load('kafkajs/src/protocol/requests/fetch/v4/decodeMessages') as (d: unknown) => Promise<(KafkaMessage & { isControlRecord: boolean })[]>;
const fetchV11Response = load('kafkajs/src/protocol/requests/fetch/v11/response') as { decode: (b: Buffer) => Promise<{ responses: { topicName: string; partitions: { partition: number; highWatermark: string; messages: KafkaMessage[] }[] }[] }> };
const GZIP = 1;

interface Spec {
  key: string | null;
  value: string | null;
  headers?: Record<string, HeaderValue>;
  tsDelta?: number;
}

const ce = (id: string, extra: Record<string, string> = {}): Record<string, HeaderValue> => {
  const out: Record<string, HeaderValue> = {};
  for (const [k, v] of Object.entries(toKafkaHeaders({ id, source: '/sources/gh', type: 'github.push', time: '2026-11-01T00:00:00.000Z', extensions: { hookhubsource: 'gh', ...extra } }))) {
    if (v !== undefined) out[k] = v;
  }
  return out;
};

async function batch(firstOffset: number, specs: Spec[], o: { gzip?: boolean; transactional?: boolean; producerId?: bigint; control?: boolean; firstTimestamp?: number } = {}): Promise<Buffer> {
  const firstTimestamp = o.firstTimestamp ?? 1_795_000_000_000;
  const records = specs.map((s, i) =>
    Record({ offsetDelta: i, timestampDelta: s.tsDelta ?? i * 7, key: s.key === null ? null : Buffer.from(s.key), value: s.value === null ? null : Buffer.from(s.value), headers: s.headers ?? {} }),
  );
  const encoded = await RecordBatch({
    compression: o.gzip ? GZIP : 0,
    firstOffset: BigInt(firstOffset),
    firstTimestamp,
    maxTimestamp: firstTimestamp + 1000,
    lastOffsetDelta: specs.length - 1,
    transactional: o.transactional ?? false,
    producerId: o.producerId ?? -1n,
    records,
  });
  const buf = Buffer.from(encoded.buffer);
  if (o.control) buf.writeInt16BE(buf.readInt16BE(21) | 0x20, 21);
  return buf;
}

const controlKey = (type: number): string => Buffer.from([0, 0, 0, type]).toString('latin1');

/** Every item partitionChunks hands over for [from, end), in order, with the chunks' positions. */
async function partitionItems(d: PartitionFetch, from: number, end: number, window: { fromMs: number; toMs: number }): Promise<ReplayChunk['items']> {
  const items: ReplayChunk['items'] = [];
  const next = nextFetchOffset(d, from, end);
  let position = from;
  await partitionChunks('topic-a', d, { from, end, next }, window, async (chunk) => {
    expect(chunk.position).toBeGreaterThan(position);
    position = chunk.position;
    items.push(...chunk.items);
  });
  expect(position).toBe(next);
  return items;
}

/** kafkajs's messages for a record set, decoded the way its Fetch v4+ response decoder does. */
async function kafkajsMessages(records: Buffer): Promise<(KafkaMessage & { isControlRecord: boolean })[]> {
  const sized = Buffer.alloc(4 + records.length);
  sized.writeInt32BE(records.length, 0);
  records.copy(sized, 4);
  return decodeMessages(new Decoder(sized));
}

/** Headers of a record merged the way kafkajs merges them (repeated names become arrays, null stays null). */
function mergedHeaders(r: RecordView): Record<string, Buffer | null | (Buffer | null)[]> {
  const out: Record<string, Buffer | null | (Buffer | null)[]> = {};
  const h = new HeaderReader().reset(r);
  while (h.next()) {
    const value = h.start < 0 ? null : Buffer.from(r.buf.subarray(h.start, h.end));
    const prev = out[h.name];
    out[h.name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

async function leanRecords(records: Buffer): Promise<{ offset: string; timestamp: string; key: Buffer | null; value: Buffer | null; headers: ReturnType<typeof mergedHeaders>; isControlRecord: boolean }[]> {
  const out: Awaited<ReturnType<typeof leanRecords>> = [];
  await forEachRecord(records, (r) =>
    out.push({
      offset: String(r.offset),
      timestamp: String(r.timestamp),
      key: r.keyStart < 0 ? null : Buffer.from(r.buf.subarray(r.keyStart, r.keyEnd)),
      value: r.valueStart < 0 ? null : Buffer.from(r.buf.subarray(r.valueStart, r.valueEnd)),
      headers: mergedHeaders(r),
      isControlRecord: r.control,
    }),
  );
  return out;
}

const specs: Spec[] = [
  { key: 'repo-1', value: '{"a":1}', headers: ce('e1') },
  { key: null, value: '{"ü":"ß — ✓"}', headers: { ...ce('e2', { replayof: 'x' }), 'x-dup': ['one', 'two', 'three'], 'ce_empty': '' }, tsDelta: 123_456 },
  { key: '', value: '', headers: {} },
  { key: 'k', value: null, headers: ce('e4') },
  { key: 'k'.repeat(300), value: 'x'.repeat(70_000), headers: { ...ce('e5'), big: 'h'.repeat(200) } },
  { key: 'neg', value: 'not json', headers: ce('e6'), tsDelta: -5 },
];

// Scenario: replay's lean record-batch reader decodes the very bytes kafkajs's producer encodes — uncompressed and
// gzip batches, null/empty keys and values, repeated and null headers, multi-byte varints, 64-bit offsets — into
// the same offsets, timestamps, keys, values and headers kafkajs's own decoder yields, and into the same replay
// events; a batch cut off at the end of a fetch is left for the next one; aborted transactions are left out.
describe('replay record-batch reader', () => {
  it.each([
    ['uncompressed', false],
    ['gzip', true],
  ])('agrees with kafkajs on %s batches', async (_name, gzip) => {
    const records = Buffer.concat([await batch(0, specs, { gzip }), await batch(6, specs.slice(0, 2), { gzip }), await batch(2 ** 40, specs.slice(1, 3), { gzip, firstTimestamp: 1_000 })]);
    const theirs = await kafkajsMessages(records);
    const mine = await leanRecords(records);
    expect(mine).toHaveLength(10);
    expect(mine).toEqual(theirs.map((m) => ({ offset: m.offset, timestamp: m.timestamp, key: m.key, value: m.value, headers: m.headers, isControlRecord: m.isControlRecord })));
    expect(batchesEnd(records)).toBe(2 ** 40 + 2);
  });

  it('builds the same replay events as the kafkajs path', async () => {
    for (const gzip of [false, true]) {
      const records = await batch(40, specs, { gzip });
      const theirs = await kafkajsMessages(records);
      const events: unknown[] = [];
      await forEachRecord(records, (r) => events.push(eventFromRecord('t', 2, r) ?? null));
      const expected = theirs.map((m) => {
        try {
          return eventFromKafka('t', 2, m);
        } catch {
          return null;
        }
      });
      expect(events).toEqual(expected);
      expect(events.filter((e) => e !== null)).toHaveLength(4);
    }
  });

  it('stops at a batch cut off at the end of the fetched bytes', async () => {
    const whole = await batch(0, specs.slice(0, 3));
    const next = await batch(3, specs.slice(0, 3));
    const cut = Buffer.concat([whole, next.subarray(0, next.length - 10)]);
    expect((await leanRecords(cut)).map((r) => r.offset)).toEqual(['0', '1', '2']);
    expect(batchesEnd(cut)).toBe(3);
    expect(batchesEnd(next.subarray(0, 30))).toBe(-1);
  });

  it('reads a Fetch v11 response as kafkajs does, and leaves aborted transactions and markers out', async () => {
    const p0 = Buffer.concat([
      await batch(10, specs.slice(0, 2)),
      await batch(12, [{ key: 'a', value: '{"t":1}', headers: ce('aborted-1') }], { transactional: true, producerId: 77n }),
      await batch(13, [{ key: 'b', value: '{"t":2}', headers: ce('committed-1') }], { transactional: true, producerId: 78n }),
      await batch(14, [{ key: controlKey(0), value: '\u0000\u0000\u0000\u0000\u0000\u0000' }], { transactional: true, producerId: 77n, control: true }),
      await batch(15, [{ key: controlKey(1), value: '\u0000\u0000\u0000\u0000\u0000\u0000' }], { transactional: true, producerId: 78n, control: true }),
      await batch(16, [{ key: 'c', value: '{"t":3}', headers: ce('after') }], { transactional: true, producerId: 77n }),
    ]);
    const p1 = await batch(0, specs.slice(0, 1), { gzip: true });
    const response = fetchResponse('topic-a', [
      { partition: 0, highWatermark: 17, aborted: [{ producerId: 77n, firstOffset: 12 }], records: p0 },
      { partition: 1, highWatermark: 1, aborted: [], records: p1 },
    ]);
    const theirs = await fetchV11Response.decode(response);
    const mine = parseFetchResponse(response, 'topic-a');
    expect(mine.map((p) => [p.partition, p.highWatermark])).toEqual(theirs.responses[0]?.partitions.map((p) => [p.partition, Number(p.highWatermark)]));
    expect(await leanRecords(mine[0]?.records ?? Buffer.alloc(0))).toHaveLength(7);

    const window = { fromMs: 0, toMs: Number.MAX_SAFE_INTEGER };
    const d0 = mine[0];
    if (!d0) throw new Error('partition 0 missing');
    const items = await partitionItems(d0, 11, 100, window);
    expect(items.map((i) => [i.offset, i.event?.id ?? null])).toEqual([
      [11, 'e2'],
      [13, 'committed-1'],
      [16, 'after'],
    ]);
    expect(nextFetchOffset(d0, 11, 100)).toBe(17);
    expect(nextFetchOffset(d0, 11, 15)).toBe(15);
    const outside = await partitionItems(d0, 10, 12, { fromMs: 0, toMs: 1_795_000_000_000 });
    expect(outside).toEqual([{ offset: 10 }, { offset: 11 }]);
    // nothing fetched and nothing more in the log: the range is done
    expect(nextFetchOffset({ partition: 3, highWatermark: 5, aborted: [], records: Buffer.alloc(0) }, 5, 9)).toBe(9);
    expect(nextFetchOffset({ partition: 3, highWatermark: 8, aborted: [], records: Buffer.alloc(0) }, 5, 9)).toBe(5);
  });

  it('hands a large response over in chunks with exact positions', async () => {
    const many: Spec[] = Array.from({ length: 1000 }, (_, i) => ({ key: `k${i}`, value: `{"i":${i}}`, headers: ce(`m${i}`) }));
    const records = Buffer.concat(await Promise.all([0, 1, 2, 3, 4].map((b) => batch(b * 1000, many, { gzip: b === 2 }))));
    const d: PartitionFetch = { partition: 0, highWatermark: 5000, aborted: [], records };
    const positions: number[] = [];
    let count = 0;
    await partitionChunks('t', d, { from: 0, end: 5000, next: nextFetchOffset(d, 0, 5000) }, { fromMs: 0, toMs: Number.MAX_SAFE_INTEGER }, async (chunk) => {
      positions.push(chunk.position);
      expect(chunk.items[0]?.offset).toBe(count);
      count += chunk.items.length;
    });
    expect(count).toBe(5000);
    expect(positions).toEqual([2000, 4000, 5000]);
  });

  it('decodes short strings through its cache exactly as Buffer#toString does', () => {
    // a pool small enough to repeat, large enough to collide in the cache's table; some invalid UTF-8
    const pool = Array.from({ length: 3000 }, (_, i) => Buffer.from(i % 7 === 0 ? [0xc3, i & 0xff, 0x41] : Buffer.from(`v${(i * 7919) % 5003}-ü`.repeat(1 + (i % 9)))));
    const arena = Buffer.concat([Buffer.from('pad'), ...pool]);
    let at = 3;
    const spans = pool.map((p) => {
      const span = [at, at + p.length] as const;
      at += p.length;
      return span;
    });
    for (let round = 0; round < 3; round++) {
      spans.forEach(([s, e], i) => {
        if (utf8(arena, s, e) !== arena.toString('utf8', s, e)) throw new Error(`string ${i} decoded wrongly`);
      });
    }
  });

  it('throws kafkajs errors for partition error codes', () => {
    const response = fetchResponse('t', [{ partition: 0, highWatermark: -1, aborted: [], records: Buffer.alloc(0), errorCode: 6 }]);
    expect(() => parseFetchResponse(response, 't')).toThrow(/leader/i);
  });
});

/** A Fetch v11 response payload (after the correlation id) for one topic. */
function fetchResponse(topic: string, parts: { partition: number; highWatermark: number; aborted: { producerId: bigint; firstOffset: number }[]; records: Buffer; errorCode?: number }[]): Buffer {
  const chunks: Buffer[] = [];
  const i32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return b;
  };
  const i16 = (n: number): Buffer => {
    const b = Buffer.alloc(2);
    b.writeInt16BE(n);
    return b;
  };
  const i64 = (n: bigint): Buffer => {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(n);
    return b;
  };
  chunks.push(i32(0), i16(0), i32(0), i32(1), i16(Buffer.byteLength(topic)), Buffer.from(topic), i32(parts.length));
  for (const p of parts) {
    chunks.push(i32(p.partition), i16(p.errorCode ?? 0), i64(BigInt(p.highWatermark)), i64(BigInt(p.highWatermark)), i64(0n), i32(p.aborted.length));
    for (const a of p.aborted) chunks.push(i64(a.producerId), i64(BigInt(a.firstOffset)));
    chunks.push(i32(-1), i32(p.records.length), p.records);
  }
  return Buffer.concat(chunks);
}
