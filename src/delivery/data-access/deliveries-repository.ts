import { randomUUID } from 'node:crypto';
import type { Collection } from 'mongodb';
import { Schema, type Connection, type Model } from 'mongoose';
import type { ErrorKind } from '../domain/retry-policy';
import { MicroBatcher, type Outcome } from '../../platform/micro-batcher';
import { fixedFields, fromStored, packAttempt, toStored, type StoredDelivery } from './delivery-layout';
import { DueQueue, type DueEntry } from './due-queue';
import { retryWrite } from '../../platform/mongo-retry';
import type { RetentionRule } from '../../platform/pruner';
import { dropReplacedIndexes } from '../../platform/mongo';

export type DeliveryStatus = 'pending' | 'delivering' | 'succeeded' | 'failed' | 'forwarded';

export interface Attempt {
  at: Date;
  /** HTTP status when a response arrived. */
  status?: number;
  latencyMs: number;
  errorKind?: ErrorKind;
  error?: string;
  /** First 4 KiB of the response body. */
  responseBody?: string;
  /** When the next attempt is due (absent after the last one). */
  nextAttemptAt?: Date;
  /** `schedule`, `resend`, `recover` (attempts) or `event`, `replay` (how the delivery was created). */
  trigger: string;
}

export interface Delivery {
  /** Also the `webhook-id`: stable across every attempt of this delivery. */
  id: string;
  eventId: string;
  eventType: string;
  eventSource: string;
  subscriptionId: string;
  topic: string;
  partitionKey?: string;
  /** `<subscription>|<topic>|<key>` for ordered subscriptions. */
  orderKey?: string;
  seq: number;
  status: DeliveryStatus;
  /** The body exactly as received on Kafka (utf8, or base64 when not valid UTF-8). */
  body: string;
  bodyEncoding: 'utf8' | 'base64';
  contentType: string;
  createdAt: Date;
  nextAttemptAt?: Date;
  leaseUntil?: Date;
  claimToken?: string;
  /** Attempts since the delivery was created or last resent (the schedule position). */
  cycleAttempts: number;
  attemptCount: number;
  attempts: Attempt[];
  lastStatus?: number;
  lastError?: string;
  finishedAt?: Date;
  trigger: string;
  svixMessageId?: string;
}

// Only what queries filter or sort on is typed here; documents are written and read through delivery-layout.ts.
const schema = new Schema<StoredDelivery>(
  {
    _id: { type: String, required: true },
    eventId: { type: String, required: true },
    subscriptionId: { type: String, required: true },
    status: { type: String, required: true },
    createdAt: { type: Date, required: true },
    nextAttemptAt: Date,
    leaseUntil: Date,
    claimToken: String,
  },
  // Indexes are created by ensureIndexes (not on model compile): only where the server uses them.
  { collection: 'deliveries', versionKey: false, autoIndex: false, strict: false },
);
// The operator views (due work is polled from `delivery_due`), in the list order (createdAt desc, _id asc), so a
// filtered page reads its rows from the index in order instead of sorting every match. The status index also
// serves the boot backfill (`status: {$in: UNFINISHED}`).
schema.index({ status: 1, createdAt: -1, _id: 1 });
schema.index({ subscriptionId: 1, createdAt: -1, _id: 1 });
// The unfiltered list, newest first (the API's default view).
schema.index({ createdAt: -1, _id: 1 });
schema.index({ eventId: 1 });
// Retention: finished deliveries, oldest first (only finished ones carry `finishedAt`; a resend unsets it).
schema.index({ finishedAt: 1 });

export interface ListQuery {
  subscriptionId?: string;
  eventId?: string;
  status?: DeliveryStatus;
  since?: Date;
  /** Created strictly before this time. */
  until?: Date;
  /** Rows after this one in the list order (createdAt desc, _id asc): the API's cursor. */
  after?: { createdAt: Date; id: string };
  limit?: number;
}

export type DeliveryState = Pick<Delivery, 'status'> & Partial<Pick<Delivery, 'nextAttemptAt' | 'lastStatus' | 'lastError' | 'finishedAt' | 'cycleAttempts'>>;

/** Due work: pending and due, or claimed by a process whose lease ran out (it crashed or hung). A claim re-checks it. */
const dueNow = (now: Date): Record<string, unknown> => ({ status: 'pending', nextAttemptAt: { $lte: now } });
const leaseRanOut = (now: Date): Record<string, unknown> => ({ status: 'delivering', leaseUntil: { $lt: now } });

/** What a claim got: the deliveries, and how many of them were taken from a claim whose lease had run out. */
export interface Claimed {
  deliveries: Delivery[];
  /** Deliveries another claim held until its lease ran out (its process died or hung): recovered work. */
  reclaimed: number;
}

