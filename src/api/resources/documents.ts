import type { DocumentMetaChanges, DocumentsRepository, StoredDocument } from '../../agents';
import { AppError } from '../../platform/errors';
import { access, route, type ApiResource } from '../framework/route';
import { documentView } from './views';

interface IdParams {
  id: string;
}
interface ListQuery {
  limit?: number;
  cursor?: string;
  kind?: string;
  agent?: string;
  tag?: string;
  executionId?: string;
  q?: string;
  from?: string;
  to?: string;
}

/** Content management over what agents produce. Content stays as the agent wrote it; metadata can be edited. */
export function documentsResource(documents: DocumentsRepository): ApiResource {
  const get = async (id: string): Promise<StoredDocument> => {
    const d = await documents.get(id);
    if (!d) throw new AppError('not_found', `no document ${id}`);
    return d;
  };
  return {
    tag: 'documents',
    description: 'Documents agents produced: search, read, versions, metadata and tags, delete.',
    routes: [
      route<Record<string, never>, ListQuery>({
        method: 'get',
        path: '/documents',
        operationId: 'listDocuments',
        summary: 'List documents, newest first, by kind, agent, tag, execution, time range and title text',
        tag: 'documents',
        roles: access.read,
        query: 'api/documents/list-query',
        responses: { 200: 'api/documents/list' },
        handler: async ({ query }) => {
          const page = await documents.page({
            kind: query.kind,
            agent: query.agent,
            tag: query.tag,
            executionId: query.executionId,
            titleContains: query.q,
            from: query.from ? new Date(query.from) : undefined,
            to: query.to ? new Date(query.to) : undefined,
            limit: query.limit,
            cursor: query.cursor,
          });
          return { body: { items: page.items.map(documentView), nextCursor: page.nextCursor } };
        },
      }),
      route<IdParams>({
        method: 'get',
        path: '/documents/:id',
        operationId: 'getDocument',
        summary: 'Get a document',
        tag: 'documents',
        roles: access.read,
        params: 'api/documents/id-params',
        responses: { 200: 'api/documents/document' },
        etag: true,
        handler: async ({ params }) => {
          const d = await get(params.id);
          return { body: documentView(d), etag: d.revision };
        },
      }),
      route<IdParams>({
        method: 'get',
        path: '/documents/:id/versions',
        operationId: 'listDocumentVersions',
        summary: 'Every version of the document (same agent and key), newest first',
        tag: 'documents',
        roles: access.read,
        params: 'api/documents/id-params',
        responses: { 200: 'api/documents/versions' },
        handler: async ({ params }) => {
          const d = await get(params.id);
          const items = d.key ? await documents.versions(d.agent, d.key) : [d];
          return { body: { items: items.map(documentView) } };
        },
      }),
      route<IdParams, Record<string, never>, DocumentMetaChanges>({
        method: 'patch',
        path: '/documents/:id',
        operationId: 'updateDocument',
        summary: 'Change the title, tags or metadata of a document (honours If-Match on `revision`)',
        tag: 'documents',
        roles: access.operate,
        params: 'api/documents/id-params',
        body: 'api/documents/update-request',
        responses: { 200: 'api/documents/document' },
        ifMatch: true,
        etag: true,
        handler: async ({ params, body, ifMatch }) => {
          const d = await documents.updateMeta(params.id, body, ifMatch);
          if (d === 'not_found') throw new AppError('not_found', `no document ${params.id}`);
          if (d === 'version_mismatch') throw new AppError('precondition_failed', `document ${params.id} changed since you read it`);
          return { body: documentView(d), etag: d.revision };
        },
      }),
      route<IdParams>({
        method: 'delete',
        path: '/documents/:id',
        operationId: 'deleteDocument',
        summary: 'Delete one version of a document (other versions stay)',
        tag: 'documents',
        roles: access.operate,
        params: 'api/documents/id-params',
        responses: { 204: null },
        handler: async ({ params }) => {
          if (!(await documents.delete(params.id))) throw new AppError('not_found', `no document ${params.id}`);
          return { status: 204 };
        },
      }),
    ],
  };
}
