import pRetry from 'p-retry';
import type { Logger } from '../../platform/logger';
import { isTransientInfraError } from './errors';

/** Retries a MongoDB/Kafka write of the stage on transient errors only (exponential backoff); others fail at once. */
export type InfraRetry = <T>(what: string, fn: () => Promise<T>) => Promise<T>;

export function infraRetry(logger: Logger, retries: number): InfraRetry {
  return (what, fn) =>
    pRetry(fn, {
      retries,
      minTimeout: 200,
      maxTimeout: 5000,
      onFailedAttempt: (err) => {
        if (!isTransientInfraError(err)) throw err;
        logger.warn(`${what} failed; retrying`, { attempt: err.attemptNumber, retriesLeft: err.retriesLeft, err: err.message });
      },
    });
}
