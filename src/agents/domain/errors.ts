/**
 * Errors of a run, classified once: `retriable` ones (the agent or the network had a transient problem) are
 * retried with backoff per the agent's retry policy; the rest fail the execution at once. A timeout ends the
 * execution as `timed_out`.
 */
export class RunError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retriable = false,
    readonly details: { exitCode?: number; stderr?: string } = {},
  ) {
    super(message);
    this.name = 'RunError';
  }
}

export class RunTimeoutError extends RunError {
  constructor(ms: number, details: { exitCode?: number; stderr?: string } = {}) {
    super('timeout', `the run did not finish within ${ms} ms`, false, details);
    this.name = 'RunTimeoutError';
  }
}

/** Stable execution error codes (also the `x-hookhub-error-code` header of DLQ copies). */
export const ExecutionErrorCodes = {
  inputInvalid: 'input_invalid',
  agentUnknown: 'agent_unknown',
  agentDisabled: 'agent_disabled',
  runnerError: 'runner_error',
  badOutput: 'runner_bad_output',
  timeout: 'timeout',
  cancelled: 'cancelled',
} as const;

export function toRunError(err: unknown): RunError {
  if (err instanceof RunError) return err;
  const e = err as { message?: string };
  return new RunError(ExecutionErrorCodes.runnerError, e?.message ?? String(err), false);
}

/**
 * Whether an infrastructure failure (MongoDB, Kafka) around a batch is worth retrying: anything but a
 * programming error (TypeError and friends), which would fail the same way again.
 */
export function isTransientInfraError(err: unknown): boolean {
  if (err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError || err instanceof ReferenceError) return false;
  // MongoDB answers that say the request itself is wrong (bad value, parse failure, unsupported operation, ...).
  const code = (err as { code?: unknown }).code;
  return !(typeof code === 'number' && PERMANENT_MONGO_CODES.has(code));
}

const PERMANENT_MONGO_CODES = new Set([2, 9, 14, 52, 121, 238]);