/** Statuses of deliveries still to be attempted or being attempted: the boot backfill reads them, retention never deletes them. */
export const UNFINISHED: DeliveryStatus[] = ['pending', 'delivering'];

export class DeliveriesRepository {
  readonly model: Model<StoredDelivery>;
  private readonly inserts = new MicroBatcher<Delivery, boolean>({ maxItems: 500, lingerMs: 20, maxInFlight: 1, run: (batch) => this.insertBatch(batch) });

  readonly due: DueQueue;

  constructor(conn: Connection) {
    this.model = (conn.models.Delivery as Model<StoredDelivery> | undefined) ?? conn.model<StoredDelivery>('Delivery', schema);
    this.due = new DueQueue(conn);
  }

  /**
   * Creates the secondary indexes (the local store's patched FerretDB searches them too, see docs/local-store.md),
   * then gives every unfinished delivery without a `delivery_due` entry one (deliveries stored before it existed).
   */
  async prepare(): Promise<void> {
    await this.model.createIndexes();
    // Replaced by the same keys ending in (createdAt, _id), the list order.
    await dropReplacedIndexes(this.col, ['status_1', 'subscriptionId_1_createdAt_-1']);
    await this.due.ensureIndexes();
    const unfinished = await this.col
      .find({ status: { $in: UNFINISHED } }, { projection: { ...DUE_FIELDS, nextAttemptAt: 1, leaseUntil: 1 } })
      .toArray();
    await this.due.backfill(unfinished.map((d) => dueEntry({ ...d, ...fixedFields(d), id: d._id })));
  }

  /** The driver collection: writes go straight to it (no mongoose casting on the hot path). */
  private get col(): Collection<StoredDelivery> {
    return this.model.collection as unknown as Collection<StoredDelivery>;
  }

  /**
   * Inserts new deliveries; the id is derived from (event id, subscription), so a redelivered Kafka message
   * hits the unique `_id` and creates nothing twice. Returns the ones this call created. Calls made around the
   * same time (concurrent first attempts finishing one by one) share one `insertMany`: one round trip for
   * many deliveries, which is what FerretDB handles well. One batch is written at a time (SQLite serialises
   * writers anyway); the next one fills while it is, so batches grow with the load.
   */
  async insertNew(deliveries: Delivery[]): Promise<Delivery[]> {
    if (deliveries.length === 0) return [];
    const created = await Promise.all(deliveries.map((d) => this.inserts.submit(d)));
    return deliveries.filter((_d, i) => created[i]);
  }

  /** One `insertMany` for a batch: per delivery, whether it was created (false: it existed) or the write error. */
  private async insertBatch(deliveries: Delivery[]): Promise<Outcome<boolean>[]> {
    const docs = deliveries.map(toStored);
    // Due entries first: a crash between the two writes leaves an entry without a delivery (removed by
    // reconcile after a grace, which also spares the entry of an insert still on its way), never a pending
    // delivery without an entry.
    await this.due.put(deliveries.filter((d) => d.status === 'pending' || d.status === 'delivering').map(dueEntry));
    try {
      await retryWrite(() => this.col.insertMany(docs, { ordered: false }));
      return deliveries.map(() => ({ ok: true, value: true }));
    } catch (err) {
      const e = err as { code?: number; writeErrors?: { index: number; code: number }[] | { index: number; code: number } };
      const writeErrors = e.writeErrors === undefined ? [] : Array.isArray(e.writeErrors) ? e.writeErrors : [e.writeErrors];
      if (writeErrors.length === 0) {
        if (e.code === 11000 && deliveries.length === 1) return [{ ok: true, value: false }];
        throw err;
      }
      const failed = new Map(writeErrors.map((w) => [w.index, w.code]));
      return deliveries.map((_d, i) => {
        const code = failed.get(i);
        if (code === undefined) return { ok: true, value: true };
        return code === 11000 ? { ok: true, value: false } : { ok: false, error: err };
      });
    }
  }

  /**
   * Retention: deliveries that finished (succeeded, failed after their last attempt, forwarded) longer ago than
   * `keepMs`, through the `finishedAt` index. Pending and in-flight deliveries have no `finishedAt`, and the status
   * condition (matched per document, not an index key: an index on status would pick nearly every delivery) keeps
   * them even if one had.
   */
  retentionRule(keepMs: number): RetentionRule {
    return { name: 'deliveries', collection: this.model.db.collection('deliveries'), field: 'finishedAt', keepMs, only: { status: { $nin: UNFINISHED } } };
  }

  /** Which of these ids exist (one `$in` on `_id`, an index search on MongoDB and on the local store alike). */
  async existing(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const found = await this.col.find({ _id: { $in: ids } }, { projection: { _id: 1 } }).toArray();
    return new Set(found.map((d) => d._id));
  }

