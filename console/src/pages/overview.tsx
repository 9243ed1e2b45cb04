import type { JSX } from 'preact';
import { must } from '../api/client';
import { useAsync } from '../hooks';
import { href, useRoute } from '../router';
import { useCan, useSession } from '../session';
import { Async, Empty, Table, ms, percent } from '../ui/common';
import { LineChart } from '../ui/chart';
import { isRange, rangeQuery, RangePicker, type RangeName } from '../ui/range';

export function OverviewPage(): JSX.Element {
  const route = useRoute();
  const raw = route.query.get('range');
  const range: RangeName = isRange(raw) ? raw : 'day';
  const canAnalyze = useCan('ingestAnalytics');
  return (
    <>
      <h1>Overview</h1>
      {canAnalyze ? (
        <>
          <RangePicker page="overview" current={range} />
          <Ingest range={range} />
          <Executions range={range} />
          <Deliveries range={range} />
        </>
      ) : (
        <p class="notice">
          Charts come from the analytics API, which needs an admin or analyst key. Go to <a href={href('events')}>events</a>, <a href={href('executions')}>executions</a> or{' '}
          <a href={href('subscriptions')}>subscriptions</a>.
        </p>
      )}
      <ConsumerLag />
    </>
  );
}

const perHour = (n: number, q: { from: string; to: string }): string => `${(n / ((new Date(q.to).getTime() - new Date(q.from).getTime()) / 3600_000)).toFixed(1)}/h`;

function Stat({ label, value, link }: { label: string; value: string | number; link?: string }): JSX.Element {
  return (
    <div class="stat">
      <span class="stat-label">{label}</span>
      {link ? (
        <a class="stat-value" href={link}>
          {value}
        </a>
      ) : (
        <span class="stat-value">{value}</span>
      )}
    </div>
  );
}

function Ingest({ range }: { range: RangeName }): JSX.Element {
  const { api } = useSession();
  const q = rangeQuery(range);
  const report = useAsync(() => must(api.GET('/analytics/ingest', { params: { query: q } })), [range]);
  return (
    <section aria-labelledby="ov-ingest">
      <h2 id="ov-ingest">Ingest</h2>
      <Async state={report}>
        {(r) => (
          <>
            <div class="stats">
              <Stat label="Accepted" value={r.totals.accepted} link={href('events', { from: q.from, to: q.to })} />
              <Stat label="Rejected" value={r.totals.rejected} />
              <Stat label="Rate" value={perHour(r.totals.accepted, q)} />
            </div>
            <div class="charts">
              <LineChart
                title="Webhooks per bucket"
                times={r.series.map((b) => b.start)}
                series={[
                  { label: 'accepted', values: r.series.map((b) => b.accepted), color: '#2563eb' },
                  { label: 'rejected', values: r.series.map((b) => b.rejected), color: '#b91c1c' },
                ]}
              />
              {r.sources.length === 0 ? (
                <Empty>No webhooks in this range.</Empty>
              ) : (
                <Table head={['Source', 'Accepted', 'Rejected', 'Top rejection']} label="Ingest per source">
                  {r.sources.map((s) => {
                    const top = r.rejectionCodes.filter((c) => c.source === s.source).sort((a, b) => b.rejected - a.rejected)[0];
                    return (
                      <tr key={s.source}>
                        <td>{s.source}</td>
                        <td>
                          <a href={href('events', { source: s.source, from: q.from, to: q.to })}>{s.accepted}</a>
                        </td>
                        <td>{s.rejected}</td>
                        <td>{top ? `${top.code} (${top.rejected})` : '—'}</td>
                      </tr>
                    );
                  })}
                </Table>
              )}
            </div>
          </>
        )}
      </Async>
    </section>
  );
}

