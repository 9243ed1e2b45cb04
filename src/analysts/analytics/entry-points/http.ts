import { Router, type Request } from 'express';
import { AppError } from '../../../platform/errors';
import type { SchemaRegistry } from '../../../platform/schemas';
import { assertValid } from '../../replay/entry-points/http';
import { parseTime } from '../../replay/domain/jobs';
import type { AnalyticsStore } from '../data-access/rollups';
import type { Resolution } from '../domain/buckets';
import type { RangeQuery } from '../domain/report';
import { agentAnalytics, deliveryAnalytics, ingestAnalytics, teamAnalytics } from '../queries';

function rangeOf(req: Request, schemas: SchemaRegistry, schema: string): RangeQuery & Record<string, string | number | undefined> {
  const q = { ...req.query } as Record<string, string>;
  assertValid(schemas, schema, q);
  const from = parseTime(q.from ?? '');
  const to = parseTime(q.to ?? '');
  const errors = [
    ...(from === undefined ? [{ path: '/from', message: 'must be a timestamp such as 2026-11-01T00:00Z' }] : []),
    ...(to === undefined ? [{ path: '/to', message: 'must be a timestamp such as 2026-11-02T00:00Z' }] : []),
  ];
  if (errors.length) throw new AppError('validation_failed', 'the analytics query is invalid', { errors });
  return { ...q, from: from ?? 0, to: to ?? 0, bucket: (q.bucket ?? 'hour') as Resolution };
}

/** /api/v1/analytics/…: thin handlers over the rollup queries (analyst role once the route table wraps them). */
export function analyticsRouter(deps: { store: AnalyticsStore; schemas: SchemaRegistry }): Router {
  const r = Router();
  const { store, schemas } = deps;
  r.get('/api/v1/analytics/agents', async (req, res) => {
    const q = rangeOf(req, schemas, 'api/analytics.agents.query');
    res.json(await agentAnalytics(store, { ...q, agent: q.agent as string | undefined, team: q.team as string | undefined }));
  });
  r.get('/api/v1/analytics/teams', async (req, res) => {
    const q = rangeOf(req, schemas, 'api/analytics.teams.query');
    res.json(await teamAnalytics(store, { ...q, team: q.team as string | undefined }));
  });
  r.get('/api/v1/analytics/ingest', async (req, res) => {
    const q = rangeOf(req, schemas, 'api/analytics.ingest.query');
    res.json(await ingestAnalytics(store, { ...q, source: q.source as string | undefined }));
  });
  r.get('/api/v1/analytics/deliveries', async (req, res) => {
    const q = rangeOf(req, schemas, 'api/analytics.deliveries.query');
    res.json(await deliveryAnalytics(store, { ...q, subscriptionId: q.subscriptionId as string | undefined }));
  });
  return r;
}
