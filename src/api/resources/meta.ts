import { AppError } from '../../platform/errors';
import type { JsonSchema } from '../framework/schema-refs';
import { access, route, type ApiResource } from '../framework/route';

export function metaResource(openApiDocument: () => JsonSchema): ApiResource {
  return {
    tag: 'meta',
    description: 'The API itself: its OpenAPI document and the calling key.',
    routes: [
      route({
        method: 'get',
        path: '/openapi.json',
        operationId: 'getOpenApi',
        summary: 'This OpenAPI 3.1 document (no key needed)',
        tag: 'meta',
        roles: access.public,
        responses: { 200: 'api/meta/openapi' },
        handler: async () => ({ body: openApiDocument() }),
      }),
      route({
        method: 'get',
        path: '/me',
        operationId: 'getMe',
        summary: 'The key making this request and its role',
        tag: 'meta',
        roles: access.read,
        responses: { 200: 'api/meta/me' },
        handler: async ({ principal }) => {
          if (!principal) throw new AppError('unauthorized');
          return { body: { keyId: principal.keyId, name: principal.name, role: principal.role } };
        },
      }),
    ],
  };
}
