import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Hub } from '../../src/app/hub';
import { MongoKeyStore } from '../../src/api/data-access/keys-repository';
import { createKey } from '../../src/api/domain/keys';
import type { ApiRole } from '../../src/api/framework/route';

const DOC_ID = 'https://hookhub.test/openapi.json';

type Json = Record<string, unknown>;

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  contentType: string;
}

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  operationId: string;
  tags: string[];
  roles: string[] | 'public';
  responses: Record<string, { content?: Record<string, { schema?: Json }> }>;
}

/**
 * Checks real responses against the served OpenAPI document: the status must be declared for the operation,
 * the content type must be one it declares, and the body must validate against the declared schema. It also
 * remembers which operations answered with a success, so a test file can assert it exercised all of its tag.
 */
export class OpenApiConformance {
  readonly operations: Operation[] = [];
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  readonly succeeded = new Set<string>();
  readonly failures: string[] = [];

  constructor(readonly doc: Json) {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: DOC_ID, components: doc.components } as Json);
    for (const [template, item] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
      for (const [method, op] of Object.entries(item)) {
        const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
        this.operations.push({
          method,
          template,
          pattern,
          operationId: op.operationId as string,
          tags: op.tags as string[],
          roles: (op['x-hookhub-roles'] as string[] | undefined) ?? 'public',
          responses: op.responses as Operation['responses'],
        });
      }
    }
  }

  find(method: string, path: string): Operation | undefined {
    const p = path.split('?')[0] as string;
    return this.operations.find((o) => o.method === method.toLowerCase() && o.pattern.test(p));
  }

  /** Validates one response; returns the problems (empty when it conforms). */
  check(method: string, path: string, res: ApiResponse): string[] {
    const op = this.find(method, path);
    // 404/405 for a method or path that is no operation come from the framework, not from an operation
    if (!op) return res.status === 404 || res.status === 405 ? [] : [`${method} ${path}: no such operation in the document`];
    const where = `${op.operationId} ${res.status}`;
    const declared = op.responses[String(res.status)];
    if (!declared) return [`${where}: status not declared`];
    if (!declared.content) {
      if (res.body !== '' && res.body !== undefined) return [`${where}: declared without a body but got one`];
      if (res.status < 300) this.succeeded.add(op.operationId);
      return [];
    }
    const media = res.contentType.split(';')[0]?.trim() ?? '';
    const content = declared.content[media];
    if (!content) return [`${where}: content type ${media} not declared (${Object.keys(declared.content).join(', ')})`];
    const ref = (content.schema as Json | undefined)?.$ref;
    const validate = typeof ref === 'string' && ref.startsWith('#') ? this.ajv.getSchema(`${DOC_ID}${ref}`) : this.ajv.compile(content.schema ?? {});
    if (!validate) return [`${where}: schema ${String(ref)} does not resolve`];
    if (!validate(res.body)) return [`${where}: ${this.ajv.errorsText(validate.errors)}`];
    if (res.status < 300) this.succeeded.add(op.operationId);
    return [];
  }

  record(method: string, path: string, res: ApiResponse): void {
    this.failures.push(...this.check(method, path, res));
  }

  /** Operations with the given tag that never answered with a conforming success in this file. */
  uncovered(tag: string): string[] {
    return this.operations.filter((o) => o.tags.includes(tag) && !this.succeeded.has(o.operationId)).map((o) => o.operationId);
  }
}

export interface CallOptions {
  key?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export type ApiCall = <T = Json>(method: string, path: string, options?: CallOptions) => Promise<ApiResponse<T>>;

/** An HTTP client for `/api/v1` on a test hub; every response is also checked by `conformance` when given. */
export function apiClient(hub: Hub, conformance?: OpenApiConformance): ApiCall {
  return async <T>(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse<T>> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${hub.url}/api/v1${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    const contentType = res.headers.get('content-type') ?? '';
    const parsed = /^application\/([a-z.+-]+\+)?json\s*(;|$)/i.test(contentType) && text ? (JSON.parse(text) as T) : (text as T);
    const out: ApiResponse<T> = { status: res.status, headers: res.headers, body: parsed, contentType };
    conformance?.record(method, path, out as ApiResponse);
    return out;
  };
}

export async function openApiOf(hub: Hub): Promise<Json> {
  const res = await fetch(`${hub.url}/api/v1/openapi.json`);
  return (await res.json()) as Json;
}

/** A key of `role` created straight in the hub's database (as `hookhub keys create` does). */
export async function keyFor(hub: Hub, role: ApiRole, name = `test-${role}`): Promise<{ id: string; secret: string }> {
  const store = new MongoKeyStore(hub.ctx.mongo);
  const { record, secret } = await createKey(store, { role, name, createdBy: 'cli' });
  return { id: record.id, secret };
}

/**
 * What most API tests set up once against their hub: a conformance checker built from the hub's OpenAPI document,
 * a client that validates every answer against it, and an operator and an analyst key.
 */
export async function apiTestKit(hub: Hub): Promise<{ conformance: OpenApiConformance; call: ApiCall; operator: string; analyst: string }> {
  const conformance = new OpenApiConformance(await openApiOf(hub));
  const call = apiClient(hub, conformance);
  const operator = (await keyFor(hub, 'operator')).secret;
  const analyst = (await keyFor(hub, 'analyst')).secret;
  return { conformance, call, operator, analyst };
}
