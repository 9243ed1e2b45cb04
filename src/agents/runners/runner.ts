import { OutboundError } from '../../platform/outbound/client';
import type { SchemaRegistry } from '../../platform/schemas';
import { RunError, RunTimeoutError } from '../domain/errors';
import type { Agent, DocumentDraft, InboundEvent, Usage } from '../domain/model';

export interface RunRequest {
  executionId: string;
  agent: Agent;
  task?: string;
  input: unknown;
  event: InboundEvent;
  /** Aborted at the deadline (and on shutdown); runners must stop their work when it fires. */
  signal: AbortSignal;
  /** Epoch ms by which the run must end. */
  deadline: number;
  attempt: number;
}

export interface RunResult {
  output?: unknown;
  documents?: DocumentDraft[];
  usage?: Usage;
  exitCode?: number;
  stderr?: string;
}

/** One way of running an agent. `pure` runners have no effect outside the hub, so running one twice is harmless. */
export interface Runner {
  readonly pure: boolean;
  run(req: RunRequest): Promise<RunResult>;
}

/**
 * Names a failed outbound request of a runner: a refusal by the SSRF guard and an oversized reply are final,
 * network trouble is retriable, the deadline is a timeout.
 */
export function outboundRunError(err: unknown, req: RunRequest, what: string): RunError {
  if (req.signal.aborted) return new RunTimeoutError(req.agent.timeoutMs ?? Math.max(1, req.deadline - Date.now()));
  if (!(err instanceof OutboundError)) return new RunError('runner_unreachable', `${what} unreachable: ${(err as Error).message}`, true);
  switch (err.failure) {
    case 'blocked':
      return new RunError('outbound_blocked', `${what} refused by the outbound guard: ${err.message}`);
    case 'too_large':
      return new RunError('runner_reply_too_large', `${what}: ${err.message}`);
    case 'timeout':
      return new RunTimeoutError(req.agent.timeoutMs ?? 0);
    case 'network':
      return new RunError('runner_unreachable', `${what} unreachable: ${err.message}`, true);
  }
}

/** The event as agents receive it: attributes plus the parsed body. */
export function eventForAgent(event: InboundEvent): Record<string, unknown> {
  return { id: event.id, type: event.type, source: event.source, time: event.time, data: event.data };
}

/**
 * Reads an agent's reply (http body, command stdout, async callback): `{output?, documents?}` is an envelope;
 * any other JSON value is the output itself. Documents are validated against schemas/agents/document.json.
 */
export function parseReply(reply: unknown, schemas: SchemaRegistry): RunResult {
  const isEnvelope = !!reply && typeof reply === 'object' && !Array.isArray(reply) && ('output' in reply || 'documents' in reply);
  if (!isEnvelope) return { output: reply };
  const env = reply as { output?: unknown; documents?: unknown };
  const documents = env.documents ?? [];
  if (!Array.isArray(documents)) throw new RunError('runner_bad_output', 'documents must be an array');
  documents.forEach((d, i) => {
    const errors = schemas.validate('agents/document', d);
    if (errors.length > 0) {
      throw new RunError('runner_bad_output', `documents/${i}: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
    }
  });
  return { ...(env.output !== undefined ? { output: env.output } : {}), documents: documents as DocumentDraft[] };
}
