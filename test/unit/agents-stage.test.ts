import type { AgentConfig } from '../../src/config/types';
import { RunError } from '../../src/agents/domain/errors';
import type { Agent, DocumentRef, Execution, InboundEvent, Route, StoredExecution } from '../../src/agents/domain/model';
import type { AgentRegistry, DocumentStore, ExecutionStore, FinishFields, StatusChange, StatusStore } from '../../src/agents/domain/ports';
import { AgentsStage } from '../../src/agents/domain/stage';
import type { RunnerSet } from '../../src/agents/runners';
import type { RunRequest, RunResult, Runner } from '../../src/agents/runners/runner';
import { silentLogger } from '../../src/platform/logger';

/** Executions in a map, with the same answers the MongoDB repository gives. */
class MemoryExecutions implements ExecutionStore {
  readonly docs = new Map<string, StoredExecution>();

  async insertMany(executions: StoredExecution[]): Promise<Set<string>> {
    const dup = new Set<string>();
    for (const e of executions) {
      if (this.docs.has(e.id)) dup.add(e.id);
      else this.docs.set(e.id, structuredClone(e));
    }
    return dup;
  }
  async findByIds(ids: string[]): Promise<StoredExecution[]> {
    return ids.flatMap((id) => (this.docs.has(id) ? [structuredClone(this.docs.get(id) as StoredExecution)] : []));
  }
  async reclaim(id: string, owner: string, leaseMs: number, why: 'expired' | 'own'): Promise<StoredExecution | null> {
    const d = this.docs.get(id);
    if (!d || ['succeeded', 'failed', 'timed_out', 'cancelled'].includes(d.status)) return null;
    if (why === 'own' ? d.owner !== owner : !(d.leaseUntil && d.leaseUntil.getTime() < Date.now())) return null;
    Object.assign(d, { owner, leaseUntil: new Date(Date.now() + leaseMs), status: 'queued' });
    return structuredClone(d);
  }
  async markRunning(id: string, owner: string, leaseMs: number): Promise<boolean | undefined> {
    const d = this.docs.get(id);
    if (!d || d.owner !== owner || !['queued', 'running'].includes(d.status)) return undefined;
    const wasQueued = d.status === 'queued';
    Object.assign(d, { status: 'running', attempts: d.attempts + 1, startedAt: d.startedAt ?? new Date(), leaseUntil: new Date(Date.now() + leaseMs) });
    return wasQueued;
  }
  async renewLeases(): Promise<void> {}
  async finish(id: string, owner: string, f: FinishFields): Promise<StoredExecution | null> {
    const d = this.docs.get(id);
    if (!d || d.owner !== owner || d.status !== 'running') return null;
    Object.assign(d, f);
    delete d.leaseUntil;
    return structuredClone(d);
  }
  async markPublished(ids: string[]): Promise<void> {
    for (const id of ids) {
      const d = this.docs.get(id);
      if (d) d.resultPublished = true;
    }
  }
}

class MemoryRegistry implements AgentRegistry {
  agents = new Map<string, Agent>();
  routes: Route[] = [];
  freshCalls = 0;
  async fresh(): Promise<void> {
    this.freshCalls++;
  }
  add(config: AgentConfig): void {
    this.agents.set(config.name, { ...config, source: 'config', version: 1, updatedAt: new Date() });
  }
}

/** An effectful runner (like http) whose answers the test scripts, one per attempt. */
class ScriptedRunner implements Runner {
  readonly pure = false;
  readonly calls: RunRequest[] = [];
  constructor(private readonly answers: (RunResult | RunError)[]) {}
  async run(req: RunRequest): Promise<RunResult> {
    this.calls.push(req);
    const next = this.answers.shift() ?? { output: { done: true } };
    if (next instanceof RunError) throw next;
    return next;
  }
}

const echo: Runner = { pure: true, run: async (req) => ({ output: req.input }) };
const unused: Runner = { pure: false, run: () => Promise.reject(new Error('not used here')) };

function event(id: string, data: unknown, extra: Partial<InboundEvent> = {}): InboundEvent {
  return { id, source: '/sources/partner', sourceId: 'partner', type: 'order.created', time: new Date().toISOString(), extensions: {}, data, topic: 't.in.partner', partition: 0, offset: '0', key: 'k', ...extra };
}

function setup(http: Runner = unused) {
  const executions = new MemoryExecutions();
  const registry = new MemoryRegistry();
  const published: Execution[] = [];
  const statusChanges: StatusChange[] = [];
  const documents: DocumentStore = { write: async (o, drafts): Promise<DocumentRef[]> => drafts.map((d, i) => ({ id: `${o.executionId}-d${i}`, kind: d.kind, title: d.title, version: 1 })) };
  const status: StatusStore = { apply: async (c) => void statusChanges.push(...c) };
  const runners = { builtin: echo, http, command: unused, llm: unused } as RunnerSet;
  const stage = new AgentsStage({
    executions,
    documents,
    status,
    registry,
    runners,
    schemas: { validate: (_name, value) => ((value as { ok?: boolean }).ok === false ? [{ path: '/ok', message: 'must be true' }] : []) },
    publisher: { publish: async (docs) => void published.push(...docs.map((d) => structuredClone(d))) },
    logger: silentLogger(),
    leaseMs: 5000,
    defaultTimeoutMs: 2000,
    defaultConcurrency: 4,
    infraRetries: 0,
  });
  return { stage, executions, registry, published, statusChanges };
}

