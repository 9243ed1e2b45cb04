import { randomUUID } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { ExecutionsRepository } from '../../src/agents/data-access/executions';
import { DocumentsRepository } from '../../src/agents/data-access/documents';
import { agentsModels, ensureAgentsIndexes } from '../../src/agents/data-access/models';
import { EventArchive } from '../../src/analysts/data-access/archive';
import { AnalyticsStore } from '../../src/analysts/analytics/data-access/rollups';
import { partitionSpan } from '../../src/analysts/analytics/data-access/rollup-layout';
import { deliveryAnalytics, ingestAnalytics } from '../../src/analysts/analytics/queries';
import { BufferedAnalyticsRecorder } from '../../src/analysts/analytics/buffered-recorder';
import { silentLogger } from '../../src/platform/logger';
import { ReplayRepository } from '../../src/analysts/replay/data-access/replay-repository';
import { MongoKeyStore } from '../../src/api/data-access/keys-repository';
import { DeliveriesRepository, type Delivery } from '../../src/delivery/data-access/deliveries-repository';
import { EventsRepository } from '../../src/ingest/data-access/events-repository';
import { MongoIdempotencyStore } from '../../src/ingest/data-access/idempotency-repository';
import type { ArchivedEvent } from '../../src/ingest/domain/archive';
import { pruneBefore } from '../../src/platform/pruner';
import { stackEnv, uniqueNames } from '../support/hub';

// Scenario: every query the hub issues on a hot path or at start, issued by the real repository code against the
// stack's patched FerretDB (SQLite). The driver's command monitor records each command as sent; each filter (of a
// find, count, distinct, update, delete or findAndModify) is explained as a find with the same filter and sort,
// and SQLite's plan must search an index (or, for a sorted page, walk one in order and stop at the limit), and a sorted
// page must not sort every matching document (`USE TEMP B-TREE FOR ORDER BY`). A whole collection scan is allowed
// only for analytics partitions, whose size is bounded by their dimensions and time span, not by traffic. The table printed at the end is the one in docs/local-store.md, *Queries*.

type Command = mongoose.mongo.Document;
interface Issued {
  path: string;
  /** Why sorting every matching document is acceptable here (how many there can be). */
  sortedWhy?: string;
  collection: string;
  command: string;
  explain: Command;
}
interface Verdict {
  path: string;
  sortedWhy?: string;
  collection: string;
  command: string;
  shape: string;
  plan: string;
  ok: boolean;
}

const ZERO = new Date('2026-01-01T00:00:00Z').getTime();
const at = (i: number): Date => new Date(ZERO + i * 1000);

function event(i: number): ArchivedEvent {
  return {
    id: `ev-${i}`,
    source: i % 2 ? 'github' : 'stripe',
    type: i % 2 ? 'github.push' : 'stripe.invoice.paid',
    time: at(i),
    receivedAt: at(i),
    archivedAt: at(i),
    contentType: 'application/json',
    topic: `t.in.${i % 2 ? 'github' : 'stripe'}`,
    partition: i % 3,
    offset: i,
    headers: [],
    body: '{}',
    bodyEncoding: 'utf8',
  };
}

function delivery(i: number): Delivery {
  const status = (['pending', 'succeeded', 'failed'] as const)[i % 3] ?? 'pending';
  return {
    id: `del-${i}`,
    eventId: `ev-${i}`,
    eventType: 'github.push',
    eventSource: 'github',
    subscriptionId: `sub-${i % 4}`,
    topic: 't.in.github',
    seq: i,
    status,
    body: '{}',
    bodyEncoding: 'utf8',
    contentType: 'application/json',
    createdAt: at(i),
    cycleAttempts: 1,
    attemptCount: 1,
    attempts: [],
    trigger: 'event',
    ...(status === 'pending' ? { nextAttemptAt: at(i + 60) } : { finishedAt: at(i + 1) }),
    ...(i % 5 === 0 ? { orderKey: `sub-${i % 4}|t.in.github|k${i % 7}` } : {}),
  };
}

/** The filter and sort of a command, as a find to explain; undefined for commands without a filter (inserts, index builds). */
function asFind(name: string, c: Command): { collection: string; find: Command } | undefined {
  const collection = String(c[name]);
  const find = (filter: unknown, sort?: unknown, limit?: unknown): { collection: string; find: Command } => ({
    collection,
    find: { find: collection, filter: filter ?? {}, ...(sort ? { sort } : {}), ...(limit ? { limit } : {}) },
  });
  switch (name) {
    case 'find':
      return find(c.filter, c.sort, c.limit);
    case 'count':
      return find(c.query);
    case 'distinct':
      return find(c.query);
    case 'findAndModify':
      return find(c.query, c.sort);
    case 'update':
      return find((c.updates as { q: unknown }[])[0]?.q);
    case 'delete':
      return find((c.deletes as { q: unknown }[])[0]?.q);
    default:
      return undefined;
  }
}

