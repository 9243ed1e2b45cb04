import type { JSX } from 'preact';
import { ApiProblem, must, type Schemas } from '../api/client';
import { useAsync, useInterval, usePaged } from '../hooks';
import { href, type Route } from '../router';
import { useCan, useSession } from '../session';
import { Async, Badge, Empty, ErrorBox, Facts, Json, PagedTable, Table, Time, ms, useAction } from '../ui/common';
import { Filters, pick } from '../ui/filters';
import { ResultDeliveries } from './events';

type Execution = Schemas['api.executions.execution'];
type Status = Execution['status'];
const STATUSES: Status[] = ['queued', 'running', 'succeeded', 'failed', 'timed_out', 'cancelled'];
export const isFinished = (s: string): boolean => s !== 'queued' && s !== 'running';

export function ExecutionsPage({ route }: { route: Route }): JSX.Element {
  const id = route.segments[1];
  return id ? <ExecutionView id={id} /> : <ExecutionList query={route.query} />;
}

function ExecutionList({ query }: { query: URLSearchParams }): JSX.Element {
  const { api } = useSession();
  const filters = pick(query, ['agent', 'team', 'eventId', 'from', 'to']);
  const status = STATUSES.find((s) => s === query.get('status'));
  const list = usePaged(
    (cursor) => must(api.GET('/executions', { params: { query: { ...filters, ...(status ? { status } : {}), limit: 25, ...(cursor ? { cursor } : {}) } } })),
    [JSON.stringify(filters), status],
  );
  return (
    <>
      <h1>Executions</h1>
      <Filters
        page="executions"
        query={query}
        fields={[
          { name: 'agent', label: 'Agent' },
          { name: 'team', label: 'Team' },
          { name: 'status', label: 'Status', type: 'select', options: STATUSES },
          { name: 'from', label: 'From', type: 'datetime' },
          { name: 'to', label: 'To', type: 'datetime' },
        ]}
      />
      <PagedTable
        state={list}
        label="Executions"
        empty="No executions match these filters."
        head={['Queued', 'Agent', 'Team', 'Status', 'Duration', 'Execution']}
        row={(x) => (
          <tr key={x.id}>
            <td>
              <Time iso={x.queuedAt} />
            </td>
            <td>
              <a href={href(`agents/${x.agent}`)}>{x.agent}</a>
            </td>
            <td>{x.team ?? '—'}</td>
            <td>
              <Badge status={x.status} />
            </td>
            <td>{ms(x.durationMs)}</td>
            <td>
              <a href={href(`executions/${x.id}`)}>{x.id}</a>
            </td>
          </tr>
        )}
      />
    </>
  );
}

/** One execution, refreshed every second until it has finished (so a run started here can be followed live). */
export function ExecutionView({ id, embedded = false }: { id: string; embedded?: boolean }): JSX.Element {
  const { api } = useSession();
  const canCancel = useCan('cancelExecution');
  const execution = useAsync(() => must(api.GET('/executions/{id}', { params: { path: { id } } })), [id]);
  const cancel = useAction();
  // A run started from the console is 404 until the agents stage has stored it: keep polling through that.
  const pending = embedded && execution.error instanceof ApiProblem && execution.error.status === 404;
  const live = execution.data ? !isFinished(execution.data.status) : pending;
  useInterval(execution.reload, 1000, live);
  const body = (x: Execution): JSX.Element => (
    <>
      <p class="status-line" aria-live="polite">
        Status: <Badge status={x.status} /> {!isFinished(x.status) && <span class="muted">(following live)</span>}
      </p>
      {canCancel && !isFinished(x.status) && (
        <button type="button" class="danger" disabled={cancel.busy} onClick={() =>
            cancel.run(async () => {
              await must(api.POST('/executions/{id}/cancel', { params: { path: { id } } }));
              execution.reload();
            })
          }>
          Cancel execution
        </button>
      )}
      {cancel.error !== undefined && <ErrorBox error={cancel.error} />}
      <Facts
        rows={[
          ['agent', <a href={href(`agents/${x.agent}`)}>{x.agent}</a>],
          ['team', x.team],
          ['task', x.task],
          ['route', x.route],
          ['event', <a href={href(`events/${x.eventId}`)}>{x.eventType} · {x.eventId}</a>],
          ['attempts', x.attempts],
          ['queued', <Time iso={x.queuedAt} />],
          ['started', <Time iso={x.startedAt} />],
          ['finished', <Time iso={x.finishedAt} />],
          ['duration', ms(x.durationMs)],
          ['deliveries', x.resultEventId ? <ResultDeliveries eventId={x.resultEventId} /> : undefined],
        ]}
      />
      {x.error && (
        <div class="error" role="alert">
          <strong>{x.error.code}</strong> {x.error.message}
        </div>
      )}
      <div class="two">
        <section>
          <h2>Input</h2>
          <Json value={x.input} label="Input" />
        </section>
        <section>
          <h2>Output</h2>
          <Json value={x.output} label="Output" />
        </section>
      </div>
      {x.stderr && (
        <section>
          <h2>stderr</h2>
          <pre class="json">{x.stderr}</pre>
        </section>
      )}
      <section>
        <h2>Documents</h2>
        {x.documents.length === 0 ? (
          <Empty>This execution wrote no documents.</Empty>
        ) : (
          <Table head={['Title', 'Kind', 'Version']} label="Documents of this execution">
            {x.documents.map((d) => (
              <tr key={d.id}>
                <td>
                  <a href={href(`documents/${d.id}`)}>{d.title}</a>
                </td>
                <td>{d.kind}</td>
                <td>{d.version}</td>
              </tr>
            ))}
          </Table>
        )}
      </section>
    </>
  );
  return (
    <>
      {!embedded && (
        <>
          <p class="crumbs">
            <a href={href('executions')}>Executions</a> / {id}
          </p>
          <h1>Execution</h1>
        </>
      )}
      {execution.data ? body(execution.data) : pending ? <p role="status">Waiting for the agents stage to pick the run up…</p> : <Async state={execution}>{body}</Async>}
    </>
  );
}
