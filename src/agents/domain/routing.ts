import Handlebars from 'handlebars';
import { matchesEventType, matchesFilter, readPointer } from '../../platform/matching';
import { TASK_REQUESTED, taskGranted } from '../../platform/task-requests';
import type { InboundEvent, Route } from './model';

export { TASK_REQUESTED };

/** What the router decided for one (event, agent) pair. */
export interface Target {
  agent: string;
  route?: string;
  task?: string;
  input: unknown;
}

export interface TaskRequest {
  agent: string;
  task?: string;
  parameters?: unknown;
  callback?: unknown;
}

/** The template context: `{{event.type}}`, `{{data.issue.title}}`, and later `{{input.x}}`, `{{task}}`. */
export function templateContext(event: InboundEvent): Record<string, unknown> {
  return {
    event: { id: event.id, type: event.type, source: event.source, sourceId: event.sourceId, time: event.time },
    data: event.data,
  };
}

const compiled = new Map<string, HandlebarsTemplateDelegate>();

/** Renders a handlebars template (compiled once, cached); output is not HTML-escaped: documents are text. */
export function render(template: string, context: unknown): string {
  let fn = compiled.get(template);
  if (!fn) {
    fn = Handlebars.compile(template, { noEscape: true, strict: false });
    if (compiled.size > 5000) compiled.clear();
    compiled.set(template, fn);
  }
  return fn(context);
}

/**
 * Maps an event into an agent's input. The rule, for every string value of the mapping (recursively through
 * objects and arrays): a string starting with `/` is a JSON pointer into the event body (the value is copied
 * with its type; a missing one is left out); a string containing `{{` is a handlebars template over
 * `{event, data}` (always a string); anything else is a literal. No mapping: the input is the whole body.
 */
export function mapInput(mapping: Record<string, unknown> | undefined, event: InboundEvent): unknown {
  if (!mapping) return event.data;
  const ctx = templateContext(event);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (v.startsWith('/')) return readPointer(event.data, v);
      if (v.includes('{{')) return render(v, ctx);
      return v;
    }
    if (Array.isArray(v)) return v.map(walk).filter((x) => x !== undefined);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const m = walk(x);
        if (m !== undefined) out[k] = m;
      }
      return out;
    }
    return v;
  };
  return walk(mapping);
}

export function sourceIdOf(event: Pick<InboundEvent, 'source' | 'sourceId'>): string | undefined {
  if (event.sourceId) return event.sourceId;
  const m = /^\/sources\/([^/]+)$/.exec(event.source);
  return m?.[1];
}

/** Reads an `agent.task.requested` body; undefined when it does not name an agent. */
export function readTaskRequest(data: unknown): TaskRequest | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const d = data as Record<string, unknown>;
  if (typeof d.agent !== 'string' || d.agent.length === 0) return undefined;
  return {
    agent: d.agent,
    ...(typeof d.task === 'string' ? { task: d.task } : {}),
    ...(d.parameters !== undefined ? { parameters: d.parameters } : {}),
    ...(d.callback !== undefined ? { callback: d.callback } : {}),
  };
}

export function shouldRoute(route: Route, event: InboundEvent): boolean {
  if (route.enabled === false) return false;
  if (route.source && route.source !== sourceIdOf(event)) return false;
  if (!matchesEventType(route.eventType, event.type)) return false;
  return matchesFilter(event.data, route.filter);
}

/**
 * The agents an event goes to: the agent an `agent.task.requested` event names (input = its parameters) when
 * ingest granted it to the event's source (or it came from the API), then every matching route, in route-id
 * order. One target per agent: the first decision for an agent wins, which keeps "one execution per (event,
 * agent)" true by construction. A refused request plans nothing: no execution, the archive says why.
 */
export function planTargets(event: InboundEvent, routes: readonly Route[]): Target[] {
  const targets = new Map<string, Target>();
  if (event.type === TASK_REQUESTED) {
    const req = readTaskRequest(event.data);
    if (req && taskGranted(event, req.agent)) targets.set(req.agent, { agent: req.agent, ...(req.task ? { task: req.task } : {}), input: req.parameters ?? {} });
  }
  for (const route of [...routes].sort((a, b) => a.id.localeCompare(b.id))) {
    if (targets.has(route.agent) || !shouldRoute(route, event)) continue;
    targets.set(route.agent, {
      agent: route.agent,
      route: route.id,
      ...(route.task !== undefined ? { task: route.task.includes('{{') ? render(route.task, templateContext(event)) : route.task } : {}),
      input: mapInput(route.input, event),
    });
  }
  return [...targets.values()];
}
