/**
 * Turns the route table into an express router. Per request, in this order: authenticate (401), rate-limit
 * per key (429), authorize the role (403), parse JSON (400/413/415), validate params/query/body (400), then the
 * handler; its result is sent as JSON with an optional ETag. Every request is logged once with its request id.
 */
import { pipeline } from 'node:stream/promises';
import cors from 'cors';
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { Counter, type Registry } from 'prom-client';
import { AppError } from '../../platform/errors';
import { withContext, type Logger } from '../../platform/logger';
import type { SchemaRegistry } from '../../platform/schemas';
import { etagOf, parseIfMatch } from './etag';
import { flatProperties } from './schema-refs';
import type { Rate, RateLimiter } from '../../platform/rate-limiter';
import { mayCall, pathParamNames, type AnyRoute, type ApiResource, type Principal } from './route';
import { validateRequest } from './validation';

export interface ApiRouterOptions {
  schemas: SchemaRegistry;
  logger: Logger;
  metrics: Registry;
  resources: ApiResource[];
  authenticate: (bearer: string | undefined) => Promise<Principal>;
  /** Token bucket per API key, at `rate`. */
  limiter: RateLimiter;
  rate: Rate;
  bodyLimitBytes: number;
  corsOrigins: string[];
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
}

/** Fails at boot on a table that cannot work: duplicate operations, unknown schemas, params not in the path. */
export function checkRouteTable(schemas: SchemaRegistry, resources: ApiResource[]): void {
  const ops = new Set<string>();
  const endpoints = new Set<string>();
  for (const r of resources.flatMap((x) => x.routes)) {
    const where = `${r.method.toUpperCase()} ${r.path}`;
    if (ops.has(r.operationId)) throw new Error(`api: operationId ${r.operationId} is used twice`);
    if (endpoints.has(where)) throw new Error(`api: ${where} is defined twice`);
    ops.add(r.operationId);
    endpoints.add(where);
    for (const name of [r.params, r.query, r.body, ...Object.values(r.responses)]) {
      if (name && !schemas.has(name)) throw new Error(`api: ${where} names schema ${name}, which is not under schemas/`);
    }
    const names = pathParamNames(r.path);
    if (names.length > 0 !== Boolean(r.params)) throw new Error(`api: ${where} must declare a params schema exactly when its path has parameters`);
    if (r.params) {
      const declared = [...flatProperties(schemas, r.params).props.keys()].sort();
      if (declared.join() !== [...names].sort().join()) throw new Error(`api: ${where} params schema declares ${declared.join(', ')} but the path has ${names.join(', ')}`);
    }
    if (r.query) flatProperties(schemas, r.query);
  }
}

/**
 * The API is a sub-application (not a Router) so it can own its settings: express' automatic weak ETags are
 * off here, because `ETag` on this API means the object's `version` (see etag.ts). Errors and unknown paths
 * fall through to the hub's problem+json handlers.
 */
