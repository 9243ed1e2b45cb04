import type { Connection, mongo } from 'mongoose';
import { SIZE_MS, floorTo, type CoverPiece } from '../domain/buckets';
import { encodeKey, decodeKey } from '../domain/keys';
import {
  DIMS,
  DIRECTORY_ID,
  METRICS,
  SLOT_MS,
  TIERS,
  directoryField,
  directoryIds,
  docId,
  docStart,
  mergeSlot,
  parseDocId,
  partitionName,
  partitionSpan,
  partitionStart,
  sealPlan,
  slotsOf,
  toSlotUpdates,
  type Slot,
  type SlotDoc,
  type Tier,
} from './rollup-layout';
import type { Metric, RollupIncrement } from '../domain/rollup';

/** A rollup as the reports fold it: the sums of one dimension tuple over one bucket starting at `t`. */
export interface RollupDoc {
  t: Date;
  k: Record<string, string>;
  [field: string]: unknown;
}

export interface DeliveryStateDoc {
  _id: string;
  failing: boolean;
  state: string;
  since?: Date;
  consecutiveFailures: number;
  lastError?: string;
  lastStatusCode?: number;
  updatedAt: Date;
}

interface HealthEntry {
  state?: string;
  since?: Date;
  consecutiveFailures?: number;
  lastError?: string;
  lastStatusCode?: number;
  updatedAt?: Date;
}

interface HealthDoc {
  _id: string;
  f?: Record<string, HealthEntry>;
}

const DAY = SIZE_MS.day;
/** Above this many documents, reading a partition whole is cheaper than reading them one by one. */
const POINT_READS = 12;
const HEALTH_ID = 'subscriptions';

/**
 * Analytics rollups, in partitions of one (metric, tier, UTC day) each (layout in rollup-layout.ts), grown with
 * `$inc` upserts addressed by `_id` and read whole: a query reads only the partitions of the days it covers, so its
 * cost does not grow with history, on FerretDB (which scans whatever it reads) as on MongoDB. Nothing here needs
 * `$facet`, `$lookup`, `$expr` or `$percentile`, nor any secondary index.
 *
 * Subscriptions currently failing are the fields of one document (`analytics_health`), so listing them is one read.
 */
export class AnalyticsStore {
  /** Partition directory entries this process already wrote (`<partition>\u0000<id>`), to skip rewriting them. */
  private readonly listed = new Set<string>();

  constructor(private readonly conn: Connection) {}

  private db(): mongo.Db {
    const db = this.conn.db;
    if (!db) throw new Error('MongoDB connection is not open');
    return db;
  }

  /** One partition's driver collection (created by its first upsert; reading a missing one finds nothing). */
  partition(name: string): mongo.Collection<SlotDoc> {
    return this.db().collection<SlotDoc>(name);
  }

  private health(): mongo.Collection<HealthDoc> {
    return this.db().collection<HealthDoc>('analytics_health');
  }