  async get(id: string): Promise<Delivery | undefined> {
    const d = await this.model.findById(id).lean<StoredDelivery>();
    return d ? fromStored(d) : undefined;
  }

  async list(q: ListQuery): Promise<Delivery[]> {
    const filter: Record<string, unknown> = {};
    if (q.subscriptionId) filter.subscriptionId = q.subscriptionId;
    if (q.eventId) filter.eventId = q.eventId;
    if (q.status) filter.status = q.status;
    if (q.since || q.until) filter.createdAt = { ...(q.since ? { $gte: q.since } : {}), ...(q.until ? { $lt: q.until } : {}) };
    if (q.after) filter.$or = [{ createdAt: { $lt: q.after.createdAt } }, { createdAt: q.after.createdAt, _id: { $gt: q.after.id } }];
    const docs = await this.model
      .find(filter, { body: 0 })
      .sort({ createdAt: -1, _id: 1 })
      .limit(Math.min(Math.max(q.limit ?? 100, 1), 1000))
      .lean<StoredDelivery[]>();
    return docs.map(fromStored);
  }

  /** Candidates for a claim: the oldest due entries. */
  async findDue(limit: number, now = new Date()): Promise<DueEntry[]> {
    return this.due.due(limit, now);
  }

  /** Unfinished deliveries of the given order keys (to find the head of each ordered queue). */
  async unfinishedOf(orderKeys: string[]): Promise<DueEntry[]> {
    return this.due.ofOrderKeys(orderKeys);
  }

  /**
   * Claims due deliveries atomically: each document moves to `delivering` under one token and a lease only
   * if it is still due, so two processes never claim the same one. Returns the claimed deliveries (and how many
   * were re-claimed from a lease that ran out); their due
   * entries move to the lease's end (found again if this process dies), the entries the claim missed are
   * reconciled with their delivery's real state.
   */
  async claim(entries: DueEntry[], leaseMs: number, now = new Date()): Promise<Claimed> {
    if (entries.length === 0) return { deliveries: [], reclaimed: 0 };
    const ids = entries.map((e) => e.id);
    const claimToken = randomUUID();
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const take = (due: Record<string, unknown>) => () =>
      this.col.updateMany({ _id: { $in: ids }, ...due } as Record<string, unknown>, { $set: { status: 'delivering', claimToken, leaseUntil } });
    // Two writes, so that the re-claimed ones (a lease ran out: recovered work) are counted; each is atomic per
    // delivery and both carry the same token, so a claim is as exclusive as with one.
    const { modifiedCount: reclaimed } = await retryWrite(take(leaseRanOut(now)));
    await retryWrite(take(dueNow(now)));
    // By `_id` as well: MongoDB then reads the claimed ones through the `_id` index instead of scanning for the token.
    const claimed = (await this.model.find({ _id: { $in: ids }, claimToken }).lean<StoredDelivery[]>()).map(fromStored);
    await this.due.moveTo(claimed.map((d) => d.id), leaseUntil);
    const got = new Set(claimed.map((d) => d.id));
    const missed = entries.filter((e) => !got.has(e.id));
    if (missed.length) {
      const states = await this.col
        .find({ _id: { $in: missed.map((e) => e.id) } }, { projection: { status: 1, nextAttemptAt: 1, leaseUntil: 1 } })
        .toArray();
      await this.due.reconcile(missed, new Map(states.map((d) => [d._id, d])), now);
    }
    return { deliveries: claimed, reclaimed };
  }

  /** Writes an attempt and the new state, only while this process still holds the claim. */
  async recordAttempt(d: Pick<Delivery, 'id' | 'claimToken'>, attempt: Attempt, state: DeliveryState): Promise<boolean> {
    const unset: Record<string, ''> = { claimToken: '', leaseUntil: '' };
    if (!state.nextAttemptAt) unset.nextAttemptAt = '';
    const packed = packAttempt(attempt);
    let tries = 0;
    const r = await retryWrite(() => {
      tries++;
      return this.col.updateOne(
        { _id: d.id, claimToken: d.claimToken } as Record<string, unknown>,
        { $set: stripUndefined(state), $push: { attempts: packed }, $inc: { attemptCount: 1 }, $unset: unset } as Record<string, unknown>,
      );
    });
    // A try that failed with a transient error (a timeout, a dropped connection) may have been applied all the
    // same: the retry then no longer finds the token it removed. The attempt is recorded if the delivery carries
    // it; otherwise the claim was really taken over. Without this check the due entry stayed at the lease's end.
    if (r.matchedCount !== 1 && !(tries > 1 && (await this.carries(d.id, packed)))) return false;
    if (state.status === 'pending' && state.nextAttemptAt) await this.due.moveTo([d.id], state.nextAttemptAt);
    else await this.due.remove(d.id);
    return true;
  }