export function buildApiApp(options: ApiRouterOptions): Express {
  const { schemas, logger, limiter } = options;
  checkRouteTable(schemas, options.resources);
  const requests = new Counter({ name: 'hookhub_api_requests_total', help: 'Management API requests by operation and status', labelNames: ['operation', 'status'], registers: [options.metrics] });

  const router = express();
  router.set('etag', false);
  router.disable('x-powered-by');
  if (options.corsOrigins.length > 0) {
    router.use(
      cors({
        origin: options.corsOrigins.includes('*') ? '*' : options.corsOrigins,
        allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'X-Request-Id'],
        exposedHeaders: ['ETag', 'Location', 'Retry-After', 'X-Request-Id'],
        methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
        maxAge: 600,
        // The path's own OPTIONS handler below ends preflights, narrowing the allowed methods to the path's.
        preflightContinue: true,
      }),
    );
  }
  const json = express.json({ limit: options.bodyLimitBytes, type: ['application/json', 'application/*+json'] });

  const gate = (r: AnyRoute): RequestHandler => async (req, res, next) => {
    res.locals.operationId = r.operationId;
    if (r.roles === 'public') {
      next();
      return;
    }
    let principal: Principal;
    try {
      principal = await options.authenticate(BEARER.exec(req.get('authorization') ?? '')?.[1]);
    } catch (err) {
      if (err instanceof AppError && err.code === 'unauthorized') res.setHeader('WWW-Authenticate', 'Bearer realm="hookhub"');
      throw err;
    }
    res.locals.principal = principal;
    const decision = limiter.take(principal.keyId, options.rate);
    if (!decision.allowed) throw new AppError('rate_limited', `rate limit of key ${principal.keyId} exceeded`, { retryAfterSeconds: decision.retryAfterSeconds });
    if (!mayCall(r.roles, principal.role)) throw new AppError('forbidden', `role ${principal.role} may not call ${r.operationId}`);
    withContext({ apiKeyId: principal.keyId }, next);
  };

  const mediaType: RequestHandler = (req, _res, next) => {
    if (hasBody(req) && !req.is(['application/json', 'application/*+json'])) throw new AppError('unsupported_media_type', 'send the body as application/json');
    next();
  };

  const run = (r: AnyRoute): RequestHandler => async (req, res) => {
    const input = validateRequest(schemas, r, { params: req.params, query: req.query, body: req.body, hasBody: req.body !== undefined });
    const ifMatch = r.ifMatch ? parseIfMatch(req.get('if-match')) : undefined;
    const result = await r.handler({ params: input.params, query: input.query, body: input.body, principal: res.locals.principal as Principal | undefined, ifMatch, req, res } as never);
    if (result.etag !== undefined) res.setHeader('ETag', etagOf(result.etag));
    for (const [k, v] of Object.entries(result.headers ?? {})) res.setHeader(k, v);
    res.status(result.status ?? 200);
    if (r.produces !== undefined && r.produces !== 'application/json') {
      res.type(r.produces);
      if (result.stream) await pipeline(result.stream, res);
      else res.end();
    } else if (result.body === undefined) res.end();
    else res.json(result.body);
  };

  const accessLog: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    const requestId = res.locals.requestId as string | undefined;
    res.once('finish', () => {
      const operation = (res.locals.operationId as string | undefined) ?? 'unknown';
      requests.inc({ operation, status: String(res.statusCode) });
      logger.http('api request', {
        requestId,
        method: req.method,
        path: req.originalUrl.split('?')[0],
        operationId: operation,
        status: res.statusCode,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        apiKeyId: (res.locals.principal as Principal | undefined)?.keyId,
      });
    });
    next();
  };
  router.use(accessLog);

  const byPath = new Map<string, string[]>();
  for (const r of options.resources.flatMap((x) => x.routes)) {
    const chain: RequestHandler[] = [gate(r)];
    if (r.body) chain.push(mediaType, json);
    chain.push(run(r));
    router[r.method](r.path, ...chain);
    byPath.set(r.path, [...(byPath.get(r.path) ?? []), r.method.toUpperCase()]);
  }
  // A static path (`/agents/import`) answers for itself before a parameterised one that also matches it.
  const bySpecificity = [...byPath].sort(([a], [b]) => pathParamNames(a).length - pathParamNames(b).length);
  for (const [path, methods] of bySpecificity) {
    const allowed = [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'];
    router.all(path, (req: Request, res: Response, next: NextFunction) => {
      if (req.method === 'HEAD' && methods.includes('GET')) {
        next();
        return;
      }
      res.setHeader('Allow', allowed.join(', '));
      if (req.method === 'OPTIONS') {
        if (res.getHeader('Access-Control-Allow-Methods') !== undefined) res.setHeader('Access-Control-Allow-Methods', allowed.join(','));
        res.status(204).end();
        return;
      }
      throw new AppError('method_not_allowed', `${req.method} is not allowed on ${path}; use ${methods.join(', ')}`);
    });
  }
  return router;
}
