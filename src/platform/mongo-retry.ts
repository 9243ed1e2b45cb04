import { retryTransient } from './store-retry';

/** Transient write errors (SQLITE_BUSY, MongoDB's write conflicts) are safe to retry a few times with a short backoff. */
export function retryWrite<T>(fn: () => Promise<T>): Promise<T> {
  return retryTransient(fn, { retries: 6, minTimeout: 20, maxTimeout: 500, randomize: true });
}

export const isDuplicateKeyError = (err: unknown): boolean => (err as { code?: number } | null)?.code === 11000;
