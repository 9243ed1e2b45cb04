/**
 * The API's resources. Adding one (say `sources`, served by a repository another component exports):
 *  1. Schemas in `schemas/api/sources/`: `id-params.json`, `list-query.json` (with `limit`/`cursor` as
 *     `$ref: "../common/page.json#/$defs/limit"` etc.), `create-request.json` / `update-request.json`
 *     (`additionalProperties: false`; they may `$ref` `../../config/source.json`), `source.json` and `list.json`
 *     for responses. Every file under schemas/ is compiled at boot and referenced by name (`api/sources/list`).
 *  2. `src/api/resources/sources.ts` exporting `sourcesResource(deps): ApiResource`: one `route<Params, Query,
 *     Body>({...})` per operation with `roles` from `access` (admin / operate / read / analyze / public), thin
 *     handlers (typed input → use case or repository → `{status, body, etag}`), errors as `AppError`s. Lists
 *     use `filter()` (platform/query-filter) and `cursorFilter`/`toPage` (platform/pagination); updates take
 *     `ifMatch` and return `etag: record.version`.
 *  3. Add what the factory needs to `ApiDeps`/`createApiDeps` and list the resource in `defineApi` below.
 *  4. Tests: the auth matrix and the OpenAPI validity check cover the new routes by themselves; write
 *     `test/integration/api-sources.test.ts` with `apiClient(hub, conformance)` from test/support/api.ts and end
 *     it with `expect(conformance.uncovered('sources')).toEqual([])` and `expect(conformance.failures).toEqual([])`.
 * The route table is checked at boot (unknown schema names, params that do not match the path, duplicates).
 */
import type { HubContext } from '../../app/context';
import { MongoKeyStore } from '../data-access/keys-repository';
import type { KeyStore } from '../domain/keys';
import { buildOpenApi } from '../framework/openapi';
import type { ApiResource } from '../framework/route';
import type { JsonSchema } from '../framework/schema-refs';
import { AnalyticsStore, ReplayRepository } from '../../analysts';
import { createDeliveryOperations, type DeliveryOperations } from '../../delivery';
import { analyticsResource } from './analytics';
import { consumersResource } from './consumer-groups';
import { deliveriesResource } from './deliveries';
import { keysResource } from './keys';
import { metaResource } from './meta';
import { sourceTopicPattern, sourcesResource } from './sources';
import { EventsRepository, SourcesRepository } from '../../ingest';
import { eventsResource } from './events';
import { agentsResource } from './agents';
import { executionsResource } from './executions';
import { documentsResource } from './documents';
import { routesResource } from './routes';
import { DocumentsRepository, ExecutionsRepository, AgentsRepository, RoutesRepository, AgentStatusRepository } from '../../agents';
import { replaysResource } from './replays';
import { subscriptionsResource } from './subscriptions';

export interface ApiDeps {
  ctx: HubContext;
  keys: KeyStore & { init(): Promise<void> };
  sources: SourcesRepository;
  events: EventsRepository;
  agents: AgentsRepository;
  routes: RoutesRepository;
  status: AgentStatusRepository;
  executions: ExecutionsRepository;
  documents: DocumentsRepository;
  delivery: DeliveryOperations;
  replays: ReplayRepository;
  analytics: AnalyticsStore;
}

export function createApiDeps(ctx: HubContext): ApiDeps {
  return {
    ctx,
    keys: new MongoKeyStore(ctx.mongo),
    sources: new SourcesRepository(ctx.mongo, { cacheMs: ctx.env.sourcesCacheMs }),
    events: new EventsRepository(ctx.mongo),
    agents: new AgentsRepository(ctx.mongo),
    routes: new RoutesRepository(ctx.mongo),
    status: new AgentStatusRepository(ctx.mongo),
    executions: new ExecutionsRepository(ctx.mongo),
    documents: new DocumentsRepository(ctx.mongo),
    delivery: createDeliveryOperations({ mongo: ctx.mongo, schemas: ctx.schemas, env: ctx.env }),
    replays: new ReplayRepository(ctx.mongo),
    analytics: new AnalyticsStore(ctx.mongo),
  };
}

export interface ApiDefinition {
  resources: ApiResource[];
  openApi: JsonSchema;
}

export function defineApi(deps: ApiDeps): ApiDefinition {
  let openApi: JsonSchema = {};
  const resources: ApiResource[] = [
    metaResource(() => openApi),
    keysResource(deps.keys),
    sourcesResource(deps.ctx, deps.sources),
    eventsResource(deps.events),
    agentsResource({ ctx: deps.ctx, agents: deps.agents, status: deps.status, executions: deps.executions }),
    executionsResource({ executions: deps.executions, documents: deps.documents, status: deps.status }),
    documentsResource(deps.documents),
    routesResource(deps.routes, deps.agents),
  ];
  resources.push(subscriptionsResource(deps.delivery));
  resources.push(deliveriesResource(deps.delivery));
  resources.push(replaysResource({ repo: deps.replays, topics: deps.ctx.topics, maxRate: deps.ctx.env.replayRate }));
  resources.push(analyticsResource(deps.analytics));
  resources.push(consumersResource(deps.ctx));
  openApi = buildOpenApi(deps.ctx.schemas, resources, {
    'api/sources/topic': { pattern: sourceTopicPattern(deps.ctx) },
  });
  return { resources, openApi };
}
