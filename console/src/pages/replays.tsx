import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { fetchBlob, must, type Schemas } from '../api/client';
import { useAsync, useInterval } from '../hooks';
import { href, navigate, type Route } from '../router';
import { useCan, useSession } from '../session';
import { Async, Badge, Empty, ErrorBox, Facts, Table, Time, isoToLocal, localToIso, saveBlob, useAction } from '../ui/common';

type Replay = Schemas['api.replays.replay'];
type Mode = Replay['mode'];
const MODES: Mode[] = ['export', 'redeliver', 'reprocess'];
const isDone = (r: Replay): boolean => r.status === 'succeeded' || r.status === 'failed' || r.status === 'cancelled';

/** Share of the job's ranges read, 0–100; a succeeded job is 100 whatever its ranges say. */
export function progressOf(r: Replay): number {
  if (r.status === 'succeeded') return 100;
  let total = 0;
  let done = 0;
  for (const p of r.progress) {
    if (p.end === null || p.end <= p.start) continue;
    total += p.end - p.start;
    done += Math.min(Math.max(p.position - p.start, 0), p.end - p.start);
  }
  return total === 0 ? 0 : Math.floor((done / total) * 100);
}

export function ReplaysPage({ route }: { route: Route }): JSX.Element {
  const id = route.segments[1];
  return id ? <ReplayView id={id} /> : <ReplayList />;
}

function ReplayList(): JSX.Element {
  const { api } = useSession();
  const canCreate = useCan('createReplay');
  const list = useAsync(() => must(api.GET('/replays', { params: { query: {} } })), []);
  return (
    <>
      <h1>Replays</h1>
      {canCreate && <StartReplay />}
      <section aria-labelledby="replay-jobs">
        <h2 id="replay-jobs">Jobs</h2>
        <Async state={list}>
          {(page) =>
            page.items.length === 0 ? (
              <Empty>No replay jobs yet.</Empty>
            ) : (
              <Table head={['Created', 'Mode', 'Source / topic', 'Range', 'Status', 'Progress', 'Job']} label="Replay jobs">
                {page.items.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <Time iso={r.createdAt} />
                    </td>
                    <td>{r.mode}</td>
                    <td>{r.source ?? r.topic}</td>
                    <td>
                      <Time iso={r.from} /> → <Time iso={r.to} />
                    </td>
                    <td>
                      <Badge status={r.status} />
                    </td>
                    <td>{progressOf(r)}%</td>
                    <td>
                      <a href={href(`replays/${r.id}`)}>{r.id}</a>
                    </td>
                  </tr>
                ))}
              </Table>
            )
          }
        </Async>
      </section>
    </>
  );
}

function StartReplay(): JSX.Element {
  const { api, me } = useSession();
  // The API lets analysts export only (redeliver and reprocess cause deliveries and executions: an operator's
  // call); that rule is per mode, below what the OpenAPI roles of createReplay can say.
  const modes = me.role === 'analyst' ? MODES.filter((m) => m === 'export') : MODES;
  const sources = useAsync(() => must(api.GET('/sources', { params: { query: { limit: 200 } } })), []);
  const action = useAction();
  const [mode, setMode] = useState<Mode>('export');
  return (
    <form
      class="card"
      aria-labelledby="start-replay"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        action.run(async () => {
          const types = String(form.get('types') ?? '')
            .split(/[\s,]+/)
            .filter(Boolean);
          const subscriptionId = String(form.get('subscriptionId') ?? '').trim();
          const job = await must(
            api.POST('/replays', {
              body: {
                mode,
                source: String(form.get('source') ?? ''),
                from: localToIso(String(form.get('from') ?? '')) ?? '',
                to: localToIso(String(form.get('to') ?? '')) ?? '',
                ...(types.length > 0 ? { types } : {}),
                ...(mode === 'redeliver' && subscriptionId ? { subscriptionId } : {}),
              },
            }),
          );
          navigate(href(`replays/${job.id}`));
        });
      }}
    >
      <h2 id="start-replay">Start a replay</h2>
      <div class="row">
        <div class="field">
          <label for="replay-mode">Mode</label>
          <select id="replay-mode" name="mode" value={mode} onChange={(e) => setMode(e.currentTarget.value as Mode)}>
            {modes.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="replay-source">Source</label>
          <select id="replay-source" name="source" required>
            {(sources.data?.items ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.id}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="replay-from">From</label>
          <input id="replay-from" name="from" type="datetime-local" required defaultValue={isoToLocal(new Date(Date.now() - 3600_000).toISOString())} />
        </div>
        <div class="field">
          <label for="replay-to">To</label>
          <input id="replay-to" name="to" type="datetime-local" required defaultValue={isoToLocal(new Date(Date.now() + 60_000).toISOString())} />
        </div>
        <div class="field">
          <label for="replay-types">Event types (optional)</label>
          <input id="replay-types" name="types" placeholder="github.push, github.issues" />
        </div>
        {mode === 'redeliver' && (
          <div class="field">
            <label for="replay-sub">Subscription</label>
            <input id="replay-sub" name="subscriptionId" required />
          </div>
        )}
      </div>
      <button type="submit" class="primary" disabled={action.busy}>
        Start {mode}
      </button>
      {action.error !== undefined && <ErrorBox error={action.error} />}
    </form>
  );
}

