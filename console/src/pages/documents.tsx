import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { must, type Schemas } from '../api/client';
import { useAsync, usePaged } from '../hooks';
import { href, navigate, type Route } from '../router';
import { useCan, useSession } from '../session';
import { Async, Empty, ErrorBox, Facts, PagedTable, Time, useAction } from '../ui/common';
import { Filters, pick } from '../ui/filters';
import { Diff, Markdown } from '../ui/markdown';

type Doc = Schemas['api.documents.document'];

export function DocumentsPage({ route }: { route: Route }): JSX.Element {
  const id = route.segments[1];
  return id ? <DocumentView id={id} /> : <DocumentList query={route.query} />;
}

function DocumentList({ query }: { query: URLSearchParams }): JSX.Element {
  const { api } = useSession();
  const filters = pick(query, ['kind', 'agent', 'tag', 'q']);
  const list = usePaged((cursor) => must(api.GET('/documents', { params: { query: { ...filters, limit: 25, ...(cursor ? { cursor } : {}) } } })), [JSON.stringify(filters)]);
  return (
    <>
      <h1>Documents</h1>
      <Filters
        page="documents"
        query={query}
        fields={[
          { name: 'q', label: 'Text' },
          { name: 'kind', label: 'Kind' },
          { name: 'agent', label: 'Agent' },
          { name: 'tag', label: 'Tag' },
        ]}
      />
      <PagedTable
        state={list}
        label="Documents"
        empty="No documents match these filters."
        head={['Title', 'Kind', 'Agent', 'Tags', 'Version', 'Updated']}
        row={(d) => (
          <tr key={d.id}>
            <td>
              <a href={href(`documents/${d.id}`)}>{d.title}</a>
            </td>
            <td>
              <a href={href('documents', { kind: d.kind })}>{d.kind}</a>
            </td>
            <td>{d.agent}</td>
            <td>
              {d.tags.map((t) => (
                <a key={t} class="tag" href={href('documents', { tag: t })}>
                  {t}
                </a>
              ))}
            </td>
            <td>{d.version}</td>
            <td>
              <Time iso={d.updatedAt ?? d.createdAt} />
            </td>
          </tr>
        )}
      />
    </>
  );
}

function DocumentView({ id }: { id: string }): JSX.Element {
  const { api } = useSession();
  const doc = useAsync(() => must(api.GET('/documents/{id}', { params: { path: { id } } })), [id]);
  const versions = useAsync(() => must(api.GET('/documents/{id}/versions', { params: { path: { id } } })), [id]);
  return (
    <>
      <p class="crumbs">
        <a href={href('documents')}>Documents</a> / {id}
      </p>
      <Async state={doc}>
        {(d) => (
          <>
            <h1>{d.title}</h1>
            <Facts
              rows={[
                ['kind', d.kind],
                ['agent', <a href={href(`agents/${d.agent}`)}>{d.agent}</a>],
                ['execution', <a href={href(`executions/${d.executionId}`)}>{d.executionId}</a>],
                ['tags', d.tags.join(', ') || undefined],
                ['key', d.key],
                ['version', d.version],
                ['created', <Time iso={d.createdAt} />],
                ['updated', <Time iso={d.updatedAt} />],
              ]}
            />
            <EditDocument doc={d} onSaved={() => (doc.reload(), versions.reload())} />
            <section aria-labelledby="doc-body">
              <h2 id="doc-body">Content</h2>
              {d.body !== undefined ? <Markdown text={d.body} /> : d.url ? <a href={d.url}>{d.url}</a> : <Empty>No content.</Empty>}
            </section>
            <section aria-labelledby="doc-versions">
              <h2 id="doc-versions">Version history</h2>
              <Async state={versions}>{(v) => <Versions items={v.items} />}</Async>
            </section>
          </>
        )}
      </Async>
    </>
  );
}

function Versions({ items }: { items: Doc[] }): JSX.Element {
  const sorted = [...items].sort((a, b) => b.version - a.version);
  const [shown, setShown] = useState<number | undefined>(sorted[0]?.version);
  if (sorted.length === 0) return <Empty>No versions.</Empty>;
  const index = sorted.findIndex((v) => v.version === shown);
  const current = sorted[index];
  const previous = sorted[index + 1];
  return (
    <>
      <div class="field">
        <label for="doc-version">Version</label>
        <select id="doc-version" value={shown} onChange={(e) => setShown(Number(e.currentTarget.value))}>
          {sorted.map((v) => (
            <option key={v.version} value={v.version}>
              v{v.version} · {new Date(v.createdAt).toLocaleString()}
            </option>
          ))}
        </select>
      </div>
      {current && previous ? (
        <>
          <p>
            Changes from v{previous.version} to v{current.version}:
          </p>
          <Diff before={`# ${previous.title}\n\n${previous.body ?? ''}`} after={`# ${current.title}\n\n${current.body ?? ''}`} />
        </>
      ) : (
        <Empty>v{current?.version} is the first version.</Empty>
      )}
    </>
  );
}

function EditDocument({ doc, onSaved }: { doc: Doc; onSaved: () => void }): JSX.Element | null {
  const { api } = useSession();
  const canEdit = useCan('updateDocument');
  const canDelete = useCan('deleteDocument');
  const action = useAction();
  if (!canEdit && !canDelete) return null;
  return (
    <section aria-labelledby="doc-edit" class="card">
      <h2 id="doc-edit">Edit</h2>
      {canEdit && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const form = new FormData(e.currentTarget);
            const tags = String(form.get('tags') ?? '')
              .split(',')
              .map((t) => t.trim())
              .filter(Boolean);
            action.run(async () => {
              await must(api.PATCH('/documents/{id}', { params: { path: { id: doc.id } }, body: { title: String(form.get('title') ?? ''), tags } }));
              onSaved();
            });
          }}
        >
          <div class="field">
            <label for="doc-title">Title</label>
            <input id="doc-title" name="title" required defaultValue={doc.title} />
          </div>
          <div class="field">
            <label for="doc-tags">Tags (comma-separated)</label>
            <input id="doc-tags" name="tags" defaultValue={doc.tags.join(', ')} />
          </div>
          <button type="submit" class="primary" disabled={action.busy}>
            Save
          </button>
        </form>
      )}
      {canDelete && (
        <button
          type="button"
          class="danger"
          disabled={action.busy}
          onClick={() => {
            if (!window.confirm(`Delete "${doc.title}" and all its versions?`)) return;
            action.run(async () => {
              await must(api.DELETE('/documents/{id}', { params: { path: { id: doc.id } } }));
              navigate(href('documents'));
            });
          }}
        >
          Delete document
        </button>
      )}
      {action.error !== undefined && <ErrorBox error={action.error} />}
    </section>
  );
}