/** A command's shape for the table: its filter's and sort's keys, values elided. */
function shape(find: Command): string {
  const keys = (v: unknown): string =>
    Array.isArray(v) ? `[${v.map(keys).join(', ')}]` : v && typeof v === 'object' && !(v instanceof Date) && !(v instanceof mongoose.mongo.ObjectId) ? `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => (k.startsWith('$') && !['$or', '$and'].includes(k) ? k : `${k}${x && typeof x === 'object' && !(x instanceof Date) ? `: ${keys(x)}` : ''}`)).join(', ')}}` : '';
  const sort = find.sort instanceof Map ? Object.fromEntries(find.sort as Map<string, unknown>) : find.sort;
  return `${keys(find.filter)}${sort ? ` sort ${JSON.stringify(sort)}` : ''}${find.limit ? ' limit' : ''}`;
}

/**
 * An index plan: every step SEARCHes an index, or walks one in order for a sorted, limited page pushed down whole;
 * and the matching documents are not all sorted, unless `sortedWhy` says why that is acceptable.
 */
function indexPlan(plan: string, pushed: { filter: boolean; sort: boolean }, find: Command, sortedWhy?: string): boolean {
  const steps = plan.split('\n').filter((l) => /^(SCAN|SEARCH)\b/.test(l.trim()));
  if (steps.length === 0 || (plan.includes('USE TEMP B-TREE FOR ORDER BY') && !sortedWhy)) return false;
  return steps.every((l) => /^SEARCH \S+ USING (COVERING )?INDEX /.test(l.trim()) || (/^SCAN \S+ USING (COVERING )?INDEX /.test(l.trim()) && pushed.sort && find.limit !== undefined));
}

