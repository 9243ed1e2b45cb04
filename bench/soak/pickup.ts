/**
 * What picking up a new source's topic cost the topics the groups already read (issue 15 item 5: at most 2 s, once,
 * per group), measured in the soak around its "create source" step, from the hub's own records:
 * - per stage, from the timestamps the hub stores for the `soak` source's events (the existing topic) accepted
 *   between the creation and the next step that disturbs the groups: the worst hop minus the usual hop (its median
 *   over the 10 s before the creation), as `bench:pickup` measures it. Archiver: 202 → archived; agents: 202 →
 *   execution queued; delivery: execution finished → delivery stored for the healthy subscriber.
 * - per consumer group, from the role processes' logs: how often its members joined in that window (a rebalance
 *   is one join per member), against how many members it has.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import { executionOfDelivery } from './breakdown';
import type { SentEvent } from './load';
import { percentile } from './verify';

export interface StagePause {
  stage: 'archiver' | 'agents' | 'delivery';
  usualMs: number;
  worstMs: number;
  pauseMs: number;
  /** Events of the window the figure is over. */
  samples: number;
}

export interface GroupJoins {
  group: string;
  joins: number;
  members: number;
}

export interface PickupMeasure {
  from: number;
  until: number;
  pauses: StagePause[];
  joins: GroupJoins[];
}

const BEFORE_MS = 10000;

type Hop = (e: SentEvent) => number | undefined;

/**
 * A hop that ends after `until` counts only up to `until`: the step that starts there (a `kill -9`) holds events
 * accepted just before it, and that wait is its own, not the pickup's.
 */
function pause(stage: StagePause['stage'], events: SentEvent[], hop: Hop, from: number, until: number): StagePause {
  const of = (a: number, b: number): number[] =>
    events.flatMap((e) => {
      const v = e.acceptedAt !== undefined && e.acceptedAt >= a && e.acceptedAt < b ? hop(e) : undefined;
      return v === undefined || e.acceptedAt === undefined ? [] : [Math.min(v, until - e.acceptedAt)];
    });
  const usualMs = percentile(of(from - BEFORE_MS, from), 50);
  const after = of(from, until);
  const worstMs = after.length ? Math.max(...after) : 0;
  return { stage, usualMs, worstMs, pauseMs: Math.max(0, worstMs - usualMs), samples: after.length };
}

/** Joins per consumer group in [from, until), from the JSON log lines of every role process in `logsDir`. */
export function groupJoins(logsDir: string, from: number, until: number): GroupJoins[] {
  const joins = new Map<string, number>();
  const members = new Map<string, Set<string>>();
  for (const file of readdirSync(logsDir).filter((f) => f.endsWith('.log'))) {
    for (const line of readFileSync(path.join(logsDir, file), 'utf8').split('\n')) {
      if (!line.includes('"joined the consumer group"')) continue;
      let entry: { group?: unknown; timestamp?: unknown };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        continue;
      }
      if (typeof entry.group !== 'string' || typeof entry.timestamp !== 'string') continue;
      members.set(entry.group, (members.get(entry.group) ?? new Set()).add(file));
      const at = Date.parse(entry.timestamp);
      if (at >= from && at < until) joins.set(entry.group, (joins.get(entry.group) ?? 0) + 1);
    }
  }
  return [...members.keys()].sort().map((group) => ({ group, joins: joins.get(group) ?? 0, members: members.get(group)?.size ?? 0 }));
}

export async function measurePickup(mongodbUri: string, sent: SentEvent[], from: number, until: number, logsDir: string, healthySubscriptionId: string): Promise<PickupMeasure> {
  const events = sent.filter((e) => e.source === 'soak' && e.eventId !== undefined && e.acceptedAt !== undefined && e.acceptedAt >= from - BEFORE_MS && e.acceptedAt < until);
  const ids = events.map((e) => e.eventId as string);
  const client = new mongoose.mongo.MongoClient(mongodbUri, { serverSelectionTimeoutMS: 30000 });
  await client.connect();
  try {
    const db = client.db();
    const archived = new Map<string, number>();
    const queued = new Map<string, number>();
    const finished = new Map<string, { execution: string; at: number }>();
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      for (const d of await db.collection<{ _id: string; archivedAt?: Date }>('events').find({ _id: { $in: chunk } }, { projection: { archivedAt: 1 } }).toArray()) {
        if (d.archivedAt) archived.set(d._id, d.archivedAt.getTime());
      }
      const executions = db.collection<{ _id: string; eventId: string; status: string; queuedAt?: Date; finishedAt?: Date }>('executions');
      for (const x of await executions.find({ eventId: { $in: chunk }, status: 'succeeded' }, { projection: { eventId: 1, queuedAt: 1, finishedAt: 1 } }).toArray()) {
        if (x.queuedAt) queued.set(x.eventId, x.queuedAt.getTime());
        if (x.finishedAt) finished.set(x.eventId, { execution: x._id, at: x.finishedAt.getTime() });
      }
    }
    const stored = new Map<string, number>();
    const deliveries = db.collection<{ body?: string; createdAt?: Date }>('deliveries');
    for (const d of await deliveries.find({ subscriptionId: healthySubscriptionId, createdAt: { $gte: new Date(from - BEFORE_MS) } }, { projection: { body: 1, createdAt: 1 } }).toArray()) {
      const execution = executionOfDelivery(d.body);
      if (execution && d.createdAt) stored.set(execution, d.createdAt.getTime());
    }
    const since = (at: number | undefined, e: SentEvent): number | undefined => (at === undefined || e.acceptedAt === undefined ? undefined : at - e.acceptedAt);
    const pauses = [
      pause('archiver', events, (e) => since(archived.get(e.eventId as string), e), from, until),
      pause('agents', events, (e) => since(queued.get(e.eventId as string), e), from, until),
      pause(
        'delivery',
        events,
        (e) => {
          const f = finished.get(e.eventId as string);
          const at = f ? stored.get(f.execution) : undefined;
          return f && at !== undefined ? at - f.at : undefined;
        },
        from,
        until,
      ),
    ];
    return { from, until, pauses, joins: groupJoins(logsDir, from, until) };
  } finally {
    await client.close();
  }
}

export function describePickup(p: PickupMeasure): string {
  const stages = p.pauses.map((s) => `${s.stage} ${s.pauseMs} ms (usual ${s.usualMs}, worst ${s.worstMs}, ${s.samples} events)`).join(', ');
  const joins = p.joins.map((g) => `${g.group} ${g.joins}/${g.members}`).join(', ');
  return `topic pickup over ${p.until - p.from} ms after the source was created: paused ${stages}; joins per group (members): ${joins}`;
}
