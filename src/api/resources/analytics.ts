import { agentAnalytics, deliveryAnalytics, ingestAnalytics, teamAnalytics, parseTime, type AnalyticsStore, type Resolution, type RangeQuery } from '../../analysts';
import { AppError } from '../../platform/errors';
import { access, route, type ApiResource } from '../framework/route';

interface Range {
  from?: string;
  to?: string;
  bucket?: Resolution;
}

const DEFAULT_SPAN_MS = 24 * 3_600_000;

/**
 * The schema guarantees `from`/`to` read as times (the pattern in schemas/api/common/time.json is what parseTime
 * reads). Without `to` the range ends now, without `from` it starts a day before `to`: a dashboard's first call
 * needs no parameters. The order of the two is the one rule a schema cannot state.
 */
function rangeOf(q: Range, now = Date.now()): RangeQuery {
  const to = q.to === undefined ? now : parseTime(q.to);
  const from = q.from === undefined ? (to ?? now) - DEFAULT_SPAN_MS : parseTime(q.from);
  if (from === undefined || to === undefined) {
    throw new AppError('validation_failed', 'the analytics query is invalid', { errors: [{ path: from === undefined ? '/query/from' : '/query/to', message: 'must be a timestamp such as 2026-11-01T00:00Z' }] });
  }
  if (from > to) throw new AppError('validation_failed', 'from must not be after to', { errors: [{ path: '/query/to', message: 'must not be before from' }] });
  return { from, to, bucket: q.bucket ?? 'hour' };
}

export function analyticsResource(store: AnalyticsStore): ApiResource {
  const common = { tag: 'analytics', roles: access.analyze, errors: ['range_too_large' as const] };
  return {
    tag: 'analytics',
    description: 'Reports folded from rollups (never from raw executions or attempts): series per bucket, totals and per-dimension tables.',
    routes: [
      route<Record<string, never>, Range & { agent?: string; team?: string }>({
        ...common,
        method: 'get',
        path: '/analytics/agents',
        operationId: 'agentAnalytics',
        summary: 'Executions per agent: counts, success rate, durations, top errors',
        query: 'api/analytics/agents-query',
        responses: { 200: 'api/analytics/agents-report' },
        handler: async ({ query }) => ({ body: await agentAnalytics(store, { ...rangeOf(query), agent: query.agent, team: query.team }) }),
      }),
      route<Record<string, never>, Range & { team?: string }>({
        ...common,
        method: 'get',
        path: '/analytics/teams',
        operationId: 'teamAnalytics',
        summary: 'Executions per team',
        query: 'api/analytics/teams-query',
        responses: { 200: 'api/analytics/teams-report' },
        handler: async ({ query }) => ({ body: await teamAnalytics(store, { ...rangeOf(query), team: query.team }) }),
      }),
      route<Record<string, never>, Range & { source?: string }>({
        ...common,
        method: 'get',
        path: '/analytics/ingest',
        operationId: 'ingestAnalytics',
        summary: 'Webhooks accepted and rejected per source, type and rejection code',
        query: 'api/analytics/ingest-query',
        responses: { 200: 'api/analytics/ingest-report' },
        handler: async ({ query }) => ({ body: await ingestAnalytics(store, { ...rangeOf(query), source: query.source }) }),
      }),
      route<Record<string, never>, Range & { subscriptionId?: string }>({
        ...common,
        method: 'get',
        path: '/analytics/deliveries',
        operationId: 'deliveryAnalytics',
        summary: 'Delivery attempts per subscription, latencies, status codes, and the subscriptions failing now',
        query: 'api/analytics/deliveries-query',
        responses: { 200: 'api/analytics/deliveries-report' },
        handler: async ({ query }) => ({ body: await deliveryAnalytics(store, { ...rangeOf(query), subscriptionId: query.subscriptionId }) }),
      }),
    ],
  };
}
