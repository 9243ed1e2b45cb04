import pRetry from 'p-retry';
import type { Runner, RunRequest } from '../runners/runner';
import { toRunError } from './errors';
import { afterFailedAttempt, attemptError, type RunOutcome } from './execution-state';
import type { Agent } from './model';

const DEFAULT_RETRY = { retries: 2, minTimeoutMs: 500, maxTimeoutMs: 10000 };

export interface AttemptsRequest {
  runner: Runner;
  agent: Agent;
  timeoutMs: number;
  /** The request of one attempt, without its signal, deadline and number. */
  request: Omit<RunRequest, 'signal' | 'deadline' | 'attempt'>;
  /** Aborts the running attempt and stops retrying (shutdown). */
  shutdown: AbortSignal;
  /** Counts an attempt and returns its number. */
  countAttempt(): number;
}

/** Runs an agent, each attempt bounded by its timeout, retrying retriable errors with the agent's backoff. */
export async function runAttempts(r: AttemptsRequest): Promise<RunOutcome> {
  const policy = { ...DEFAULT_RETRY, ...r.agent.retry };
  let retriesLeft = policy.retries;
  try {
    const result = await pRetry(
      async () => {
        const attempt = r.countAttempt();
        const ac = new AbortController();
        const onShutdown = (): void => ac.abort();
        r.shutdown.addEventListener('abort', onShutdown, { once: true });
        const timer = setTimeout(() => ac.abort(), r.timeoutMs);
        try {
          return await r.runner.run({ ...r.request, signal: ac.signal, deadline: Date.now() + r.timeoutMs, attempt });
        } catch (err) {
          const e = attemptError(err, ac.signal.aborted, r.timeoutMs);
          if (afterFailedAttempt(e, r.shutdown.aborted) === 'give-up') throw new pRetry.AbortError(e);
          retriesLeft -= 1;
          throw e;
        } finally {
          clearTimeout(timer);
          r.shutdown.removeEventListener('abort', onShutdown);
        }
      },
      { retries: policy.retries, minTimeout: policy.minTimeoutMs, maxTimeout: policy.maxTimeoutMs, factor: 2, randomize: true },
    );
    return { result, exhausted: false };
  } catch (err) {
    const e = toRunError(err);
    return { error: e, exhausted: e.retriable && retriesLeft < 0 };
  }
}
