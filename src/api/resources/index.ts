/**
 * The API's resources. To add one: write `src/api/resources/<name>.ts` exporting a factory that returns an
 * `ApiResource` (routes built with `route()`), put its schemas in `schemas/api/<name>/`, give the factory what
 * it needs through `ApiDeps`, and list it below. Routing, validation, auth, OpenAPI, the auth-matrix and the
 * conformance tests pick it up from here.
 */
import type { HubContext } from '../../app/context';
import { MongoKeyStore } from '../data-access/keys-repository';
import type { KeyStore } from '../domain/keys';
import { buildOpenApi } from '../framework/openapi';
import type { ApiResource } from '../framework/route';
import type { JsonSchema } from '../framework/schema-refs';
import { keysResource } from './keys';
import { metaResource } from './meta';

export interface ApiDeps {
  ctx: HubContext;
  keys: KeyStore & { init(): Promise<void> };
}

export function createApiDeps(ctx: HubContext): ApiDeps {
  return { ctx, keys: new MongoKeyStore(ctx.mongo) };
}

export interface ApiDefinition {
  resources: ApiResource[];
  openApi: JsonSchema;
}

export function defineApi(deps: ApiDeps): ApiDefinition {
  let openApi: JsonSchema = {};
  const resources: ApiResource[] = [metaResource(() => openApi), keysResource(deps.keys)];
  openApi = buildOpenApi(deps.ctx.schemas, resources);
  return { resources, openApi };
}
