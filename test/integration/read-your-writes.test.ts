import type { Hub } from '../../src/app/hub';
import { apiTestKit, type ApiCall } from '../support/api';
import { startTestHub, uniqueNames } from '../support/hub';
import { TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';
import { partnerRequest, post, SECRETS, testSources } from '../support/webhooks';

interface Execution {
  id: string;
  agent: string;
  status: string;
  output?: unknown;
  error?: { code: string };
}

interface Callback {
  execution: { eventId: string; agent: string; output?: { round?: number; phase?: string } };
}

// Re-reads that a timed refresh would do are pushed out of the test's reach, so only read-your-writes can
// make a change apply in time.
const NEVER = { deliveryRefreshMs: 600_000, agentsRefreshMs: 600_000, sourcesCacheMs: 600_000, shutdownTimeoutMs: 60_000 };

// Scenario: operators change subscriptions, agents, routes and sources through the Management API of one hub
// (the `api` role) while another hub (`ingest`, `agents`, `delivery`, its own caches and MongoDB connection,
// as another process would have) handles the traffic, with every periodic re-read set to ten minutes. Each
// change is followed at once by the webhook it concerns, and must apply to it: a new subscription receives
// the result of the very next webhook (50 rounds), a disabled one receives nothing produced after the 200
// (50 rounds), an agent created is run at once, a route created applies to the next event, a source created
// accepts the next webhook.
describe('read-your-writes: a change answered by the API applies to the next event in every process', () => {
  let writer: Hub;
  let worker: Hub;
  let receiver: TestReceiver;
  let call: ApiCall;
  let operator: string;
  let analyst: string;

  const runEcho = async (round: number, phase: string): Promise<string> => {
    const res = await post(`${worker.url}/webhooks/partner`, partnerRequest({ type: 'agent.task.requested', agent: 'echo', task: 'ryw', parameters: { round, phase } }));
    expect(res.status).toBe(202);
    return res.json.id as string;
  };
  const callbacksAt = (path: string): Callback[] => receiver.requests.filter((r) => r.path === path).map((r) => JSON.parse(r.body.toString()) as Callback);
  const deliveredTo = (path: string, eventId: string): boolean => callbacksAt(path).some((c) => c.execution.eventId === eventId);

  beforeAll(async () => {
    receiver = await new TestReceiver().start();
    const names = uniqueNames('ryw');
    worker = await startTestHub('ryw', {
      names,
      roles: ['ingest', 'agents', 'delivery'],
      env: { ...NEVER, deliveryAllowPrivate: ['127.0.0.1/32'] },
      config: {
        // The partner may ask for `echo` by name (task requests need the source's grant).
        sources: testSources().map((s) => (s.id === 'partner' ? { ...s, agents: ['echo'] } : s)),
        agents: [{ name: 'echo', runner: { kind: 'builtin', name: 'echo' } }],
        routes: [{ id: 'issues-to-echo', source: 'github', eventType: 'github.issues', agent: 'echo' }],
        // Receives every result of a webhook sent after a disable: once it has one, that event was matched.
        subscriptions: [{ id: 'witness', url: `${receiver.url}/witness`, eventTypes: ['hookhub.execution.succeeded'], filter: { '/execution/output/phase': 'after-disable' } }],
      },
    });
    writer = await startTestHub('ryw', { names, roles: ['api'], env: { ...NEVER, apiRatePerSecond: 10_000, apiRateBurst: 10_000 } });
    ({ call, operator, analyst } = await apiTestKit(writer));
    // The worker's consumers have joined their groups once a first result came through.
    const first = await runEcho(-1, 'warm-up');
    await waitFor('the warm-up execution', async () => (await call<{ items: Execution[] }>('GET', `/executions?eventId=${first}`, { key: analyst })).body.items?.[0]?.status === 'succeeded', 60_000);
  }, 90_000);

  afterAll(async () => {
    await writer?.stop();
    await worker?.stop();
    await receiver?.stop();
  });

  it('delivers the next result to a subscription created just before, 50 rounds in a row', async () => {
    for (let round = 0; round < 50; round++) {
      const created = await call('POST', '/subscriptions', { key: operator, body: { id: `new-${round}`, url: `${receiver.url}/new/${round}`, eventTypes: ['hookhub.execution.succeeded'], filter: { '/execution/output/round': round } } });
      expect(created.status).toBe(201);
      const eventId = await runEcho(round, 'after-create');
      await waitFor(`round ${round}: the result at the subscription created just before`, () => deliveredTo(`/new/${round}`, eventId), 60_000, 20);
    }
    // A first attempt is stored with its outcome right after it was made.
    const stored = await waitFor('the delivery record of the last round', async () => {
      const page = await call<{ items: { subscriptionId: string; status: string }[] }>('GET', '/deliveries?subscription=new-49', { key: analyst });
      return page.body.items.length > 0 ? page.body.items : undefined;
    });
    expect(stored).toEqual([expect.objectContaining({ subscriptionId: 'new-49', status: 'succeeded' })]);
  }, 600_000);

  it('delivers nothing produced after a disable was answered, 50 rounds in a row', async () => {
    for (let round = 100; round < 150; round++) {
      const id = `off-${round}`;
      expect((await call('POST', '/subscriptions', { key: operator, body: { id, url: `${receiver.url}/off/${round}`, eventTypes: ['hookhub.execution.succeeded'], filter: { '/execution/output/round': round } } })).status).toBe(201);
      const before = await runEcho(round, 'before-disable');
      await waitFor(`round ${round}: the result before the disable`, () => deliveredTo(`/off/${round}`, before), 60_000, 20);

      const disabled = await call<{ enabled: boolean }>('POST', `/subscriptions/${id}/disable`, { key: operator });
      expect([disabled.status, disabled.body.enabled]).toEqual([200, false]);
      const after = await runEcho(round, 'after-disable');
      await waitFor(`round ${round}: the witness got the result sent after the disable`, () => deliveredTo('/witness', after), 60_000, 20);
      // The witness's delivery and any for this subscription come from the same match: no record was made.
      const received = receiver.requests.filter((r) => r.path === `/off/${round}`).map((r) => r.headers['webhook-id']);
      const records = await waitFor(`round ${round}: the record of the delivery before the disable`, async () => {
        const page = await call<{ items: { id: string }[] }>('GET', `/deliveries?subscription=${id}`, { key: analyst });
        return page.body.items.length > 0 ? page.body.items : undefined;
      });
      expect(records.map((d) => d.id)).toEqual(received);
      expect(callbacksAt(`/off/${round}`).map((c) => c.execution.eventId)).toEqual([before]);
    }
    expect(receiver.requests.filter((r) => r.path.startsWith('/off/'))).toHaveLength(50);
  }, 600_000);

  it('runs an agent created just before', async () => {
    for (let round = 0; round < 5; round++) {
      const name = `fresh-${round}`;
      expect((await call('POST', '/agents', { key: operator, body: { name, runner: { kind: 'builtin', name: 'echo' } } })).status).toBe(201);
      const run = await call<Execution>('POST', `/agents/${name}/executions?wait=30`, { key: operator, body: { task: 'right away', parameters: { round } } });
      expect([run.status, run.body.agent, run.body.status, run.body.error?.code]).toEqual([200, name, 'succeeded', undefined]);
      expect(run.body.output).toEqual({ round });
    }
  }, 120_000);

  it('applies a route created just before to the next event', async () => {
    for (let round = 0; round < 5; round++) {
      const agent = `routed-${round}`;
      expect((await call('POST', '/agents', { key: operator, body: { name: agent, runner: { kind: 'builtin', name: 'echo' } } })).status).toBe(201);
      expect((await call('POST', '/routes', { key: operator, body: { id: `route-${round}`, source: 'partner', eventType: 'agent.task.requested', filter: { '/parameters/round': 1000 + round }, agent } })).status).toBe(201);
      const eventId = await runEcho(1000 + round, 'after-route');
      // The echo run (named in the request) and the routed run are planned in the same batch.
      const executions = await waitFor(`round ${round}: the event's executions`, async () => {
        const page = await call<{ items: Execution[] }>('GET', `/executions?eventId=${eventId}`, { key: analyst });
        return page.body.items.some((e) => e.agent === 'echo' && e.status === 'succeeded') ? page.body.items : undefined;
      }, 30_000, 50);
      expect(executions.map((e) => e.agent).sort()).toEqual(['echo', agent]);
    }
  }, 120_000);

  it('accepts a webhook for a source created just before', async () => {
    for (let round = 0; round < 5; round++) {
      const id = `fresh-source-${round}`;
      expect((await call('POST', '/sources', { key: operator, body: { id, verification: { scheme: 'standard-webhooks', secrets: [SECRETS.partner] }, eventType: { fixed: 'fresh.ping' } } })).status).toBe(201);
      expect((await post(`${worker.url}/webhooks/${id}`, partnerRequest({ round }))).status).toBe(202);
    }
    expect((await call('POST', '/sources/fresh-source-0/disable', { key: operator })).status).toBe(200);
    expect((await post(`${worker.url}/webhooks/fresh-source-0`, partnerRequest({ round: 'after-disable' }))).status).toBe(404);
  }, 60_000);
});
