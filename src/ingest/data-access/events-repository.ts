import { Schema, type Connection, type Model } from 'mongoose';
import type { ArchivedEvent } from '../domain/archive';
import { modelOf } from './models';
import { duplicateOnlyFailure } from '../../platform/bulk-duplicates';
import type { RetentionRule } from '../../platform/pruner';
import { decodeCursor as decodePageCursor, encodeCursor as encodePageCursor } from '../../platform/pagination';

type EventDoc = ArchivedEvent & { _id: string };

const schema = new Schema<EventDoc>(
  {
    _id: { type: String, required: true },
    id: { type: String, required: true },
    source: { type: String, required: true },
    type: { type: String, required: true },
    time: { type: Date, required: true },
    receivedAt: { type: Date, required: true },
    archivedAt: { type: Date, required: true },
    traceparent: String,
    idempotencyKey: String,
    partitionKey: String,
    contentType: String,
    topic: { type: String, required: true },
    partition: { type: Number, required: true },
    offset: { type: Number, required: true },
    headers: { type: [{ _id: false, name: String, value: String }], default: undefined },
    body: { type: String, required: true },
    bodyEncoding: { type: String, required: true },
    refusal: { type: { _id: false, code: String, detail: String }, default: undefined },
  },
  { versionKey: false },
);
schema.index({ time: 1, _id: 1 });
schema.index({ source: 1, time: 1, _id: 1 });
// The API's `?type=` (exact, or a prefix as a range): without it a rare type walks every event.
schema.index({ type: 1, time: 1, _id: 1 });
// Replay reads the archive by partition position (src/analysts/data-access/archive.ts).
schema.index({ topic: 1, partition: 1, offset: 1 });

export interface EventQuery {
  source?: string;
  /** Exact type, or a prefix pattern ending in `.*` (`github.*`). */
  type?: string;
  /** Inclusive lower and exclusive upper bound on `time`. */
  from?: Date;
  to?: Date;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
  limit?: number;
  /** Oldest first (default, as replays read) or newest first. */
  order?: 'asc' | 'desc';
}

export interface EventPage {
  items: ArchivedEvent[];
  nextCursor?: string;
}

/**
 * Strings starting with `prefix` (which ends in `.`), as a range an index can search: [`github.`, `github/`), `/`
 * being the character after `.`. MongoDB and the local store both compare strings by their UTF-8 bytes.
 */
function prefixRange(prefix: string): { $gte: string; $lt: string } {
  return { $gte: prefix, $lt: `${prefix.slice(0, -1)}${String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)}` };
}

/** The same cursor form as every time-ordered list (platform/pagination), over (time, id). */
function encodeCursor(e: Pick<ArchivedEvent, 'time' | 'id'>): string {
  return encodePageCursor({ createdAt: new Date(e.time), id: e.id });
}

export class InvalidCursorError extends Error {
  constructor() {
    super('cursor is not one this API returned');
    this.name = 'InvalidCursorError';
  }
}

function decodeCursor(cursor: string): { time: Date; id: string } {
  try {
    const { createdAt, id } = decodePageCursor(cursor);
    return { time: createdAt, id };
  } catch {
    throw new InvalidCursorError();
  }
}

function strip(doc: Record<string, unknown>): ArchivedEvent {
  const { _id: _ignored, ...rest } = doc;
  return rest as unknown as ArchivedEvent;
}

/** MongoDB `events`: the archive of inbound events, one document per event id however often it is written. */
export class EventsRepository {
  private readonly model: Model<EventDoc>;

  constructor(conn: Connection) {
    this.model = modelOf(conn, 'ArchivedEvent', schema, 'events');
  }

  async init(): Promise<void> {
    await this.model.init();
  }

  /**
   * Stores the events not stored yet in one unordered insert; returns how many were new. The event id is the
   * document `_id`, so a second copy is refused by the database itself (and inserts avoid FerretDB's
   * whole-collection scans on upserts).
   */
  async storeMany(events: ArchivedEvent[]): Promise<{ inserted: number }> {
    if (events.length === 0) return { inserted: 0 };
    const docs: EventDoc[] = events.map((e) => ({ _id: e.id, ...e }));
    try {
      const res = await this.model.db.collection<EventDoc>('events').insertMany(docs, { ordered: false });
      return { inserted: res.insertedCount };
    } catch (err) {
      // Only a server answer whose every refusal is a duplicate means "stored"; a connection lost mid-insert does not.
      const failure = duplicateOnlyFailure(err);
      if (!failure) throw err;
      return { inserted: docs.length - failure.duplicates.size };
    }
  }

  /**
   * Retention: events received (`time`, set by ingest) longer ago than `keepMs`, oldest first through the
   * `(time, _id)` index.
   */
  retentionRule(keepMs: number): RetentionRule {
    return { name: 'events', collection: this.model.db.collection('events'), field: 'time', keepMs };
  }

  async get(id: string): Promise<ArchivedEvent | undefined> {
    const doc = await this.model.findOne({ _id: id }).lean();
    return doc ? strip(doc as unknown as Record<string, unknown>) : undefined;
  }

  /** Events by source, type and time range, ordered by (time, id), a page at a time. */
  async list(q: EventQuery = {}): Promise<EventPage> {
    const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
    const desc = q.order === 'desc';
    const filter: Record<string, unknown> = {};
    if (q.source) filter.source = q.source;
    if (q.type) filter.type = q.type.endsWith('.*') ? prefixRange(q.type.slice(0, -1)) : q.type;
    const time: Record<string, Date> = {};
    if (q.from) time.$gte = q.from;
    if (q.to) time.$lt = q.to;
    if (Object.keys(time).length) filter.time = time;
    const and: Record<string, unknown>[] = [filter];
    if (q.cursor) {
      const c = decodeCursor(q.cursor);
      const op = desc ? '$lt' : '$gt';
      and.push({ $or: [{ time: { [op]: c.time } }, { time: c.time, _id: { [op]: c.id } }] });
    }
    const dir = desc ? -1 : 1;
    const docs = await this.model
      .find(and.length > 1 ? { $and: and } : filter)
      .sort({ time: dir, _id: dir })
      .limit(limit + 1)
      .lean();
    const items = docs.slice(0, limit).map((d) => strip(d as unknown as Record<string, unknown>));
    const last = items[items.length - 1];
    return { items, ...(docs.length > limit && last ? { nextCursor: encodeCursor(last) } : {}) };
  }
}
