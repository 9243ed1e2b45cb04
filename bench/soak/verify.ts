/**
 * The soak's verdict, read from the outside: MongoDB's `events` and `executions` collections and the receivers'
 * own logs, never the hub's own counters. An event is accepted when the sender got a 2xx for it.
 */
import mongoose from 'mongoose';
import type { SentEvent } from './load';
import { readAttempts, type Attempt } from './receivers';

export interface SubscriberExpectation {
  name: string;
  logFile: string;
  /** Only results of executions that finished at or after this instant are owed (a subscription created mid-run). */
  since?: number;
}

export interface SubscriberVerdict {
  name: string;
  owed: number;
  delivered: number;
  missing: number;
  duplicates: number;
  badSignatures: number;
  /** (result, subscription) pairs whose attempts carried more than one `webhook-id`. */
  unstableIds: number;
  attempts: number;
  missingSample: string[];
}

export interface Verdict {
  accepted: number;
  unaccepted: number;
  rejected: number;
  archived: number;
  notArchived: number;
  /** Up to five accepted events missing from the archive: id, key, where the 202 placed it, what holds its key. */
  notArchivedSample: string[];
  /** Idempotency keys archived under more than one event id (a webhook ingested twice). */
  archiveDuplicates: number;
  executions: number;
  missingExecutions: number;
  /** (event, agent) pairs with more than one succeeded execution. */
  duplicateExecutions: number;
  subscribers: SubscriberVerdict[];
  delivered: number;
  dupDeliveries: number;
  lost: number;
}

interface ExecutionRow {
  _id: string;
  eventId: string;
  agent: string;
  status: string;
  finishedAt?: Date;
}

export async function verify(mongodbUri: string, sent: SentEvent[], agent: string, subscribers: SubscriberExpectation[]): Promise<Verdict> {
  const client = new mongoose.mongo.MongoClient(mongodbUri, { serverSelectionTimeoutMS: 30000 });
  await client.connect();
  try {
    const db = client.db();
    const accepted = sent.filter((e) => e.eventId !== undefined);
    const events = await db.collection<{ _id: string; idempotencyKey?: string }>('events').find({}, { projection: { _id: 1, idempotencyKey: 1 } }).toArray();
    const archivedIds = new Set(events.map((e) => String(e._id)));
    const idsByKey = new Map<string, Set<string>>();
    for (const e of events) {
      if (!e.idempotencyKey) continue;
      const set = idsByKey.get(e.idempotencyKey) ?? new Set<string>();
      set.add(String(e._id));
      idsByKey.set(e.idempotencyKey, set);
    }
    const executions = await db
      .collection<ExecutionRow>('executions')
      .find({ agent, status: 'succeeded' }, { projection: { _id: 1, eventId: 1, agent: 1, status: 1, finishedAt: 1 } })
      .toArray();
    const succeededByEvent = new Map<string, ExecutionRow[]>();
    for (const x of executions) succeededByEvent.set(x.eventId, [...(succeededByEvent.get(x.eventId) ?? []), x]);

    let notArchived = 0;
    const notArchivedSample: string[] = [];
    let missingExecutions = 0;
    let duplicateExecutions = 0;
    const owedExecutions: ExecutionRow[] = [];
    for (const e of accepted) {
      const id = e.eventId as string;
      if (!archivedIds.has(id)) {
        notArchived++;
        if (notArchivedSample.length < 5) {
          const sameKey = [...(idsByKey.get(e.key) ?? [])].join('|') || 'none';
          notArchivedSample.push(`${id} (key ${e.key}, ${e.acceptedStatus ?? '?'} at ${new Date(e.acceptedAt ?? 0).toISOString()}, placed ${e.placement ?? '?'}, attempts ${e.attempts}, archived under its key: ${sameKey})`);
        }
      }
      const runs = succeededByEvent.get(id) ?? [];
      if (runs.length === 0) missingExecutions++;
      if (runs.length > 1) duplicateExecutions++;
      if (runs[0]) owedExecutions.push(runs[0]);
    }
    let archiveDuplicates = 0;
    for (const e of accepted) if ((idsByKey.get(e.key)?.size ?? 0) > 1) archiveDuplicates++;

    const subscriberVerdicts = subscribers.map((s) => checkSubscriber(s, readAttempts(s.logFile), owedExecutions));
    const missingDeliveries = subscriberVerdicts.reduce((n, s) => n + s.missing, 0);
    return {
      accepted: accepted.length,
      unaccepted: sent.filter((e) => e.gaveUp).length,
      rejected: sent.filter((e) => e.rejected !== undefined).length,
      archived: accepted.length - notArchived,
      notArchived,
      notArchivedSample,
      archiveDuplicates,
      executions: accepted.length - missingExecutions,
      missingExecutions,
      duplicateExecutions,
      subscribers: subscriberVerdicts,
      delivered: subscriberVerdicts.reduce((n, s) => n + s.delivered, 0),
      dupDeliveries: subscriberVerdicts.reduce((n, s) => n + s.duplicates, 0),
      lost: notArchived + missingExecutions + missingDeliveries,
    };
  } finally {
    await client.close();
  }
}

function checkSubscriber(s: SubscriberExpectation, attempts: Attempt[], executions: ExecutionRow[]): SubscriberVerdict {
  const byExecution = new Map<string, Attempt[]>();
  let badSignatures = 0;
  for (const a of attempts) {
    if (!a.valid) badSignatures++;
    if (!a.executionId) continue;
    byExecution.set(a.executionId, [...(byExecution.get(a.executionId) ?? []), a]);
  }
  const owed = executions.filter((x) => s.since === undefined || (x.finishedAt !== undefined && x.finishedAt.getTime() >= s.since));
  let delivered = 0;
  const missingSample: string[] = [];
  for (const x of owed) {
    if ((byExecution.get(x._id) ?? []).some((a) => a.valid && a.answered >= 200 && a.answered < 300)) delivered++;
    else if (missingSample.length < 5) missingSample.push(`${x._id} (event ${x.eventId}, finished ${x.finishedAt?.toISOString() ?? '?'})`);
  }
  let duplicates = 0;
  let unstableIds = 0;
  for (const list of byExecution.values()) {
    const ok = list.filter((a) => a.valid && a.answered >= 200 && a.answered < 300).length;
    if (ok > 1) duplicates += ok - 1;
    if (new Set(list.map((a) => a.webhookId)).size > 1) unstableIds++;
  }
  return { name: s.name, owed: owed.length, delivered, missing: owed.length - delivered, duplicates, badSignatures, unstableIds, attempts: attempts.length, missingSample };
}

/** Nearest-rank percentile of `values` (0 when empty). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}
