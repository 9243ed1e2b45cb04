import { RunTimeoutError, toRunError, type RunError } from './errors';
import type { RunResult } from '../runners/runner';
import type { DocumentRef, FinalStatus, InboundEvent, StoredExecution } from './model';
import { isFinal, type ExecutionStatus } from './model';
import type { FinishFields } from './ports';

/**
 * One execution's life, as pure transitions: queued (leased to a process) → running → succeeded | failed |
 * timed_out, where a retriable failed attempt goes back to running until the agent's retries are spent. The
 * store applies them (guarded by the lease); nothing here does I/O.
 */

/** An event whose processing ended in an error that must be dead-lettered (with the error in headers). */
export interface DeadLetter {
  event: InboundEvent;
  agent: string;
  executionId: string;
  code: string;
  message: string;
  /** Runs tried before giving up. */
  attempts: number;
}

/** What a run returned, or how it failed; `exhausted` when a retriable error outlived the retries. */
export interface RunOutcome {
  result?: RunResult;
  error?: RunError;
  exhausted: boolean;
}

/** queued, held by `owner` until `leaseUntil`. */
export function queued(e: StoredExecution, owner: string, leaseUntil: Date): StoredExecution {
  return { ...e, status: 'queued', owner, leaseUntil };
}

/** queued → failed without running (unknown or disabled agent, refused input). */
export function rejected(e: StoredExecution, code: string, message: string, now: Date): StoredExecution {
  return finished(e, 'failed', now, { error: { code, message } });
}

/** queued → running → final in one step: a pure run done while planning (one attempt, at `now`). */
export function ranInPlace(e: StoredExecution, now: Date, outcome: { output?: unknown } | { error: RunError }): StoredExecution {
  const started = { ...e, attempts: 1, startedAt: now };
  return 'error' in outcome
    ? finished(started, 'failed', now, { error: { code: outcome.error.code, message: outcome.error.message } })
    : finished(started, 'succeeded', now, { output: outcome.output });
}

function finished(e: StoredExecution, status: FinalStatus, now: Date, extra: { output?: unknown; error?: { code: string; message: string } }): StoredExecution {
  const started = e.startedAt ?? now;
  return {
    ...e,
    status,
    ...(extra.output !== undefined ? { output: extra.output } : {}),
    ...(extra.error ? { error: extra.error } : {}),
    finishedAt: now,
    durationMs: now.getTime() - started.getTime(),
  };
}

/** A failed attempt as a RunError: an attempt cut off by its deadline is a timeout, whatever the runner threw. */
export function attemptError(err: unknown, deadlineHit: boolean, timeoutMs: number): RunError {
  return deadlineHit && !(err instanceof RunTimeoutError) ? new RunTimeoutError(timeoutMs, toRunError(err).details) : toRunError(err);
}

/** running → running again (retry) or → final (give up): only retriable errors are retried, never while stopping. */
export function afterFailedAttempt(error: RunError, stopping: boolean): 'retry' | 'give-up' {
  return error.retriable && !stopping ? 'retry' : 'give-up';
}

export function finalStatusOf(error: RunError | undefined): FinalStatus {
  return error ? (error instanceof RunTimeoutError ? 'timed_out' : 'failed') : 'succeeded';
}

/** running → final: the fields of the final write. */
export function finishFields(outcome: RunOutcome, documents: DocumentRef[], attempts: number, startedAt: Date, finishedAt: Date): FinishFields {
  const r = outcome.result;
  const e = outcome.error;
  const details = e?.details ?? r ?? {};
  return {
    status: finalStatusOf(e),
    ...(r?.output !== undefined ? { output: r.output } : {}),
    ...(e ? { error: { code: e.code, message: e.message.slice(0, 2000) } } : {}),
    ...(r?.usage ? { usage: r.usage } : {}),
    ...(details.exitCode !== undefined ? { exitCode: details.exitCode } : {}),
    ...(details.stderr !== undefined && details.stderr !== '' ? { stderr: details.stderr } : {}),
    documents,
    attempts: Math.max(1, attempts),
    finishedAt,
    durationMs: finishedAt.getTime() - startedAt.getTime(),
  };
}

/** A run that failed with retriable errors until its retries ran out is dead-lettered; a final error is not. */
export function deadLetterOf(outcome: RunOutcome, event: InboundEvent, stored: StoredExecution): DeadLetter | undefined {
  const e = outcome.error;
  if (!e || !outcome.exhausted) return undefined;
  return { event, agent: stored.agent, executionId: stored.id, code: e.code, message: e.message, attempts: stored.attempts };
}

/**
 * What to do with an execution found stored when its event came again: nothing when it finished (but publish
 * its result if that never happened); take it over when its lease expired (its process died) or when this
 * process left it behind (an earlier try at the batch failed midway); otherwise wait for the live holder.
 */
export type Redelivery = 'done' | 'publish' | 'reclaim-own' | 'reclaim-expired' | 'wait';

export function redeliveryStep(stored: StoredExecution, owner: string, heldHere: boolean, now: number): Redelivery {
  if (isFinal(stored.status as ExecutionStatus)) return stored.resultPublished ? 'done' : 'publish';
  if (stored.owner === owner && !heldHere) return 'reclaim-own';
  if (!!stored.leaseUntil && stored.leaseUntil.getTime() < now) return 'reclaim-expired';
  return 'wait';
}
