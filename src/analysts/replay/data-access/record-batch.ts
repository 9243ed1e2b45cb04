/**
 * A lean reader of Kafka record batches (message format v2, KIP-98), for replay's bulk reads. kafkajs's own
 * decoder builds a Long, a Decoder and about ten Buffer views per record and merges headers by copying an object
 * per header; at replay rates that decoding and its garbage cost more than everything else together. This reader
 * hands each record to a visitor as offsets into the fetched bytes (one reused view object), so the caller reads
 * only the fields it needs. Compressed batches are inflated with kafkajs's own codec for their type (gzip built
 * in, others as registered with kafkajs), so what kafkajs can read, this can.
 *
 * Layout of a batch (all big-endian): baseOffset int64, batchLength int32, partitionLeaderEpoch int32, magic int8,
 * crc int32, attributes int16, lastOffsetDelta int32, baseTimestamp int64, maxTimestamp int64, producerId int64,
 * producerEpoch int16, baseSequence int32, recordCount int32, records. A record: length varint, attributes int8,
 * timestampDelta varlong, offsetDelta varint, key (varint length, -1 = null), value (likewise), header count
 * varint, headers (key: varint length + utf8; value: varint length, -1 = null). Varints are zigzag-encoded.
 */
import { lookupCodecByAttributes } from './kafkajs-internals';

const BATCH_HEADER = 61;
const MAGIC_AT = 16;
const COMPRESSION_MASK = 0x07;
const LOG_APPEND_TIME = 0x08;
const TRANSACTIONAL = 0x10;
const CONTROL = 0x20;

/** One record as positions in `buf`; the same object is reused for every record, so copy what you keep. */
export interface RecordView {
  buf: Buffer;
  offset: number;
  timestamp: number;
  /** [keyStart, keyEnd) in `buf`, keyStart = -1 for a null key. */
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
  /** Where the first header starts, and how many there are (walk them with a `HeaderReader`). */
  headersAt: number;
  headerCount: number;
  /** A transaction control record (commit/abort marker), not data. */
  control: boolean;
  /** For control records: 0 = abort marker, 1 = commit marker. */
  controlType: number;
  inTransaction: boolean;
  producerId: bigint;
}

/** A legacy (magic 0/1) message set: no headers, so never a binary-mode CloudEvent; only the offsets matter. */
export class LegacyMessageFormatError extends Error {
  constructor() {
    super('legacy message format (magic < 2)');
    this.name = 'LegacyMessageFormatError';
  }
}

export class CorruptRecordBatchError extends Error {
  constructor(detail: string) {
    super(`corrupt record batch: ${detail}`);
    this.name = 'CorruptRecordBatchError';
  }
}

/** Cursor over a buffer for the varint fields; a class so V8 keeps one shape and inlines the reads. */
class Cursor {
  constructor(public buf: Buffer, public pos: number) {}

  varint(): number {
    const b = this.buf;
    let pos = this.pos;
    let byte = b[pos++] ?? 0;
    let raw = byte & 0x7f;
    let shift = 7;
    while (byte >= 0x80) {
      if (pos >= b.length || shift > 28) throw new CorruptRecordBatchError('varint runs past its record');
      byte = b[pos++] ?? 0;
      raw += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    }
    this.pos = pos;
    // zigzag, in float arithmetic so 32-bit values do not overflow
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
  }

  /** A zigzag varlong as a double: exact for every timestamp delta and offset a real log holds (< 2^53). */
  varlong(): number {
    const b = this.buf;
    let pos = this.pos;
    let raw = 0;
    let mul = 1;
    let byte: number;
    do {
      if (pos >= b.length || mul > 2 ** 63) throw new CorruptRecordBatchError('varlong runs past its record');
      byte = b[pos++] ?? 0;
      raw += (byte & 0x7f) * mul;
      mul *= 128;
    } while (byte >= 0x80);
    this.pos = pos;
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
  }
}

const int64 = (buf: Buffer, at: number): number => Number(buf.readBigInt64BE(at));

/**
 * The offset after the last complete batch in `buf` (what the log holds up to, including records compacted away),
 * or -1 when there is none. Reads only batch headers, so a reader can ask for the next fetch before decoding.
 */
export function batchesEnd(buf: Buffer): number {
  let at = 0;
  let next = -1;
  while (at + BATCH_HEADER <= buf.length) {
    const end = at + 12 + buf.readInt32BE(at + 8);
    if (end > buf.length) break;
    if (buf.readInt8(at + MAGIC_AT) !== 2) throw new LegacyMessageFormatError();
    next = int64(buf, at) + buf.readInt32BE(at + 23) + 1;
    at = end;
  }
  return next;
}

/**
 * Visits every record of the record batches in `buf` (a fetch response's record set for one partition) in
 * offset order, calling `afterBatch` after each batch (false stops the walk). A batch cut off at the end of `buf`
 * (fetches return whole batches up to a byte limit, then maybe a partial one) ends the walk.
 */
