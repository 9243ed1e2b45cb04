import type { DocumentsRepository, ExecutionsRepository, AgentStatusRepository, Execution, ExecutionStatus } from '../../agents';
import { AppError } from '../../platform/errors';
import { access, route, type ApiResource } from '../framework/route';
import { executionView } from './views';

interface IdParams {
  id: string;
}
interface ListQuery {
  limit?: number;
  cursor?: string;
  agent?: string;
  team?: string;
  status?: ExecutionStatus;
  eventId?: string;
  from?: string;
  to?: string;
}

export interface ExecutionsDeps {
  executions: ExecutionsRepository;
  documents: DocumentsRepository;
  status: AgentStatusRepository;
}

/**
 * Agent executions. The signed async result callback `POST /api/v1/executions/{id}/result` is served next to
 * this API by the agents component (Standard Webhooks signature with the agent's runner secret, no API key),
 * so it is described in the tag rather than listed as a bearer-authenticated operation.
 */
export function executionsResource({ executions, documents, status }: ExecutionsDeps): ApiResource {
  const get = async (id: string): Promise<Execution> => {
    const e = await executions.get(id);
    if (!e) throw new AppError('not_found', `no execution ${id}`);
    return e;
  };
  return {
    tag: 'executions',
    description:
      'Agent executions: one per (event, agent). An http agent that answered 202 reports its result with `POST /api/v1/executions/{id}/result`, signed with Standard Webhooks headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`) made with its runner secret, `webhook-id` = the execution id (else 401 `callback_mismatch`), no API key; body per schemas/agents/result-callback.json; answers 202, 409 when the execution already finished.',
    routes: [
      route<Record<string, never>, ListQuery>({
        method: 'get',
        path: '/executions',
        operationId: 'listExecutions',
        summary: 'List executions, newest first, by agent, team, status, event and time range',
        tag: 'executions',
        roles: access.read,
        query: 'api/executions/list-query',
        responses: { 200: 'api/executions/list' },
        handler: async ({ query }) => {
          const page = await executions.page({ ...query, from: query.from ? new Date(query.from) : undefined, to: query.to ? new Date(query.to) : undefined });
          return { body: { items: page.items.map((e) => executionView(e)), nextCursor: page.nextCursor } };
        },
      }),
      route<IdParams>({
        method: 'get',
        path: '/executions/:id',
        operationId: 'getExecution',
        summary: 'Get an execution with the documents it produced',
        tag: 'executions',
        roles: access.read,
        params: 'api/executions/id-params',
        responses: { 200: 'api/executions/execution' },
        handler: async ({ params }) => {
          const e = await get(params.id);
          return { body: executionView(e, await documents.byIds(e.documents.map((d) => d.id))) };
        },
      }),
      route<IdParams>({
        method: 'post',
        path: '/executions/:id/cancel',
        operationId: 'cancelExecution',
        summary: 'Cancel a queued or running execution',
        description:
          'The execution becomes `cancelled` at once and no result is published for it. A runner already running is not interrupted (it may run on another process); when it ends, the agents stage sees the cancellation and keeps it (its result is dropped). Cancelling a finished execution is 409 `conflict`.',
        tag: 'executions',
        roles: access.operate,
        params: 'api/executions/id-params',
        responses: { 200: 'api/executions/summary' },
        errors: ['conflict'],
        handler: async ({ params, principal }) => {
          const e = await get(params.id);
          const was = await executions.cancelFrom(e.id, `cancelled through the API by ${principal?.keyId ?? 'unknown'}`);
          if (!was) throw new AppError('conflict', `execution ${e.id} is already ${(await get(e.id)).status}`);
          await status.apply([{ agent: e.agent, runningDelta: was === 'running' ? -1 : 0, outcome: 'cancelled', executionId: e.id }]);
          return { body: executionView(await get(e.id)) };
        },
      }),
    ],
  };
}
