import type { JSX } from 'preact';
import { must } from '../api/client';
import { useAsync } from '../hooks';
import { href } from '../router';
import { useCan, useSession } from '../session';
import { Async, Badge, Empty, ErrorBox, Facts, Time, ms, useAction } from '../ui/common';
import { prettyBody } from './events';

/** One delivery: what was sent, and every attempt on a timeline (status, latency, error kind, response excerpt). */
export function DeliveryPage({ id }: { id: string }): JSX.Element {
  const { api } = useSession();
  const canResend = useCan('resendDelivery');
  const delivery = useAsync(() => must(api.GET('/deliveries/{id}', { params: { path: { id } } })), [id]);
  const resend = useAction();
  return (
    <>
      <p class="crumbs">
        <a href={href('subscriptions')}>Subscriptions</a> / delivery {id}
      </p>
      <h1>Delivery</h1>
      <Async state={delivery}>
        {(d) => (
          <>
            <Facts
              rows={[
                ['subscription', <a href={href(`subscriptions/${d.subscriptionId}`)}>{d.subscriptionId}</a>],
                ['event', `${d.eventType} · ${d.eventId}`],
                ['source', d.eventSource],
                ['status', <Badge status={d.status} />],
                ['attempts', d.attemptCount],
                ['trigger', d.trigger],
                ['created', <Time iso={d.createdAt} />],
                ['next attempt', <Time iso={d.nextAttemptAt} />],
                ['finished', <Time iso={d.finishedAt} />],
              ]}
            />
            <div class="actions">
              {canResend && (
                <button
                  type="button"
                  class="primary"
                  disabled={resend.busy}
                  onClick={() =>
                    resend.run(async () => {
                      await must(api.POST('/deliveries/{id}/resend', { params: { path: { id } } }));
                      delivery.reload();
                    })
                  }
                >
                  Resend
                </button>
              )}
              <button type="button" onClick={delivery.reload}>
                Refresh
              </button>
            </div>
            {resend.error !== undefined && <ErrorBox error={resend.error} />}
            <section aria-labelledby="attempts">
              <h2 id="attempts">Attempts</h2>
              {d.attempts.length === 0 ? (
                <Empty>No attempt yet.</Empty>
              ) : (
                <ol class="timeline">
                  {d.attempts.map((a, i) => (
                    <li key={`${a.at}-${i}`} class={a.status !== undefined && a.status < 300 ? 'ok' : 'bad'}>
                      <div class="when">
                        <Time iso={a.at} /> · {a.trigger}
                      </div>
                      <div>
                        {a.status !== undefined ? <Badge status={a.status < 300 ? 'succeeded' : 'failed'} /> : <Badge status="failed" />} HTTP {a.status ?? '—'} · {ms(a.latencyMs)}
                        {a.errorKind && (
                          <>
                            {' '}
                            · <code>{a.errorKind}</code>
                          </>
                        )}
                        {a.nextAttemptAt && (
                          <>
                            {' '}
                            · next <Time iso={a.nextAttemptAt} />
                          </>
                        )}
                      </div>
                      {a.error && <div class="muted">{a.error}</div>}
                      {a.responseBody && <pre class="excerpt">{a.responseBody}</pre>}
                    </li>
                  ))}
                </ol>
              )}
            </section>
            <section aria-labelledby="payload">
              <h2 id="payload">Payload ({d.contentType})</h2>
              <pre class="json" role="region" aria-label="Payload" tabIndex={0}>
                {prettyBody(d.body, d.bodyEncoding)}
              </pre>
            </section>
          </>
        )}
      </Async>
    </>
  );
}