export async function forEachRecord(buf: Buffer, visit: (r: RecordView) => void, afterBatch?: () => Promise<boolean> | boolean): Promise<void> {
  const view: RecordView = {
    buf,
    offset: 0,
    timestamp: 0,
    keyStart: -1,
    keyEnd: -1,
    valueStart: -1,
    valueEnd: -1,
    headersAt: 0,
    headerCount: 0,
    control: false,
    controlType: -1,
    inTransaction: false,
    producerId: -1n,
  };
  let at = 0;
  while (at + BATCH_HEADER <= buf.length) {
    const batchLength = buf.readInt32BE(at + 8);
    const end = at + 12 + batchLength;
    if (end > buf.length) break; // partial batch at the end of the response
    const magic = buf.readInt8(at + MAGIC_AT);
    if (magic !== 2) throw new LegacyMessageFormatError();
    const baseOffset = int64(buf, at);
    const attributes = buf.readInt16BE(at + 21);
    const baseTimestamp = int64(buf, at + 27);
    const maxTimestamp = int64(buf, at + 35);
    const count = buf.readInt32BE(at + 57);
    view.producerId = buf.readBigInt64BE(at + 43);
    view.control = (attributes & CONTROL) !== 0;
    view.inTransaction = (attributes & TRANSACTIONAL) !== 0;
    const logAppend = (attributes & LOG_APPEND_TIME) !== 0;
    const codecType = attributes & COMPRESSION_MASK;
    let records = buf;
    let from = at + BATCH_HEADER;
    let until = end;
    if (codecType !== 0 && count > 0) {
      records = await lookupCodecByAttributes(attributes).decompress(buf.subarray(from, end));
      from = 0;
      until = records.length;
    }
    view.buf = records;
    const c = new Cursor(records, from);
    for (let i = 0; i < count; i++) {
      const length = c.varint();
      const recordEnd = c.pos + length;
      if (length < 0 || recordEnd > until) throw new CorruptRecordBatchError(`record ${i} of the batch at offset ${baseOffset} overruns it`);
      c.pos += 1; // record attributes: unused
      const tsDelta = c.varlong();
      const offsetDelta = c.varint();
      view.offset = baseOffset + offsetDelta;
      view.timestamp = logAppend ? maxTimestamp : baseTimestamp + tsDelta;
      const keyLength = c.varint();
      view.keyStart = keyLength < 0 ? -1 : c.pos;
      view.keyEnd = keyLength < 0 ? -1 : c.pos + keyLength;
      if (keyLength > 0) c.pos += keyLength;
      const valueLength = c.varint();
      view.valueStart = valueLength < 0 ? -1 : c.pos;
      view.valueEnd = valueLength < 0 ? -1 : c.pos + valueLength;
      if (valueLength > 0) c.pos += valueLength;
      view.controlType = view.control && view.keyStart >= 0 && view.keyEnd - view.keyStart >= 4 ? records.readInt16BE(view.keyStart + 2) : -1;
      view.headerCount = Math.max(0, c.varint());
      view.headersAt = c.pos;
      if (c.pos > recordEnd) throw new CorruptRecordBatchError(`record ${i} of the batch at offset ${baseOffset} overruns it`);
      visit(view);
      c.pos = recordEnd;
    }
    at = end;
    if (afterBatch && !(await afterBatch())) return;
  }
}

const SLOTS = 1024;
const SLOT_BYTES = 48;

/**
 * Turns short UTF-8 byte runs into strings, handing back the same string when the same bytes were seen recently:
 * header names and most header values (spec version, source, type, content type, source id) repeat on every
 * record, and decoding each afresh was a tenth of an export's time plus garbage. A hash-indexed table of recent
 * runs (bytes compared in full, so a collision only costs a decode); longer runs are decoded directly.
 */
class ShortStrings {
  private readonly bytes = new Uint8Array(SLOTS * SLOT_BYTES);
  private readonly lengths = new Int16Array(SLOTS).fill(-1);
  private readonly strings: string[] = new Array<string>(SLOTS).fill('');

  get(b: Buffer, start: number, end: number): string {
    const n = end - start;
    if (n > SLOT_BYTES) return b.toString('utf8', start, end);
    let h = 0x811c9dc5 ^ n;
    for (let i = start; i < end; i++) h = Math.imul(h ^ (b[i] ?? 0), 0x01000193);
    const slot = (h >>> 0) & (SLOTS - 1);
    const at = slot * SLOT_BYTES;
    if (this.lengths[slot] === n) {
      let i = 0;
      while (i < n && this.bytes[at + i] === b[start + i]) i++;
      if (i === n) return this.strings[slot] ?? '';
    }
    const s = b.toString('utf8', start, end);
    for (let i = 0; i < n; i++) this.bytes[at + i] = b[start + i] ?? 0;
    this.lengths[slot] = n;
    this.strings[slot] = s;
    return s;
  }
}

const shortStrings = new ShortStrings();

/** Decodes b[start, end) as UTF-8, reusing the string of recently seen equal short runs. */
export const utf8 = (b: Buffer, start: number, end: number): string => shortStrings.get(b, start, end);

/**
 * Walks a record's headers in order (duplicates included) without allocating per header: after `next()` returns
 * true, `name` is the header's name and [start, end) its value in `buf` (start = -1 for a null value).
 */
export class HeaderReader {
  name = '';
  start = -1;
  end = -1;
  buf: Buffer = Buffer.alloc(0);
  private readonly c = new Cursor(this.buf, 0);
  private left = 0;

  reset(r: RecordView): this {
    this.buf = r.buf;
    this.c.buf = r.buf;
    this.c.pos = r.headersAt;
    this.left = r.headerCount;
    return this;
  }

  next(): boolean {
    if (this.left <= 0) return false;
    this.left -= 1;
    const c = this.c;
    const nameLength = c.varint();
    this.name = nameLength < 0 ? 'null' : utf8(this.buf, c.pos, c.pos + nameLength);
    if (nameLength > 0) c.pos += nameLength;
    const valueLength = c.varint();
    if (valueLength < 0) {
      this.start = -1;
      this.end = -1;
    } else {
      this.start = c.pos;
      this.end = c.pos + valueLength;
      c.pos += valueLength;
    }
    return true;
  }

  /** The value as text; a null value reads as "null" (what kafkajs's null turns into in the CloudEvents reader). */
  value(): string {
    return this.start < 0 ? 'null' : utf8(this.buf, this.start, this.end);
  }
}
