import type { Connection, mongo } from 'mongoose';
import { SIZE_MS, floorTo, type CoverPiece } from '../domain/buckets';
import { encodeKey, decodeKey } from '../domain/keys';
import { METRICS, TIERS, dimsOf, mergeSlot, partitionName, sealPlan, slotsOf, toSlotUpdates, type Slot, type SlotDoc, type Tier } from '../domain/layout';
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
const HEALTH_ID = 'subscriptions';

/**
 * Analytics rollups, in partitions of one (metric, tier, UTC day) each (layout in ../domain/layout.ts), grown with
 * `$inc` upserts addressed by `_id` and read whole: a query reads only the partitions of the days it covers, so its
 * cost does not grow with history, on FerretDB (which scans whatever it reads) as on MongoDB. Nothing here needs
 * `$facet`, `$lookup`, `$expr` or `$percentile`, nor any secondary index.
 *
 * Subscriptions currently failing are the fields of one document (`analytics_health`), so listing them is one read.
 */
export class AnalyticsStore {
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

  /** Nothing to prepare: partitions appear with their first write and need no index beyond `_id`. */
  async init(): Promise<void> {}

  /** Applies increments to their hour and minute slots; increments hitting one document are merged into one upsert. */
  async apply(increments: RollupIncrement[]): Promise<void> {
    const byCollection = new Map<string, mongo.AnyBulkWriteOperation<SlotDoc>[]>();
    for (const u of toSlotUpdates(increments)) {
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
    await Promise.all([...byCollection.entries()].map(([name, ops]) => this.bulkUpsert(name, ops)));
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

  private async readPartition(name: string): Promise<SlotDoc[]> {
    return this.partition(name).find({}).toArray();
  }

  /**
   * The rollups of one metric over the cover pieces, one per (dimension values, piece bucket), optionally narrowed
   * on dimension values: day pieces sum the hour tier's 24 slots, hour pieces read its slots, minute pieces the
   * minute tier's. Each partition involved is read once, whole, and all of them in parallel.
   */
  async read(metric: Metric, pieces: CoverPiece[], dims: Record<string, string | undefined> = {}): Promise<RollupDoc[]> {
    interface Task {
      tier: Tier;
      day: number;
      from: number;
      to: number;
      /** Bucket width of the output: a day sums all slots into one, else one rollup per slot. */
      width: number;
    }
    const tasks: Task[] = [];
    for (const p of pieces) {
      const tier: Tier = p.resolution === 'minute' ? 'm' : 'h';
      for (let day = floorTo(p.from, DAY); day < p.to; day += DAY) {
        tasks.push({ tier, day, from: Math.max(p.from, day), to: Math.min(p.to, day + DAY), width: SIZE_MS[p.resolution] });
      }
    }
    const names = [...new Set(tasks.map((t) => partitionName(metric, t.tier, t.day)))];
    const read = new Map(await Promise.all(names.map(async (n) => [n, await this.readPartition(n)] as const)));
    const wantedDims = Object.entries(dims).filter((e): e is [string, string] => e[1] !== undefined);
    const out: RollupDoc[] = [];
    for (const task of tasks) {
      const slotMs = task.tier === 'm' ? SIZE_MS.minute : SIZE_MS.hour;
      const lo = (task.from - task.day) / slotMs;
      const hi = (task.to - task.day) / slotMs;
      for (const doc of read.get(partitionName(metric, task.tier, task.day)) ?? []) {
        const k = dimsOf(metric, doc._id);
        if (!wantedDims.every(([name, value]) => k[name] === value)) continue;
        const slots = slotsOf(doc, (i) => i >= lo && i < hi);
        const buckets = new Map<number, Slot>();
        for (const [index, slot] of slots) {
          const t = floorTo(task.day + index * slotMs, task.width);
          const prev = buckets.get(t);
          buckets.set(t, prev ? mergeSlot(prev, slot) : slot);
        }
        for (const [t, slot] of buckets) out.push({ ...slot, t: new Date(t), k });
      }
    }
    return out;
  }

  /**
   * Seals the closed slots (ended at least `afterMs` before `now`) of the partitions of the given UTC days into
   * each document's `z` string. Returns how many documents it sealed. Safe to run from several processes at once.
   */
  async seal(now: number, days: number[], afterMs: number): Promise<number> {
    let sealed = 0;
    for (const metric of METRICS) {
      for (const tier of TIERS) {
        for (const day of days) {
          const name = partitionName(metric, tier, day);
          const plans = (await this.readPartition(name)).flatMap((doc) => sealPlan(doc, tier, day, now - afterMs) ?? []);
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
