import { Kafka, logLevel } from 'kafkajs';
import type { Hub } from '../../src/app/hub';
import { emptyHubConfig } from '../../src/app/hub';
import { ExecutionsRepository } from '../../src/agents/data-access/executions';
import { agentsModels } from '../../src/agents/data-access/models';
import type { Execution } from '../../src/agents/domain/model';
import type { HubConfig } from '../../src/config/types';
import { collectTopic, json, produceInbound, startServer } from '../support/agents';
import { stackEnv, startTestHub, uniqueNames } from '../support/hub';
import { waitFor } from '../support/wait';

const SECRET = 'whsec_' + Buffer.from('failures-test-secret-0123456789').toString('base64');

describe('agents stage: poison messages, exhausted retries and redelivery', () => {
  const names = uniqueNames('agentsfail');
  let hub: Hub;
  let svc: Awaited<ReturnType<typeof startServer>>;
  let config: HubConfig;
  const calls = new Map<string, number>();
  const ordered: { n: number; key: string; start: number; end: number; path: string }[] = [];
  let concurrent = 0;
  let maxConcurrent = 0;

  const start = async (): Promise<Hub> => startTestHub('agentsfail', { roles: ['agents'], names, config, env: { agentsRefreshMs: 500, agentsLeaseMs: 3000, outboundAllow: ['127.0.0.1/32'] } });
  const finished = async (h: Hub, eventId: string, agent: string): Promise<Execution> =>
    waitFor(`${agent} execution of ${eventId}`, async () => {
      const [e] = await new ExecutionsRepository(h.ctx.mongo).list({ eventId, agent });
      return e && ['succeeded', 'failed', 'timed_out'].includes(e.status) ? e : undefined;
    }, 30000);

  beforeAll(async () => {
    svc = await startServer(async (req, res) => {
      const id = String(req.headers['webhook-id']);
      calls.set(id, (calls.get(id) ?? 0) + 1);
      if (req.path === '/down') return json(res, 503, { error: 'overloaded' });
      if (req.path === '/slow' || req.path === '/single') {
        const body = JSON.parse(req.body) as { input: { n: number; key: string } };
        const entry = { n: body.input.n, key: body.input.key, start: Date.now(), end: 0, path: req.path };
        if (req.path === '/single') maxConcurrent = Math.max(maxConcurrent, ++concurrent);
        await new Promise((r) => setTimeout(r, 150));
        if (req.path === '/single') concurrent -= 1;
        entry.end = Date.now();
        ordered.push(entry);
        return json(res, 200, { output: { n: body.input.n } });
      }
      return json(res, 200, { output: { done: true } });
    });
    config = {
      ...emptyHubConfig(),
      sources: [{ id: 'partner', verification: { scheme: 'none', allowUnsigned: true } }],
      agents: [
        { name: 'counter', runner: { kind: 'http', url: `${svc.url}/ok`, secret: SECRET } },
        { name: 'ordered', runner: { kind: 'http', url: `${svc.url}/slow`, secret: SECRET } },
        { name: 'single', maxConcurrency: 1, runner: { kind: 'http', url: `${svc.url}/single`, secret: SECRET } },
        { name: 'flaky', runner: { kind: 'http', url: `${svc.url}/down`, secret: SECRET }, retry: { retries: 2, minTimeoutMs: 50, maxTimeoutMs: 100 } },
      ],
      routes: [{ id: 'all-to-counter', eventType: 'order.*', agent: 'counter' }],
    };
    hub = await start();
  });

  afterAll(async () => {
    await hub?.stop();
    await svc?.close();
  });

  it('dead-letters unparseable messages at once and keeps consuming the partition', async () => {
    // Scenario: a message without CloudEvent headers and one whose value is not JSON go to <prefix>.dlq.agents
    // with the error code and their origin in headers; a good event behind them on the same key still runs.
    const dlq = await collectTopic(hub, hub.ctx.topics.dlq('agents'));
    try {
      const producer = await hub.ctx.kafka.producer();
      const topic = hub.ctx.topics.inbound('partner');
      await producer.send({ topic, acks: -1, messages: [{ key: 'k-poison', value: '{"x":1}', headers: { 'content-type': 'application/json' } }] });
      await produceInbound(hub, { source: 'partner', type: 'order.created', data: null, raw: Buffer.from('{not json'), key: 'k-poison' });
      const good = await produceInbound(hub, { source: 'partner', type: 'order.created', data: { id: 1 }, key: 'k-poison' });
      await waitFor('two dead letters', () => dlq.messages.length >= 2);
      const codes = dlq.messages.map((m) => m.headers['x-hookhub-error-code']).sort();
      expect(codes).toEqual(['cloudevent_invalid', 'json_malformed']);
      for (const m of dlq.messages) {
        expect(m.headers['x-hookhub-original-topic']).toBe(topic);
        expect(m.headers['x-hookhub-original-offset']).toMatch(/^\d+$/);
        expect(m.headers['x-hookhub-original-partition']).toMatch(/^\d+$/);
        expect(m.headers['x-hookhub-stage']).toBe('agents');
        expect(m.headers['x-hookhub-attempts']).toBe('1');
        expect(m.key).toBe('k-poison');
      }
      expect(dlq.messages.find((m) => m.headers['x-hookhub-error-code'] === 'json_malformed')?.raw?.toString()).toBe('{not json');
      expect((await finished(hub, good, 'counter')).status).toBe('succeeded');
    } finally {
      await dlq.stop();
    }
  });

  it('retries transient agent failures with backoff, then fails the execution and dead-letters with error headers', async () => {
    // Scenario: the agent service answers 503 every time; with retries=2 it is called 3 times, the execution
    // ends failed (runner_http_status, 3 attempts), a failed result is published, and the event is copied to
    // the DLQ with x-hookhub-error-code/-message, the agent, the execution id and its origin.
    const dlq = await collectTopic(hub, hub.ctx.topics.dlq('agents'));
    const results = await collectTopic(hub, hub.ctx.topics.results);
    try {
      const eventId = await produceInbound(hub, { source: 'partner', type: 'agent.task.requested', data: { type: 'agent.task.requested', agent: 'flaky', parameters: { a: 1 } }, extensions: { hookhubtaskagent: 'flaky' } });
      const e = await finished(hub, eventId, 'flaky');
      expect(e).toMatchObject({ status: 'failed', attempts: 3, error: { code: 'runner_http_status' } });
      expect(e.error?.message).toContain('503');
      expect(calls.get(e.id)).toBe(3);
      const dead = await waitFor('the dead letter', () => dlq.messages.find((m) => m.headers['x-hookhub-execution-id'] === e.id));
      expect(dead.headers).toMatchObject({ 'x-hookhub-error-code': 'runner_http_status', 'x-hookhub-agent': 'flaky', 'x-hookhub-original-topic': hub.ctx.topics.inbound('partner'), 'x-hookhub-attempts': '3', ce_id: eventId });
      expect(dead.headers['x-hookhub-error-message']).toContain('503');
      const r = await waitFor('the failed result', () => results.messages.find((m) => m.headers.ce_subject === e.id));
      expect(r.headers.ce_type).toBe('hookhub.execution.failed');
      const metrics = await (await fetch(`${hub.url}/metrics`)).text();
      expect(metrics).toContain('hookhub_agents_dead_letters_total{code="runner_http_status"} 1');
      expect(metrics).toContain('hookhub_agent_results_published_total{agent="flaky",status="failed"} 1');
    } finally {
      await dlq.stop();
      await results.stop();
    }
  });

  it('runs one key\'s events in order and keeps to an agent\'s maxConcurrency', async () => {
    // Scenario: five events with the same key go to an agent taking 150 ms per call: its calls come in
    // offset order and never overlap. Four events with different keys go to an agent with maxConcurrency 1:
    // the agent service never sees two of its calls at once.
    const task = (agent: string, n: number, key: string): Promise<string> =>
      produceInbound(hub, { source: 'partner', type: 'agent.task.requested', key, data: { type: 'agent.task.requested', agent, parameters: { n, key } }, extensions: { hookhubtaskagent: agent } });
    const sameKey = [];
    for (let n = 0; n < 5; n++) sameKey.push(await task('ordered', n, 'one-entity'));
    const spread = [];
    for (let n = 0; n < 4; n++) spread.push(await task('single', n, `entity-${n}`));
    await Promise.all([...sameKey.map((id) => finished(hub, id, 'ordered')), ...spread.map((id) => finished(hub, id, 'single'))]);
    const seq = ordered.filter((o) => o.path === '/slow');
    expect(seq.map((o) => o.n)).toEqual([0, 1, 2, 3, 4]);
    for (let i = 1; i < seq.length; i++) expect(seq[i]?.start).toBeGreaterThanOrEqual(seq[i - 1]?.end ?? 0);
    expect(ordered.filter((o) => o.path === '/single')).toHaveLength(4);
    expect(maxConcurrent).toBe(1);
  });

  it('an agent.task.requested naming an unknown agent fails its execution without running anything', async () => {
    // Scenario: the event names an agent that does not exist: one failed execution with agent_unknown.
    const eventId = await produceInbound(hub, { source: 'partner', type: 'agent.task.requested', data: { type: 'agent.task.requested', agent: 'nobody', parameters: {} }, extensions: { hookhubtaskagent: 'nobody' } });
    expect(await finished(hub, eventId, 'nobody')).toMatchObject({ status: 'failed', error: { code: 'agent_unknown' } });
  });

  it('redelivery never re-runs a finished execution, and re-publishes a result that was never published', async () => {
    // Scenario: events run once; the hub stops, the group's offsets are reset to the beginning (every message
    // is delivered again), and one execution is marked as not yet published. After the restart the agent
    // service sees no new call, each (event, agent) still has exactly one execution, and the unpublished
    // result is published.
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await produceInbound(hub, { source: 'partner', type: 'order.paid', data: { order: i }, key: `o-${i}` }));
    const execs = await Promise.all(ids.map((id) => finished(hub, id, 'counter')));
    const callsBefore = new Map(execs.map((e) => [e.id, calls.get(e.id) ?? 0]));
    await waitFor('results published', async () => (await Promise.all(execs.map(async (e) => (await new ExecutionsRepository(hub.ctx.mongo).get(e.id))?.resultPublished))).every(Boolean));
    await agentsModels(hub.ctx.mongo).Execution.updateOne({ _id: execs[0]?.id }, { $set: { resultPublished: false } });
    await hub.stop();

    const kafka = new Kafka({ brokers: stackEnv().kafkaBrokers, clientId: 'reset', logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.resetOffsets({ groupId: `${names.clientId}-agents`, topic: `${names.topicPrefix}.in.partner`, earliest: true });
    await admin.disconnect();

    hub = await start();
    const results = await collectTopic(hub, hub.ctx.topics.results);
    try {
      await waitFor('the unpublished result to be re-published', async () => (await new ExecutionsRepository(hub.ctx.mongo).get(execs[0]?.id ?? ''))?.resultPublished);
      // everything behind it in the topic has been consumed again as well: a fresh event after them runs
      const marker = await produceInbound(hub, { source: 'partner', type: 'order.marker', data: {}, key: 'o-0' });
      const markerExecution = await finished(hub, marker, 'counter');
      expect(calls.get(markerExecution.id)).toBeGreaterThanOrEqual(1);
      for (const e of execs) expect(calls.get(e.id)).toBe(callsBefore.get(e.id)); // none of them was called again
      for (const id of ids) expect(await agentsModels(hub.ctx.mongo).Execution.countDocuments({ eventId: id })).toBe(1);
      const republished = results.messages.filter((m) => m.headers.ce_subject === execs[0]?.id);
      expect(republished.length).toBeGreaterThanOrEqual(2); // the original one and the re-publication
      expect(new Set(republished.map((m) => m.headers.ce_id)).size).toBe(1); // same CloudEvent id: deduplicable
    } finally {
      await results.stop();
    }
  });
});
