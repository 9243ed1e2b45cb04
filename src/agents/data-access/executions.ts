import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import { duplicateOnlyFailure } from '../../platform/bulk-duplicates';
import { cursorFilter, PAGE_SORT, pageLimit, toPage, type Page } from '../../platform/pagination';
import { filter } from '../../platform/query-filter';
import { sleep } from '../../platform/timeout';
import type { AsyncResult } from '../runners/http';
import type { Execution, ExecutionStatus, StoredExecution } from '../domain/model';
import { toExecution, toExecutionDoc, toStoredExecution } from './execution-docs';
import { agentsModels, type AgentsModels, type ExecutionDoc } from './models';

export { toExecution };

interface CallbackDoc {
  _id: string;
  resultJson: string;
  receivedAt: Date;
}

export interface ExecutionQuery {
  agent?: string;
  status?: ExecutionStatus;
  eventId?: string;
  limit?: number;
  /** Executions created before this (pagination by creation time, newest first). */
  before?: Date;
}

/** The API's execution search: newest first, a page at a time. */
export interface ExecutionPageQuery {
  agent?: string;
  team?: string;
  status?: ExecutionStatus;
  eventId?: string;
  from?: Date;
  to?: Date;
  limit?: number;
  cursor?: string;
}

import type { FinishFields } from '../domain/ports';

export type { FinishFields };

/** The `executions` collection: one document per (event, agent), its lifecycle and its result. */
export class ExecutionsRepository {
  private readonly m: AgentsModels;
  constructor(conn: Connection) {
    this.m = agentsModels(conn);
  }

  get model(): AgentsModels['Execution'] {
    return this.m.Execution;
  }

  /** Inserts many (unordered); returns the ids that already existed (duplicate key) instead of failing. */
  async insertMany(executions: StoredExecution[]): Promise<Set<string>> {
    const dup = new Set<string>();
    if (executions.length === 0) return dup;
    const docs = executions.map(toExecutionDoc);
    try {
      await this.m.Execution.collection.insertMany(docs as unknown as Record<string, unknown>[], { ordered: false });
    } catch (err) {
      // A lone document may come back as a plain duplicate-key error; a lost connection is never "all inserted".
      const failure = duplicateOnlyFailure(err) ?? (docs.length === 1 && (err as { code?: number }).code === 11000 ? { duplicates: new Set([0]) } : undefined);
      if (!failure) throw err;
      for (const index of failure.duplicates) dup.add((docs[index] as ExecutionDoc)._id);
    }
    return dup;
  }

  async findByIds(ids: string[]): Promise<StoredExecution[]> {
    if (ids.length === 0) return [];
    return (await this.m.Execution.find({ _id: { $in: ids } }).lean<ExecutionDoc[]>()).map(toStoredExecution);
  }

  async findByEventAndAgent(eventId: string, agent: string): Promise<ExecutionDoc | null> {
    return this.m.Execution.findOne({ eventId, agent }).lean<ExecutionDoc>();
  }

  async get(id: string): Promise<Execution | undefined> {
    const d = await this.m.Execution.findById(id).lean<ExecutionDoc>();
    return d ? toExecution(d) : undefined;
  }

  async list(q: ExecutionQuery = {}): Promise<Execution[]> {
    const filter: Record<string, unknown> = {};
    if (q.agent) filter.agent = q.agent;
    if (q.status) filter.status = q.status;
    if (q.eventId) filter.eventId = q.eventId;
    if (q.before) filter.createdAt = { $lt: q.before };
    const docs = await this.m.Execution.find(filter).sort({ createdAt: -1 }).limit(Math.min(q.limit ?? 50, 1000)).lean<ExecutionDoc[]>();
    return docs.map(toExecution);
  }

  async page(q: ExecutionPageQuery): Promise<Page<Execution>> {
    const limit = pageLimit(q.limit);
    const where = filter()
      .eq('agent', q.agent)
      .eq('team', q.team)
      .eq('status', q.status)
      .eq('eventId', q.eventId)
      .range('createdAt', q.from, q.to)
      .and(cursorFilter(q.cursor))
      .build();
    const docs = await this.m.Execution.find(where).sort(PAGE_SORT).limit(limit + 1).lean<ExecutionDoc[]>();
    return toPage(docs, limit, (d) => ({ createdAt: d.createdAt, id: d._id }), toExecution);
  }

  /**
   * Takes over a queued/running execution, atomically (only one process wins): `expired` when its lease ran
   * out (its process died), `own` when it is this process's from an earlier, abandoned try at the same batch.
   */
  async reclaim(id: string, owner: string, leaseMs: number, why: 'expired' | 'own'): Promise<StoredExecution | null> {
    const now = new Date();
    const guard = why === 'own' ? { owner } : { leaseUntil: { $lt: now } };
    const d = await this.m.Execution.findOneAndUpdate(
      { _id: id, status: { $in: ['queued', 'running'] }, ...guard },
      { $set: { owner, leaseUntil: new Date(now.getTime() + leaseMs), updatedAt: now } },
      { new: true },
    ).lean<ExecutionDoc>();
    return d ? toStoredExecution(d) : null;
  }

