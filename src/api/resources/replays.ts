import fs from 'node:fs';
import { cancelReplay, createReplay, getReplay, listReplays, replayExportFile, type ReplayRepository, type ReplayStatus, type ReplayJobDeps, type ReplayRequest } from '../../analysts';
import { AppError } from '../../platform/errors';
import { access, route, type ApiResource } from '../framework/route';

interface IdParams {
  id: string;
}

export function replaysResource(deps: ReplayJobDeps & { repo: ReplayRepository }): ApiResource {
  return {
    tag: 'replays',
    description: 'Replay jobs: read a source or topic over a time range again, to export it as NDJSON, redeliver it to a subscription or reprocess it through the agents.',
    routes: [
      route<Record<string, never>, Record<string, never>, ReplayRequest>({
        method: 'post',
        path: '/replays',
        operationId: 'createReplay',
        summary: 'Queue a replay job (at most HOOKHUB_REPLAY_RATE events/s); analysts may export, redeliver and reprocess need an operator',
        tag: 'replays',
        roles: access.replay,
        body: 'api/replays/create-request',
        responses: { 202: 'api/replays/replay' },
        errors: ['replay_topic_forbidden'],
        handler: async ({ body, principal }) => {
          const job = await createReplay(deps, body, principal?.keyId, principal?.role);
          return { status: 202, body: job, headers: { Location: `/api/v1/replays/${job.id}` } };
        },
      }),
      route<Record<string, never>, { status?: ReplayStatus; limit?: number }>({
        method: 'get',
        path: '/replays',
        operationId: 'listReplays',
        summary: 'List replay jobs, newest first',
        tag: 'replays',
        roles: access.replay,
        query: 'api/replays/list-query',
        responses: { 200: 'api/replays/list' },
        handler: async ({ query }) => ({ body: { items: await listReplays(deps.repo, query) } }),
      }),
      route<IdParams>({
        method: 'get',
        path: '/replays/:id',
        operationId: 'getReplay',
        summary: 'Get a replay job and its progress',
        tag: 'replays',
        roles: access.replay,
        params: 'api/replays/id-params',
        responses: { 200: 'api/replays/replay' },
        handler: async ({ params }) => ({ body: await getReplay(deps.repo, params.id) }),
      }),
      route<IdParams>({
        method: 'delete',
        path: '/replays/:id',
        operationId: 'cancelReplay',
        summary: 'Cancel a replay job (a queued one at once; a running one stops within a second)',
        tag: 'replays',
        roles: access.replay,
        params: 'api/replays/id-params',
        responses: { 202: 'api/replays/replay' },
        errors: ['replay_finished'],
        handler: async ({ params }) => ({ status: 202, body: await cancelReplay(deps.repo, params.id) }),
      }),
      route<IdParams>({
        method: 'get',
        path: '/replays/:id/export',
        operationId: 'exportReplay',
        summary: 'Stream the NDJSON of an export job, as far as it has checkpointed',
        tag: 'replays',
        roles: access.replay,
        params: 'api/replays/id-params',
        produces: 'application/x-ndjson',
        responses: { 200: 'api/replays/export' },
        errors: ['export_unavailable'],
        handler: async ({ params }) => {
          const file = await replayExportFile(deps.repo, params.id);
          if (!fs.existsSync(file.path)) throw new AppError('export_unavailable', 'the export file is not on this server');
          // Only the checkpointed bytes: a running job's file may hold a partial tail beyond them.
          const stream = file.bytes === 0 ? undefined : fs.createReadStream(file.path, { start: 0, end: file.bytes - 1 });
          return { headers: { 'X-Replay-Status': file.status }, ...(stream ? { stream } : {}) };
        },
      }),
    ],
  };
}
