import type { ComponentChildren, JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ApiProblem } from '../api/client';
import type { AsyncState, PagedState } from '../hooks';

/** A time in the browser's zone, with the UTC value on hover. */
export function Time({ iso }: { iso: string | null | undefined }): JSX.Element {
  if (!iso) return <span class="muted">—</span>;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return <span>{iso}</span>;
  return (
    <time dateTime={d.toISOString()} title={`${d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z')} UTC`}>
      {d.toLocaleString()}
    </time>
  );
}

export function ErrorBox({ error }: { error: unknown }): JSX.Element {
  if (error instanceof ApiProblem && error.problem) {
    const p = error.problem;
    const errors = (p as { errors?: { path: string; message: string }[] }).errors;
    return (
      <div class="error" role="alert">
        <strong>
          {p.status} {p.title}
        </strong>{' '}
        <code>{p.code}</code>
        {p.detail && <p>{p.detail}</p>}
        {errors && (
          <ul>
            {errors.map((e) => (
              <li key={e.path}>
                <code>{e.path}</code> {e.message}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  return (
    <div class="error" role="alert">
      {error instanceof Error ? error.message : String(error)}
    </div>
  );
}

export const Loading = (): JSX.Element => (
  <p class="loading" role="status">
    Loading…
  </p>
);

export const Empty = ({ children }: { children: ComponentChildren }): JSX.Element => <p class="empty">{children}</p>;

/** The three states every view has: loading, error, and data (with its own empty state). */
export function Async<T>({ state, children }: { state: AsyncState<T>; children: (data: T) => ComponentChildren }): JSX.Element {
  if (state.error !== undefined) return <ErrorBox error={state.error} />;
  if (state.data === undefined) return <Loading />;
  return <>{children(state.data)}</>;
}

/** A paged list: rows, an empty message, and "Load more" while the API returns a cursor. */
export function PagedTable<T>(props: { state: PagedState<T>; empty: string; head: string[]; row: (item: T) => ComponentChildren; label: string }): JSX.Element {
  const { state } = props;
  return (
    <Async state={state}>
      {(items) =>
        items.length === 0 ? (
          <Empty>{props.empty}</Empty>
        ) : (
          <>
            <Table head={props.head} label={props.label}>
              {items.map(props.row)}
            </Table>
            {state.more && (
              <button type="button" onClick={state.more}>
                Load more
              </button>
            )}
            {state.loadingMore && <Loading />}
          </>
        )
      }
    </Async>
  );
}

export function Table({ head, children, label }: { head: string[]; children: ComponentChildren; label: string }): JSX.Element {
  return (
    <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>
      <table>
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

export function Json({ value, label }: { value: unknown; label: string }): JSX.Element {
  return (
    <pre class="json" role="region" aria-label={label} tabIndex={0}>
      {value === undefined ? '—' : JSON.stringify(value, null, 2)}
    </pre>
  );
}

const STATUS_CLASS: Record<string, string> = {
  succeeded: 'ok',
  delivered: 'ok',
  completed: 'ok',
  enabled: 'ok',
  active: 'ok',
  failed: 'bad',
  timed_out: 'bad',
  dead: 'bad',
  exhausted: 'bad',
  disabled: 'warn',
  cancelled: 'warn',
  revoked: 'warn',
};

export const Badge = ({ status }: { status: string }): JSX.Element => <span class={`badge ${STATUS_CLASS[status] ?? 'info'}`}>{status.replace('_', ' ')}</span>;

/** Definition list of label → value. */
export function Facts({ rows }: { rows: [string, ComponentChildren][] }): JSX.Element {
  return (
    <dl class="facts">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v ?? <span class="muted">—</span>}</dd>
        </div>
      ))}
    </dl>
  );
}

export function CopyButton({ text, label }: { text: string; label: string }): JSX.Element {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => setDone(true));
      }}
    >
      {done ? 'Copied' : label}
    </button>
  );
}

/** A secret the API shows only once, with a copy button. */
export function SecretOnce({ secret, what }: { secret: string; what: string }): JSX.Element {
  return (
    <div class="secret" role="status">
      <p>
        <strong>Copy the {what} now:</strong> it is shown only once.
      </p>
      <code class="secret-value">{secret}</code> <CopyButton text={secret} label={`Copy ${what}`} />
    </div>
  );
}

/** Runs an action, shows its problem if it fails; `busy` disables the form meanwhile. */
export function useAction(): { busy: boolean; error: unknown; run: (action: () => Promise<void>) => void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const run = (action: () => Promise<void>): void => {
    setBusy(true);
    setError(undefined);
    action().then(
      () => setBusy(false),
      (err: unknown) => {
        setError(err);
        setBusy(false);
      },
    );
  };
  return { busy, error, run };
}

/** Saves bytes as a file through a temporary object URL. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** `<input type="datetime-local">` value (browser zone) ↔ ISO-8601 UTC for the API. */
export const localToIso = (local: string): string | undefined => (local ? new Date(local).toISOString() : undefined);
export const isoToLocal = (iso: string | null | undefined): string => {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

export const percent = (rate: number | null | undefined): string => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`);
export const ms = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(2)} s`);
