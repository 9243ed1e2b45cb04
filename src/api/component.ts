import swaggerUi from 'swagger-ui-express';
import type { Component, ComponentFactory } from '../app/context';
import { mountConsole } from './console';
import { authenticate } from './domain/keys';
import { RateLimiter } from '../platform/rate-limiter';
import { buildApiApp } from './framework/router';
import { createApiDeps, defineApi } from './resources';

export const API_PREFIX = '/api/v1';

/** The `api` role: the Management API under /api/v1, its OpenAPI document, Swagger UI at /docs and the web console at /console. */
export const createApiComponent: ComponentFactory = async (ctx): Promise<Component> => {
  const deps = createApiDeps(ctx);
  const api = defineApi(deps);
  await deps.keys.init();
  await deps.sources.init();
  const router = buildApiApp({
    schemas: ctx.schemas,
    logger: ctx.logger,
    metrics: ctx.metrics,
    resources: api.resources,
    authenticate: (bearer) => authenticate(deps.keys, bearer, (err) => ctx.logger.warn('could not record lastUsedAt of an API key', { err })),
    limiter: new RateLimiter(),
    rate: { perSecond: ctx.env.apiRatePerSecond, burst: ctx.env.apiRateBurst },
    bodyLimitBytes: ctx.env.apiBodyLimitBytes,
    corsOrigins: ctx.env.corsOrigins,
  });
  return {
    name: 'api',
    mount(app) {
      app.use(API_PREFIX, router);
      app.use('/docs', swaggerUi.serve, swaggerUi.setup(undefined, { customSiteTitle: 'hookhub API', swaggerOptions: { url: `${API_PREFIX}/openapi.json` } }));
      mountConsole(app);
    },
  };
};
