import type { Hub } from '../../src/app/hub';
import { AnalyticsStore } from '../../src/analysts/analytics/data-access/rollups';
import { LATENCY_BOUNDS_MS } from '../../src/analysts/analytics/domain/histogram';
import { recordDeliveryAttempt, recordDeliveryState, recordExecutions, recordIngestRejected } from '../../src/analysts/analytics/recorders';
import { toKafkaHeaders } from '../../src/platform/cloudevents';
import { apiClient, keyFor, OpenApiConformance, openApiOf, type ApiCall } from '../support/api';
import { startTestHub, uniqueNames } from '../support/hub';
import { eventsAt, produceInbound } from '../support/events';
import { waitFor } from '../support/wait';

interface Exec {
  agent: string;
  team?: string;
  status: 'succeeded' | 'failed' | 'timed_out';
  durationMs: number;
  code?: string;
  atMin: number;
}

const exactPercentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1] ?? NaN;
};
/** The reported percentile is the upper bound of the bucket holding the exact one (or the maximum seen). */
const expectWithinOneBucket = (reported: number | null, exact: number): void => {
  const upper = LATENCY_BOUNDS_MS.find((b) => b >= exact) ?? Infinity;
  expect(reported).not.toBeNull();
  expect(reported as number).toBeGreaterThanOrEqual(exact);
  expect(reported as number).toBeLessThanOrEqual(upper);
};

