import type { RangePosition, ReplayChunk, ReplayEvent } from '../domain/types';
import { brokerFetchesV11, fetchRaw, kafkaProtocolError, type CreateCluster, type RawBroker } from './kafkajs-internals';
import { HeaderReader, batchesEnd, forEachRecord, utf8, type RecordView } from './record-batch';

const READ_COMMITTED = 1;
const CHUNK = 2000;
/**
 * Bytes a fetch asks for per partition and in all: big enough that one round trip carries tens of thousands of
 * events. The first fetches ask for less (growing fourfold per round), so the first events arrive after a short
 * read instead of after the broker has read and sent megabytes.
 */
const PARTITION_MAX_BYTES = 8 * 1024 * 1024;
const PARTITION_FIRST_BYTES = 256 * 1024;
const FETCH_MAX_BYTES = 64 * 1024 * 1024;

/** The broker cannot serve the Fetch version replay reads itself; the caller reads with a consumer group instead. */
export class FetchUnsupportedError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'FetchUnsupportedError';
  }
}

export interface PartitionFetch {
  partition: number;
  highWatermark: number;
  /** Aborted transactions overlapping the returned records, by first offset (read_committed). */
  aborted: { producerId: bigint; firstOffset: number }[];
  records: Buffer;
}

/**
 * The partitions of `topic` in a Fetch v11 response payload: throttle_time_ms int32, error_code int16,
 * session_id int32, [topic string, [partition int32, error_code int16, high_watermark int64, last_stable_offset
 * int64, log_start_offset int64, [aborted: producer_id int64, first_offset int64], preferred_read_replica int32,
 * records bytes]]. A partition error throws kafkajs's error for its code, as kafkajs's own fetch does.
 */
export function parseFetchResponse(payload: Buffer, topic: string): PartitionFetch[] {
  let at = 4;
  const errorCode = payload.readInt16BE(at);
  if (errorCode !== 0) throw kafkaProtocolError(errorCode);
  at += 2 + 4;
  const out: PartitionFetch[] = [];
  const topics = payload.readInt32BE(at);
  at += 4;
  for (let t = 0; t < topics; t++) {
    const nameLength = payload.readInt16BE(at);
    const name = payload.toString('utf8', at + 2, at + 2 + nameLength);
    at += 2 + nameLength;
    const partitions = payload.readInt32BE(at);
    at += 4;
    for (let p = 0; p < partitions; p++) {
      const partition = payload.readInt32BE(at);
      const code = payload.readInt16BE(at + 4);
      const highWatermark = Number(payload.readBigInt64BE(at + 6));
      at += 4 + 2 + 8 + 8 + 8;
      const abortedCount = payload.readInt32BE(at);
      at += 4;
      const aborted: PartitionFetch['aborted'] = [];
      for (let a = 0; a < abortedCount; a++, at += 16) aborted.push({ producerId: payload.readBigInt64BE(at), firstOffset: Number(payload.readBigInt64BE(at + 8)) });
      at += 4; // preferred_read_replica
      const size = payload.readInt32BE(at);
      at += 4;
      const records = size > 0 ? payload.subarray(at, at + size) : payload.subarray(at, at);
      if (size > 0) at += size;
      if (code !== 0) throw kafkaProtocolError(code);
      if (name === topic) out.push({ partition, highWatermark, aborted: aborted.sort((x, y) => x.firstOffset - y.firstOffset), records });
    }
  }
  return out;
}

const CORE = new Set(['ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_time', 'ce_subject']);
const headers = new HeaderReader();
const extensionNames = new Map<string, string>();

/**
 * `ce_<name>` → `<name>`, the same string object every time: a fresh slice per record made V8 look each key up
 * in its string table when setting the extension property, a tenth of the decoding time.
 */
function extensionName(header: string): string {
  let name = extensionNames.get(header);
  if (name === undefined) {
    name = header.slice(3);
    if (extensionNames.size >= 1024) extensionNames.clear();
    extensionNames.set(header, name);
  }
  return name;
}

/**
 * The binary-mode CloudEvent in a record (see `fromKafkaMessage`, the contract this reads the same way: the
 * first of repeated headers counts, `content-type` defaults to application/json), or undefined when it is not one.
 */
