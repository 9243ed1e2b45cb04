import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { must, type Schemas } from '../api/client';
import { usePaged } from '../hooks';
import type { Route } from '../router';
import { useSession } from '../session';
import { Badge, ErrorBox, PagedTable, SecretOnce, Time, useAction } from '../ui/common';

type Role = Schemas['api.common.role'];
const ROLES: Role[] = ['analyst', 'operator', 'admin'];

export function KeysPage(_props: { route: Route }): JSX.Element {
  const { api, me } = useSession();
  const list = usePaged((cursor) => must(api.GET('/keys', { params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } } })), []);
  const create = useAction();
  const revoke = useAction();
  const [secret, setSecret] = useState<string | undefined>(undefined);
  return (
    <>
      <h1>API keys</h1>
      <form
        class="card"
        aria-labelledby="new-key"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          create.run(async () => {
            const name = String(form.get('name') ?? '').trim();
            const res = await must(api.POST('/keys', { body: { role: String(form.get('role')) as Role, ...(name ? { name } : {}) } }));
            setSecret(res.key);
            list.reload();
          });
        }}
      >
        <h2 id="new-key">New key</h2>
        <div class="row">
          <div class="field">
            <label for="key-name">Name</label>
            <input id="key-name" name="name" placeholder="ci-pipeline" />
          </div>
          <div class="field">
            <label for="key-role">Role</label>
            <select id="key-role" name="role">
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </div>
        </div>
        <button type="submit" class="primary" disabled={create.busy}>
          Create key
        </button>
        {create.error !== undefined && <ErrorBox error={create.error} />}
        {secret && <SecretOnce secret={secret} what="API key" />}
      </form>
      {revoke.error !== undefined && <ErrorBox error={revoke.error} />}
      <PagedTable
        state={list}
        label="API keys"
        empty="No keys."
        head={['Name', 'Role', 'Prefix', 'Created', 'Last used', 'State', '']}
        row={(k: Schemas['api.keys.key']) => (
          <tr key={k.id}>
            <td>{k.name}</td>
            <td>{k.role}</td>
            <td>
              <code>{k.prefix}…</code>
            </td>
            <td>
              <Time iso={k.createdAt} />
            </td>
            <td>
              <Time iso={k.lastUsedAt} />
            </td>
            <td>
              <Badge status={k.revokedAt ? 'revoked' : 'active'} />
            </td>
            <td>
              {!k.revokedAt && k.id !== me.keyId && (
                <button
                  type="button"
                  class="danger"
                  disabled={revoke.busy}
                  onClick={() => {
                    if (!window.confirm(`Revoke key ${k.name}? Callers using it get 401 at once.`)) return;
                    revoke.run(async () => {
                      await must(api.DELETE('/keys/{id}', { params: { path: { id: k.id } } }));
                      list.reload();
                    });
                  }}
                >
                  Revoke
                </button>
              )}
            </td>
          </tr>
        )}
      />
    </>
  );
}