// Scenario: the agents stage use case against in-memory stores and scripted runners, no Kafka or MongoDB:
// routing to a pure agent stores one finished execution already published, and a redelivery keeps it one;
// an effectful run is never run again once finished; an unknown or invalid target fails without running; an effectful run is retried on a retriable error
// and dead-lettered when its retries are exhausted; the registry is brought up to date before every batch.
describe('AgentsStage', () => {
  it('runs a routed pure agent once, publishes its result and stores it as published', async () => {
    const { stage, executions, registry, published, statusChanges } = setup();
    registry.add({ name: 'echo', runner: { kind: 'builtin', name: 'echo' } });
    registry.routes = [{ id: 'orders', eventType: 'order.*', agent: 'echo', enabled: true, origin: 'config', version: 1, updatedAt: new Date() }];

    expect(await stage.handleBatch([event('e1', { n: 1 })])).toEqual([]);
    expect(registry.freshCalls).toBe(1);
    const [doc] = [...executions.docs.values()];
    expect(doc).toMatchObject({ agent: 'echo', route: 'orders', status: 'succeeded', resultPublished: true, output: { n: 1 } });
    expect(published.map((d) => d.id)).toEqual([doc?.id]);
    expect(statusChanges).toEqual([expect.objectContaining({ agent: 'echo', outcome: 'succeeded', runningDelta: 0 })]);

    // The same event again (a redelivery): still one execution; a pure result may go out again, under the
    // same execution id (the result's CloudEvent id), so consumers drop the copy.
    await stage.handleBatch([event('e1', { n: 1 })]);
    expect(executions.docs.size).toBe(1);
    expect(new Set(published.map((d) => d.id))).toEqual(new Set([doc?.id]));
  });

  it('fails a task for an unknown agent and an input its schema refuses, without running anything', async () => {
    const { stage, executions, registry } = setup();
    registry.add({ name: 'strict', runner: { kind: 'builtin', name: 'echo' }, inputSchema: 'strict/input' });
    registry.routes = [
      { id: 'a', eventType: 'order.*', agent: 'ghost', enabled: true, origin: 'config', version: 1, updatedAt: new Date() },
      { id: 'b', eventType: 'order.*', agent: 'strict', enabled: true, origin: 'config', version: 1, updatedAt: new Date() },
    ];
    await stage.handleBatch([event('e2', { ok: false })]);
    const byAgent = Object.fromEntries([...executions.docs.values()].map((d) => [d.agent, d]));
    expect(byAgent.ghost).toMatchObject({ status: 'failed', error: { code: 'agent_unknown' } });
    expect(byAgent.strict).toMatchObject({ status: 'failed', error: { code: 'input_invalid' } });
  });

  it('retries an effectful run after a retriable error and records both attempts', async () => {
    const runner = new ScriptedRunner([new RunError('runner_unreachable', 'connection reset', true), { output: { shipped: true } }]);
    const { stage, executions, registry, published } = setup(runner);
    registry.add({ name: 'shipper', runner: { kind: 'http', url: 'https://example.test/run', secret: 'whsec_unused' }, retry: { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 1 } });
    registry.routes = [{ id: 'ship', eventType: 'order.created', agent: 'shipper', enabled: true, origin: 'config', version: 1, updatedAt: new Date() }];

    expect(await stage.handleBatch([event('e3', { id: 3 })])).toEqual([]);
    expect(runner.calls.map((c) => c.attempt)).toEqual([1, 2]);
    const [doc] = [...executions.docs.values()];
    expect(doc).toMatchObject({ status: 'succeeded', attempts: 2, output: { shipped: true }, resultPublished: true });
    expect(published.map((d) => d.status)).toEqual(['succeeded']);

    // Redelivered after it finished (and was published): not run again, not published again.
    expect(await stage.handleBatch([event('e3', { id: 3 })])).toEqual([]);
    expect(runner.calls).toHaveLength(2);
    expect(published).toHaveLength(1);
  });

  it('dead-letters an effectful run whose retries are exhausted', async () => {
    const down = new RunError('runner_unreachable', 'connection refused', true);
    const runner = new ScriptedRunner([down, down, down]);
    const { stage, executions, registry } = setup(runner);
    registry.add({ name: 'shipper', runner: { kind: 'http', url: 'https://example.test/run', secret: 'whsec_unused' }, retry: { retries: 1, minTimeoutMs: 1, maxTimeoutMs: 1 } });
    registry.routes = [{ id: 'ship', eventType: 'order.created', agent: 'shipper', enabled: true, origin: 'config', version: 1, updatedAt: new Date() }];

    const dead = await stage.handleBatch([event('e4', { id: 4 })]);
    expect(dead).toEqual([expect.objectContaining({ agent: 'shipper', code: 'runner_unreachable' })]);
    expect(runner.calls).toHaveLength(2);
    expect([...executions.docs.values()][0]).toMatchObject({ status: 'failed', error: { code: 'runner_unreachable' } });
  });
});
