import type { Collection, Connection } from 'mongoose';
import { retryWrite } from '../../platform/mongo-retry';

/** One unfinished delivery: when it is next due (or its claim lease runs out), and what ordering needs. */
export interface DueEntry {
  id: string;
  at: Date;
  seq: number;
  orderKey?: string;
}

interface DueDoc {
  _id: string;
  at: Date;
  s: number;
  k?: string;
}

/** How long an entry whose delivery is not stored is kept: far longer than an insert takes, even on a busy store. */
const MISSING_GRACE_MS = 60_000;

const toDoc = (e: DueEntry): DueDoc => ({ _id: e.id, at: e.at, s: e.seq, ...(e.orderKey ? { k: e.orderKey } : {}) });
const fromDoc = (d: DueDoc): DueEntry => ({ id: d._id, at: d.at, seq: d.s, ...(d.k ? { orderKey: d.k } : {}) });

/**
 * `delivery_due`: one small document per unfinished (pending or delivering) delivery, so that polling for due
 * work reads only what is unfinished rather than every delivery ever made. FerretDB 1.x scans a whole
 * collection for any read but a plain `_id`, at ~130 µs per stored delivery: with 13,000 deliveries a due query
 * on `deliveries` itself cost 1.7 s of its CPU, on every poll.
 *
 * Invariant, kept without transactions by the order of writes: every pending or delivering delivery has an
 * entry whose `at` is no later than when it is really due. An entry is written before a delivery becomes
 * pending and removed only after it finished; so a crash in between leaves at most a stale entry, never a
 * missing one. Stale entries are fixed by `reconcile` when a claim misses them, conditionally on the `at` that
 * was read, so a concurrent resend that rewrote the entry is never undone.
 */
const BACKFILL_CHUNK = 1000;

export class DueQueue {
  constructor(private readonly conn: Connection) {}

  private get col(): Collection<DueDoc> {
    return this.conn.collection<DueDoc>('delivery_due');
  }

  async ensureIndexes(): Promise<void> {
    await this.col.createIndex({ at: 1 });
    await this.col.createIndex({ k: 1 }, { sparse: true });
  }

  /** Creates entries, or moves existing ones earlier (never later: that is `moveTo`'s, once an attempt is stored). */
  async put(entries: DueEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await retryWrite(() =>
      this.col.bulkWrite(
        entries.map((e) => {
          const { _id, at, ...rest } = toDoc(e);
          return { updateOne: { filter: { _id }, update: { $min: { at }, $setOnInsert: rest }, upsert: true } };
        }),
        { ordered: false },
      ),
    );
  }

  async moveTo(ids: string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await retryWrite(() => this.col.updateMany({ _id: { $in: ids } }, { $set: { at } }));
  }

  /** Moves entries still at `from` to `to` (a renewed claim lease); an entry moved or removed since is left alone. */
  async moveFrom(ids: string[], from: Date, to: Date): Promise<void> {
    if (ids.length === 0) return;
    await retryWrite(() => this.col.updateMany({ _id: { $in: ids }, at: from }, { $set: { at: to } }));
  }

  async remove(id: string): Promise<void> {
    await retryWrite(() => this.col.deleteOne({ _id: id }));
  }

  /** The oldest entries due by `now`. */
  async due(limit: number, now: Date): Promise<DueEntry[]> {
    const docs = await this.col.find({ at: { $lte: now } }).sort({ at: 1 }).limit(limit).toArray();
    return docs.map(fromDoc);
  }

  async ofOrderKeys(keys: string[]): Promise<DueEntry[]> {
    if (keys.length === 0) return [];
    return (await this.col.find({ k: { $in: keys } }).toArray()).map(fromDoc);
  }

  /**
   * Fixes entries a claim missed, from the deliveries' real state: finished → removed; still unfinished → moved to
   * when it is really due; gone → removed once it has been due for `MISSING_GRACE_MS`. An entry is written before
   * its delivery, so a delivery not found may be one whose insert is still on its way (a first attempt that failed,
   * stored pending): removing its entry then would leave a pending delivery that no poll finds, never retried.
   * Each change applies only if the entry still has the `at` that was read.
   */
  async reconcile(seen: DueEntry[], states: Map<string, { status: string; nextAttemptAt?: Date; leaseUntil?: Date }>, now = new Date()): Promise<void> {
    for (const e of seen) {
      const s = states.get(e.id);
      if (s === undefined && e.at.getTime() > now.getTime() - MISSING_GRACE_MS) continue;
      const at = s?.status === 'pending' ? s.nextAttemptAt : s?.status === 'delivering' ? s.leaseUntil : undefined;
      if (at === undefined) await retryWrite(() => this.col.deleteOne({ _id: e.id, at: e.at }));
      else if (at.getTime() !== e.at.getTime()) await retryWrite(() => this.col.updateOne({ _id: e.id, at: e.at }, { $set: { at } }));
    }
  }

  /** Entries for unfinished deliveries that have none (written before this collection existed); run at start. */
  async backfill(unfinished: DueEntry[]): Promise<number> {
    if (unfinished.length === 0) return 0;
    // Only the entries of these deliveries, by `_id`, a chunk at a time: never the whole queue.
    const have = new Set<string>();
    for (let i = 0; i < unfinished.length; i += BACKFILL_CHUNK) {
      const ids = unfinished.slice(i, i + BACKFILL_CHUNK).map((e) => e.id);
      for (const d of await this.col.find({ _id: { $in: ids } }, { projection: { _id: 1 } }).toArray()) have.add(d._id);
    }
    const missing = unfinished.filter((e) => !have.has(e.id));
    await this.put(missing);
    return missing.length;
  }
}
