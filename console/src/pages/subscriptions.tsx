import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { must, type Schemas } from '../api/client';
import { useAsync, usePaged } from '../hooks';
import { href, navigate, type Route } from '../router';
import { useCan, useSession } from '../session';
import { Async, Badge, ErrorBox, Facts, PagedTable, SecretOnce, Time, isoToLocal, localToIso, useAction } from '../ui/common';
import { DELIVERY_HEAD, deliveryRow } from './events';

type Subscription = Schemas['api.subscriptions.subscription'];
type Filter = NonNullable<Subscription['filter']>;

export function SubscriptionsPage({ route }: { route: Route }): JSX.Element {
  const id = route.segments[1];
  if (id === 'new') return <CreateSubscription />;
  return id ? <SubscriptionView id={id} /> : <SubscriptionList />;
}

const splitTypes = (text: string): string[] =>
  text
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter(Boolean);

function parseFilter(text: string): Filter | undefined {
  if (!text.trim()) return undefined;
  const value = JSON.parse(text) as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('the filter must be a JSON object of JSON Pointer → value');
  return value as Filter;
}

function SubscriptionList(): JSX.Element {
  const { api } = useSession();
  const canCreate = useCan('createSubscription');
  const list = usePaged((cursor) => must(api.GET('/subscriptions', { params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } } })), []);
  return (
    <>
      <h1>Subscriptions</h1>
      {canCreate && (
        <a class="button primary" href={href('subscriptions/new')}>
          New subscription
        </a>
      )}
      <PagedTable
        state={list}
        label="Subscriptions"
        empty="No subscriptions yet."
        head={['Id', 'URL', 'Event types', 'State', 'Updated']}
        row={(s) => (
          <tr key={s.id}>
            <td>
              <a href={href(`subscriptions/${s.id}`)}>{s.id}</a>
            </td>
            <td class="wrap">{s.url}</td>
            <td>{s.eventTypes.join(', ')}</td>
            <td>
              <Badge status={s.enabled ? 'enabled' : 'disabled'} />
            </td>
            <td>
              <Time iso={s.updatedAt} />
            </td>
          </tr>
        )}
      />
    </>
  );
}

/** Reachable by URL for every role: an analyst who forces it gets the API's 403 problem, shown as such. */
function CreateSubscription(): JSX.Element {
  const { api } = useSession();
  const action = useAction();
  const [created, setCreated] = useState<{ secret: string; id: string } | undefined>(undefined);
  if (created) {
    return (
      <>
        <h1>Subscription {created.id} created</h1>
        <SecretOnce secret={created.secret} what="signing secret" />
        <p>
          <a href={href(`subscriptions/${created.id}`)}>Open subscription {created.id}</a>
        </p>
      </>
    );
  }
  return (
    <>
      <p class="crumbs">
        <a href={href('subscriptions')}>Subscriptions</a> / new
      </p>
      <h1>New subscription</h1>
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          action.run(async () => {
            const id = String(form.get('id') ?? '').trim();
            const filter = parseFilter(String(form.get('filter') ?? ''));
            const body = { url: String(form.get('url') ?? ''), eventTypes: splitTypes(String(form.get('eventTypes') ?? '')), ...(id ? { id } : {}), ...(filter ? { filter } : {}) };
            const res = await must(api.POST('/subscriptions', { body }));
            setCreated({ secret: res.secret, id: res.subscription.id });
          });
        }}
      >
        <div class="field">
          <label for="sub-id">Id (optional)</label>
          <input id="sub-id" name="id" placeholder="generated when empty" />
        </div>
        <div class="field">
          <label for="sub-url">Endpoint URL *</label>
          <input id="sub-url" name="url" type="url" required placeholder="https://example.com/hooks" />
        </div>
        <div class="field">
          <label for="sub-types">Event types * (comma-separated patterns)</label>
          <input id="sub-types" name="eventTypes" required defaultValue="hookhub.execution.*" />
        </div>
        <div class="field">
          <label for="sub-filter">Filter (JSON, optional)</label>
          <textarea id="sub-filter" name="filter" rows={3} placeholder='{"/execution/agent": "echo"}' />
        </div>
        <button type="submit" class="primary" disabled={action.busy}>
          Create subscription
        </button>
        {action.error !== undefined && <ErrorBox error={action.error} />}
      </form>
    </>
  );
}

