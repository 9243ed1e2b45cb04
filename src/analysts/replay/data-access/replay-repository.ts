import { Schema, type Connection, type Model } from 'mongoose';
import type { RangePosition, ReplayCounts, ReplayMode, ReplayStore } from '../domain/types';

export type ReplayStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface ReplayJob {
  _id: string;
  source?: string | null;
  topic: string;
  from: Date;
  to: Date;
  types: string[];
  mode: ReplayMode;
  subscriptionId?: string | null;
  ratePerSecond: number;
  status: ReplayStatus;
  counts: ReplayCounts;
  ranges?: RangePosition[] | null;
  usedSources: Record<ReplayStore, number>;
  rate: number;
  error?: string | null;
  createdBy?: string | null;
  cancelRequested: boolean;
  lease?: { owner: string; expiresAt: Date } | null;
  output?: { path: string; bytes: number } | null;
  createdAt: Date;
  updatedAt: Date;
  startedAt?: Date | null;
  finishedAt?: Date | null;
}

export const FINISHED: readonly ReplayStatus[] = ['succeeded', 'failed', 'cancelled'];

/** The `replays` collection: one document per replay job, its progress checkpointed by the worker holding its lease. */
export class ReplayRepository {
  readonly model: Model<ReplayJob>;
  /**
   * Cancellation requests as insert-only markers (`_id` = job id). FerretDB can lose one of two concurrent updates
   * to the same document, so a flag set on the job while its worker checkpoints could vanish; an insert cannot.
   */
  private readonly cancellations: ReturnType<Connection['collection']>;

  constructor(conn: Connection) {
    this.cancellations = conn.collection('replay_cancellations');
    this.model = (conn.models.Replay as Model<ReplayJob> | undefined) ??
      conn.model<ReplayJob>(
        'Replay',
        new Schema<ReplayJob>(
          {
            _id: String,
            source: String,
            topic: String,
            from: Date,
            to: Date,
            types: [String],
            mode: String,
            subscriptionId: String,
            ratePerSecond: Number,
            status: String,
            counts: Schema.Types.Mixed,
            ranges: Schema.Types.Mixed,
            usedSources: Schema.Types.Mixed,
            rate: Number,
            error: String,
            createdBy: String,
            cancelRequested: Boolean,
            lease: { owner: String, expiresAt: Date },
            output: { path: String, bytes: Number },
            createdAt: Date,
            updatedAt: Date,
            startedAt: Date,
            finishedAt: Date,
          },
          { versionKey: false, collection: 'replays' },
        )
          .index({ status: 1, createdAt: 1 })
          .index({ createdAt: -1 }),
      );
  }

  async init(): Promise<void> {
    await this.model.init();
  }

  async create(job: ReplayJob): Promise<ReplayJob> {
    await this.model.create(job);
    return job;
  }

  get(id: string): Promise<ReplayJob | null> {
    return this.model.findById(id).lean<ReplayJob>().exec();
  }

  list(filter: { status?: ReplayStatus }, limit: number): Promise<ReplayJob[]> {
    return this.model
      .find(filter.status ? { status: filter.status } : {})
      .sort({ createdAt: -1 })
      .limit(limit)
      .lean<ReplayJob[]>()
      .exec();
  }

  /** Takes the oldest queued job, or a running one whose worker let its lease expire (it resumes from its checkpoint). */
  claim(owner: string, leaseMs: number): Promise<ReplayJob | null> {
    const now = new Date();
    return this.model
      .findOneAndUpdate(
        { $or: [{ status: 'queued' }, { status: 'running', 'lease.expiresAt': { $lt: now } }] },
        { $set: { status: 'running', lease: { owner, expiresAt: new Date(now.getTime() + leaseMs) }, updatedAt: now }, $min: { startedAt: now } },
        { sort: { createdAt: 1 }, new: true },
      )
      .lean<ReplayJob>()
      .exec();
  }

  /** Extends the lease; null when another worker took the job over (this one must stop). */
  renew(id: string, owner: string, leaseMs: number): Promise<ReplayJob | null> {
    return this.model
      .findOneAndUpdate({ _id: id, status: 'running', 'lease.owner': owner }, { $set: { 'lease.expiresAt': new Date(Date.now() + leaseMs) } }, { new: true })
      .lean<ReplayJob>()
      .exec();
  }

  async checkpoint(id: string, owner: string, patch: Partial<ReplayJob>, leaseMs: number): Promise<ReplayJob | null> {
    return this.model
      .findOneAndUpdate(
        { _id: id, status: 'running', 'lease.owner': owner },
        { $set: { ...patch, 'lease.expiresAt': new Date(Date.now() + leaseMs), updatedAt: new Date() } },
        { new: true },
      )
      .lean<ReplayJob>()
      .exec();
  }

  async finish(id: string, owner: string, status: ReplayStatus, patch: Partial<ReplayJob>): Promise<void> {
    const now = new Date();
    await this.model.updateOne({ _id: id, 'lease.owner': owner }, { $set: { ...patch, status, lease: null, updatedAt: now, finishedAt: now } });
  }

  /** Hands a job back (graceful shutdown): queued again with its progress, so the next worker resumes at once. */
  async release(id: string, owner: string, patch: Partial<ReplayJob>): Promise<void> {
    await this.model.updateOne({ _id: id, status: 'running', 'lease.owner': owner }, { $set: { ...patch, status: 'queued', lease: null, updatedAt: new Date() } });
  }

  async cancelQueued(id: string): Promise<boolean> {
    const now = new Date();
    const r = await this.model.updateOne({ _id: id, status: 'queued' }, { $set: { status: 'cancelled', cancelRequested: true, finishedAt: now, updatedAt: now } });
    return r.modifiedCount > 0;
  }

  async requestCancel(id: string): Promise<boolean> {
    try {
      await this.cancellations.insertOne({ _id: id as never, at: new Date() });
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
    }
    const r = await this.model.updateOne({ _id: id, status: 'running' }, { $set: { cancelRequested: true, updatedAt: new Date() } });
    return r.modifiedCount > 0;
  }

  /** Export jobs that ended before `before`: their retention is over. */
  expiredExports(before: Date, limit = 100): Promise<ReplayJob[]> {
    return this.model
      .find({ mode: 'export', status: { $in: [...FINISHED] }, finishedAt: { $lt: before } })
      .limit(limit)
      .lean<ReplayJob[]>()
      .exec();
  }

  /** Deletes a job and its cancellation marker. */
  async delete(id: string): Promise<void> {
    await this.model.deleteOne({ _id: id });
    await this.cancellations.deleteOne({ _id: id as never });
  }

  /** Whether a cancellation was requested for the job (read by `_id`, cheap on FerretDB too). */
  async cancelMarked(id: string): Promise<boolean> {
    return (await this.cancellations.countDocuments({ _id: id as never }, { limit: 1 })) > 0;
  }
}