// Scenario: a known set of executions arrives on the results topic (plus a delivery event and a poison message
// that analytics must ignore), inbound events arrive on two sources' topics (one created after the consumer
// started; a replay copy must not count as ingest), and ingest rejections and delivery attempts are recorded
// through the recorder functions. The analytics endpoints answer with the hand-computed figures, percentiles
// within one histogram bucket, at minute, hour and day buckets alike.
describe('analytics over rollups', () => {
  const names = uniqueNames('analytics');
  let hub: Hub;
  const H = Math.floor((Date.now() - 3 * 3600_000) / 3600_000) * 3600_000;
  const at = (min: number): Date => new Date(H + min * 60_000);
  const execs: Exec[] = [
    ...[12, 40, 80, 120, 250].map((d) => ({ agent: 'triage', team: 'support', status: 'succeeded' as const, durationMs: d, atMin: 5 })),
    { agent: 'triage', team: 'support', status: 'failed', durationMs: 400, code: 'upstream_5xx', atMin: 65 },
    { agent: 'triage', team: 'support', status: 'failed', durationMs: 900, code: 'upstream_5xx', atMin: 65 },
    { agent: 'triage', team: 'support', status: 'timed_out', durationMs: 1800, code: 'timeout', atMin: 65 },
    { agent: 'triage', team: 'support', status: 'succeeded', durationMs: 3500, atMin: 65 },
    { agent: 'triage', team: 'support', status: 'timed_out', durationMs: 7000, code: 'timeout', atMin: 65 },
    ...[5, 6, 7, 8, 9].map((d) => ({ agent: 'summarize', team: 'support', status: 'succeeded' as const, durationMs: d, atMin: 10 })),
    { agent: 'lint', status: 'failed', durationMs: 100, code: 'bad_input.schema$x', atMin: 70 },
    { agent: 'lint', status: 'succeeded', durationMs: 200, atMin: 70 },
    { agent: 'lint', status: 'succeeded', durationMs: 300, atMin: 70 },
  ];
  let call: ApiCall;
  let conformance: OpenApiConformance;
  let key: string;
  const get = async <T>(path: string): Promise<T> => {
    const res = await call<T>('GET', path.replace(/^\/api\/v1/, ''), { key });
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const range = (fromMin: number, toMin: number, bucket: string): string => `from=${at(fromMin).toISOString()}&to=${at(toMin).toISOString()}&bucket=${bucket}`;

  beforeAll(async () => {
    hub = await startTestHub('analytics', { roles: ['api', 'archiver'], names, env: { analyticsTopicRefreshMs: 300 } });
    conformance = new OpenApiConformance(await openApiOf(hub));
    call = apiClient(hub, conformance);
    key = (await keyFor(hub, 'analyst')).secret;
    await produceInbound(hub.ctx.kafka, hub.ctx.topics.inbound('github'), 'github', eventsAt('gh', H + 20 * 60_000, 6));
    const producer = await hub.ctx.kafka.producer();
    await hub.ctx.kafka.ensureTopics([hub.ctx.topics.results]);
    await producer.send({
      topic: hub.ctx.topics.results,
      acks: -1,
      messages: [
        ...execs.map((e, i) => {
          const finishedAt = at(e.atMin).toISOString();
          return {
            key: `x${i}`,
            value: JSON.stringify({
              execution: { id: `x${i}`, agent: e.agent, ...(e.team ? { team: e.team } : {}), status: e.status, eventId: `ev${i}`, eventType: 'github.push', attempts: 1, durationMs: e.durationMs, ...(e.code ? { error: { code: e.code, message: 'boom' } } : {}), startedAt: finishedAt, finishedAt },
              documents: [],
            }),
            headers: toKafkaHeaders({ id: `r${i}`, source: `/agents/${e.agent}`, type: `hookhub.execution.${e.status}`, time: finishedAt, subject: `x${i}` }),
          };
        }),
        { key: 'd', value: JSON.stringify({ delivery: { id: 'd1' } }), headers: toKafkaHeaders({ id: 'd1', source: '/delivery', type: 'hookhub.delivery.exhausted', time: at(5).toISOString() }) },
        { key: 'poison', value: 'not a cloud event', headers: {} },
      ],
    });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('agents: counts, success rate, percentiles within one bucket, top error codes', async () => {
    type Stats = { executions: number; succeeded: number; failed: number; timed_out: number; successRate: number; p50DurationMs: number; p95DurationMs: number; p99DurationMs: number; topErrors: { code: string; count: number }[] };
    type Report = { totals: Stats; series: ({ start: string } & Stats)[]; agents: ({ agent: string; team: string | null } & Stats)[] };
    const r = await waitFor('all executions counted', async () => {
      const rep = await get<Report>(`/api/v1/analytics/agents?${range(0, 120, 'hour')}`);
      // Totals and per-agent rollups are separate documents, written independently: wait for both.
      const perAgent = rep.agents.reduce((n, a) => n + a.executions, 0);
      return rep.totals.executions === execs.length && perAgent === execs.length ? rep : undefined;
    }, 30000);
    expect(r.totals).toMatchObject({ executions: 18, succeeded: 13, failed: 3, timed_out: 2, successRate: Math.round((13 / 18) * 10000) / 10000 });
    expect(r.totals.topErrors).toEqual([
      { code: 'timeout', count: 2 },
      { code: 'upstream_5xx', count: 2 },
      { code: 'bad_input.schema$x', count: 1 },
    ]);
    expect(r.series.map((s) => [s.start, s.executions])).toEqual([
      [at(0).toISOString(), 10],
      [at(60).toISOString(), 8],
    ]);
    const triage = r.agents.find((a) => a.agent === 'triage');
    expect(triage).toMatchObject({ team: 'support', executions: 10, succeeded: 6, failed: 2, timed_out: 2, successRate: 0.6 });
    const d = execs.filter((e) => e.agent === 'triage').map((e) => e.durationMs);
    expectWithinOneBucket(triage?.p50DurationMs ?? null, exactPercentile(d, 0.5));
    expectWithinOneBucket(triage?.p95DurationMs ?? null, exactPercentile(d, 0.95));
    expectWithinOneBucket(triage?.p99DurationMs ?? null, exactPercentile(d, 0.99));
    const all = execs.map((e) => e.durationMs);
    expectWithinOneBucket(r.totals.p50DurationMs, exactPercentile(all, 0.5));
    expectWithinOneBucket(r.totals.p95DurationMs, exactPercentile(all, 0.95));
    expect(r.agents.find((a) => a.agent === 'lint')).toMatchObject({ team: null, executions: 3, failed: 1, topErrors: [{ code: 'bad_input.schema$x', count: 1 }] });

    // Filtered to one agent, by the minute over a ragged range (rollups of several resolutions stitched together).
    const m = await get<Report>(`/api/v1/analytics/agents?${range(3, 66, 'minute')}&agent=triage`);
    expect(m.series).toHaveLength(63);
    expect(m.totals).toMatchObject({ executions: 10 });
    expect(m.series.filter((s) => s.executions > 0).map((s) => [s.start, s.executions])).toEqual([
      [at(5).toISOString(), 5],
      [at(65).toISOString(), 5],
    ]);
    // By the day: the same totals.
    const day = await get<Report>(`/api/v1/analytics/agents?${range(0, 120, 'day')}`);
    expect(day.totals.executions).toBe(18);
    expect(day.series.reduce((s, b) => s + b.executions, 0)).toBe(18);
  });

  it('teams: per team, executions without a team under null', async () => {
    type Report = { totals: { executions: number }; teams: { team: string | null; executions: number; succeeded: number; p50DurationMs: number }[] };
    const r = await waitFor('team figures', async () => {
      const rep = await get<Report>(`/api/v1/analytics/teams?${range(0, 120, 'hour')}`);
      return rep.totals.executions === 18 ? rep : undefined;
    });
    expect(r.teams.map((t) => [t.team, t.executions, t.succeeded])).toEqual([
      ['support', 15, 11],
      [null, 3, 2],
    ]);
    const support = execs.filter((e) => e.team === 'support').map((e) => e.durationMs);
    expectWithinOneBucket(r.teams[0]?.p50DurationMs ?? null, exactPercentile(support, 0.5));
  });

  it('ingest: accepted per source and type from the inbound topics, rejected per code from the recorder', async () => {
    // A source whose topic appears after the consumer started, and a replay copy that is not new ingest.
    await produceInbound(hub.ctx.kafka, hub.ctx.topics.inbound('stripe'), 'stripe', [
      ...['a', 'b', 'c'].map((id) => ({ id: `s-${id}`, type: 'stripe.invoice.paid', timestampMs: H + 30 * 60_000, body: '{}' })),
      { id: 's-copy', type: 'stripe.invoice.paid', timestampMs: H + 30 * 60_000, body: '{}', extensions: { replayof: 's-a', replayid: 'r1' } },
    ]);
    const store = new AnalyticsStore(hub.ctx.mongo);
    await recordIngestRejected(store, { source: 'github', type: 'github.push', code: 'signature_invalid', at: at(21) });
    await recordIngestRejected(store, { source: 'github', type: 'github.push', code: 'signature_invalid', at: at(22) });
    await recordIngestRejected(store, { source: 'stripe', code: 'schema_violation', at: at(90) });
    type Report = {
      totals: { accepted: number; rejected: number };
      series: { start: string; accepted: number; rejected: number }[];
      sources: { source: string; accepted: number; rejected: number }[];
      types: { source: string; type: string; accepted: number; rejected: number }[];
      rejectionCodes: { source: string; code: string; rejected: number }[];
    };
    const r = await waitFor('ingest figures', async () => {
      const rep = await get<Report>(`/api/v1/analytics/ingest?${range(0, 120, 'hour')}`);
      return rep.totals.accepted === 9 ? rep : undefined;
    }, 30000);
    expect(r.totals).toEqual({ accepted: 9, rejected: 3 });
    expect(r.series).toEqual([
      { start: at(0).toISOString(), accepted: 9, rejected: 2 },
      { start: at(60).toISOString(), accepted: 0, rejected: 1 },
    ]);
    expect(r.sources).toEqual([
      { source: 'github', accepted: 6, rejected: 2 },
      { source: 'stripe', accepted: 3, rejected: 1 },
    ]);
    expect(r.types).toEqual(
      expect.arrayContaining([
        { source: 'github', type: 'github.push', accepted: 3, rejected: 2 },
        { source: 'github', type: 'github.issues.opened', accepted: 3, rejected: 0 },
        { source: 'stripe', type: 'stripe.invoice.paid', accepted: 3, rejected: 0 },
        { source: 'stripe', type: '', accepted: 0, rejected: 1 },
      ]),
    );
    expect(r.rejectionCodes).toEqual([
      { source: 'github', code: 'signature_invalid', rejected: 2 },
      { source: 'stripe', code: 'schema_violation', rejected: 1 },
    ]);
    const onlyStripe = await get<Report>(`/api/v1/analytics/ingest?${range(0, 120, 'hour')}&source=stripe`);
    expect(onlyStripe.totals).toEqual({ accepted: 3, rejected: 1 });
  });

  it('deliveries: attempts, success rate, p95 latency per subscription, currently failing subscriptions', async () => {
    const store = new AnalyticsStore(hub.ctx.mongo);
    for (const ms of [50, 60, 70, 2000]) await recordDeliveryAttempt(store, { subscriptionId: 'sub-a', ok: true, latencyMs: ms, statusCode: 200, at: at(40) });
    await recordDeliveryAttempt(store, { subscriptionId: 'sub-a', ok: false, latencyMs: 30, statusCode: 500, at: at(41) });
    await recordDeliveryAttempt(store, { subscriptionId: 'sub-a', ok: true, latencyMs: 55, statusCode: 200, at: at(42) });
    await recordDeliveryAttempt(store, { subscriptionId: 'sub-b', ok: false, latencyMs: 10000, errorKind: 'timeout', at: at(50) });
    await recordDeliveryAttempt(store, { subscriptionId: 'sub-b', ok: false, latencyMs: 10000, errorKind: 'timeout', at: at(51) });
    await recordDeliveryAttempt(store, { subscriptionId: 'sub-c', ok: false, latencyMs: 5, errorKind: 'connection_refused', at: at(52) });
    await recordDeliveryAttempt(store, { subscriptionId: 'sub-c', ok: true, latencyMs: 40, statusCode: 204, at: at(53) });
    await recordDeliveryState(store, { subscriptionId: 'sub-d', state: 'disabled', lastError: 'retries exhausted', at: at(55) });

    type Sub = { subscriptionId: string; attempts: number; succeeded: number; failed: number; successRate: number; p95LatencyMs: number; statusCodes: Record<string, number>; errorKinds: { kind: string; count: number }[] };
    const r = await get<{
      totals: { attempts: number; succeeded: number; failed: number; successRate: number; p95LatencyMs: number };
      subscriptions: Sub[];
      failing: { subscriptionId: string; state: string; since: string; consecutiveFailures: number; lastError: string | null }[];
    }>(`/api/v1/analytics/deliveries?${range(0, 120, 'hour')}`);
    expect(r.totals).toMatchObject({ attempts: 10, succeeded: 6, failed: 4, successRate: 0.6 });
    expectWithinOneBucket(r.totals.p95LatencyMs, exactPercentile([50, 60, 70, 2000, 30, 55, 10000, 10000, 5, 40], 0.95));
    const a = r.subscriptions.find((s) => s.subscriptionId === 'sub-a');
    expect(a).toMatchObject({ attempts: 6, succeeded: 5, failed: 1, statusCodes: { '200': 5, '500': 1 } });
    expectWithinOneBucket(a?.p95LatencyMs ?? null, exactPercentile([50, 60, 70, 2000, 30, 55], 0.95));
    expect(r.subscriptions.find((s) => s.subscriptionId === 'sub-b')).toMatchObject({ attempts: 2, failed: 2, successRate: 0, errorKinds: [{ kind: 'timeout', count: 2 }] });
    expect(r.failing).toEqual([
      { subscriptionId: 'sub-b', state: 'failing', since: at(50).toISOString(), consecutiveFailures: 2, lastError: 'timeout' },
      { subscriptionId: 'sub-d', state: 'disabled', since: at(55).toISOString(), consecutiveFailures: 0, lastError: 'retries exhausted' },
    ]);
  });

  it('answers the same once closed slots are sealed, and still counts an execution arriving after sealing', async () => {
    // The sealer folds every closed slot into one compact string per rollup document; reads add sealed and live
    // slots together, so every report stays the same, and a late increment lands in a live slot beside the sealed
    // one (then is sealed in its turn).
    const store = new AnalyticsStore(hub.ctx.mongo);
    const reports = (): Promise<unknown[]> =>
      Promise.all([
        get(`/api/v1/analytics/agents?${range(0, 120, 'hour')}`),
        get(`/api/v1/analytics/agents?${range(3, 66, 'minute')}&agent=triage`),
        get(`/api/v1/analytics/teams?${range(0, 120, 'day')}`),
        get(`/api/v1/analytics/ingest?${range(0, 120, 'hour')}`),
        get(`/api/v1/analytics/deliveries?${range(0, 120, 'minute')}`),
      ]);
    const before = await reports();
    const sealedNow = Date.now() + 2 * 86_400_000;
    expect(await store.seal(sealedNow, [H, H + 2 * 3600_000], 0)).toBeGreaterThan(0);
    expect(await reports()).toEqual(before);
    expect(await store.seal(sealedNow, [H, H + 2 * 3600_000], 0)).toBe(0);

    await recordExecutions(store, [{ agent: 'lint', status: 'succeeded', durationMs: 250, finishedAt: at(70) }]);
    type Report = { totals: { executions: number }; agents: { agent: string; executions: number }[] };
    const late = await get<Report>(`/api/v1/analytics/agents?${range(0, 120, 'hour')}`);
    expect(late.totals.executions).toBe(19);
    expect(late.agents.find((a) => a.agent === 'lint')?.executions).toBe(4);
    expect(await store.seal(sealedNow, [H, H + 2 * 3600_000], 0)).toBeGreaterThan(0);
    expect(await get<Report>(`/api/v1/analytics/agents?${range(0, 120, 'hour')}`)).toEqual(late);
  });

  it('retention drops whole partitions that ended before the cutoff, and nothing newer', async () => {
    // Executions from 500 days ago and from the test's own hours: dropping partitions older than 400 days removes
    // the old day's (and month's) collections only; the old range then reports nothing, the recent one is unchanged.
    const store = new AnalyticsStore(hub.ctx.mongo);
    const old = new Date(H - 500 * 86_400_000);
    await recordExecutions(store, [{ agent: 'archaeologist', status: 'succeeded', durationMs: 100, finishedAt: old }]);
    type Report = { totals: { executions: number } };
    const oldRange = `from=${new Date(old.getTime() - 3600_000).toISOString()}&to=${new Date(old.getTime() + 3600_000).toISOString()}&bucket=hour`;
    expect((await get<Report>(`/api/v1/analytics/agents?${oldRange}`)).totals.executions).toBe(1);
    const recent = await get<Report>(`/api/v1/analytics/agents?${range(0, 120, 'hour')}`);

    const dropped = await store.dropPartitionsBefore(H - 400 * 86_400_000);
    const oldDay = old.toISOString().slice(0, 10).replace(/-/g, '');
    expect(dropped).toEqual(expect.arrayContaining([`analytics_exec_agent_h_${oldDay}`, `analytics_exec_agent_m_${oldDay}`, `analytics_exec_agent_d_${oldDay.slice(0, 6)}`]));
    expect(dropped.every((name) => name.includes(oldDay.slice(0, 6)))).toBe(true);
    expect((await get<Report>(`/api/v1/analytics/agents?${oldRange}`)).totals.executions).toBe(0);
    expect(await get<Report>(`/api/v1/analytics/agents?${range(0, 120, 'hour')}`)).toEqual(recent);
  });

  it('rejects bad queries', async () => {
    const res = await call('GET', `/analytics/agents?from=yesterday&to=${at(10).toISOString()}`, { key });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation_failed', errors: [{ path: '/query/from', message: expect.any(String) }] });
    const tooMany = await call('GET', '/analytics/agents?from=2020-01-01T00:00Z&to=2026-01-01T00:00Z&bucket=minute', { key });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body).toMatchObject({ code: 'range_too_large' });
    const unknown = await call('GET', `/analytics/agents?${range(0, 10, 'week')}`, { key });
    expect(unknown.status).toBe(400);
    const injected = await call('GET', `/analytics/agents?${range(0, 10, 'hour')}&agent[$ne]=x`, { key });
    expect(injected.status).toBe(400);
  });

  it('answers analysts and admins only, conforming to the OpenAPI document', async () => {
    // Analytics is for the analyst role (and admins); no key is 401, an operator key 403.
    expect((await call('GET', `/analytics/teams?${range(0, 10, 'hour')}`)).status).toBe(401);
    expect((await call('GET', `/analytics/teams?${range(0, 10, 'hour')}`, { key: (await keyFor(hub, 'operator')).secret })).status).toBe(403);
    expect((await call('GET', `/analytics/teams?${range(0, 10, 'hour')}`, { key: (await keyFor(hub, 'admin')).secret })).status).toBe(200);
    expect(conformance.failures).toEqual([]);
    expect(conformance.uncovered('analytics')).toEqual([]);
  });
});
