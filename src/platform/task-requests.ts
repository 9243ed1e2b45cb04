import type { ErrorCode } from './errors';

/**
 * Who may make an agent run by asking for it. An `agent.task.requested` event names an agent and its input, so
 * honouring it from any sender would let every webhook source run every agent (`command` ones included). The
 * decision is made once, by ingest, when the event is received with the source's settings of that moment, and
 * travels with the event as CloudEvent extensions that only the hub writes (senders cannot set Kafka headers):
 * the agents stage honours a grant, the archive shows a refusal. The Management API's own source `api` is
 * trusted (its callers hold an operator key).
 */
export const TASK_REQUESTED = 'agent.task.requested';

/** The trusted source of `POST /api/v1/agents/{name}/executions`; no webhook source may take this id. */
export const API_SOURCE_ID = 'api';

/** Extension carrying the agent a task request was granted for. */
export const TASK_GRANT_EXTENSION = 'hookhubtaskagent';
/** Extension carrying why a task request was refused: `<code>: <detail>`. */
export const TASK_REFUSAL_EXTENSION = 'hookhubtaskrefused';

export const TASK_NOT_ALLOWED: ErrorCode = 'task_not_allowed';

export interface TaskRefusal {
  code: string;
  detail: string;
}

/** The agent a task-request body names, if it names one. */
export function requestedAgent(data: unknown): string | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const agent = (data as Record<string, unknown>).agent;
  return typeof agent === 'string' && agent.length > 0 ? agent : undefined;
}

/**
 * The extensions ingest stamps on an event of `source`: a grant when the source lists the requested agent,
 * a refusal otherwise; nothing for events that are not task requests (or name no agent).
 */
export function taskStamp(source: { id: string; agents?: readonly string[] }, type: string, data: unknown): Record<string, string> {
  if (type !== TASK_REQUESTED) return {};
  const agent = requestedAgent(data);
  if (!agent) return {};
  if (source.agents?.includes(agent)) return { [TASK_GRANT_EXTENSION]: agent };
  const detail = (source.agents?.length ?? 0) === 0
    ? `source ${source.id} may not trigger agents (its "agents" list is empty); agent ${agent} did not run`
    : `source ${source.id} may trigger only ${source.agents?.join(', ')}; agent ${agent} did not run`;
  return { [TASK_REFUSAL_EXTENSION]: `${TASK_NOT_ALLOWED}: ${detail}` };
}

/** Whether the agents stage may run the agent a task request names. */
export function taskGranted(event: { sourceId?: string; extensions: Record<string, string> }, agent: string): boolean {
  return event.sourceId === API_SOURCE_ID || event.extensions[TASK_GRANT_EXTENSION] === agent;
}

/** The refusal stamped on an event, as the archive shows it. */
export function taskRefusalOf(extensions: Record<string, string> | undefined): TaskRefusal | undefined {
  const v = extensions?.[TASK_REFUSAL_EXTENSION];
  if (!v) return undefined;
  const i = v.indexOf(': ');
  return i < 0 ? { code: TASK_NOT_ALLOWED, detail: v } : { code: v.slice(0, i), detail: v.slice(i + 2) };
}
