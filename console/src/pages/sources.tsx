import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { must, type Schemas } from '../api/client';
import { usePaged } from '../hooks';
import { href, type Route } from '../router';
import { useCan, useSession } from '../session';
import { Badge, ErrorBox, PagedTable, Time, useAction } from '../ui/common';
import { JsonForm } from '../ui/json-form';

type Source = Schemas['api.sources.source'];
type CreateSource = Schemas['api.sources.create-request'];
type UpdateSource = Schemas['api.sources.update-request'];

const TEMPLATE = {
  id: 'my-service',
  description: 'Webhooks from my service',
  verification: { scheme: 'standard-webhooks', secrets: ['whsec_…'] },
  eventType: { pointer: '/type' },
  unknownTypes: 'accept',
};

export function SourcesPage({ route }: { route: Route }): JSX.Element {
  const { api } = useSession();
  const canCreate = useCan('createSource');
  const list = usePaged((cursor) => must(api.GET('/sources', { params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } } })), []);
  const [editing, setEditing] = useState<string | undefined>(route.segments[1]);
  return (
    <>
      <h1>Sources</h1>
      {canCreate && (
        <details class="card">
          <summary>New source</summary>
          <JsonForm id="source-new" label="Source" initial={TEMPLATE} submit={async (v) => void (await must(api.POST('/sources', { body: v as CreateSource })))} onDone={list.reload} />
        </details>
      )}
      <PagedTable
        state={list}
        label="Sources"
        empty="No sources: webhooks have nowhere to go."
        head={['Id', 'Verification', 'State', 'Webhook URL', 'Updated', '']}
        row={(s) => (
          <tr key={s.id}>
            <td>
              <a href={href('events', { source: s.id })}>{s.id}</a>
              {s.description && <div class="muted">{s.description}</div>}
            </td>
            <td>
              {s.verification.scheme} ({s.verification.secretCount} secrets {s.verification.secretHints.join(' ')})
            </td>
            <td>
              <Badge status={s.enabled ? 'enabled' : 'disabled'} />
            </td>
            <td class="wrap">
              <code>{s.url}</code>
            </td>
            <td>
              <Time iso={s.updatedAt} />
            </td>
            <td>
              <SourceActions source={s} editing={editing === s.id} onEdit={() => setEditing(editing === s.id ? undefined : s.id)} onChange={list.reload} />
            </td>
          </tr>
        )}
      />
    </>
  );
}

function SourceActions({ source, editing, onEdit, onChange }: { source: Source; editing: boolean; onEdit: () => void; onChange: () => void }): JSX.Element | null {
  const { api } = useSession();
  const canUpdate = useCan('updateSource');
  const action = useAction();
  if (!canUpdate) return null;
  const path = { params: { path: { id: source.id } } };
  return (
    <div class="actions">
      <button type="button" onClick={onEdit} aria-expanded={editing}>
        Edit
      </button>
      <button
        type="button"
        disabled={action.busy}
        onClick={() =>
          action.run(async () => {
            await must(source.enabled ? api.POST('/sources/{id}/disable', path) : api.POST('/sources/{id}/enable', path));
            onChange();
          })
        }
      >
        {source.enabled ? 'Disable' : 'Enable'}
      </button>
      {action.error !== undefined && <ErrorBox error={action.error} />}
      {editing && (
        <JsonForm
          id={`source-${source.id}`}
          label={`Changes to ${source.id}`}
          initial={{ description: source.description ?? '' }}
          submit={async (v) => void (await must(api.PATCH('/sources/{id}', { ...path, body: v as UpdateSource })))}
          onDone={onChange}
        />
      )}
    </div>
  );
}
