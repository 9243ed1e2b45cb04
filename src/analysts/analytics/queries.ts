import type { AnalyticsStore, RollupDoc } from './data-access/rollups';
import { cover } from './domain/buckets';
import { DeliveryAgg, ExecutionAgg, assertRange, bucketOf, groupInto, seriesStarts, type DeliveryStats, type ExecutionStats, type RangeQuery } from './domain/report';
import type { Metric } from './domain/rollup';

/**
 * Analytics use cases: read rollups only (never executions or attempts), at the coarsest resolution that fits the
 * requested bucket, and fold them into per-bucket series, totals and per-dimension tables.
 */

const dim = (doc: Record<string, unknown>, name: string): string => ((doc.k as Record<string, string> | undefined)?.[name] ?? '');

async function load(store: AnalyticsStore, metric: Metric, q: RangeQuery, dims: Record<string, string | undefined> = {}): Promise<RollupDoc[]> {
  return store.read(metric, cover(q.from, q.to, q.bucket), dims);
}

/** Totals over the whole range only (per-dimension tables): the coarsest rollups that fit, whatever the bucket. */
async function loadTotals(store: AnalyticsStore, metric: Metric, q: RangeQuery, dims: Record<string, string | undefined> = {}): Promise<RollupDoc[]> {
  return store.read(metric, cover(q.from, q.to, 'day'), dims);
}

const iso = (ms: number): string => new Date(ms).toISOString();

function executionReport(q: RangeQuery, docs: RollupDoc[]): { totals: ExecutionStats; series: ({ start: string } & ExecutionStats)[] } {
  const totals = new ExecutionAgg();
  for (const d of docs) totals.add(d);
  const byBucket = groupInto(docs, (d) => String(bucketOf(d, q.bucket)), () => new ExecutionAgg(), (a, d) => a.add(d));
  const series = seriesStarts(q).map((t) => ({ start: iso(t), ...(byBucket.get(String(t)) ?? new ExecutionAgg()).stats() }));
  return { totals: totals.stats(), series };
}

export interface AgentQuery extends RangeQuery {
  agent?: string;
  team?: string;
}

export async function agentAnalytics(store: AnalyticsStore, query: AgentQuery) {
  const q = assertRange(query);
  // Narrowed to one agent, its own rollups give everything. Otherwise the series and totals come from the team
  // rollups (each execution counts once per agent and once per team, so they sum alike) and the per-agent table
  // from range totals: a few documents per team and per agent instead of every agent's every bucket.
  const [series, docs]: [RollupDoc[], RollupDoc[]] = query.agent !== undefined
    ? await load(store, 'exec_agent', q, { agent: query.agent, team: query.team }).then((d): [RollupDoc[], RollupDoc[]] => [d, d])
    : await Promise.all([load(store, 'exec_team', q, { team: query.team }), loadTotals(store, 'exec_agent', q, { team: query.team })]);
  const byAgent = groupInto(docs, (d) => `${dim(d, 'agent')}\u0000${dim(d, 'team')}`, () => new ExecutionAgg(), (a, d) => a.add(d));
  const agents = [...byAgent.entries()]
    .map(([k, a]) => {
      const [agent = '', team = ''] = k.split('\u0000');
      return { agent, team: team === '-' ? null : team, ...a.stats() };
    })
    .sort((a, b) => b.executions - a.executions || a.agent.localeCompare(b.agent));
  return { from: iso(q.from), to: iso(q.to), bucket: q.bucket, ...executionReport(q, series), agents };
}

export interface TeamQuery extends RangeQuery {
  team?: string;
}

export async function teamAnalytics(store: AnalyticsStore, query: TeamQuery) {
  const q = assertRange(query);
  const docs = await load(store, 'exec_team', q, { team: query.team });
  const byTeam = groupInto(docs, (d) => dim(d, 'team'), () => new ExecutionAgg(), (a, d) => a.add(d));
  const teams = [...byTeam.entries()]
    .map(([team, a]) => ({ team: team === '-' ? null : team, ...a.stats() }))
    .sort((a, b) => b.executions - a.executions || String(a.team).localeCompare(String(b.team)));
  return { from: iso(q.from), to: iso(q.to), bucket: q.bucket, ...executionReport(q, docs), teams };
}

export interface IngestQuery extends RangeQuery {
  source?: string;
}