function ReplayView({ id }: { id: string }): JSX.Element {
  const { api, key } = useSession();
  const canCancel = useCan('cancelReplay');
  const job = useAsync(() => must(api.GET('/replays/{id}', { params: { path: { id } } })), [id]);
  const action = useAction();
  useInterval(job.reload, 1000, job.data !== undefined && !isDone(job.data));
  return (
    <>
      <p class="crumbs">
        <a href={href('replays')}>Replays</a> / {id}
      </p>
      <h1>Replay</h1>
      <Async state={job}>
        {(r) => {
          const pct = progressOf(r);
          return (
            <>
              <div class="progress-line">
                <label for="replay-progress">Progress</label>
                <progress id="replay-progress" max={100} value={pct} aria-valuetext={`${pct}%`} />
                <span class="pct" aria-live="polite">
                  {pct}%
                </span>{' '}
                <Badge status={r.status} />
              </div>
              <div class="actions">
                {canCancel && !isDone(r) && (
                  <button
                    type="button"
                    class="danger"
                    disabled={action.busy || r.cancelRequested}
                    onClick={() =>
                      action.run(async () => {
                        await must(api.DELETE('/replays/{id}', { params: { path: { id } } }));
                        job.reload();
                      })
                    }
                  >
                    Cancel replay
                  </button>
                )}
                {r.mode === 'export' && r.status === 'succeeded' && (
                  <button type="button" class="primary" disabled={action.busy} onClick={() => action.run(async () => saveBlob(await fetchBlob(key, `/replays/${id}/export`), `replay-${id}.ndjson`))}>
                    Download export{r.export ? ` (${r.export.bytes} bytes)` : ''}
                  </button>
                )}
              </div>
              {action.error !== undefined && <ErrorBox error={action.error} />}
              {r.error && (
                <div class="error" role="alert">
                  {r.error}
                </div>
              )}
              <Facts
                rows={[
                  ['mode', r.mode],
                  ['source', r.source ?? undefined],
                  ['topic', r.topic],
                  ['range', <><Time iso={r.from} /> → <Time iso={r.to} /></>],
                  ['types', r.types.join(', ') || 'all'],
                  ['subscription', r.subscriptionId ?? undefined],
                  ['read / matched / emitted', `${r.counts.read} / ${r.counts.matched} / ${r.counts.emitted}`],
                  ['executions started', r.counts.executionsStarted],
                  ['rate', `${r.rate.toFixed(1)}/s (limit ${r.ratePerSecond}/s)`],
                  ['read from', `Kafka ${r.usedSources.kafka} · archive ${r.usedSources.archive}`],
                  ['created', <Time iso={r.createdAt} />],
                  ['started', <Time iso={r.startedAt} />],
                  ['finished', <Time iso={r.finishedAt} />],
                ]}
              />
            </>
          );
        }}
      </Async>
    </>
  );
}