export function eventFromRecord(topic: string, partition: number, r: RecordView): ReplayEvent | undefined {
  if (r.valueStart < 0) return undefined;
  const b = r.buf;
  let specversion: string | undefined;
  let id: string | undefined;
  let source: string | undefined;
  let type: string | undefined;
  let time: string | undefined;
  let subject: string | undefined;
  let traceparent: string | undefined;
  let contentType: string | undefined;
  const extensions: Record<string, string> = {};
  const h = headers.reset(r);
  while (h.next()) {
    switch (h.name) {
      case 'ce_specversion':
        specversion ??= h.value();
        break;
      case 'ce_id':
        id ??= h.value();
        break;
      case 'ce_source':
        source ??= h.value();
        break;
      case 'ce_type':
        type ??= h.value();
        break;
      case 'ce_time':
        time ??= h.value();
        break;
      case 'ce_subject':
        subject ??= h.value();
        break;
      case 'traceparent':
        traceparent ??= h.value();
        break;
      case 'content-type':
        contentType ??= h.value();
        break;
      default:
        if (h.name.startsWith('ce_') && !CORE.has(h.name)) {
          const ext = extensionName(h.name);
          if (!Object.prototype.hasOwnProperty.call(extensions, ext)) extensions[ext] = h.value();
        }
    }
  }
  if (specversion !== '1.0' || !id || !source || !type || !time) return undefined;
  const event: ReplayEvent = {
    id,
    source,
    type,
    time,
    datacontenttype: contentType ?? 'application/json',
    extensions,
    key: r.keyStart < 0 ? null : utf8(b, r.keyStart, r.keyEnd),
    data: b.subarray(r.valueStart, r.valueEnd),
    origin: { store: 'kafka', topic, partition, offset: r.offset, timestampMs: r.timestamp },
  };
  // assigned rather than spread into the literal: object spread takes V8's slow path, twice per record
  if (subject) event.subject = subject;
  if (traceparent) event.traceparent = traceparent;
  return event;
}

/** The offset to fetch next for a partition fetched at `from`, reading only its batch headers. */
export function nextFetchOffset(d: PartitionFetch, from: number, end: number): number {
  const logNext = batchesEnd(d.records);
  if (logNext < 0) return d.highWatermark <= from && end !== Infinity ? Math.max(from, end) : from; // nothing more will come
  return logNext > from ? Math.min(logNext, end) : from;
}

/**
 * Hands over what one partition's fetched records hold for [from, end) as chunks in offset order: an item per
 * record, with an event when the record is a CloudEvent inside the time window. Chunks go out as they fill (after
 * the record batch that fills one), so only a chunk's events are alive at a time, not a whole response's; the
 * last chunk carries `next` as its position. Transaction markers and records of aborted transactions are left
 * out, as a read_committed consumer does. Stops early when `signal` aborts.
 */
export async function partitionChunks(
  topic: string,
  d: PartitionFetch,
  range: { from: number; end: number; next: number },
  window: { fromMs: number; toMs: number },
  onChunk: (chunk: ReplayChunk) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let items: ReplayChunk['items'] = [];
  const abortedProducers = new Set<bigint>();
  let abortedAt = 0;
  await forEachRecord(
    d.records,
    (r) => {
      for (let a = d.aborted[abortedAt]; a && r.offset >= a.firstOffset; a = d.aborted[++abortedAt]) abortedProducers.add(a.producerId);
      if (r.control) {
        if (r.controlType === 0) abortedProducers.delete(r.producerId);
        return;
      }
      if (r.offset < range.from || r.offset >= range.end) return; // compressed batches can start before the fetch offset
      if (r.inTransaction && abortedProducers.has(r.producerId)) return;
      if (r.timestamp < window.fromMs || r.timestamp >= window.toMs) items.push({ offset: r.offset });
      else {
        const event = eventFromRecord(topic, d.partition, r);
        items.push(event ? { offset: r.offset, event } : { offset: r.offset });
      }
    },
    async () => {
      if (items.length >= CHUNK) {
        const chunk = { items, position: (items[items.length - 1]?.offset ?? range.from - 1) + 1 };
        items = [];
        await onChunk(chunk);
      }
      return !signal?.aborted;
    },
  );
  if (signal?.aborted) return;
  if (items.length || range.next > range.from) await onChunk({ items, position: range.next });
}

/**
 * Reads offset ranges of one topic by fetching each leader's partitions in a loop, without any consumer group (no
 * live group's offsets can move): the next fetch is in flight while the previous response is decoded and handed
 * over. Stops when every range reached its end offset or `signal` aborts. Throws FetchUnsupportedError before
 * reading anything when a leader does not speak Fetch v11.
 */
