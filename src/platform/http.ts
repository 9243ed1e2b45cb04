import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Registry } from 'prom-client';
import { AppError, toProblem } from './errors';
import { withContext, type Logger } from './logger';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

export interface HttpAppOptions {
  logger: Logger;
  metrics: Registry;
  readiness: ReadinessCheck[];
  /** When set, `/metrics` needs `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string;
}

/** Compares digests so the comparison takes the same time whatever the length of the guess. */
function sameToken(given: string, expected: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A hot path served straight from node's request event, before express: it answers and returns true for the
 * requests it owns, false for all others (which then go through the express app).
 */
export type RawHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Request id from `X-Request-Id` (when sane) or a new one; echoed back on the response. */
export function requestIdOf(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', requestId);
  return requestId;
}

/** The request id goes on every log line written while the request is served. */
const requestContext: RequestHandler = (req, res, next) => {
  const requestId = requestIdOf(req, res);
  res.locals.requestId = requestId;
  withContext({ requestId }, next);
};

/** Writes a JSON answer with node's own API (express's response helpers are not needed for this). */
export function writeJson(res: ServerResponse, status: number, body: unknown, contentType = 'application/json; charset=utf-8'): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/** problem+json for `err` (an AppError, or a 500 that reveals nothing), with Retry-After when it has one. */
export function sendProblem(res: ServerResponse, err: unknown, instance?: string): void {
  const problem = toProblem(err, instance);
  if (err instanceof AppError && err.extras.retryAfterSeconds !== undefined) {
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(err.extras.retryAfterSeconds))));
  }
  writeJson(res, problem.status, problem, 'application/problem+json; charset=utf-8');
}

/**
 * Builds the express app with the platform routes; components mount their routers on it, then `finish`
 * adds the 404 and problem+json handlers. Listening happens elsewhere (tests listen on port 0).
 */
export function createHttpApp(options: HttpAppOptions): { app: Express; finish: () => void } {
  const { logger } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(requestContext);
  app.use(helmet({ contentSecurityPolicy: false }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      options.readiness.map(async (c) => {
        try {
          await c.check();
          return { name: c.name, ok: true as const };
        } catch (err) {
          // The cause names hosts, ports and driver internals: it goes to the log, never to the (public) answer.
          logger.warn('readiness check failed', { check: c.name, err: (err as Error).message });
          return { name: c.name, ok: false as const };
        }
      }),
    );
    const failing = results.filter((r) => !r.ok);
    const checks = Object.fromEntries(results.map((r) => [r.name, r.ok ? 'ok' : 'unavailable']));
    if (failing.length === 0) {
      res.json({ status: 'ready', checks });
      return;
    }
    const names = failing.map((f) => f.name);
    res.setHeader('Retry-After', '5');
    res
      .status(503)
      .type('application/problem+json')
      .send(JSON.stringify({ ...toProblem(new AppError('not_ready', `not reachable: ${names.join(', ')}`)), failing: names, checks }));
  });

  app.get('/metrics', async (req, res) => {
    const token = options.metricsToken;
    if (token) {
      const m = /^Bearer (.+)$/.exec(req.get('authorization') ?? '');
      if (!m?.[1] || !sameToken(m[1], token)) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
        sendProblem(res, new AppError('metrics_unauthorized', 'send Authorization: Bearer <HOOKHUB_METRICS_TOKEN>'), req.originalUrl);
        return;
      }
    }
    res.type(options.metrics.contentType).send(await options.metrics.metrics());
  });

  const finish = (): void => {
    app.use((req, res) => sendProblem(res, new AppError('not_found', `${req.method} ${req.path} does not exist`), req.originalUrl));
    const onError: ErrorRequestHandler = (err: unknown, req, res, _next) => {
      const e = err as { type?: string; status?: number; message?: string };
      let mapped: unknown = err;
      if (!(err instanceof AppError)) {
        // body-parser errors carry a `type`; map them to the catalogue instead of a 500.
        if (e.type === 'entity.parse.failed') mapped = new AppError('json_malformed', e.message);
        else if (e.type === 'entity.too.large') mapped = new AppError('payload_too_large', e.message);
        else if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') mapped = new AppError('unsupported_media_type', e.message);
        else logger.error('unhandled error', { err, path: req.path });
      }
      if (res.headersSent) return;
      sendProblem(res, mapped, req.originalUrl);
    };
    app.use(onError);
  };

  return { app, finish };
}
