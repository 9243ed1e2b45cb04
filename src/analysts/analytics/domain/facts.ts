import type { CloudEvent } from '../../../platform/cloudevents';
import { matchesEventType } from '../../../platform/matching';
import type { ExecutionFact, IngestAcceptedFact } from './rollup';

interface ExecutionValue {
  execution?: {
    agent?: unknown;
    team?: unknown;
    status?: unknown;
    durationMs?: unknown;
    error?: { code?: unknown } | null;
    finishedAt?: unknown;
  };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/**
 * An execution fact from a `hookhub.execution.*` result event; undefined for other result events (delivery
 * events share the topic) and for values that are not the agents' result shape.
 */
export function executionFactOf(ce: CloudEvent): ExecutionFact | undefined {
  if (!matchesEventType('hookhub.execution.*', ce.type)) return undefined;
  let value: ExecutionValue;
  try {
    value = JSON.parse(ce.data.toString('utf8')) as ExecutionValue;
  } catch {
    return undefined;
  }
  const e = value?.execution;
  const agent = str(e?.agent);
  if (!e || !agent) return undefined;
  const status = str(e.status) ?? ce.type.slice('hookhub.execution.'.length);
  const finished = new Date(str(e.finishedAt) ?? ce.time);
  const code = e.error && typeof e.error === 'object' ? str(e.error.code) : undefined;
  return {
    agent,
    ...(str(e.team) ? { team: str(e.team) } : {}),
    status,
    ...(typeof e.durationMs === 'number' && Number.isFinite(e.durationMs) ? { durationMs: e.durationMs } : {}),
    ...(code ? { errorCode: code } : {}),
    finishedAt: Number.isFinite(finished.getTime()) ? finished : new Date(ce.time),
  };
}

/**
 * An accepted-ingest fact from an inbound event, dated by the log's timestamp (when ingest produced it).
 * Replayed copies (`replayof`) are not new ingest and are not counted.
 */
export function ingestFactOf(ce: CloudEvent, logTimestampMs: number): IngestAcceptedFact | undefined {
  if (ce.extensions?.replayof) return undefined;
  const source = ce.extensions?.hookhubsource ?? ce.source.replace(/^\/sources\//, '');
  return { source, type: ce.type, at: new Date(Number.isFinite(logTimestampMs) ? logTimestampMs : Date.parse(ce.time)) };
}
