/**
 * The declarative route table. One entry per operation: express routing, ajv validation, role checks and
 * the OpenAPI document are all derived from it, so adding an operation is adding an entry and its schemas.
 */
import type { Readable } from 'node:stream';
import type { Request, Response } from 'express';
import type { ErrorCode } from '../../platform/errors';

export const API_ROLES = ['admin', 'operator', 'analyst'] as const;
export type ApiRole = (typeof API_ROLES)[number];

/** Who may call an operation. `public` needs no key (the OpenAPI document). */
export const access = {
  /** keys and anything else only admins manage */
  admin: ['admin'] as const,
  /** changing agents, sources, routes, subscriptions, executions, documents, deliveries; resend/recover */
  operate: ['admin', 'operator'] as const,
  /** reading anything but keys */
  read: ['admin', 'operator', 'analyst'] as const,
  /** analytics */
  analyze: ['admin', 'analyst'] as const,
  /** replay jobs: analysts and operators (the "analyst or operator role") */
  replay: ['admin', 'operator', 'analyst'] as const,
  public: 'public' as const,
};

export type Access = readonly ApiRole[] | 'public';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The authenticated caller. */
export interface Principal {
  keyId: string;
  name: string;
  role: ApiRole;
}

export interface HandlerInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Undefined on public routes. */
  principal: Principal | undefined;
  /** The version named by `If-Match: "<n>"`; undefined when absent or `*`. */
  ifMatch: number | undefined;
  req: Request;
  res: Response;
}

export interface HandlerResult {
  status?: number;
  body?: unknown;
  /** Sent as `ETag: "<version>"`. */
  etag?: number;
  headers?: Record<string, string>;
  /** A body streamed as it is read (sent with the route's `produces` type) instead of `body`. */
  stream?: Readable;
}

export interface RouteDef<P = Record<string, string>, Q = Record<string, unknown>, B = unknown> {
  method: HttpMethod;
  /** Express-style path relative to /api/v1, e.g. `/keys/:id`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  roles: Access;
  /** Schema names in `ctx.schemas` (e.g. `api/keys/create-request`). Params and query must be flat objects. */
  params?: string;
  query?: string;
  body?: string;
  /**
   * Media type of the success bodies, default `application/json`. Any other type is sent as the handler's
   * `stream` (or as no bytes at all), and its response schema describes the text (e.g. NDJSON lines).
   */
  produces?: string;
  /** Status → response schema name; null for an empty body (204). */
  responses: Record<number, string | null>;
  /** Error codes beyond the ones derived from the route (401/403/400/429/500, 404 with params, 412 with ifMatch). */
  errors?: ErrorCode[];
  /** The operation honours `If-Match` (optimistic concurrency on `version`). */
  ifMatch?: boolean;
  /** Successful responses carry an `ETag`. */
  etag?: boolean;
  handler: (input: HandlerInput<P, Q, B>) => Promise<HandlerResult>;
}

/**
 * Type-erased route as stored in the table. A handler of any input type is assignable here (parameters are
 * contravariant and `never` fits every input); the framework passes the validated values.
 */
export type AnyRoute = RouteDef<never, never, never>;

export interface ApiResource {
  tag: string;
  description: string;
  routes: AnyRoute[];
}

/** Typed helper: the generic parameters describe what the schemas guarantee after validation. */
export function route<P = Record<string, never>, Q = Record<string, never>, B = undefined>(def: RouteDef<P, Q, B>): AnyRoute {
  return def as unknown as AnyRoute;
}

export const toOpenApiPath = (path: string): string => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
export const pathParamNames = (path: string): string[] => [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] as string);
export const mayCall = (roles: Access, role: ApiRole | undefined): boolean => roles === 'public' || (role !== undefined && roles.includes(role));
