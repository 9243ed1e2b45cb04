import { bodyBytes, InvalidCursorError, type EventsRepository, type ArchivedEvent } from '../../ingest';
import { AppError } from '../../platform/errors';
import { access, route, type ApiResource } from '../framework/route';

interface IdParams {
  id: string;
}
interface ListQuery {
  limit?: number;
  cursor?: string;
  source?: string;
  type?: string;
  from?: string;
  to?: string;
  order?: 'asc' | 'desc';
}

function summary(e: ArchivedEvent): Record<string, unknown> {
  return {
    id: e.id,
    source: e.source,
    type: e.type,
    time: new Date(e.time).toISOString(),
    ...(e.archivedAt ? { archivedAt: new Date(e.archivedAt).toISOString() } : {}),
    ...(e.traceparent ? { traceparent: e.traceparent } : {}),
    ...(e.idempotencyKey ? { idempotencyKey: e.idempotencyKey } : {}),
    ...(e.partitionKey ? { partitionKey: e.partitionKey } : {}),
    contentType: e.contentType,
    topic: e.topic,
    partition: e.partition,
    offset: e.offset,
    bodyBytes: bodyBytes(e).length,
  };
}

/** The event archive written by the archiver role (read only). */
export function eventsResource(events: EventsRepository): ApiResource {
  return {
    tag: 'events',
    description: 'Inbound events as archived: filter by source, type and time; read one with its exact body and headers.',
    routes: [
      route<Record<string, never>, ListQuery>({
        method: 'get',
        path: '/events',
        operationId: 'listEvents',
        summary: 'List archived events by source, type (exact or `prefix.*`) and time range',
        tag: 'events',
        roles: access.read,
        query: 'api/events/list-query',
        responses: { 200: 'api/events/list' },
        handler: async ({ query }) => {
          const from = query.from ? new Date(query.from) : undefined;
          const to = query.to ? new Date(query.to) : undefined;
          try {
            const page = await events.list({ source: query.source, type: query.type, from, to, cursor: query.cursor, limit: query.limit ?? 50, order: query.order ?? 'desc' });
            return { body: { items: page.items.map(summary), nextCursor: page.nextCursor ?? null } };
          } catch (err) {
            if (err instanceof InvalidCursorError) throw new AppError('validation_failed', 'cursor is not valid', { errors: [{ path: '/query/cursor', message: 'is not a valid cursor' }] });
            throw err;
          }
        },
      }),
      route<IdParams>({
        method: 'get',
        path: '/events/:id',
        operationId: 'getEvent',
        summary: 'Get an archived event with its raw body and headers as received',
        description: '`refusal` says why nothing ran for an `agent.task.requested` event whose source may not trigger the agent it names (`code` task_not_allowed).',
        tag: 'events',
        roles: access.read,
        params: 'api/events/id-params',
        responses: { 200: 'api/events/event' },
        handler: async ({ params }) => {
          const e = await events.get(params.id);
          if (!e) throw new AppError('not_found', `no archived event ${params.id}`);
          return { body: { ...summary(e), headers: e.headers, body: e.body, bodyEncoding: e.bodyEncoding, ...(e.refusal ? { refusal: e.refusal } : {}) } };
        },
      }),
    ],
  };
}
