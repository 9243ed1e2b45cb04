/**
 * Where the end-to-end time of the warm-up went, from the timestamps the hub stores itself: the event's
 * CloudEvent time (ingest received it), the execution's queuedAt/startedAt/finishedAt (agents stage), the
 * delivery's createdAt (delivery stage stored it) and the healthy receiver's arrival time. Medians and p99 of
 * each hop, so a latency change can be put on one stage.
 */
import mongoose from 'mongoose';
import type { SentEvent } from './load';
import { percentile } from './verify';

export interface Hop {
  name: string;
  p50: number;
  p99: number;
}

interface ExecutionTimes {
  _id: string;
  eventId: string;
  queuedAt?: Date;
  startedAt?: Date;
  finishedAt?: Date;
  event?: { time?: string };
}

/** The execution a stored delivery carries the result of (deliveries name their result event, not the execution). */
export function executionOfDelivery(body: string | undefined): string | undefined {
  return body ? (JSON.parse(body) as { execution?: { id?: string } }).execution?.id : undefined;
}

export async function stageBreakdown(mongodbUri: string, events: SentEvent[], arrivedAt: Map<string, number>, subscriptionId: string): Promise<Hop[]> {
  const client = new mongoose.mongo.MongoClient(mongodbUri, { serverSelectionTimeoutMS: 30000 });
  await client.connect();
  try {
    const db = client.db();
    const ids = events.flatMap((e) => (e.eventId ? [e.eventId] : []));
    const executions = await db
      .collection<ExecutionTimes>('executions')
      .find({ eventId: { $in: ids } }, { projection: { _id: 1, eventId: 1, queuedAt: 1, startedAt: 1, finishedAt: 1, 'event.time': 1 } })
      .toArray();
    const deliveries = await db.collection<{ body?: string; createdAt?: Date }>('deliveries').find({ subscriptionId }, { projection: { body: 1, createdAt: 1 } }).toArray();
    const createdByExecution = new Map<string, number>();
    for (const d of deliveries) {
      const id = executionOfDelivery(d.body);
      if (id && d.createdAt) createdByExecution.set(id, d.createdAt.getTime());
    }
    const acceptedAt = new Map(events.flatMap((e) => (e.eventId && e.acceptedAt ? [[e.eventId, e.acceptedAt] as const] : [])));
    const hops: Record<string, number[]> = { 'ingest received → 202 at the sender': [], '202 → execution queued (agents consumed)': [], 'queued → finished (run + stores)': [], 'finished → delivery stored (results consumed)': [], 'delivery stored → receiver got it': [] };
    const push = (name: string, a: number | undefined, b: number | undefined): void => {
      if (a !== undefined && b !== undefined) hops[name]?.push(b - a);
    };
    for (const x of executions) {
      const received = x.event?.time ? Date.parse(x.event.time) : undefined;
      const accepted = acceptedAt.get(x.eventId);
      const created = createdByExecution.get(x._id);
      push('ingest received → 202 at the sender', received, accepted);
      push('202 → execution queued (agents consumed)', accepted, x.queuedAt?.getTime());
      push('queued → finished (run + stores)', x.queuedAt?.getTime(), x.finishedAt?.getTime());
      push('finished → delivery stored (results consumed)', x.finishedAt?.getTime(), created);
      push('delivery stored → receiver got it', created, arrivedAt.get(x.eventId));
    }
    return Object.entries(hops).map(([name, v]) => ({ name, p50: percentile(v, 50), p99: percentile(v, 99) }));
  } finally {
    await client.close();
  }
}