  /** Whether the delivery's attempts include this one (as packed): an update whose answer was lost was applied. */
  private async carries(id: string, packed: string): Promise<boolean> {
    const doc = await this.col.findOne({ _id: id }, { projection: { attempts: 1 } });
    return (doc?.attempts ?? []).some((a) => a === packed);
  }

  /**
   * Extends the lease of claims this process still holds (their attempts are queued or out), so that a claim is
   * taken over only when its process died or hung, not because a busy process took longer than one lease to get
   * to it. Claims already recorded or taken over are left alone (the token no longer matches). Their due entries
   * move with them, each only if it still sits at the lease end it was given: an entry an attempt record moved
   * (to a retry's time) or removed is never pushed later. Returns the new lease end.
   */
  async renew(claims: Pick<Delivery, 'id' | 'claimToken' | 'leaseUntil'>[], leaseMs: number, now = new Date()): Promise<Date> {
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const groups = new Map<string, { token: string; from: Date; ids: string[] }>();
    for (const c of claims) {
      if (!c.claimToken || !c.leaseUntil) continue;
      const key = `${c.claimToken} ${c.leaseUntil.getTime()}`;
      const g = groups.get(key) ?? { token: c.claimToken, from: c.leaseUntil, ids: [] };
      g.ids.push(c.id);
      groups.set(key, g);
    }
    for (const { token, from, ids } of groups.values()) {
      await retryWrite(() => this.col.updateMany({ _id: { $in: ids }, claimToken: token } as Record<string, unknown>, { $set: { leaseUntil } }));
      // An entry at `from` belongs to this claim (a recorded attempt or another claim moved it elsewhere).
      await this.due.moveFrom(ids, from, leaseUntil);
    }
    return leaseUntil;
  }

  /** Ends a claimed delivery without an attempt (its subscription is gone or disabled). */
  async finishWithoutAttempt(d: Pick<Delivery, 'id' | 'claimToken'>, error: string): Promise<void> {
    await retryWrite(() =>
      this.col.updateOne(
        { _id: d.id, claimToken: d.claimToken } as Record<string, unknown>,
        { $set: { status: 'failed', lastError: error, finishedAt: new Date() }, $unset: { claimToken: '', leaseUntil: '', nextAttemptAt: '' } },
      ),
    );
    await this.due.remove(d.id);
  }

  /** Hands claimed deliveries back (shutdown before they were attempted): due at once for whoever polls next. */
  async release(claims: Pick<Delivery, 'id' | 'claimToken'>[]): Promise<void> {
    for (const c of claims) {
      const now = new Date();
      await retryWrite(() =>
        this.col.updateOne(
          { _id: c.id, claimToken: c.claimToken } as Record<string, unknown>,
          { $set: { status: 'pending', nextAttemptAt: now }, $unset: { claimToken: '', leaseUntil: '' } },
        ),
      );
      await this.due.moveTo([c.id], now);
    }
  }

  /** Starts a new attempt cycle now (resend / recover); a delivery in flight is left alone. */
  async restart(filter: Record<string, unknown>, trigger: 'resend' | 'recover'): Promise<number> {
    const restartable: Record<string, unknown> = { status: { $in: ['succeeded', 'failed', 'pending'] }, ...filter };
    const now = new Date();
    const targets = await this.col.find(restartable, { projection: DUE_FIELDS }).toArray();
    if (targets.length === 0) return 0;
    // Entries first (due now), as for new deliveries.
    await this.due.put(targets.map((d) => dueEntry({ ...d, ...fixedFields(d), id: d._id, nextAttemptAt: now })));
    const r = await retryWrite(() =>
      this.col.updateMany(
        { ...restartable, _id: { $in: targets.map((d) => d._id) } },
        { $set: { status: 'pending', nextAttemptAt: now, cycleAttempts: 0, trigger }, $unset: { finishedAt: '' } },
      ),
    );
    return r.modifiedCount;
  }

  async setForwarded(id: string, svixMessageId: string): Promise<void> {
    await retryWrite(() =>
      this.col.updateOne({ _id: id }, { $set: { status: 'forwarded', svixMessageId, finishedAt: new Date() } }),
    );
    await this.due.remove(id);
  }
}

/** What a due entry needs of a stored delivery, in either layout. */
const DUE_FIELDS = { _id: 1, m: 1, seq: 1, orderKey: 1 } as const;

/** The due entry of an unfinished delivery: due at its next attempt, or when its claim lease runs out. */
function dueEntry(d: Pick<Delivery, 'id' | 'seq' | 'orderKey' | 'nextAttemptAt' | 'leaseUntil'>): DueEntry {
  return { id: d.id, at: d.leaseUntil ?? d.nextAttemptAt ?? new Date(), seq: d.seq, ...(d.orderKey ? { orderKey: d.orderKey } : {}) };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
