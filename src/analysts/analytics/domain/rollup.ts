import { bucketKey } from './histogram';
import { encodeKey } from './keys';

/** Rollup families; `dims` name the dimensions each one is keyed by. */
export type Metric = 'exec_agent' | 'exec_team' | 'ingest_accepted' | 'ingest_rejected' | 'delivery';

/**
 * One event's contribution to a rollup: `inc` maps safe field paths (`c.succeeded`, `h.b_250`, `e.timeout`) to
 * amounts; `max` maps fields to values kept with `$max`. The store applies it to an hour slot and a minute slot
 * (see data-access/rollup-layout.ts).
 */
export interface RollupIncrement {
  metric: Metric;
  dims: Record<string, string>;
  at: Date;
  inc: Record<string, number>;
  max?: Record<string, number>;
}

export const EXECUTION_STATUSES = ['succeeded', 'failed', 'timed_out'] as const;

export interface ExecutionFact {
  agent: string;
  team?: string;
  status: string;
  durationMs?: number;
  errorCode?: string;
  finishedAt: Date;
}

/** An execution counts once per agent and once per team (`-` when the agent has none). */
export function executionIncrements(e: ExecutionFact): RollupIncrement[] {
  const inc: Record<string, number> = { n: 1, [`c.${encodeKey(e.status)}`]: 1 };
  const max: Record<string, number> = {};
  if (e.durationMs !== undefined && Number.isFinite(e.durationMs)) {
    inc[`h.${bucketKey(e.durationMs)}`] = 1;
    inc.dsum = e.durationMs;
    max.mx = e.durationMs;
  }
  if (e.errorCode) inc[`e.${encodeKey(e.errorCode)}`] = 1;
  const team = e.team || '-';
  return [
    { metric: 'exec_agent', dims: { agent: e.agent, team }, at: e.finishedAt, inc, max },
    { metric: 'exec_team', dims: { team }, at: e.finishedAt, inc, max },
  ];
}

export interface IngestAcceptedFact {
  source: string;
  type: string;
  at: Date;
}

export const ingestAcceptedIncrement = (f: IngestAcceptedFact): RollupIncrement => ({
  metric: 'ingest_accepted',
  dims: { source: f.source, type: f.type },
  at: f.at,
  inc: { n: 1 },
});

export interface IngestRejectedFact {
  source: string;
  type?: string;
  code: string;
  at: Date;
}

export const ingestRejectedIncrement = (f: IngestRejectedFact): RollupIncrement => ({
  metric: 'ingest_rejected',
  dims: { source: f.source, type: f.type ?? '', code: f.code },
  at: f.at,
  inc: { n: 1 },
});

export interface DeliveryAttemptFact {
  subscriptionId: string;
  ok: boolean;
  latencyMs: number;
  statusCode?: number;
  errorKind?: string;
  at: Date;
}

export function deliveryIncrement(f: DeliveryAttemptFact): RollupIncrement {
  const inc: Record<string, number> = { n: 1, [f.ok ? 'ok' : 'fail']: 1, [`h.${bucketKey(f.latencyMs)}`]: 1 };
  if (f.statusCode !== undefined) inc[`s.${f.statusCode}`] = 1;
  if (f.errorKind) inc[`x.${encodeKey(f.errorKind)}`] = 1;
  return { metric: 'delivery', dims: { sub: f.subscriptionId }, at: f.at, inc, max: { mx: f.latencyMs } };
}