  /**
   * queued → running, by the owner of the lease; counts the attempt. Returns whether it was queued before
   * (false: a taken-over `running` one), or undefined when this process does not own it any more.
   */
  async markRunning(id: string, owner: string, leaseMs: number): Promise<boolean | undefined> {
    const now = new Date();
    const before = await this.m.Execution.findOneAndUpdate(
      { _id: id, owner, status: { $in: ['queued', 'running'] } },
      { $set: { status: 'running', startedAt: now, leaseUntil: new Date(now.getTime() + leaseMs), updatedAt: now }, $inc: { attempts: 1 } },
      { new: false },
    ).lean<Pick<ExecutionDoc, 'status'>>();
    return before ? before.status === 'queued' : undefined;
  }

  async renewLeases(ids: string[], owner: string, leaseMs: number): Promise<void> {
    if (ids.length === 0) return;
    const leaseUntil = new Date(Date.now() + leaseMs);
    await this.m.Execution.bulkWrite(
      ids.map((id) => ({ updateOne: { filter: { _id: id, owner, status: { $in: ['queued', 'running'] } }, update: { $set: { leaseUntil } } } })),
      { ordered: false },
    );
  }

  /** running → final, only by the lease owner (a process that lost its lease does not overwrite). */
  async finish(id: string, owner: string, f: FinishFields): Promise<StoredExecution | null> {
    const set: Record<string, unknown> = {
      status: f.status,
      documents: f.documents,
      attempts: f.attempts,
      finishedAt: f.finishedAt,
      durationMs: f.durationMs,
      updatedAt: new Date(),
    };
    if (f.output !== undefined) set.outputJson = JSON.stringify(f.output);
    if (f.error) set.error = f.error;
    if (f.usage) set.usage = f.usage;
    if (f.exitCode !== undefined) set.exitCode = f.exitCode;
    if (f.stderr !== undefined) set.stderr = f.stderr;
    const d = await this.m.Execution.findOneAndUpdate(
      { _id: id, owner, status: { $in: ['queued', 'running'] } },
      { $set: set, $unset: { leaseUntil: 1 } },
      { new: true },
    ).lean<ExecutionDoc>();
    return d ? toStoredExecution(d) : null;
  }

  async markPublished(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    // One update per id (by primary key) in one request: cheaper than an `$in` scan on Mongo-wire backends.
    await this.m.Execution.bulkWrite(ids.map((id) => ({ updateOne: { filter: { _id: id }, update: { $set: { resultPublished: true } } } })), { ordered: false });
  }

  /**
   * Async results live in their own insert-only collection (`execution_callbacks`, keyed by execution id), not
   * on the execution document, so a callback can never be lost to a concurrent write on the execution (lease
   * renewals) on backends without document-level atomicity. First one wins; a finished execution takes none.
   */
  private get callbacks(): Collection<CallbackDoc> {
    return this.m.Execution.db.collection<CallbackDoc>('execution_callbacks');
  }

  async storeAsyncResult(id: string, result: AsyncResult): Promise<'stored' | 'finished' | 'duplicate' | 'missing'> {
    const d = await this.m.Execution.findById(id, { status: 1 }).lean<Pick<ExecutionDoc, 'status'>>();
    if (!d) return 'missing';
    if (['succeeded', 'failed', 'timed_out', 'cancelled'].includes(d.status)) return 'finished';
    try {
      await this.callbacks.insertOne({ _id: id, resultJson: JSON.stringify(result), receivedAt: new Date() });
      return 'stored';
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return 'duplicate';
      throw err;
    }
  }

  /** Polls for the stored async result until the deadline; the callback may land on any process. */
  async awaitAsyncResult(id: string, deadline: number, signal: AbortSignal, intervalMs = 200): Promise<AsyncResult | undefined> {
    while (Date.now() < deadline && !signal.aborted) {
      const d = await this.callbacks.findOne({ _id: id });
      if (d && typeof d.resultJson === 'string') return JSON.parse(d.resultJson) as AsyncResult;
      await sleep(Math.min(intervalMs, Math.max(1, deadline - Date.now())));
    }
    return undefined;
  }

  /** Cancels a queued or running execution; a process still running it will not overwrite the cancellation. */
  async cancel(id: string, reason = 'cancelled'): Promise<boolean> {
    const now = new Date();
    const r = await this.m.Execution.updateOne(
      { _id: id, status: { $in: ['queued', 'running'] } },
      { $set: { status: 'cancelled', error: { code: 'cancelled', message: reason }, finishedAt: now, updatedAt: now, resultPublished: true }, $unset: { leaseUntil: 1 } },
    );
    return r.matchedCount === 1;
  }

  /**
   * Like `cancel`, atomically, but says what the execution was before: 'queued' or 'running' when this call
   * cancelled it, undefined when it was already final (or does not exist).
   */
  async cancelFrom(id: string, reason = 'cancelled'): Promise<'queued' | 'running' | undefined> {
    const now = new Date();
    const before = await this.m.Execution.findOneAndUpdate(
      { _id: id, status: { $in: ['queued', 'running'] } },
      { $set: { status: 'cancelled', error: { code: 'cancelled', message: reason }, finishedAt: now, updatedAt: now, resultPublished: true }, $unset: { leaseUntil: 1 } },
      { new: false },
    ).lean<Pick<ExecutionDoc, 'status'>>();
    return before ? (before.status as 'queued' | 'running') : undefined;
  }
}
