import fs from 'node:fs';
import express, { Router } from 'express';
import { AppError } from '../../../platform/errors';
import type { SchemaRegistry } from '../../../platform/schemas';
import type { ReplayRepository, ReplayStatus } from '../data-access/replay-repository';
import { cancelReplay, createReplay, getReplay, listReplays, replayExportFile, type ReplayJobDeps, type ReplayRequest } from '../domain/jobs';

export function assertValid(schemas: SchemaRegistry, schema: string, value: unknown): void {
  const errors = schemas.validate(schema, value);
  if (errors.length) throw new AppError('validation_failed', `request does not match ${schema}`, { errors });
}

/**
 * /api/v1/replays: thin handlers (validate → use case → map). Authentication and roles (analyst or operator)
 * come from the API route table when the routes are registered there.
 */
export function replayRouter(deps: ReplayJobDeps & { schemas: SchemaRegistry; repo: ReplayRepository }): Router {
  const r = Router();
  r.post('/api/v1/replays', express.json({ limit: '64kb' }), async (req, res) => {
    assertValid(deps.schemas, 'api/replay.create', req.body);
    const job = await createReplay(deps, req.body as ReplayRequest);
    res.status(202).location(`/api/v1/replays/${job.id}`).json(job);
  });
  r.get('/api/v1/replays', async (req, res) => {
    assertValid(deps.schemas, 'api/replay.list', { ...req.query });
    const limit = req.query.limit ? Number(req.query.limit) : undefined;
    res.json({ items: await listReplays(deps.repo, { ...(req.query.status ? { status: req.query.status as ReplayStatus } : {}), ...(limit ? { limit } : {}) }) });
  });
  r.get('/api/v1/replays/:id', async (req, res) => {
    res.json(await getReplay(deps.repo, req.params.id));
  });
  r.delete('/api/v1/replays/:id', async (req, res) => {
    res.status(202).json(await cancelReplay(deps.repo, req.params.id));
  });
  r.get('/api/v1/replays/:id/export', async (req, res) => {
    const file = await replayExportFile(deps.repo, req.params.id);
    if (!fs.existsSync(file.path)) throw new AppError('export_unavailable', 'the export file is not on this server');
    res.type('application/x-ndjson').setHeader('X-Replay-Status', file.status);
    // Only the checkpointed bytes: a running job's file may hold a partial tail beyond them.
    if (file.bytes === 0) res.end();
    else fs.createReadStream(file.path, { start: 0, end: file.bytes - 1 }).pipe(res);
  });
  return r;
}
