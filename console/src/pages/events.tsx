import type { JSX } from 'preact';
import { must, type Schemas } from '../api/client';
import { useAsync, usePaged } from '../hooks';
import { href, type Route } from '../router';
import { useSession } from '../session';
import { Async, Badge, Empty, Facts, PagedTable, Table, Time, saveBlob } from '../ui/common';
import { Filters, pick } from '../ui/filters';

type EventDetail = Schemas['api.events.event'];

export function EventsPage({ route }: { route: Route }): JSX.Element {
  const id = route.segments[1];
  return id ? <EventDetailView id={id} /> : <EventList query={route.query} />;
}

function EventList({ query }: { query: URLSearchParams }): JSX.Element {
  const { api } = useSession();
  const filters = pick(query, ['source', 'type', 'from', 'to']);
  const sources = useAsync(() => must(api.GET('/sources', { params: { query: { limit: 200 } } })), []);
  const list = usePaged((cursor) => must(api.GET('/events', { params: { query: { ...filters, limit: 25, ...(cursor ? { cursor } : {}) } } })), [JSON.stringify(filters)]);
  return (
    <>
      <h1>Events</h1>
      <Filters
        page="events"
        query={query}
        fields={[
          { name: 'source', label: 'Source', type: 'select', options: sources.data?.items.map((s) => s.id) ?? [] },
          { name: 'type', label: 'Type' },
          { name: 'from', label: 'From', type: 'datetime' },
          { name: 'to', label: 'To', type: 'datetime' },
        ]}
      />
      <PagedTable
        state={list}
        label="Events"
        empty="No events match these filters."
        head={['Received', 'Source', 'Type', 'Id', 'Bytes']}
        row={(e) => (
          <tr key={e.id}>
            <td>
              <Time iso={e.time} />
            </td>
            <td>{e.source}</td>
            <td>{e.type}</td>
            <td>
              <a href={href(`events/${e.id}`)}>{e.id}</a>
            </td>
            <td>{e.bodyBytes}</td>
          </tr>
        )}
      />
    </>
  );
}