  /**
   * Retention: drops every partition whose whole span ended before `cutoffMs` (a collection at a time, so no
   * document is deleted one by one). Returns the names dropped.
   */
  async dropPartitionsBefore(cutoffMs: number): Promise<string[]> {
    const names = (await this.db().listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    const old = names.filter((n) => {
      const span = partitionSpan(n);
      return span !== undefined && span.endMs <= cutoffMs;
    });
    for (const name of old) await this.db().dropCollection(name);
    return old;
  }

  /** Nothing to prepare: partitions appear with their first write and need no index beyond `_id`. */
  async init(): Promise<void> {}

  /** Applies increments to their hour and minute slots; increments hitting one document are merged into one upsert. */
  async apply(increments: RollupIncrement[]): Promise<void> {
    const byCollection = new Map<string, mongo.AnyBulkWriteOperation<SlotDoc>[]>();
    const newIds = new Map<string, string[]>();
    for (const u of toSlotUpdates(increments)) {
      const key = `${u.collection}\u0000${u.id}`;
      if (!this.listed.has(key)) newIds.set(u.collection, [...(newIds.get(u.collection) ?? []), u.id]);
      const ops = byCollection.get(u.collection) ?? [];
      ops.push({
        updateOne: {
          filter: { _id: u.id },
          update: { $inc: u.inc, ...(Object.keys(u.max).length ? { $max: u.max } : {}) } as mongo.UpdateFilter<SlotDoc>,
          upsert: true,
        },
      });
      byCollection.set(u.collection, ops);
    }
    for (const [name, ids] of newIds) {
      byCollection.get(name)?.push({
        updateOne: { filter: { _id: DIRECTORY_ID }, update: { $set: Object.fromEntries(ids.map((id) => [directoryField(id), 1])) }, upsert: true },
      });
    }
    await Promise.all([...byCollection.entries()].map(([name, ops]) => this.bulkUpsert(name, ops)));
    if (this.listed.size > 100_000) this.listed.clear();
    for (const [name, ids] of newIds) for (const id of ids) this.listed.add(`${name}\u0000${id}`);
  }

  private async bulkUpsert(name: string, ops: mongo.AnyBulkWriteOperation<SlotDoc>[]): Promise<void> {
    try {
      await this.partition(name).bulkWrite(ops, { ordered: false });
    } catch (err) {
      // Two writers upserting the same new document race on _id; the loser's updates succeed on a retry.
      if ((err as { code?: number }).code !== 11000) throw err;
      const failed = new Set(((err as { writeErrors?: { index: number }[] }).writeErrors ?? []).map((w) => w.index));
      const retry = ops.filter((_, i) => failed.has(i));
      if (retry.length) await this.partition(name).bulkWrite(retry, { ordered: false });
    }
  }

  /** A partition's rollup documents, read whole (one scan, whatever the backend). */
  private async readPartition(name: string): Promise<SlotDoc[]> {
    return (await this.partition(name).find({}).toArray()).filter((d) => d._id !== DIRECTORY_ID);
  }

  /** A partition's directory: the `_id`s of its rollup documents (one point read). */
  private async directory(name: string): Promise<string[]> {
    return directoryIds(await this.partition(name).findOne({ _id: DIRECTORY_ID }));
  }

  /**
   * The dimension tuples matching a narrowed read (`agent` alone leaves `team` open) in the months of
   * `[from, to)`, from the day tier's monthly directories: every increment reaches the day tier, so they list every
   * tuple of the month.
   */
  private async tuples(metric: Metric, wanted: [string, string][], from: number, to: number): Promise<Record<string, string>[]> {
    if (DIMS[metric].every((d) => wanted.some(([n]) => n === d))) return [Object.fromEntries(wanted)];
    const months: number[] = [];
    for (let m = partitionStart('d', from); m < to; m = partitionStart('d', m + 32 * DAY)) months.push(m);
    const ids = new Set((await Promise.all(months.map((m) => this.directory(partitionName(metric, 'd', m))))).flat());
    return [...ids].map((id) => parseDocId(metric, id).dims).filter((k) => wanted.every(([n, v]) => k[n] === v));
  }

  /**
   * The documents of a partition that a read needs: those of the given dimension tuples (all when undefined) and,
   * in the minute tier, of the given hours. Up to POINT_READS documents are read one by one by `_id`; more, or an
   * unnarrowed read, read the partition whole. On FerretDB a point read still scans the partition, but SQLite only
   * skims the rows (and stops at the hit) while Go decodes the hit alone; reading the partition decodes every byte.
   */
  private async readNeeded(metric: Metric, tier: Tier, name: string, tuples: Record<string, string>[] | undefined, hours?: Set<number>): Promise<SlotDoc[]> {
    if (!tuples && !hours) return this.readPartition(name);
    let ids: string[];
    if (tuples) {
      const hourMs = [...(hours ?? [0])].map((h) => h * SIZE_MS.hour);
      ids = tuples.flatMap((k) => (tier === 'm' ? hourMs.map((ms) => docId(metric, tier, k, ms)) : [docId(metric, tier, k, 0)]));
    } else {
      ids = (await this.directory(name)).filter((id) => hours?.has(parseDocId(metric, id).hour ?? -1));
    }
    if (ids.length > POINT_READS) {
      const keep = new Set(ids);
      return (await this.readPartition(name)).filter((d) => keep.has(d._id));
    }
    const docs = await Promise.all(ids.map((id) => this.partition(name).findOne({ _id: id })));
    return docs.filter((d): d is SlotDoc => d !== null);
  }

  /**
   * The rollups of one metric over the cover pieces, one per (dimension values, piece bucket), optionally narrowed
   * on dimension values: day pieces read the day tier, hour pieces the hour tier, minute pieces the minute tier.
   * Each partition involved is read once, all of them in parallel.
   */
  async read(metric: Metric, pieces: CoverPiece[], dims: Record<string, string | undefined> = {}): Promise<RollupDoc[]> {
    const TIER_OF: Record<CoverPiece['resolution'], Tier> = { day: 'd', hour: 'h', minute: 'm' };
    interface Part {
      tier: Tier;
      start: number;
      name: string;
      ranges: { from: number; to: number; width: number }[];
      hours?: Set<number>;
    }
    const parts = new Map<string, Part>();
    for (const p of pieces) {
      const tier = TIER_OF[p.resolution];
      for (let t = p.from; t < p.to; ) {
        const start = partitionStart(tier, t);
        const end = tier === 'd' ? partitionStart('d', start + 32 * DAY) : start + DAY;
        const name = partitionName(metric, tier, start);
        const part = parts.get(name) ?? { tier, start, name, ranges: [], ...(tier === 'm' ? { hours: new Set<number>() } : {}) };
        const from = t;
        const to = Math.min(p.to, end);
        part.ranges.push({ from, to, width: SIZE_MS[p.resolution] });
        for (let h = floorTo(from, SIZE_MS.hour); h < to; h += SIZE_MS.hour) part.hours?.add((h - start) / SIZE_MS.hour);
        parts.set(name, part);
        t = to;
      }
    }
    const wanted = Object.entries(dims).filter((e): e is [string, string] => e[1] !== undefined);
    const span = pieces.length ? [Math.min(...pieces.map((p) => p.from)), Math.max(...pieces.map((p) => p.to))] : [0, 0];
    const tuples = wanted.length ? await this.tuples(metric, wanted, span[0] ?? 0, span[1] ?? 0) : undefined;
    const read = await Promise.all([...parts.values()].map(async (part) => ({ part, docs: await this.readNeeded(metric, part.tier, part.name, tuples, part.hours) })));
    const out: RollupDoc[] = [];
    for (const { part, docs } of read) {
      const slotMs = SLOT_MS[part.tier];
      for (const doc of docs) {
        const { dims: k } = parseDocId(metric, doc._id);
        if (!wanted.every(([name, value]) => k[name] === value)) continue;
        const base = docStart(metric, part.tier, part.start, doc._id);
        const inRange = (i: number): boolean => part.ranges.some((r) => base + i * slotMs >= r.from && base + i * slotMs < r.to);
        const buckets = new Map<number, Slot>();
        for (const [index, slot] of slotsOf(doc, inRange)) {
          const at = base + index * slotMs;
          const range = part.ranges.find((r) => at >= r.from && at < r.to);
          if (!range) continue;
          const t = floorTo(at, range.width);
          const prev = buckets.get(t);
          buckets.set(t, prev ? mergeSlot(prev, slot) : slot);
        }
        for (const [t, slot] of buckets) out.push({ ...slot, t: new Date(t), k });
      }
    }
    return out;
  }

  /**
   * Seals the closed slots (ended at least `afterMs` before `now`) of the partitions holding the given times (each
   * tier's day or month) into each document's `z` string. Returns how many documents it sealed. Safe to run from
   * several processes at once.
   */
  async seal(now: number, times: number[], afterMs: number): Promise<number> {
    let sealed = 0;
    for (const metric of METRICS) {
      for (const tier of TIERS) {
        for (const start of [...new Set(times.map((t) => partitionStart(tier, t)))]) {
          const name = partitionName(metric, tier, start);
          const plans = (await this.readPartition(name)).flatMap((doc) => {
            const base = docStart(metric, tier, start, doc._id);
            return sealPlan(doc, (i) => base + (i + 1) * SLOT_MS[tier], now - afterMs) ?? [];
          });
          if (plans.length === 0) continue;
          const res = await this.partition(name).bulkWrite(
            plans.map((p) => ({ updateOne: { filter: p.filter as mongo.Filter<SlotDoc>, update: p.update as mongo.UpdateFilter<SlotDoc> } })),
            { ordered: false },
          );
          sealed += res.modifiedCount;
        }
      }
    }
    return sealed;
  }

  /** A subscription's delivery attempt failed: it is failing since its first failure in the streak. */
  async markFailing(subscriptionId: string, state: 'failing' | 'disabled', at: Date, details: { lastError?: string; lastStatusCode?: number; countFailure: boolean }): Promise<void> {
    const f = `f.${encodeKey(subscriptionId)}`;
    await this.health().updateOne(
      { _id: HEALTH_ID },
      {
        $set: {
          [`${f}.state`]: state,
          [`${f}.updatedAt`]: at,
          ...(details.lastError ? { [`${f}.lastError`]: details.lastError } : {}),
          ...(details.lastStatusCode !== undefined ? { [`${f}.lastStatusCode`]: details.lastStatusCode } : {}),
        },
        $inc: { [`${f}.consecutiveFailures`]: details.countFailure ? 1 : 0 },
        $min: { [`${f}.since`]: at },
      },
      { upsert: true },
    );
  }

  /** A subscription is healthy again (a successful attempt, or re-enabled): it leaves the failing list. */
  async markHealthy(subscriptionId: string): Promise<void> {
    await this.health().updateOne({ _id: HEALTH_ID }, { $unset: { [`f.${encodeKey(subscriptionId)}`]: '' } }, { upsert: true });
  }

  /** Subscriptions currently failing or disabled, longest failing first (at most 1000). */
  async failingSubscriptions(): Promise<DeliveryStateDoc[]> {
    const doc = await this.health().findOne({ _id: HEALTH_ID });
    return Object.entries(doc?.f ?? {})
      .map(([key, e]) => ({
        _id: decodeKey(key),
        failing: true,
        state: e.state ?? 'failing',
        ...(e.since ? { since: e.since } : {}),
        consecutiveFailures: e.consecutiveFailures ?? 0,
        ...(e.lastError !== undefined ? { lastError: e.lastError } : {}),
        ...(e.lastStatusCode !== undefined ? { lastStatusCode: e.lastStatusCode } : {}),
        updatedAt: e.updatedAt ?? new Date(0),
      }))
      .sort((a, b) => (a.since?.getTime() ?? 0) - (b.since?.getTime() ?? 0) || a._id.localeCompare(b._id))
      .slice(0, 1000);
  }
}
