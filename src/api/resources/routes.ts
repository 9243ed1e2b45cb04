import type { AgentsRepository, RoutesRepository, Route } from '../../agents';
import type { RouteConfig } from '../../config/types';
import { AppError } from '../../platform/errors';
import { decodeIdCursor, toIdPage } from '../framework/id-cursor';
import { access, route, type ApiResource } from '../framework/route';
import { routeView } from './views';

interface IdParams {
  id: string;
}
interface ListQuery {
  limit?: number;
  cursor?: string;
  agent?: string;
  source?: string;
  enabled?: boolean;
}
type UpdateBody = Partial<Omit<RouteConfig, 'id'>>;

const configOf = (r: Route): RouteConfig => {
  const { origin: _o, version: _v, updatedAt: _u, ...config } = r;
  return config;
};

/** Routing rules: which events go to which agent (picked up by the agents stage within HOOKHUB_AGENTS_REFRESH_MS). */
export function routesResource(routes: RoutesRepository, agents: AgentsRepository): ApiResource {
  const get = async (id: string): Promise<Route> => {
    const r = await routes.get(id);
    if (!r) throw new AppError('not_found', `no route ${id}`);
    return r;
  };
  const assertAgent = async (name: string): Promise<void> => {
    if (!(await agents.get(name))) throw new AppError('validation_failed', `no agent ${name}`, { errors: [{ path: '/body/agent', message: `no agent named ${name}` }] });
  };
  return {
    tag: 'routes',
    description: 'Routes: events matching a source, an event type pattern and a filter go to an agent.',
    routes: [
      route<Record<string, never>, ListQuery>({
        method: 'get',
        path: '/routes',
        operationId: 'listRoutes',
        summary: 'List routes in id order, by agent, source and enabled',
        tag: 'routes',
        roles: access.read,
        query: 'api/routes/list-query',
        responses: { 200: 'api/routes/list' },
        handler: async ({ query }) => {
          const rows = await routes.page({ afterId: decodeIdCursor(query.cursor), limit: query.limit ?? 50, agent: query.agent, source: query.source, enabled: query.enabled });
          return { body: toIdPage(rows, query.limit, (r) => r.id, routeView) };
        },
      }),
      route<IdParams>({
        method: 'get',
        path: '/routes/:id',
        operationId: 'getRoute',
        summary: 'Get a route',
        tag: 'routes',
        roles: access.read,
        params: 'api/routes/id-params',
        responses: { 200: 'api/routes/route' },
        etag: true,
        handler: async ({ params }) => {
          const r = await get(params.id);
          return { body: routeView(r), etag: r.version };
        },
      }),
      route<Record<string, never>, Record<string, never>, RouteConfig>({
        method: 'post',
        path: '/routes',
        operationId: 'createRoute',
        summary: 'Create a route to an existing agent',
        tag: 'routes',
        roles: access.operate,
        body: 'api/routes/create-request',
        responses: { 201: 'api/routes/route' },
        errors: ['already_exists'],
        etag: true,
        handler: async ({ body }) => {
          await assertAgent(body.agent);
          const r = await routes.insert(body, 'api');
          if (r === 'exists') throw new AppError('already_exists', `route ${body.id} already exists`);
          return { status: 201, body: routeView(r), etag: r.version, headers: { Location: `/api/v1/routes/${r.id}` } };
        },
      }),
      route<IdParams, Record<string, never>, UpdateBody>({
        method: 'patch',
        path: '/routes/:id',
        operationId: 'updateRoute',
        summary: 'Change a route (honours If-Match)',
        tag: 'routes',
        roles: access.operate,
        params: 'api/routes/id-params',
        body: 'api/routes/update-request',
        responses: { 200: 'api/routes/route' },
        ifMatch: true,
        etag: true,
        handler: async ({ params, body, ifMatch }) => {
          const current = await get(params.id);
          if (body.agent !== undefined) await assertAgent(body.agent);
          const r = await routes.replace({ ...configOf(current), ...body, id: current.id }, 'api', ifMatch ?? current.version);
          if (r === 'not_found') throw new AppError('not_found', `no route ${params.id}`);
          if (r === 'version_mismatch') throw new AppError('precondition_failed', `route ${params.id} changed since you read it`);
          return { body: routeView(r), etag: r.version };
        },
      }),
      route<IdParams>({
        method: 'delete',
        path: '/routes/:id',
        operationId: 'deleteRoute',
        summary: 'Delete a route (a config-file route comes back at the next boot)',
        tag: 'routes',
        roles: access.operate,
        params: 'api/routes/id-params',
        responses: { 204: null },
        handler: async ({ params }) => {
          if (!(await routes.delete(params.id))) throw new AppError('not_found', `no route ${params.id}`);
          return { status: 204 };
        },
      }),
    ],
  };
}