describe('local store: every hot-path query of the hub is an index search', () => {
  const names = uniqueNames('hotpaths');
  let conn: Connection;
  let current = '';
  let sortReason: string | undefined;
  const issued: Issued[] = [];
  const verdicts: Verdict[] = [];

  /** Runs `fn` (real repository code) and records the commands it sends as issued by `path`. */
  async function on<T>(path: string, fn: () => Promise<T>, sortedWhy?: string): Promise<T> {
    current = path;
    sortReason = sortedWhy;
    try {
      return await fn();
    } finally {
      current = '';
      sortReason = undefined;
    }
  }

  beforeAll(async () => {
    conn = mongoose.createConnection(stackEnv().mongodbUri, { dbName: names.dbName, monitorCommands: true, autoIndex: true });
    await conn.asPromise();
    conn.getClient().on('commandStarted', (e) => {
      if (!current) return;
      const f = asFind(e.commandName, e.command);
      if (f) issued.push({ path: current, ...(sortReason ? { sortedWhy: sortReason } : {}), collection: f.collection, command: e.commandName, explain: f.find });
    });
  }, 60000);
  afterAll(async () => {
    await conn?.dropDatabase().catch(() => undefined);
    await conn?.close();
  });

  it('issues only index searches on the patched store', async () => {
    // Indexes as each role creates them at start, and some of every kind of document, written by the hub's writers.
    const events = new EventsRepository(conn);
    await events.init();
    await events.storeMany(Array.from({ length: 60 }, (_, i) => event(i)));
    const deliveries = new DeliveriesRepository(conn);
    await conn.collection('deliveries').createIndex({ status: 1 }); // as an earlier version made it
    await deliveries.prepare();
    expect((await conn.collection('deliveries').indexes()).map((i) => i.name)).not.toContain('status_1');
    await deliveries.insertNew(Array.from({ length: 60 }, (_, i) => delivery(i)));
    const keys = new MongoIdempotencyStore(conn);
    await keys.ensureRetentionIndex();
    const models = agentsModels(conn);
    await ensureAgentsIndexes(models);
    const executions = new ExecutionsRepository(conn);
    await models.Execution.collection.insertMany(
      Array.from({ length: 30 }, (_, i) => ({ _id: `ex-${i}`, agent: `a${i % 3}`, team: 'T', status: i % 2 ? 'succeeded' : 'failed', attempts: 1, eventId: `ev-${i}`, eventType: 'github.push', documents: [], createdAt: at(i), updatedAt: at(i) })) as never[],
    );
    const documents = new DocumentsRepository(conn);
    await models.Document.collection.insertMany(
      Array.from({ length: 30 }, (_, i) => ({ _id: `doc-${i}`, kind: 'note', title: `t${i}`, agent: `a${i % 3}`, executionId: `ex-${i}`, eventId: `ev-${i}`, tags: ['x'], key: `k${i % 5}`, version: i, createdAt: at(i) })) as never[],
    );
    const replays = new ReplayRepository(conn);
    await replays.init();
    const apiKeys = new MongoKeyStore(conn);
    await apiKeys.init();
    const analytics = new AnalyticsStore(conn);
    await analytics.init();
    const recorder = new BufferedAnalyticsRecorder(analytics, silentLogger());

    // Ingest: the idempotency claim of every webhook, its lookups, and the retention prune.
    const key = randomUUID();
    await on('ingest: claim a key (every webhook: inserts only)', () => keys.claim('github', key, `ev-${key}`, 'push', 30000));
    await on('ingest: claim a key again (a duplicate webhook)', () => keys.claim('github', key, `ev-${randomUUID()}`, 'push', 30000));
    await on('ingest: read a key (claim outcome, API)', () => keys.get('github', key));
    await on('ingest: prune idempotency records', () => pruneBefore(keys.retentionRule(1000), at(30), 10));

    // Archiver, API events list and replay from the archive.
    await on('archiver: prune events', () => pruneBefore(events.retentionRule(1000), at(5), 2));
    await on('API GET /events/:id', () => events.get('ev-20'));
    const page = await on('API GET /events (newest first)', () => events.list({ limit: 5, order: 'desc' }));
    await on('API GET /events (next page)', () => events.list({ limit: 5, order: 'desc', cursor: page.nextCursor }));
    await on('API GET /events?source&from&to', () => events.list({ source: 'github', from: at(10), to: at(50), limit: 5, order: 'asc' }));
    await on('API GET /events?type', () => events.list({ type: 'github.push', limit: 5 }));
    await on(
      'API GET /events?type=prefix.*',
      () => events.list({ type: 'stripe.*', limit: 5 }),
      'a prefix covers several types: the (type, time) index finds the events of those types, SQLite orders them (no index can order a range of types by time); bounded by HOOKHUB_EVENT_RETENTION, narrowed by `source`',
    );
    const archive = new EventArchive(conn);
    await on('replay: partitions of a topic in the archive', () => archive.partitions('t.in.github', at(0), at(60)));
    await on('replay: read the archive by offset', () => archive.read({ topic: 't.in.github', partition: 1, fromOffset: 0, belowOffset: 50, from: at(0), to: at(60), batchSize: 10 }, async () => true));

    // Delivery: the boot backfill, `existing()` after a rebalance, due polling, claims, attempts, resends, the prune.
    await on('delivery: boot backfill of unfinished deliveries', () => deliveries.prepare());
    await on('delivery: existing() after a rebalance', () => deliveries.existing(['del-1', 'del-2', 'nope']));
    const due = await on('delivery: poll due work', () => deliveries.findDue(10, at(1000)));
    await on('delivery: unfinished of ordered keys', () => deliveries.unfinishedOf(['sub-0|t.in.github|k0']));
    const claimed = await on('delivery: claim due deliveries', () => deliveries.claim([...due, { id: 'del-1', at: at(0), seq: 1 }], 60000, at(1000)));
    const first = claimed.deliveries[0];
    if (first) await on('delivery: record an attempt', () => deliveries.recordAttempt(first, { at: at(1000), status: 200, latencyMs: 1, trigger: 'schedule' }, { status: 'succeeded', finishedAt: at(1000) }));
    await on('API POST /deliveries/:id/resend', () => deliveries.restart({ _id: 'del-2' }, 'resend'));
    await on('API POST /subscriptions/:id/recover', () => deliveries.restart({ subscriptionId: 'sub-1', status: 'failed', createdAt: { $gte: at(0) } }, 'recover'));
    await on('API GET /deliveries', () => deliveries.list({ limit: 5 }));
    await on('API GET /deliveries (next page)', () => deliveries.list({ limit: 5, after: { createdAt: at(40), id: 'del-40' } }));
    await on('API GET /deliveries?subscription', () => deliveries.list({ subscriptionId: 'sub-1', limit: 5 }));
    await on('API GET /deliveries?status', () => deliveries.list({ status: 'failed', limit: 5 }));
    await on('API GET /deliveries?event', () => deliveries.list({ eventId: 'ev-3', limit: 5 }), 'one per subscription matching the event');
    await on('API GET /deliveries?since&until', () => deliveries.list({ since: at(10), until: at(20), limit: 5 }));
    await on('API GET /deliveries/:id', () => deliveries.get('del-3'));
    await on('delivery: prune finished deliveries', () => pruneBefore(deliveries.retentionRule(1000), at(30), 5));

    // Agents: `existing()` after a rebalance, the (event, agent) guard, the API lists.
    await on('agents: existing executions after a rebalance', () => executions.findByIds(['ex-1', 'ex-2', 'nope']));
    await on('agents: execution of (event, agent)', () => executions.findByEventAndAgent('ev-1', 'a1'));
    const ex = await on('API GET /executions', () => executions.page({ limit: 5 }));
    await on('API GET /executions (next page)', () => executions.page({ limit: 5, ...(ex.nextCursor ? { cursor: ex.nextCursor } : {}) }));
    await on('API GET /executions?agent', () => executions.page({ agent: 'a1', limit: 5 }));
    await on('API GET /executions?status', () => executions.page({ status: 'failed', limit: 5 }));
    await on('API GET /executions?event', () => executions.page({ eventId: 'ev-1', limit: 5 }), 'one per agent routed the event');
    const docs = await on('API GET /documents', () => documents.page({ limit: 5 }));
    await on('API GET /documents (next page)', () => documents.page({ limit: 5, ...(docs.nextCursor ? { cursor: docs.nextCursor } : {}) }));
    await on('API GET /documents?agent', () => documents.page({ agent: 'a1', limit: 5 }));
    await on('API GET /documents?kind', () => documents.page({ kind: 'note', limit: 5 }));
    await on('API GET /documents?execution', () => documents.page({ executionId: 'ex-1', limit: 5 }), 'the documents one run wrote');
    await on('agents: documents by id', () => documents.byIds(['doc-1', 'doc-2']));

    // Every API call: the key lookup; replay jobs: the worker's poll and the export retention.
    await on('API: authenticate a key (every call)', () => apiKeys.findByHash('h'.repeat(64)));
    await on('API GET /keys', () => apiKeys.list({ limit: 5 }));
    await on('replay worker: claim a job (every poll)', () => replays.claim('me', 1000), 'queued and running jobs only');
    await on('API GET /replays', () => replays.list({}, 5));
    await on('replay worker: expired exports', () => replays.expiredExports(at(0)));

    // Analytics: the facts the ingest and delivery roles record, and the API's reads.
    for (let i = 0; i < 5; i += 1) {
      recorder.ingestRejected({ source: 'github', code: 'signature_invalid', at: at(i) });
      recorder.deliveryAttempt({ subscriptionId: `sub-${i % 2}`, ok: i % 2 === 0, latencyMs: 5, at: at(i), statusCode: i % 2 ? 500 : 200 });
    }
    await on('analytics: record rejected webhooks and delivery attempts', () => recorder.flush());
    await on('API GET /analytics/ingest', () => ingestAnalytics(analytics, { from: ZERO, to: ZERO + 3_600_000, bucket: 'minute' }));
    await on('API GET /analytics/deliveries', () => deliveryAnalytics(analytics, { from: ZERO, to: ZERO + 86_400_000, bucket: 'hour' }));

    expect(issued.length).toBeGreaterThan(40);
    const db = conn.db;
    if (!db) throw new Error('not connected');
    for (const q of issued) {
      const r = await db.command({ explain: q.explain });
      const plan = ((r.queryPlanner as { Plan?: string[] }).Plan ?? []).map((l) => l.replace(/^.*detail=/, '')).join(' / ');
      const pushed = { filter: r.filterPushdown === true, sort: r.sortPushdown === true };
      // Analytics partitions hold one document per (dimensions, slot) of one day or month: bounded, read whole.
      const bounded = partitionSpan(q.collection) !== undefined;
      verdicts.push({ path: q.path, collection: q.collection, command: q.command, shape: shape(q.explain), plan, ok: bounded || indexPlan(plan.replace(/ \/ /g, '\n'), pushed, q.explain, q.sortedWhy) });
    }
    const table = verdicts.map((v) => `| ${v.ok ? 'ok' : 'SCAN'} | ${v.path} | ${v.collection} | ${v.command} ${v.shape} | ${v.plan} |`).join('\n');
    process.stdout.write(`${table}\n`);
    expect(verdicts.filter((v) => !v.ok).map((v) => `${v.path}: ${v.collection} ${v.shape} → ${v.plan}`)).toEqual([]);
  }, 120000);
});
