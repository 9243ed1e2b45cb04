import { createKey, getKey, renameKey, revokeKey, toKeyView, type KeyStore } from '../domain/keys';
import { access, route, type ApiResource, type ApiRole } from '../framework/route';

interface IdParams {
  id: string;
}
interface ListQuery {
  limit?: number;
  cursor?: string;
  role?: ApiRole;
  revoked?: boolean;
}

export function keysResource(keys: KeyStore): ApiResource {
  return {
    tag: 'keys',
    description: 'API keys (admin only). A key is shown once, when created; only its hash is stored.',
    routes: [
      route<Record<string, never>, Record<string, never>, { role: ApiRole; name?: string }>({
        method: 'post',
        path: '/keys',
        operationId: 'createKey',
        summary: 'Create an API key (the key is returned only in this response)',
        tag: 'keys',
        roles: access.admin,
        body: 'api/keys/create-request',
        responses: { 201: 'api/keys/created' },
        etag: true,
        handler: async ({ body, principal }) => {
          const { record, secret } = await createKey(keys, { role: body.role, name: body.name, createdBy: principal?.keyId ?? 'api' });
          return { status: 201, body: { key: secret, apiKey: toKeyView(record) }, etag: record.version, headers: { Location: `/api/v1/keys/${record.id}` } };
        },
      }),
      route<Record<string, never>, ListQuery>({
        method: 'get',
        path: '/keys',
        operationId: 'listKeys',
        summary: 'List API keys, newest first (prefix only)',
        tag: 'keys',
        roles: access.admin,
        query: 'api/keys/list-query',
        responses: { 200: 'api/keys/list' },
        handler: async ({ query }) => {
          const page = await keys.list(query);
          return { body: { items: page.items.map(toKeyView), nextCursor: page.nextCursor } };
        },
      }),
      route<IdParams>({
        method: 'get',
        path: '/keys/:id',
        operationId: 'getKey',
        summary: 'Get an API key',
        tag: 'keys',
        roles: access.admin,
        params: 'api/keys/id-params',
        responses: { 200: 'api/keys/key' },
        etag: true,
        handler: async ({ params }) => {
          const record = await getKey(keys, params.id);
          return { body: toKeyView(record), etag: record.version };
        },
      }),
      route<IdParams, Record<string, never>, { name: string }>({
        method: 'patch',
        path: '/keys/:id',
        operationId: 'updateKey',
        summary: 'Rename an API key (honours If-Match)',
        tag: 'keys',
        roles: access.admin,
        params: 'api/keys/id-params',
        body: 'api/keys/update-request',
        responses: { 200: 'api/keys/key' },
        ifMatch: true,
        etag: true,
        handler: async ({ params, body, ifMatch }) => {
          const record = await renameKey(keys, params.id, body.name, ifMatch);
          return { body: toKeyView(record), etag: record.version };
        },
      }),
      route<IdParams>({
        method: 'delete',
        path: '/keys/:id',
        operationId: 'revokeKey',
        summary: 'Revoke an API key (it stops working at once; the record stays for audit)',
        tag: 'keys',
        roles: access.admin,
        params: 'api/keys/id-params',
        responses: { 200: 'api/keys/key' },
        etag: true,
        handler: async ({ params }) => {
          const record = await revokeKey(keys, params.id);
          return { body: toKeyView(record), etag: record.version };
        },
      }),
    ],
  };
}