/** The exact bytes received, whichever way the API had to encode them. */
export function bodyBytes(body: string, encoding: 'utf8' | 'base64'): Uint8Array<ArrayBuffer> {
  if (encoding === 'utf8') return new TextEncoder().encode(body);
  const bin = atob(body);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

export function prettyBody(body: string, encoding: 'utf8' | 'base64'): string {
  if (encoding === 'base64') return `(${Math.ceil((body.length * 3) / 4)} bytes of binary, base64)\n${body}`;
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function EventDetailView({ id }: { id: string }): JSX.Element {
  const { api } = useSession();
  const event = useAsync(() => must(api.GET('/events/{id}', { params: { path: { id } } })), [id]);
  return (
    <>
      <p class="crumbs">
        <a href={href('events')}>Events</a> / {id}
      </p>
      <h1>Event</h1>
      <Async state={event}>{(e) => <EventBody e={e} />}</Async>
    </>
  );
}

function EventBody({ e }: { e: EventDetail }): JSX.Element {
  const { api } = useSession();
  const executions = useAsync(() => must(api.GET('/executions', { params: { query: { eventId: e.id, limit: 50 } } })), [e.id]);
  const direct = useAsync(() => must(api.GET('/deliveries', { params: { query: { event: e.id, limit: 50 } } })), [e.id]);
  return (
    <>
      <section aria-labelledby="ce-meta">
        <h2 id="ce-meta">CloudEvent</h2>
        <Facts
          rows={[
            ['id', <code>{e.id}</code>],
            ['source', <a href={href('events', { source: e.source })}>{e.source}</a>],
            ['type', <a href={href('events', { type: e.type })}>{e.type}</a>],
            ['time', <Time iso={e.time} />],
            ['content type', e.contentType],
            ['Kafka', `${e.topic} · partition ${e.partition} · offset ${e.offset}`],
            ['idempotency key', e.idempotencyKey],
            ['partition key', e.partitionKey],
            ['traceparent', e.traceparent && <code>{e.traceparent}</code>],
            ['archived', <Time iso={e.archivedAt} />],
          ]}
        />
      </section>
      <section aria-labelledby="ev-body">
        <h2 id="ev-body">Body ({e.bodyBytes} bytes)</h2>
        <button type="button" onClick={() => saveBlob(new Blob([bodyBytes(e.body, e.bodyEncoding)], { type: e.contentType }), `event-${e.id}.body`)}>
          Download exact bytes
        </button>
        <pre class="json" role="region" aria-label="Event body" tabIndex={0}>
          {prettyBody(e.body, e.bodyEncoding)}
        </pre>
        <details>
          <summary>Headers ({e.headers.length})</summary>
          <Table head={['Name', 'Value']} label="Headers">
            {e.headers.map((h, i) => (
              <tr key={i}>
                <td>{h.name}</td>
                <td>
                  <code>{h.value}</code>
                </td>
              </tr>
            ))}
          </Table>
        </details>
      </section>
      <section aria-labelledby="ev-exec">
        <h2 id="ev-exec">Executions</h2>
        <Async state={executions}>
          {(page) =>
            page.items.length === 0 ? (
              <Empty>No agent ran for this event (yet).</Empty>
            ) : (
              <Table head={['Agent', 'Status', 'Started', 'Execution', 'Deliveries']} label="Executions of this event">
                {page.items.map((x) => (
                  <tr key={x.id}>
                    <td>
                      <a href={href(`agents/${x.agent}`)}>{x.agent}</a>
                    </td>
                    <td>
                      <Badge status={x.status} />
                    </td>
                    <td>
                      <Time iso={x.startedAt ?? x.queuedAt} />
                    </td>
                    <td>
                      <a href={href(`executions/${x.id}`)}>{x.id}</a>
                    </td>
                    <td>{x.resultEventId ? <ResultDeliveries eventId={x.resultEventId} /> : '—'}</td>
                  </tr>
                ))}
              </Table>
            )
          }
        </Async>
      </section>
      <section aria-labelledby="ev-deliv">
        <h2 id="ev-deliv">Deliveries of this event</h2>
        <Async state={direct}>
          {(page) => (page.items.length === 0 ? <Empty>No subscription received this event itself (results of its executions are listed above).</Empty> : <DeliveryRows items={page.items} />)}
        </Async>
      </section>
    </>
  );
}

/** The deliveries of an execution's result event, as links with their status. */
export function ResultDeliveries({ eventId }: { eventId: string }): JSX.Element {
  const { api } = useSession();
  const list = useAsync(() => must(api.GET('/deliveries', { params: { query: { event: eventId, limit: 20 } } })), [eventId]);
  return (
    <Async state={list}>
      {(page) =>
        page.items.length === 0 ? (
          <span class="muted">none</span>
        ) : (
          <ul class="inline">
            {page.items.map((d) => (
              <li key={d.id}>
                <a href={href(`deliveries/${d.id}`)}>{d.subscriptionId}</a> <Badge status={d.status} />
              </li>
            ))}
          </ul>
        )
      }
    </Async>
  );
}

type DeliverySummary = Schemas['api.deliveries.summary'];

export const DELIVERY_HEAD = ['Created', 'Subscription', 'Event type', 'Status', 'Attempts', 'Last status', 'Delivery'];

export function deliveryRow(d: DeliverySummary): JSX.Element {
  return (
    <tr key={d.id}>
      <td>
        <Time iso={d.createdAt} />
      </td>
      <td>
        <a href={href(`subscriptions/${d.subscriptionId}`)}>{d.subscriptionId}</a>
      </td>
      <td>{d.eventType}</td>
      <td>
        <Badge status={d.status} />
      </td>
      <td>{d.attemptCount}</td>
      <td>{d.lastStatus ?? '—'}</td>
      <td>
        <a href={href(`deliveries/${d.id}`)}>{d.id}</a>
      </td>
    </tr>
  );
}

function DeliveryRows({ items }: { items: DeliverySummary[] }): JSX.Element {
  return (
    <Table head={DELIVERY_HEAD} label="Deliveries">
      {items.map(deliveryRow)}
    </Table>
  );
}
