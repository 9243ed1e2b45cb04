import { RunError, RunTimeoutError } from '../../src/agents/domain/errors';
import { afterFailedAttempt, attemptError, deadLetterOf, finishFields, queued, ranInPlace, redeliveryStep } from '../../src/agents/domain/execution-state';
import type { Agent, InboundEvent, StoredExecution } from '../../src/agents/domain/model';
import { newExecution, planBatch, type PlanningContext } from '../../src/agents/domain/planning';

const at = new Date('2026-12-02T10:00:00Z');
const event = (id: string, extra: Partial<InboundEvent> = {}): InboundEvent => ({ id, source: '/sources/shop', sourceId: 'shop', type: 'order.created', time: at.toISOString(), extensions: {}, data: { n: 1 }, topic: 'hookhub.in.shop', partition: 0, offset: '7', key: 'k', ...extra });
const agent = (name: string, extra: Partial<Agent> = {}): Agent => ({ name, runner: { kind: 'builtin', name: 'echo' }, source: 'config', version: 1, updatedAt: at, ...extra });
const fresh = (): StoredExecution => newExecution(event('e1'), { agent: 'a', input: { n: 1 } }, agent('a'), at);

// Scenario: one execution's life as pure transitions (queued → running → final, a retriable failure back to
// running) and planning as a pure function of the event, the agents and the routes: no store, no runner.
describe('execution state transitions', () => {
  it('queues a new execution under a lease, and finishes a pure run in place with one attempt', () => {
    const leased = queued(fresh(), 'me', new Date(at.getTime() + 5000));
    expect(leased).toMatchObject({ status: 'queued', owner: 'me', attempts: 0, resultPublished: false });
    expect(ranInPlace(leased, at, { output: { ok: true } })).toMatchObject({ status: 'succeeded', attempts: 1, output: { ok: true }, startedAt: at, finishedAt: at, durationMs: 0 });
    expect(ranInPlace(leased, at, { error: new RunError('bad', 'no') })).toMatchObject({ status: 'failed', error: { code: 'bad', message: 'no' } });
  });

  it('retries only retriable errors and never while stopping; an attempt cut off by its deadline is a timeout', () => {
    expect(afterFailedAttempt(new RunError('runner_unreachable', 'reset', true), false)).toBe('retry');
    expect(afterFailedAttempt(new RunError('runner_unreachable', 'reset', true), true)).toBe('give-up');
    expect(afterFailedAttempt(new RunError('bad_reply', 'nope', false), false)).toBe('give-up');
    expect(attemptError(new Error('aborted'), true, 1000)).toBeInstanceOf(RunTimeoutError);
    expect(attemptError(new RunError('bad_reply', 'nope'), false, 1000)).toMatchObject({ code: 'bad_reply' });
  });

  it('ends as succeeded, failed or timed_out, and dead-letters only retriable errors that outlived the retries', () => {
    const started = new Date(at.getTime() - 250);
    expect(finishFields({ result: { output: 1 }, exhausted: false }, [], 0, started, at)).toMatchObject({ status: 'succeeded', output: 1, attempts: 1, durationMs: 250 });
    const timeout = new RunTimeoutError(100);
    expect(finishFields({ error: timeout, exhausted: false }, [], 2, started, at)).toMatchObject({ status: 'timed_out', attempts: 2 });
    const down = new RunError('runner_unreachable', 'refused', true);
    const stored = { ...fresh(), attempts: 3 };
    expect(deadLetterOf({ error: down, exhausted: true }, event('e1'), stored)).toMatchObject({ code: 'runner_unreachable', attempts: 3, executionId: stored.id });
    expect(deadLetterOf({ error: new RunError('bad_reply', 'nope'), exhausted: false }, event('e1'), stored)).toBeUndefined();
  });

  it('on redelivery: leaves a published result, publishes an unpublished one, takes over an expired or own lease, waits for a live one', () => {
    const now = at.getTime();
    const e = fresh();
    expect(redeliveryStep({ ...e, status: 'succeeded', resultPublished: true }, 'me', false, now)).toBe('done');
    expect(redeliveryStep({ ...e, status: 'failed' }, 'me', false, now)).toBe('publish');
    expect(redeliveryStep({ ...e, status: 'running', owner: 'other', leaseUntil: new Date(now - 1) }, 'me', false, now)).toBe('reclaim-expired');
    expect(redeliveryStep({ ...e, status: 'queued', owner: 'me', leaseUntil: new Date(now + 1000) }, 'me', false, now)).toBe('reclaim-own');
    expect(redeliveryStep({ ...e, status: 'queued', owner: 'me', leaseUntil: new Date(now + 1000) }, 'me', true, now)).toBe('wait');
    expect(redeliveryStep({ ...e, status: 'running', owner: 'other', leaseUntil: new Date(now + 1000) }, 'me', false, now)).toBe('wait');
  });
});

describe('planning', () => {
  const ctx = (agents: Agent[], isPure = true): PlanningContext => ({
    agents: new Map(agents.map((a) => [a.name, a])),
    routes: [{ id: 'r', eventType: 'order.*', agent: 'a', enabled: true, origin: 'config', version: 1, updatedAt: at }],
    validate: (_schema, value) => ((value as { n?: number }).n === 1 ? [] : [{ path: '/n', message: 'must be 1' }]),
    isPure: () => isPure,
  });

  it('plans one execution per event and agent, keeps the first of an event seen twice, and says how each is run', () => {
    const plan = planBatch([event('e1'), event('e1', { offset: '8' }), event('e2')], ctx([agent('a')], false), at);
    expect(plan.map((p) => [p.event.id, p.kind, p.execution.event.offset])).toEqual([['e1', 'run', '7'], ['e2', 'run', '7']]);
    expect(planBatch([event('e1')], ctx([agent('a')]), at)[0]?.kind).toBe('pure');
  });

  it('rejects an unknown or disabled agent and an input its schema refuses, as finished executions', () => {
    expect(planBatch([event('e1')], ctx([]), at)[0]?.execution).toMatchObject({ status: 'failed', error: { code: 'agent_unknown' } });
    expect(planBatch([event('e1')], ctx([agent('a', { enabled: false })]), at)[0]?.execution).toMatchObject({ status: 'failed', error: { code: 'agent_disabled' } });
    expect(planBatch([event('e1', { data: { n: 2 } })], ctx([agent('a', { inputSchema: 's' })]), at)[0]).toMatchObject({ kind: 'rejected', execution: { error: { code: 'input_invalid' } } });
  });
});
