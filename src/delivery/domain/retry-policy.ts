/**
 * What one attempt's outcome means for the delivery: done, retry at a time, or give up (and why). Pure, so
 * the whole policy is unit-tested without a network.
 */
export type ErrorKind = 'timeout' | 'dns' | 'connection_refused' | 'tls' | 'network' | 'http_status' | 'ssrf_blocked';

export const DEFAULT_SCHEDULE = ['0', '5s', '5m', '30m', '2h', '5h', '10h', '10h'];

export interface AttemptOutcome {
  /** HTTP status when a response arrived. */
  status?: number;
  errorKind?: ErrorKind;
  /** Parsed Retry-After in ms (429/503 only). */
  retryAfterMs?: number;
}

export type Decision =
  | { action: 'succeeded' }
  | { action: 'retry'; delayMs: number }
  | { action: 'exhausted' }
  /** 410 Gone: the endpoint asked us to stop; the subscription is disabled. */
  | { action: 'gone' };

export interface PolicyInput {
  outcome: AttemptOutcome;
  /** Attempts made in this cycle, including the one just made (1 after the first). */
  attemptsMade: number;
  /** Delays in ms; entry 0 is before the first attempt, entry n before attempt n+1. */
  schedule: number[];
  jitterPercent: number;
  maxRetryAfterMs: number;
  random?: () => number;
}

export const isSuccess = (o: AttemptOutcome): boolean => o.errorKind === undefined && o.status !== undefined && o.status >= 200 && o.status < 300;

export function decide(input: PolicyInput): Decision {
  const { outcome, attemptsMade, schedule } = input;
  if (isSuccess(outcome)) return { action: 'succeeded' };
  if (outcome.status === 410) return { action: 'gone' };
  // An SSRF refusal will not change by waiting for it; it still walks the schedule because the allow-list or
  // DNS may be fixed by an operator in the meantime.
  if (attemptsMade >= schedule.length) return { action: 'exhausted' };
  if ((outcome.status === 429 || outcome.status === 503) && outcome.retryAfterMs !== undefined) {
    return { action: 'retry', delayMs: Math.min(Math.max(0, outcome.retryAfterMs), input.maxRetryAfterMs) };
  }
  const base = schedule[attemptsMade] ?? 0;
  return { action: 'retry', delayMs: withJitter(base, input.jitterPercent, input.random ?? Math.random) };
}

/** Spreads retries of many deliveries that failed together (±jitterPercent), so they do not return in a herd. */
export function withJitter(ms: number, jitterPercent: number, random: () => number): number {
  if (ms === 0 || jitterPercent === 0) return ms;
  const spread = (ms * jitterPercent) / 100;
  return Math.max(0, Math.round(ms - spread + random() * 2 * spread));
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3); anything else is ignored. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, t - now);
}