export async function ingestAnalytics(store: AnalyticsStore, query: IngestQuery) {
  const q = assertRange(query);
  const [accepted, rejected] = await Promise.all([
    load(store, 'ingest_accepted', q, { source: query.source }),
    load(store, 'ingest_rejected', q, { source: query.source }),
  ]);
  const n = (d: Record<string, unknown>): number => (typeof d.n === 'number' ? d.n : 0);
  const series = new Map(seriesStarts(q).map((t) => [t, { start: iso(t), accepted: 0, rejected: 0 }]));
  const sources = new Map<string, { source: string; accepted: number; rejected: number }>();
  const types = new Map<string, { source: string; type: string; accepted: number; rejected: number }>();
  const codes = new Map<string, { source: string; code: string; rejected: number }>();
  const totals = { accepted: 0, rejected: 0 };
  const tally = (d: RollupDoc, field: 'accepted' | 'rejected'): void => {
    const count = n(d);
    totals[field] += count;
    const s = series.get(bucketOf(d, q.bucket));
    if (s) s[field] += count;
    const source = dim(d, 'source');
    const src = sources.get(source) ?? { source, accepted: 0, rejected: 0 };
    src[field] += count;
    sources.set(source, src);
    const type = dim(d, 'type');
    const tk = `${source}\u0000${type}`;
    const ty = types.get(tk) ?? { source, type, accepted: 0, rejected: 0 };
    ty[field] += count;
    types.set(tk, ty);
    if (field === 'rejected') {
      const ck = `${source}\u0000${dim(d, 'code')}`;
      const co = codes.get(ck) ?? { source, code: dim(d, 'code'), rejected: 0 };
      co.rejected += count;
      codes.set(ck, co);
    }
  };
  for (const d of accepted) tally(d, 'accepted');
  for (const d of rejected) tally(d, 'rejected');
  const byVolume = <T extends { accepted?: number; rejected: number }>(a: T, b: T): number => (b.accepted ?? 0) + b.rejected - ((a.accepted ?? 0) + a.rejected);
  return {
    from: iso(q.from),
    to: iso(q.to),
    bucket: q.bucket,
    totals,
    series: [...series.values()],
    sources: [...sources.values()].sort(byVolume),
    types: [...types.values()].sort(byVolume),
    rejectionCodes: [...codes.values()].sort(byVolume),
  };
}

export interface DeliveryQuery extends RangeQuery {
  subscriptionId?: string;
}

export async function deliveryAnalytics(store: AnalyticsStore, query: DeliveryQuery) {
  const q = assertRange(query);
  const [docs, failing] = await Promise.all([load(store, 'delivery', q, { sub: query.subscriptionId }), store.failingSubscriptions()]);
  const totals = new DeliveryAgg();
  for (const d of docs) totals.add(d);
  const byBucket = groupInto(docs, (d) => String(bucketOf(d, q.bucket)), () => new DeliveryAgg(), (a, d) => a.add(d));
  const bySub = groupInto(docs, (d) => dim(d, 'sub'), () => new DeliveryAgg(), (a, d) => a.add(d));
  const pick = (s: DeliveryStats) => ({ attempts: s.attempts, succeeded: s.succeeded, failed: s.failed, successRate: s.successRate, p95LatencyMs: s.p95LatencyMs });
  return {
    from: iso(q.from),
    to: iso(q.to),
    bucket: q.bucket,
    totals: totals.stats(),
    series: seriesStarts(q).map((t) => ({ start: iso(t), ...pick((byBucket.get(String(t)) ?? new DeliveryAgg()).stats()) })),
    subscriptions: [...bySub.entries()]
      .map(([subscriptionId, a]) => ({ subscriptionId, ...a.stats() }))
      .sort((a, b) => b.attempts - a.attempts || a.subscriptionId.localeCompare(b.subscriptionId)),
    failing: failing
      .filter((f) => !query.subscriptionId || f._id === query.subscriptionId)
      .map((f) => ({
        subscriptionId: f._id,
        state: f.state,
        since: f.since ? new Date(f.since).toISOString() : null,
        consecutiveFailures: f.consecutiveFailures ?? 0,
        lastError: f.lastError ?? null,
        ...(f.lastStatusCode !== undefined ? { lastStatusCode: f.lastStatusCode } : {}),
      })),
  };
}
