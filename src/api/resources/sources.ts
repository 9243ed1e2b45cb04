import type { HubContext } from '../../app/context';
import type { SourceConfig } from '../../config/types';
import { sourceProblems, topicOfSource, type SourcesRepository, type SourceOrigin, type StoredSource } from '../../ingest';
import { AppError } from '../../platform/errors';
import { API_SOURCE_ID } from '../domain/agent-runs';
import { decodeIdCursor, toIdPage } from '../framework/id-cursor';
import { access, route, type ApiResource, type Principal } from '../framework/route';


interface IdParams {
  id: string;
}
interface ListQuery {
  limit?: number;
  cursor?: string;
  enabled?: boolean;
  origin?: SourceOrigin;
}
type UpdateBody = Partial<Omit<SourceConfig, 'id'>>;

/** Only how many secrets there are and the last 4 characters of each: enough to tell which one is live. */
export function maskSource(ctx: HubContext, s: StoredSource): Record<string, unknown> {
  const { secrets, ...verification } = s.verification;
  const { origin, createdAt, updatedAt, version, verification: _v, ...rest } = s;
  return {
    ...rest,
    enabled: s.enabled !== false,
    verification: { ...verification, secretCount: secrets?.length ?? 0, secretHints: (secrets ?? []).map((x) => `…${x.slice(-4)}`) },
    topic: topicOfSource(ctx, s),
    url: `/webhooks/${s.id}`,
    origin,
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
    version,
  };
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Through the API a source's own `topic` must stay among the inbound topics (`<prefix>.in.*`, not the API's own
 * `<prefix>.in.api`): anything else would let webhook senders write into results, DLQs or other systems' topics.
 * The same pattern is published in the OpenAPI document (schemas/api/sources/topic.json, specialised per hub).
 */
export function sourceTopicPattern(ctx: HubContext): string {
  return `^${escapeRegex(ctx.topics.inbound(''))}(?!${escapeRegex(API_SOURCE_ID)}$)[A-Za-z0-9._-]+$`;
}

function topicProblems(ctx: HubContext, source: SourceConfig): { path: string; message: string }[] {
  if (source.topic === undefined || new RegExp(sourceTopicPattern(ctx), 'u').test(source.topic)) return [];
  return [{ path: '/topic', message: `must start with ${ctx.topics.inbound('')} (and not be ${ctx.topics.inbound(API_SOURCE_ID)})` }];
}

function assertUsable(ctx: HubContext, source: SourceConfig): void {
  const problems = [...sourceProblems(source, ctx.schemas), ...topicProblems(ctx, source)];
  if (problems.length > 0) throw new AppError('validation_failed', 'the source could not verify or route any request', { errors: problems.map((p) => ({ path: `/body${p.path}`, message: p.message })) });
}

/** Only an admin may leave a source open to unsigned requests (anyone who reaches it could then publish). */
function assertMayWrite(source: SourceConfig, principal: Principal | undefined): void {
  if (source.verification.scheme === 'none' && principal?.role !== 'admin') {
    throw new AppError('forbidden', `source ${source.id} would accept unsigned requests (scheme none): only the admin role may do that`);
  }
}

function ensureWritten(r: StoredSource | 'not_found' | 'version_mismatch', id: string): StoredSource {
  if (r === 'not_found') throw new AppError('not_found', `no source ${id}`);
  if (r === 'version_mismatch') throw new AppError('precondition_failed', `source ${id} changed since you read it`);
  return r;
}

/** The stored source with `changes` applied; verification without secrets keeps the secrets of the same scheme. */
export function mergeSource(current: StoredSource, changes: UpdateBody): SourceConfig {
  const { origin: _o, createdAt: _c, updatedAt: _u, version: _v, ...config } = current;
  const next: SourceConfig = { ...config, ...changes };
  if (changes.verification && changes.verification.secrets === undefined && changes.verification.scheme === current.verification.scheme && current.verification.secrets) {
    next.verification = { ...changes.verification, secrets: current.verification.secrets };
  }
  return next;
}

/**
 * Webhook sources. Writes go to the `sources` collection that ingest reads through its cache; a change applies
 * to every webhook received after it was answered, in every process (docs/guides/consistency.md). Config-file
 * sources can be edited here, but the file wins again at the next boot.
 */
