import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { must, type Schemas } from '../api/client';
import { usePaged } from '../hooks';
import { href, type Route } from '../router';
import { useCan, useSession } from '../session';
import { Badge, ErrorBox, PagedTable, useAction } from '../ui/common';
import { JsonForm } from '../ui/json-form';

type RouteView = Schemas['api.routes.route'];
type CreateRoute = Schemas['api.routes.create-request'];
type UpdateRoute = Schemas['api.routes.update-request'];

const TEMPLATE = { id: 'issues-to-echo', source: 'github', eventType: 'github.issues', filter: { '/action': 'opened' }, agent: 'echo' };

export function RoutesPage({ route }: { route: Route }): JSX.Element {
  const { api } = useSession();
  const canCreate = useCan('createRoute');
  const list = usePaged((cursor) => must(api.GET('/routes', { params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } } })), []);
  const [editing, setEditing] = useState<string | undefined>(route.segments[1]);
  return (
    <>
      <h1>Routes</h1>
      {canCreate && (
        <details class="card">
          <summary>New route</summary>
          <JsonForm id="route-new" label="Route" initial={TEMPLATE} submit={async (v) => void (await must(api.POST('/routes', { body: v as CreateRoute })))} onDone={list.reload} />
        </details>
      )}
      <PagedTable
        state={list}
        label="Routes"
        empty="No routes: events run agents only when asked by name."
        head={['Id', 'Source', 'Event type', 'Filter', 'Agent', 'State', '']}
        row={(r) => (
          <tr key={r.id}>
            <td>{r.id}</td>
            <td>{r.source ?? 'any'}</td>
            <td>{r.eventType}</td>
            <td>{r.filter ? <code>{JSON.stringify(r.filter)}</code> : '—'}</td>
            <td>
              <a href={href(`agents/${r.agent}`)}>{r.agent}</a>
            </td>
            <td>
              <Badge status={r.enabled ? 'enabled' : 'disabled'} />
            </td>
            <td>
              <RouteActions route={r} editing={editing === r.id} onEdit={() => setEditing(editing === r.id ? undefined : r.id)} onChange={list.reload} />
            </td>
          </tr>
        )}
      />
    </>
  );
}

function RouteActions({ route, editing, onEdit, onChange }: { route: RouteView; editing: boolean; onEdit: () => void; onChange: () => void }): JSX.Element | null {
  const { api } = useSession();
  const canUpdate = useCan('updateRoute');
  const canDelete = useCan('deleteRoute');
  const action = useAction();
  if (!canUpdate) return null;
  const path = { params: { path: { id: route.id } } };
  const { id: _id, origin: _o, version: _v, updatedAt: _u, ...editable } = route;
  return (
    <div class="actions">
      <button type="button" onClick={onEdit} aria-expanded={editing}>
        Edit
      </button>
      {canDelete && (
        <button
          type="button"
          class="danger"
          disabled={action.busy}
          onClick={() => {
            if (!window.confirm(`Delete route ${route.id}?`)) return;
            action.run(async () => {
              await must(api.DELETE('/routes/{id}', path));
              onChange();
            });
          }}
        >
          Delete
        </button>
      )}
      {action.error !== undefined && <ErrorBox error={action.error} />}
      {editing && <JsonForm id={`route-${route.id}`} label={`Route ${route.id}`} initial={editable} submit={async (v) => void (await must(api.PATCH('/routes/{id}', { ...path, body: v as UpdateRoute })))} onDone={onChange} />}
    </div>
  );
}