export async function fetchKafkaRanges(
  create: CreateCluster,
  o: { topic: string; window: { fromMs: number; toMs: number } },
  ranges: RangePosition[],
  onChunk: (range: RangePosition, chunk: ReplayChunk) => Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  const open = ranges.filter((r) => r.end === null || r.position < r.end);
  if (open.length === 0 || signal.aborted) return;
  const cluster = create({ allowAutoTopicCreation: false, isolationLevel: READ_COMMITTED });
  await cluster.connect();
  try {
    await cluster.addTargetTopic(o.topic);
    const byLeader = Object.entries(cluster.findLeaderForPartitions(o.topic, open.map((r) => r.partition)));
    const brokers = await Promise.all(byLeader.map(async ([nodeId, partitions]) => ({ broker: await cluster.findBroker({ nodeId }), partitions })));
    const old = brokers.find((b) => !brokerFetchesV11(b.broker));
    if (old) throw new FetchUnsupportedError('a partition leader does not support Fetch v11 (Kafka < 2.3)');
    // One loop per leader; when one fails the others stop too before this returns, so a caller that falls back
    // to another reader never has two handing over chunks at once. Chunks from different leaders are handed over
    // one at a time too: a checkpoint taken inside one must not see another half-written.
    let turn: Promise<void> = Promise.resolve();
    const handOver = (range: RangePosition, chunk: ReplayChunk): Promise<void> => {
      const run = turn.then(() => onChunk(range, chunk));
      turn = run.catch(() => undefined);
      return run;
    };
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    signal.addEventListener('abort', onAbort);
    try {
      const results = await Promise.allSettled(
        brokers.map(({ broker, partitions }) =>
          readLeader(broker, o, open.filter((r) => partitions.includes(r.partition)), handOver, stop.signal).catch((err: unknown) => {
            stop.abort();
            throw err;
          }),
        ),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  } finally {
    await cluster.disconnect().catch(() => undefined);
  }
}

async function readLeader(
  broker: RawBroker,
  o: { topic: string; window: { fromMs: number; toMs: number } },
  mine: RangePosition[],
  onChunk: (range: RangePosition, chunk: ReplayChunk) => Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  const cursor = new Map(mine.map((r) => [r.partition, r.position]));
  const endOf = (r: RangePosition): number => r.end ?? Infinity;
  let round = 0;
  const fetchNext = (): Promise<Buffer> | undefined => {
    const want = mine.filter((r) => (cursor.get(r.partition) ?? 0) < endOf(r));
    if (want.length === 0 || signal.aborted) return undefined;
    // Rotate the partition order: a broker fills partitions in request order and returns a batch bigger than the
    // per-partition limit whole only for the first one, so every partition gets to be first.
    const partitionMaxBytes = Math.min(PARTITION_MAX_BYTES, PARTITION_FIRST_BYTES * 4 ** Math.min(round, 8));
    const k = round++ % want.length;
    const order = [...want.slice(k), ...want.slice(0, k)];
    return fetchRaw(broker, {
      replicaId: -1,
      isolationLevel: READ_COMMITTED,
      maxWaitTime: 200,
      minBytes: 1,
      maxBytes: FETCH_MAX_BYTES,
      topics: [{ topic: o.topic, partitions: order.map((r) => ({ partition: r.partition, fetchOffset: String(cursor.get(r.partition)), maxBytes: partitionMaxBytes })) }],
    });
  };
  let inflight = fetchNext();
  try {
    while (inflight) {
      const response = parseFetchResponse(await inflight, o.topic);
      // Move the cursors (from batch headers alone) and put the next request in flight, then decode this response.
      const work: { range: RangePosition; d: PartitionFetch; from: number; next: number }[] = [];
      for (const d of response) {
        const range = mine.find((r) => r.partition === d.partition);
        if (!range) continue;
        const from = cursor.get(d.partition) ?? range.position;
        const next = nextFetchOffset(d, from, endOf(range));
        cursor.set(d.partition, next);
        work.push({ range, d, from, next });
      }
      inflight = signal.aborted ? undefined : fetchNext();
      for (const w of work) {
        if (signal.aborted) break;
        await partitionChunks(o.topic, w.d, { from: w.from, end: endOf(w.range), next: w.next }, o.window, (chunk) => onChunk(w.range, chunk), signal);
      }
    }
  } finally {
    await inflight?.catch(() => undefined);
  }
}
