import { Schema, type Connection, type Model, type mongo } from 'mongoose';
import { RES_CODE, type CoverPiece } from '../domain/buckets';
import { toUpdates, type Metric, type RollupIncrement } from '../domain/rollup';

/** A rollup document as stored: counters under free names, dims under `k`. */
export interface RollupDoc {
  _id: string;
  m: Metric;
  r: string;
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

/**
 * Analytics rollups (`analytics_rollups`): one document per (metric, dimension values, resolution, bucket start),
 * grown with `$inc` upserts, so a query reads at most a few hundred small documents per dimension however many
 * executions or attempts happened. Nothing here needs `$facet`, `$lookup`, `$expr` or `$percentile`.
 */
export class AnalyticsStore {
  readonly rollups: Model<RollupDoc>;
  readonly deliveryState: Model<DeliveryStateDoc>;

  constructor(conn: Connection) {
    this.rollups = (conn.models.AnalyticsRollup as Model<RollupDoc> | undefined) ??
      conn.model<RollupDoc>(
        'AnalyticsRollup',
        new Schema<RollupDoc>(
          { _id: String, m: String, r: String, t: Date, k: Schema.Types.Mixed },
          { strict: false, versionKey: false, collection: 'analytics_rollups' },
        ).index({ m: 1, r: 1, t: 1 }),
      );
    this.deliveryState = (conn.models.AnalyticsDeliveryState as Model<DeliveryStateDoc> | undefined) ??
      conn.model<DeliveryStateDoc>(
        'AnalyticsDeliveryState',
        new Schema<DeliveryStateDoc>(
          {
            _id: String,
            failing: Boolean,
            state: String,
            since: Date,
            consecutiveFailures: Number,
            lastError: String,
            lastStatusCode: Number,
            updatedAt: Date,
          },
          { versionKey: false, collection: 'analytics_delivery_state' },
        ).index({ failing: 1 }),
      );
  }

  /** The driver collection, typed with our string ids (bulk upserts and bulk loads bypass mongoose casting). */
  rawRollups(): mongo.Collection<RollupDoc> {
    return this.rollups.collection as unknown as mongo.Collection<RollupDoc>;
  }

  rawDeliveryState(): mongo.Collection<DeliveryStateDoc> {
    return this.deliveryState.collection as unknown as mongo.Collection<DeliveryStateDoc>;
  }

  async init(): Promise<void> {
    await Promise.all([this.rollups.init(), this.deliveryState.init()]);
  }

  /** Applies increments at every resolution; increments hitting one document are merged into one upsert. */
  async apply(increments: RollupIncrement[]): Promise<void> {
    const updates = toUpdates(increments);
    if (updates.length === 0) return;
    const ops: mongo.AnyBulkWriteOperation<RollupDoc>[] = updates.map((u) => ({
      updateOne: {
        filter: { _id: u.id },
        update: {
          $setOnInsert: { m: u.metric, r: u.resolution, t: u.bucket, k: u.dims },
          $inc: u.inc,
          ...(Object.keys(u.max).length ? { $max: u.max } : {}),
        } as mongo.UpdateFilter<RollupDoc>,
        upsert: true,
      },
    }));
    try {
      await this.rawRollups().bulkWrite(ops, { ordered: false });
    } catch (err) {
      // Two writers upserting the same new document race on _id; the loser's updates succeed on a retry.
      if ((err as { code?: number }).code !== 11000) throw err;
      const failed = new Set(((err as { writeErrors?: { index: number }[] }).writeErrors ?? []).map((w) => w.index));
      const retry = ops.filter((_, i) => failed.has(i));
      if (retry.length) await this.rawRollups().bulkWrite(retry, { ordered: false });
    }
  }

  /** Rollup documents of one metric for the cover pieces, optionally narrowed on dimension values. */
  async read(metric: Metric, pieces: CoverPiece[], dims: Record<string, string | undefined> = {}): Promise<RollupDoc[]> {
    if (pieces.length === 0) return [];
    const dimFilter: Record<string, string> = {};
    for (const [k, v] of Object.entries(dims)) if (v !== undefined) dimFilter[`k.${k}`] = v;
    const results = await Promise.all(
      pieces.map((p) =>
        this.rollups
          .find({ m: metric, r: RES_CODE[p.resolution], t: { $gte: new Date(p.from), $lt: new Date(p.to) }, ...dimFilter })
          .lean<RollupDoc[]>(),
      ),
    );
    return results.flat();
  }

  async failingSubscriptions(): Promise<DeliveryStateDoc[]> {
    return this.deliveryState.find({ failing: true }).sort({ since: 1 }).limit(1000).lean<DeliveryStateDoc[]>();
  }
}
