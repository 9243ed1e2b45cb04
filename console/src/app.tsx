import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorBox, Loading } from './ui/common';
import { href, useRoute, type Route } from './router';
import { forgetKey, openSession, SessionContext, storedKey, type Session } from './session';
import { OverviewPage } from './pages/overview';
import { EventsPage } from './pages/events';
import { AgentsPage } from './pages/agents';
import { ExecutionsPage } from './pages/executions';
import { DocumentsPage } from './pages/documents';
import { SubscriptionsPage } from './pages/subscriptions';
import { DeliveryPage } from './pages/deliveries';
import { ReplaysPage } from './pages/replays';
import { SourcesPage } from './pages/sources';
import { RoutesPage } from './pages/routes';
import { KeysPage } from './pages/keys';

interface NavItem {
  path: string;
  label: string;
  /** The operation whose permission shows the item (admin pages). */
  needs?: string;
  page: (route: Route) => JSX.Element;
}

const NAV: NavItem[] = [
  { path: 'overview', label: 'Overview', page: () => <OverviewPage /> },
  { path: 'events', label: 'Events', page: (r) => <EventsPage route={r} /> },
  { path: 'agents', label: 'Agents', page: (r) => <AgentsPage route={r} /> },
  { path: 'executions', label: 'Executions', page: (r) => <ExecutionsPage route={r} /> },
  { path: 'documents', label: 'Documents', page: (r) => <DocumentsPage route={r} /> },
  { path: 'subscriptions', label: 'Subscriptions', page: (r) => <SubscriptionsPage route={r} /> },
  { path: 'replays', label: 'Replays', page: (r) => <ReplaysPage route={r} /> },
  { path: 'sources', label: 'Sources', page: (r) => <SourcesPage route={r} /> },
  { path: 'routes', label: 'Routes', page: (r) => <RoutesPage route={r} /> },
  { path: 'keys', label: 'Keys', needs: 'listKeys', page: (r) => <KeysPage route={r} /> },
];

const DETAIL_PAGES: Record<string, (route: Route) => JSX.Element> = {
  deliveries: (r) => <DeliveryPage id={r.segments[1] ?? ''} />,
};

export function App(): JSX.Element {
  const [session, setSession] = useState<Session | null>(null);
  const [restoring, setRestoring] = useState(() => storedKey() !== null);
  useEffect(() => {
    const key = storedKey();
    if (!key) return;
    openSession(key).then(setSession, () => {
      forgetKey();
      setRestoring(false);
    });
  }, []);
  if (session) {
    return (
      <SessionContext.Provider value={session}>
        <Shell
          session={session}
          onSignOut={() => {
            forgetKey();
            setSession(null);
            setRestoring(false);
          }}
        />
      </SessionContext.Provider>
    );
  }
  if (restoring) return <Loading />;
  return <SignIn onSession={setSession} />;
}

function SignIn({ onSession }: { onSession: (s: Session) => void }): JSX.Element {
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  return (
    <main class="signin">
      <h1>hookhub console</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(undefined);
          openSession(key.trim()).then(onSession, (err: unknown) => {
            setError(err);
            setBusy(false);
          });
        }}
      >
        <label for="api-key">API key</label>
        <input id="api-key" name="api-key" type="password" autoComplete="off" required value={key} onInput={(e) => setKey(e.currentTarget.value)} placeholder="hh_…" />
        <p class="hint">Kept in this tab only (sessionStorage) and sent as a Bearer header to /api/v1. Create one with <code>hookhub keys create</code>.</p>
        <button type="submit" class="primary" disabled={busy}>
          Sign in
        </button>
        {error !== undefined && <ErrorBox error={error} />}
      </form>
    </main>
  );
}

function Shell({ session, onSignOut }: { session: Session; onSignOut: () => void }): JSX.Element {
  const route = useRoute();
  const top = route.segments[0] ?? 'overview';
  const items = NAV.filter((n) => !n.needs || session.allowed.has(n.needs));
  const item = items.find((n) => n.path === top);
  const detail = DETAIL_PAGES[top];
  useEffect(() => {
    document.title = `${item?.label ?? 'hookhub'} · hookhub console`;
  }, [item]);
  return (
    <div class="shell">
      <header class="top">
        <a class="brand" href={href('overview')}>
          hookhub
        </a>
        <nav aria-label="Console pages">
          <ul>
            {items.map((n) => (
              <li key={n.path}>
                <a href={href(n.path)} aria-current={n.path === top ? 'page' : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span>
            {session.me.name} · <strong data-role={session.me.role}>{session.me.role}</strong>
          </span>
          <button type="button" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main">{item ? item.page(route) : detail ? detail(route) : <NotFound />}</main>
    </div>
  );
}

const NotFound = (): JSX.Element => (
  <>
    <h1>Not found</h1>
    <p>
      No such page. <a href={href('overview')}>Back to the overview</a>.
    </p>
  </>
);