function Executions({ range }: { range: RangeName }): JSX.Element {
  const { api } = useSession();
  const q = rangeQuery(range);
  const report = useAsync(() => must(api.GET('/analytics/teams', { params: { query: q } })), [range]);
  return (
    <section aria-labelledby="ov-exec">
      <h2 id="ov-exec">Agent executions</h2>
      <Async state={report}>
        {(r) => (
          <>
            <div class="stats">
              <Stat label="Executions" value={r.totals.executions} link={href('executions', { from: q.from, to: q.to })} />
              <Stat label="Success rate" value={percent(r.totals.successRate)} />
              <Stat label="Failed" value={r.totals.failed + r.totals.timed_out} link={href('executions', { status: 'failed', from: q.from, to: q.to })} />
              <Stat label="p95 duration" value={ms(r.totals.p95DurationMs)} />
            </div>
            <div class="charts">
              <LineChart
                title="Executions per bucket"
                times={r.series.map((b) => b.start)}
                series={[
                  { label: 'succeeded', values: r.series.map((b) => b.succeeded), color: '#15803d' },
                  { label: 'failed', values: r.series.map((b) => b.failed + b.timed_out), color: '#b91c1c' },
                ]}
              />
              {r.teams.length === 0 ? (
                <Empty>No executions in this range.</Empty>
              ) : (
                <Table head={['Team', 'Executions', 'Success rate', 'p95']} label="Executions per team">
                  {r.teams.map((t) => (
                    <tr key={t.team}>
                      <td>{t.team ?? '(no team)'}</td>
                      <td>
                        <a href={href('executions', { team: t.team, from: q.from, to: q.to })}>{t.executions}</a>
                      </td>
                      <td>{percent(t.successRate)}</td>
                      <td>{ms(t.p95DurationMs)}</td>
                    </tr>
                  ))}
                </Table>
              )}
            </div>
          </>
        )}
      </Async>
    </section>
  );
}

function Deliveries({ range }: { range: RangeName }): JSX.Element {
  const { api } = useSession();
  const q = rangeQuery(range);
  const report = useAsync(() => must(api.GET('/analytics/deliveries', { params: { query: q } })), [range]);
  return (
    <section aria-labelledby="ov-deliv">
      <h2 id="ov-deliv">Deliveries</h2>
      <Async state={report}>
        {(r) => (
          <>
            <div class="stats">
              <Stat label="Attempts" value={r.totals.attempts} />
              <Stat label="Success rate" value={percent(r.totals.successRate)} />
              <Stat label="Failing subscriptions" value={r.failing.length} link={href('subscriptions')} />
            </div>
            <div class="charts">
              <LineChart
                title="Delivery attempts per bucket"
                times={r.series.map((b) => b.start)}
                series={[
                  { label: 'succeeded', values: r.series.map((b) => b.succeeded), color: '#15803d' },
                  { label: 'failed', values: r.series.map((b) => b.failed), color: '#b91c1c' },
                ]}
              />
              {r.subscriptions.length === 0 ? (
                <Empty>No delivery attempts in this range.</Empty>
              ) : (
                <Table head={['Subscription', 'Attempts', 'Success rate', 'p95 latency']} label="Deliveries per subscription">
                  {r.subscriptions.map((s) => (
                    <tr key={s.subscriptionId}>
                      <td>
                        <a href={href(`subscriptions/${s.subscriptionId}`)}>{s.subscriptionId}</a>
                      </td>
                      <td>{s.attempts}</td>
                      <td>{percent(s.successRate)}</td>
                      <td>{ms(s.p95LatencyMs)}</td>
                    </tr>
                  ))}
                </Table>
              )}
            </div>
          </>
        )}
      </Async>
    </section>
  );
}

/** Lag now (not over the range): how many messages each consumer group is behind the end of its topics. */
function ConsumerLag(): JSX.Element {
  const { api } = useSession();
  const lag = useAsync(() => must(api.GET('/consumers')), []);
  return (
    <section aria-labelledby="ov-lag">
      <h2 id="ov-lag">Consumer lag</h2>
      <Async state={lag}>
        {(r) =>
          r.groups.length === 0 ? (
            <Empty>No consumer group has committed offsets yet.</Empty>
          ) : (
            <Table head={['Group', 'State', 'Members', 'Lag', 'Topics behind']} label="Consumer lag per group">
              {r.groups.map((g) => (
                <tr key={g.groupId}>
                  <td>{g.groupId}</td>
                  <td>{g.state}</td>
                  <td>{g.members}</td>
                  <td>
                    <strong>{g.lag}</strong>
                  </td>
                  <td>
                    {g.topics
                      .filter((t) => t.lag > 0)
                      .map((t) => `${t.topic} (${t.lag})`)
                      .join(', ') || '—'}
                  </td>
                </tr>
              ))}
            </Table>
          )
        }
      </Async>
    </section>
  );
}