export function sourcesResource(ctx: HubContext, sources: SourcesRepository): ApiResource {
  const get = async (id: string): Promise<StoredSource> => {
    const s = await sources.get(id);
    if (!s) throw new AppError('not_found', `no source ${id}`);
    return s;
  };
  const setEnabled = async (id: string, enabled: boolean, ifMatch: number | undefined, principal: Principal | undefined) => {
    const current = await get(id);
    if (enabled) assertMayWrite(current, principal);
    const s = ensureWritten(await sources.replace({ ...mergeSource(current, {}), enabled }, ifMatch ?? current.version), id);
    return { body: maskSource(ctx, s), etag: s.version };
  };
  return {
    tag: 'sources',
    description: 'Webhook sources (`POST /webhooks/{id}`): verification, event type, keys. Secrets are write-only.',
    routes: [
      route<Record<string, never>, ListQuery>({
        method: 'get',
        path: '/sources',
        operationId: 'listSources',
        summary: 'List sources in id order',
        tag: 'sources',
        roles: access.read,
        query: 'api/sources/list-query',
        responses: { 200: 'api/sources/list' },
        handler: async ({ query }) => {
          const rows = await sources.page({ afterId: decodeIdCursor(query.cursor), limit: query.limit ?? 50, enabled: query.enabled, origin: query.origin });
          return { body: toIdPage(rows, query.limit, (s) => s.id, (s) => maskSource(ctx, s)) };
        },
      }),
      route<IdParams>({
        method: 'get',
        path: '/sources/:id',
        operationId: 'getSource',
        summary: 'Get a source (secrets masked)',
        tag: 'sources',
        roles: access.read,
        params: 'api/sources/id-params',
        responses: { 200: 'api/sources/source' },
        etag: true,
        handler: async ({ params }) => {
          const s = await get(params.id);
          return { body: maskSource(ctx, s), etag: s.version };
        },
      }),
      route<Record<string, never>, Record<string, never>, SourceConfig>({
        method: 'post',
        path: '/sources',
        operationId: 'createSource',
        summary: 'Create a source; webhooks to /webhooks/{id} are accepted within the ingest cache time',
        description: 'An unsigned source (`verification.scheme: none`, which also needs `allowUnsigned: true`) may be created, changed or enabled by the admin role only. `agents` lists the agents its `agent.task.requested` events may run (default none).',
        tag: 'sources',
        roles: access.operate,
        body: 'api/sources/create-request',
        responses: { 201: 'api/sources/source' },
        errors: ['already_exists'],
        etag: true,
        handler: async ({ body, principal }) => {
          if (body.id === API_SOURCE_ID) throw new AppError('validation_failed', `source id ${API_SOURCE_ID} is reserved`, { errors: [{ path: '/body/id', message: 'is reserved' }] });
          assertUsable(ctx, body);
          assertMayWrite(body, principal);
          const s = await sources.insert(body, 'api');
          if (s === 'exists') throw new AppError('already_exists', `source ${body.id} already exists`);
          await ctx.kafka.ensureTopics([topicOfSource(ctx, s)]);
          return { status: 201, body: maskSource(ctx, s), etag: s.version, headers: { Location: `/api/v1/sources/${s.id}` } };
        },
      }),
      route<IdParams, Record<string, never>, UpdateBody>({
        method: 'patch',
        path: '/sources/:id',
        operationId: 'updateSource',
        summary: 'Change a source (honours If-Match)',
        tag: 'sources',
        roles: access.operate,
        params: 'api/sources/id-params',
        body: 'api/sources/update-request',
        responses: { 200: 'api/sources/source' },
        ifMatch: true,
        etag: true,
        handler: async ({ params, body, ifMatch, principal }) => {
          const current = await get(params.id);
          if (ifMatch !== undefined && ifMatch !== current.version) throw new AppError('precondition_failed', `source ${params.id} changed since you read it`);
          const next = mergeSource(current, body);
          assertUsable(ctx, next);
          assertMayWrite(next, principal);
          const s = ensureWritten(await sources.replace(next, current.version), params.id);
          if (s.topic !== current.topic) await ctx.kafka.ensureTopics([topicOfSource(ctx, s)]);
          return { body: maskSource(ctx, s), etag: s.version };
        },
      }),
      route<IdParams>({
        method: 'post',
        path: '/sources/:id/enable',
        operationId: 'enableSource',
        summary: 'Enable a source (honours If-Match)',
        tag: 'sources',
        roles: access.operate,
        params: 'api/sources/id-params',
        responses: { 200: 'api/sources/source' },
        ifMatch: true,
        etag: true,
        handler: ({ params, ifMatch, principal }) => setEnabled(params.id, true, ifMatch, principal),
      }),
      route<IdParams>({
        method: 'post',
        path: '/sources/:id/disable',
        operationId: 'disableSource',
        summary: 'Disable a source: its webhooks are answered 404 source_unknown (honours If-Match)',
        tag: 'sources',
        roles: access.operate,
        params: 'api/sources/id-params',
        responses: { 200: 'api/sources/source' },
        ifMatch: true,
        etag: true,
        handler: ({ params, ifMatch, principal }) => setEnabled(params.id, false, ifMatch, principal),
      }),
      route<IdParams>({
        method: 'delete',
        path: '/sources/:id',
        operationId: 'deleteSource',
        summary: 'Delete a source (its archived events stay; a config-file source comes back at the next boot)',
        tag: 'sources',
        roles: access.operate,
        params: 'api/sources/id-params',
        responses: { 204: null },
        handler: async ({ params }) => {
          if (!(await sources.delete(params.id))) throw new AppError('not_found', `no source ${params.id}`);
          return { status: 204 };
        },
      }),
    ],
  };
}
