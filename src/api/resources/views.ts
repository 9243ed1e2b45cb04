/** JSON shapes of the agents component's objects as the API shows them (dates as ISO strings, secrets masked). */
import { resultEventIdFor, isFinal, type Agent, type AgentStatus, type Execution, type Route, type StoredDocument } from '../../agents';
import type { RunnerConfig } from '../../config/types';

const iso = (d: Date | undefined): string | undefined => (d ? new Date(d).toISOString() : undefined);
const defined = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
export const hint = (secret: string): string => `…${secret.slice(-4)}`;
const maskValues = (m: Record<string, string> | undefined): Record<string, string> | undefined => (m ? Object.fromEntries(Object.entries(m).map(([k, v]) => [k, hint(v)])) : undefined);

/** Runner settings without secrets: the http signing secret, header values and fixed environment values show their last 4 characters. */
export function maskRunner(runner: RunnerConfig): Record<string, unknown> {
  if (runner.kind === 'http') {
    const { secret, headers, ...rest } = runner;
    return defined({ ...rest, secret: hint(secret), headers: maskValues(headers) });
  }
  if (runner.kind === 'command') {
    const { setEnv, ...rest } = runner;
    return defined({ ...rest, setEnv: maskValues(setEnv) });
  }
  return { ...runner };
}

export function statusView(s: AgentStatus): Record<string, unknown> {
  return defined({ running: s.running, lastRunAt: iso(s.lastRunAt), lastOutcome: s.lastOutcome, lastExecutionId: s.lastExecutionId, counts: s.counts });
}

export function agentView(a: Agent, status: AgentStatus): Record<string, unknown> {
  return defined({
    name: a.name,
    team: a.team,
    description: a.description,
    runner: maskRunner(a.runner),
    inputSchema: a.inputSchema,
    instructions: a.instructions,
    timeoutMs: a.timeoutMs,
    maxConcurrency: a.maxConcurrency,
    retry: a.retry,
    enabled: a.enabled !== false,
    tools: a.tools ?? [],
    source: a.source,
    version: a.version,
    updatedAt: iso(a.updatedAt),
    status: statusView(status),
  });
}

export function routeView(r: Route): Record<string, unknown> {
  return defined({
    id: r.id,
    source: r.source,
    eventType: r.eventType,
    filter: r.filter,
    agent: r.agent,
    task: r.task,
    input: r.input,
    enabled: r.enabled !== false,
    origin: r.origin,
    version: r.version,
    updatedAt: iso(r.updatedAt),
  });
}

export function documentView(d: StoredDocument): Record<string, unknown> {
  return defined({
    id: d.id,
    kind: d.kind,
    title: d.title,
    body: d.body,
    url: d.url,
    mimeType: d.mimeType,
    agent: d.agent,
    executionId: d.executionId,
    eventId: d.eventId,
    tags: d.tags,
    metadata: d.metadata,
    key: d.key,
    version: d.version,
    revision: d.revision,
    createdAt: iso(d.createdAt),
    updatedAt: iso(d.updatedAt),
  });
}

/** An execution; `documents` are refs unless the full documents are given. */
export function executionView(e: Execution, documents?: StoredDocument[]): Record<string, unknown> {
  return defined({
    id: e.id,
    agent: e.agent,
    team: e.team,
    status: e.status,
    attempts: e.attempts,
    eventId: e.eventId,
    eventType: e.eventType,
    event: e.event,
    task: e.task,
    route: e.route,
    input: e.input,
    output: e.output,
    error: e.error,
    usage: e.usage,
    exitCode: e.exitCode,
    stderr: e.stderr,
    replay: e.replay,
    replayOf: e.replayOf,
    resultEventId: isFinal(e.status) ? resultEventIdFor(e.id, e.status) : undefined,
    documents: documents ? documents.map(documentView) : e.documents,
    queuedAt: iso(e.queuedAt),
    startedAt: iso(e.startedAt),
    finishedAt: iso(e.finishedAt),
    durationMs: e.durationMs,
    createdAt: iso(e.createdAt),
    updatedAt: iso(e.updatedAt),
  });
}