function SubscriptionView({ id }: { id: string }): JSX.Element {
  const { api } = useSession();
  const sub = useAsync(() => must(api.GET('/subscriptions/{id}', { params: { path: { id } } })), [id]);
  const deliveries = usePaged((cursor) => must(api.GET('/subscriptions/{id}/deliveries', { params: { path: { id }, query: { limit: 25, ...(cursor ? { cursor } : {}) } } })), [id]);
  return (
    <>
      <p class="crumbs">
        <a href={href('subscriptions')}>Subscriptions</a> / {id}
      </p>
      <h1>Subscription {id}</h1>
      <Async state={sub}>
        {(s) => (
          <>
            <Facts
              rows={[
                ['URL', s.url],
                ['event types', s.eventTypes.join(', ')],
                ['filter', s.filter && <code>{JSON.stringify(s.filter)}</code>],
                ['state', <Badge status={s.enabled ? 'enabled' : 'disabled'} />],
                ['ordered', s.ordered ? 'yes' : 'no'],
                ['secrets', `${s.secretsLive} live${s.rotating ? ' (rotating)' : ''}`],
                ['origin', s.origin],
                ['updated', <Time iso={s.updatedAt} />],
              ]}
            />
            <SubscriptionActions sub={s} onChange={() => (sub.reload(), deliveries.reload())} />
          </>
        )}
      </Async>
      <section aria-labelledby="sub-deliveries">
        <h2 id="sub-deliveries">Deliveries</h2>
        <button type="button" onClick={deliveries.reload}>
          Refresh
        </button>
        <PagedTable state={deliveries} label="Deliveries of this subscription" empty="Nothing delivered to this subscription yet." head={DELIVERY_HEAD} row={deliveryRow} />
      </section>
    </>
  );
}

function SubscriptionActions({ sub, onChange }: { sub: Subscription; onChange: () => void }): JSX.Element | null {
  const { api } = useSession();
  const canUpdate = useCan('updateSubscription');
  const canRotate = useCan('rotateSubscriptionSecret');
  const canRecover = useCan('recoverSubscriptionDeliveries');
  const canDelete = useCan('deleteSubscription');
  const action = useAction();
  const [secret, setSecret] = useState<string | undefined>(undefined);
  const [recovered, setRecovered] = useState<number | undefined>(undefined);
  if (!canUpdate && !canRotate && !canRecover) return null;
  const path = { params: { path: { id: sub.id } } };
  return (
    <section aria-labelledby="sub-actions" class="card">
      <h2 id="sub-actions">Manage</h2>
      <div class="actions">
        {canUpdate && (
          <button type="button" disabled={action.busy} onClick={() =>
              action.run(async () => {
                await must(sub.enabled ? api.POST('/subscriptions/{id}/disable', path) : api.POST('/subscriptions/{id}/enable', path));
                onChange();
              })
            }>
            {sub.enabled ? 'Disable' : 'Enable'}
          </button>
        )}
        {canRotate && (
          <button
            type="button"
            disabled={action.busy}
            onClick={() =>
              action.run(async () => {
                const res = await must(api.POST('/subscriptions/{id}/rotate-secret', path));
                setSecret(res.secret);
                onChange();
              })
            }
          >
            Rotate secret
          </button>
        )}
        {canDelete && (
          <button
            type="button"
            class="danger"
            disabled={action.busy}
            onClick={() => {
              if (!window.confirm(`Delete subscription ${sub.id}?`)) return;
              action.run(async () => {
                await must(api.DELETE('/subscriptions/{id}', path));
                navigate(href('subscriptions'));
              });
            }}
          >
            Delete
          </button>
        )}
      </div>
      {secret && <SecretOnce secret={secret} what="new signing secret" />}
      {canUpdate && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const form = new FormData(e.currentTarget);
            action.run(async () => {
              const filter = parseFilter(String(form.get('filter') ?? '')) ?? {};
              await must(api.PATCH('/subscriptions/{id}', { params: { path: { id: sub.id } }, body: { eventTypes: splitTypes(String(form.get('eventTypes') ?? '')), filter } }));
              onChange();
            });
          }}
        >
          <div class="field">
            <label for="edit-types">Event types</label>
            <input id="edit-types" name="eventTypes" required defaultValue={sub.eventTypes.join(', ')} />
          </div>
          <div class="field">
            <label for="edit-filter">Filter (JSON)</label>
            <textarea id="edit-filter" name="filter" rows={2} defaultValue={sub.filter ? JSON.stringify(sub.filter) : ''} />
          </div>
          <button type="submit" disabled={action.busy}>
            Save types and filter
          </button>
        </form>
      )}
      {canRecover && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const since = localToIso(String(new FormData(e.currentTarget).get('since') ?? ''));
            action.run(async () => {
              const res = await must(api.POST('/subscriptions/{id}/recover', { params: { path: { id: sub.id } }, body: { since: since ?? new Date().toISOString() } }));
              setRecovered(res.recovered);
              onChange();
            });
          }}
        >
          <div class="field">
            <label for="recover-since">Recover failed deliveries since</label>
            <input id="recover-since" name="since" type="datetime-local" required defaultValue={isoToLocal(new Date(Date.now() - 86_400_000).toISOString())} />
          </div>
          <button type="submit" disabled={action.busy}>
            Recover failed
          </button>
          {recovered !== undefined && <p role="status">{recovered} deliveries queued again.</p>}
        </form>
      )}
      {action.error !== undefined && <ErrorBox error={action.error} />}
    </section>
  );
}
