import type { AgentConfig } from '../../src/config/types';
import { RunError } from '../../src/agents/domain/errors';
import type { Agent, DocumentRef, Execution, InboundEvent, Route, StoredExecution } from '../../src/agents/domain/model';
import type { AgentRegistry, DocumentStore, ExecutionStore, FinishFields, StatusChange, StatusStore } from '../../src/agents/domain/ports';
import { AgentsStage, type StageOptions } from '../../src/agents/domain/stage';
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
  const options: StageOptions = {
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
  };
  return { stage: new AgentsStage(options), options, executions, registry, published, statusChanges };
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

/** An effectful runner that records when each event's run starts and ends; `gate` holds one event's run until released. */
class RecordingRunner implements Runner {
  readonly pure = false;
  readonly log: string[] = [];
  private readonly gates = new Map<string, Promise<void>>();
  private readonly started = new Map<string, () => void>();
  readonly startedOf = new Map<string, Promise<void>>();
  constructor(eventIds: string[]) {
    for (const id of eventIds) this.startedOf.set(id, new Promise<void>((resolve) => this.started.set(id, resolve)));
  }
  /** `eventId`'s run ends only once `after` has started. */
  holdUntilStarted(eventId: string, after: string): void {
    this.gates.set(eventId, this.startedOf.get(after) as Promise<void>);
  }
  async run(req: RunRequest): Promise<RunResult> {
    this.log.push(`start ${req.event.id}`);
    this.started.get(req.event.id)?.();
    await this.gates.get(req.event.id);
    this.log.push(`end ${req.event.id}`);
    return { output: { event: req.event.id } };
  }
}

/** The execution a process that died right after recording the batch left behind: queued, under its lease. */
async function leftBehind(e: InboundEvent): Promise<StoredExecution> {
  const crashed = shipperSetup(new ScriptedRunner([]));
  crashed.executions.markRunning = () => Promise.reject(new Error('process died'));
  await expect(crashed.stage.handleBatch([e])).rejects.toThrow('process died');
  const [left] = [...crashed.executions.docs.values()];
  if (!left) throw new Error('nothing recorded');
  return left;
}

function shipperSetup(runner: Runner) {
  const s = setup(runner);
  s.registry.add({ name: 'shipper', runner: { kind: 'http', url: 'https://example.test/run', secret: 'whsec_unused' }, retry: { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 1 } });
  s.registry.routes = [{ id: 'ship', eventType: 'order.created', agent: 'shipper', enabled: true, origin: 'config', version: 1, updatedAt: new Date() }];
  return s;
}

