/**
 * The OpenAPI 3.1 document, derived from the route table and the very schema files the validator uses.
 * Every schema file an operation names (and every file those `$ref`) becomes `components/schemas/<a.b.c>`
 * (path with dots), with its `$ref`s rewritten to point there, so the document is self-contained.
 */
import fs from 'node:fs';
import path from 'node:path';
import { catalogue, type ErrorCode } from '../../platform/errors';
import { packageRoot } from '../../platform/paths';
import type { SchemaRegistry } from '../../platform/schemas';
import { ETAG_PATTERN, IF_MATCH_PATTERN } from './etag';
import { pathParamNames, toOpenApiPath, type AnyRoute, type ApiResource } from './route';
import { deref, requireSchema, resolveRef, schemaFile, type JsonSchema } from './schema-refs';

export const PROBLEM_SCHEMA = 'api/common/problem';

export const componentName = (file: string): string => schemaFile(file).replace(/\.json$/, '').split('/').join('.').replace(/[^A-Za-z0-9._-]/g, '_');
const componentRef = (file: string, pointer = ''): string => `#/components/schemas/${componentName(file)}${pointer}`;

class Components {
  readonly schemas: Record<string, JsonSchema> = {};
  private readonly pending: string[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly registry: SchemaRegistry) {}

  /** A `$ref` to the component for `file`, adding it (and what it references) to the document. */
  ref(file: string, pointer = ''): JsonSchema {
    this.add(schemaFile(file));
    return { $ref: componentRef(file, pointer) };
  }

  add(file: string): void {
    if (this.seen.has(file)) return;
    this.seen.add(file);
    this.pending.push(file);
  }

  /** Copies every file referenced so far (and what those reference) into the components. */
  flush(): void {
    while (this.pending.length > 0) {
      const next = this.pending.shift() as string;
      const { $id: _id, $schema: _s, ...doc } = requireSchema(this.registry, next);
      this.schemas[componentName(next)] = this.rewrite(doc, next) as JsonSchema;
    }
  }

  /** Deep copy of `value` with every `$ref` turned into a components reference. */
  rewrite(value: unknown, from: string): unknown {
    if (Array.isArray(value)) return value.map((v) => this.rewrite(v, from));
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') {
        const target = resolveRef(from, v);
        this.add(target.file);
        out.$ref = componentRef(target.file, target.pointer);
      } else {
        out[k] = this.rewrite(v, from);
      }
    }
    return out;
  }
}

/** Which error statuses an operation can answer, with the codes behind each. */
export function errorCodesOf(route: AnyRoute): Map<number, ErrorCode[]> {
  const codes: ErrorCode[] = ['validation_failed', 'internal'];
  if (route.roles !== 'public') codes.push('unauthorized', 'forbidden', 'rate_limited');
  if (route.body) codes.push('json_malformed', 'payload_too_large', 'unsupported_media_type');
  if (pathParamNames(route.path).length > 0) codes.push('not_found');
  if (route.ifMatch) codes.push('precondition_failed');
  codes.push(...(route.errors ?? []));
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = catalogue[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return byStatus;
}

function parameters(registry: SchemaRegistry, components: Components, name: string, where: 'path' | 'query'): JsonSchema[] {
  const { file, schema } = deref(registry, schemaFile(name), requireSchema(registry, name));
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>).map(([param, prop]) => {
    const rewritten = components.rewrite(prop, file) as JsonSchema;
    const { description, ...rest } = rewritten;
    return {
      name: param,
      in: where,
      required: where === 'path' || required.has(param),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

function operation(registry: SchemaRegistry, components: Components, route: AnyRoute): JsonSchema {
  const params: JsonSchema[] = [];
  if (route.params) params.push(...parameters(registry, components, route.params, 'path'));
  if (route.query) params.push(...parameters(registry, components, route.query, 'query'));
  if (route.ifMatch) {
    params.push({
      name: 'If-Match',
      in: 'header',
      required: false,
      description: 'ETag from a previous read (`"<version>"`, optionally `W/`-prefixed) or `*`: the change applies only if the object has not changed since (otherwise 412). Without it the change is unconditional.',
      schema: { type: 'string', pattern: IF_MATCH_PATTERN, examples: ['"1"'] },
    });
  }
  const etagHeader = { ETag: { description: 'Version of the object, for If-Match', schema: { type: 'string', pattern: ETAG_PATTERN } } };
  const responses: Record<string, JsonSchema> = {};
  for (const [status, schema] of Object.entries(route.responses)) {
    responses[status] = {
      description: Number(status) < 300 ? 'Success' : 'Response',
      ...(route.etag && Number(status) < 300 && schema ? { headers: etagHeader } : {}),
      ...(schema ? { content: { [Number(status) < 300 ? (route.produces ?? 'application/json') : 'application/json']: { schema: components.ref(schema) } } } : {}),
    };
  }
  for (const [status, codes] of errorCodesOf(route)) {
    responses[String(status)] = {
      description: codes.map((c) => `\`${c}\`: ${catalogue[c].title}`).join('; '),
      ...(status === 429 ? { headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } } } : {}),
      ...(status === 401 ? { headers: { 'WWW-Authenticate': { description: 'The scheme to use: `Bearer realm="hookhub"`', schema: { type: 'string' } } } } : {}),
      content: { 'application/problem+json': { schema: components.ref(PROBLEM_SCHEMA) } },
    };
  }
  // Parameters are published one by one, so rules about several of them (a default range, an order between
  // two) that the query schema states in its description go into the operation's.
  const queryRules = route.query ? requireSchema(registry, route.query).description : undefined;
  const description = [route.description, typeof queryRules === 'string' ? queryRules : undefined].filter(Boolean).join('\n\n');
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(description ? { description } : {}),
    tags: [route.tag],
    ...(route.roles === 'public' ? { security: [] } : { 'x-hookhub-roles': [...route.roles] }),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: components.ref(route.body) } } } } : {}),
    responses,
  };
}

function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/**
 * `specialise` replaces keywords of named schemas in the document with what this hub enforces beyond the file
 * (a pattern built from its topic prefix), so the served document states the rule its handlers check.
 */
export function buildOpenApi(registry: SchemaRegistry, resources: ApiResource[], specialise: Record<string, JsonSchema> = {}): JsonSchema {
  const components = new Components(registry);
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const resource of resources) {
    for (const r of resource.routes) {
      const p = toOpenApiPath(r.path);
      paths[p] ??= {};
      paths[p][r.method] = operation(registry, components, r);
    }
  }
  components.add(schemaFile(PROBLEM_SCHEMA));
  components.flush();
  for (const [name, keywords] of Object.entries(specialise)) {
    const target = components.schemas[componentName(name)];
    if (target) Object.assign(target, keywords);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'hookhub Management API',
      version: packageVersion(),
      description: 'Manage hookhub: API keys and the objects of the hub. Authenticate with `Authorization: Bearer hh_…`; errors are RFC 9457 problem+json with a stable `code`. Each operation lists the roles that may call it in `x-hookhub-roles`.',
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    servers: [{ url: '/api/v1' }],
    security: [{ bearerAuth: [] }],
    tags: resources.map((r) => ({ name: r.tag, description: r.description })),
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'hh_<43 base64url characters>', description: 'An API key made with `hookhub keys create` or `POST /keys`.' } },
      schemas: components.schemas,
    },
  };
}
