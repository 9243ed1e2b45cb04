import { traceIdOf } from '../../platform/cloudevents';
import type { FieldError } from '../../platform/schemas';
import { ExecutionErrorCodes } from './errors';
import { rejected } from './execution-state';
import { executionIdFor } from './ids';
import type { Agent, InboundEvent, Route, StoredExecution } from './model';
import { planTargets, type Target } from './routing';

/**
 * Planning, without side effects: which agents an event goes to, and for each one an execution that is either
 * finished already (`rejected`: unknown or disabled agent, refused input), to be run in process while planning
 * (`pure` runner), or to be queued and run (`run`).
 */
export type PlanKind = 'rejected' | 'pure' | 'run';

export interface Planned {
  event: InboundEvent;
  target: Target;
  agent?: Agent;
  kind: PlanKind;
  execution: StoredExecution;
}

export interface PlanningContext {
  agents: ReadonlyMap<string, Agent>;
  routes: readonly Route[];
  validate(schema: string, value: unknown): FieldError[];
  isPure(agent: Agent): boolean;
}

export function planEvent(event: InboundEvent, ctx: PlanningContext, now: Date): Planned[] {
  return planTargets(event, ctx.routes).map((target): Planned => {
    const agent = ctx.agents.get(target.agent);
    const execution = newExecution(event, target, agent, now);
    const refuse = (code: string, message: string): Planned => ({ event, target, ...(agent ? { agent } : {}), kind: 'rejected', execution: rejected(execution, code, message, now) });
    if (!agent) return refuse(ExecutionErrorCodes.agentUnknown, `no agent named ${target.agent}`);
    if (agent.enabled === false) return refuse(ExecutionErrorCodes.agentDisabled, `agent ${agent.name} is disabled`);
    if (agent.inputSchema) {
      const errors = ctx.validate(agent.inputSchema, target.input);
      if (errors.length > 0) return refuse(ExecutionErrorCodes.inputInvalid, errors.map((e) => `${e.path} ${e.message}`).join('; ').slice(0, 2000));
    }
    return { event, target, agent, kind: ctx.isPure(agent) ? 'pure' : 'run', execution };
  });
}

/** Plans a batch; the same event twice in it (a producer retry) plans the same execution twice: the first stays. */
export function planBatch(events: InboundEvent[], ctx: PlanningContext, now: Date): Planned[] {
  const seen = new Set<string>();
  return events.flatMap((e) => planEvent(e, ctx, now)).filter((p) => !seen.has(p.execution.id) && !!seen.add(p.execution.id));
}

/** A new execution of `target` for `event`, not started (one id per event and agent: redeliveries collide). */
export function newExecution(event: InboundEvent, target: Target, agent: Agent | undefined, now: Date): StoredExecution {
  const traceId = traceIdOf(event.traceparent);
  const replayOf = event.extensions.replayof;
  return {
    id: executionIdFor(event.id, target.agent),
    agent: target.agent,
    ...(agent?.team ? { team: agent.team } : {}),
    status: 'queued',
    attempts: 0,
    eventId: event.id,
    eventType: event.type,
    event: {
      id: event.id,
      source: event.source,
      ...(event.sourceId ? { sourceId: event.sourceId } : {}),
      type: event.type,
      time: event.time,
      topic: event.topic,
      partition: event.partition,
      offset: event.offset,
      ...(event.key !== undefined ? { key: event.key } : {}),
    },
    ...(target.task !== undefined ? { task: target.task } : {}),
    ...(target.route ? { route: target.route } : {}),
    ...(target.input !== undefined ? { input: target.input } : {}),
    documents: [],
    ...(traceId ? { traceId } : {}),
    ...(replayOf || event.extensions.replay === 'true' ? { replay: true } : {}),
    ...(replayOf ? { replayOf } : {}),
    resultPublished: false,
    queuedAt: now,
    createdAt: now,
    updatedAt: now,
  };
}

/** Executions in the order of the events that caused them (results go out in event order). */
export function orderByEvent<T extends { eventId: string }>(executions: T[], events: InboundEvent[]): T[] {
  const pos = new Map(events.map((e, i) => [e.id, i]));
  return [...executions].sort((a, b) => (pos.get(a.eventId) ?? 0) - (pos.get(b.eventId) ?? 0));
}