// Scenario: batch orchestration with in-memory stores: events of one key run one after another in offset order
// while another key's run goes on meanwhile; an execution left running by a dead process (lease expired) is taken
// over and finished; an execution another live process holds is not; the same event twice in a batch runs once.
describe('AgentsStage batch orchestration', () => {
  it('runs one key in offset order and other keys alongside, and publishes in event order', async () => {
    const runner = new RecordingRunner(['a1', 'a2', 'b1']);
    // a1 ends only once b1 has started: were keys run one after the other, b1 would never start.
    runner.holdUntilStarted('a1', 'b1');
    const { stage, published } = shipperSetup(runner);

    await stage.handleBatch([event('a1', {}, { key: 'A', offset: '1' }), event('b1', {}, { key: 'B', offset: '2' }), event('a2', {}, { key: 'A', offset: '3' })]);
    const ofKeyA = runner.log.filter((l) => l.endsWith('a1') || l.endsWith('a2'));
    expect(ofKeyA).toEqual(['start a1', 'end a1', 'start a2', 'end a2']);
    expect(runner.log.indexOf('start b1')).toBeLessThan(runner.log.indexOf('end a1'));
    expect(published.map((d) => d.eventId)).toEqual(['a1', 'b1', 'a2']);
  });

  it('takes over an execution whose lease expired (its process died) and finishes it', async () => {
    const runner = new ScriptedRunner([{ output: { shipped: true } }]);
    const { stage, executions, published } = shipperSetup(runner);
    const left = await leftBehind(event('e5', { id: 5 }));
    executions.docs.set(left.id, { ...left, status: 'running', attempts: 1, leaseUntil: new Date(Date.now() - 1000) });

    expect(await stage.handleBatch([event('e5', { id: 5 })])).toEqual([]);
    expect(runner.calls.map((c) => c.attempt)).toEqual([2]);
    expect(executions.docs.get(left.id)).toMatchObject({ status: 'succeeded', owner: stage.owner, attempts: 2, resultPublished: true });
    expect(published.map((d) => d.id)).toEqual([left.id]);
  });

  it('runs again on redelivery an execution its own earlier try at the batch left queued', async () => {
    const runner = new ScriptedRunner([{ output: { shipped: true } }]);
    const { stage, executions, published } = shipperSetup(runner);
    const markRunning = executions.markRunning.bind(executions);
    executions.markRunning = jest.fn().mockRejectedValueOnce(new Error('store gone')).mockImplementation(markRunning);
    await expect(stage.handleBatch([event('e9', { id: 9 })])).rejects.toThrow('store gone');
    expect([...executions.docs.values()][0]).toMatchObject({ status: 'queued', owner: stage.owner });

    expect(await stage.handleBatch([event('e9', { id: 9 })])).toEqual([]);
    expect(runner.calls).toHaveLength(1);
    expect([...executions.docs.values()][0]).toMatchObject({ status: 'succeeded', attempts: 1, resultPublished: true });
    expect(published).toHaveLength(1);
  });

  it('does not take over an execution another live process holds, and waits for it to finish', async () => {
    const runner = new ScriptedRunner([]);
    const { stage, executions, published } = shipperSetup(runner);
    const e = event('e6', { id: 6 });
    const left = await leftBehind(e);
    executions.docs.set(left.id, { ...left, status: 'running', attempts: 1, owner: 'live-process', leaseUntil: new Date(Date.now() + 60_000) });
    const findByIds = executions.findByIds.bind(executions);
    let reads = 0;
    const firstRead = new Promise<void>((resolve) => {
      executions.findByIds = async (ids) => {
        const found = await findByIds(ids);
        reads += 1;
        resolve();
        return found;
      };
    });

    const batch = stage.handleBatch([e]);
    await firstRead;
    // Seen still held by its live owner: the stage waits. The owner finishes and publishes it meanwhile.
    await executions.finish(left.id, 'live-process', { status: 'succeeded', output: { by: 'other' }, documents: [], attempts: 1, finishedAt: new Date(), durationMs: 1 });
    await executions.markPublished([left.id]);
    expect(await batch).toEqual([]);
    expect(reads).toBe(2);
    expect(runner.calls).toHaveLength(0);
    expect(published).toHaveLength(0);
    expect(executions.docs.get(left.id)).toMatchObject({ status: 'succeeded', owner: 'live-process', output: { by: 'other' } });
  });

  it('re-publishes on redelivery a finished result whose publishing failed, without running it again', async () => {
    const runner = new ScriptedRunner([{ output: { shipped: true } }]);
    const { options, executions, published } = shipperSetup(runner);
    let publishCalls = 0;
    const stage = new AgentsStage({
      ...options,
      publisher: {
        publish: async (docs) => {
          publishCalls += 1;
          if (publishCalls === 1) throw new Error('broker down');
          published.push(...docs);
        },
      },
    });
    await expect(stage.handleBatch([event('e7', { id: 7 })])).rejects.toThrow('broker down');
    const [doc] = [...executions.docs.values()];
    expect(doc).toMatchObject({ status: 'succeeded', resultPublished: false });

    expect(await stage.handleBatch([event('e7', { id: 7 })])).toEqual([]);
    expect(runner.calls).toHaveLength(1);
    expect(published.map((d) => d.id)).toEqual([doc?.id]);
    expect(executions.docs.get(doc?.id ?? '')).toMatchObject({ resultPublished: true });
  });

  it('runs an event delivered twice in one batch once, with one execution and one result', async () => {
    const runner = new ScriptedRunner([{ output: { shipped: true } }, { output: { shipped: 'again' } }]);
    const { stage, executions, published } = shipperSetup(runner);

    expect(await stage.handleBatch([event('e8', { id: 8 }, { offset: '1' }), event('e8', { id: 8 }, { offset: '2' })])).toEqual([]);
    expect(runner.calls).toHaveLength(1);
    expect(executions.docs.size).toBe(1);
    expect(published.map((d) => d.output)).toEqual([{ shipped: true }]);
  });
});
