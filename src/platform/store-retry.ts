import { MongoNetworkError, MongoServerSelectionError } from 'mongodb';
import pRetry from 'p-retry';
import type { Logger } from './logger';

/**
 * Errors of the document store that go away by themselves: FerretDB on SQLite answers "database is locked
 * (SQLITE_BUSY)" when a lock wait outlasts its busy timeout, MongoDB labels transient write conflicts, and a store
 * that is restarting or overloaded shows as network or server-selection errors. Anything else (a bad query, a
 * duplicate key) is the caller's to handle.
 */
export function isTransientStoreError(err: unknown): boolean {
  const e = err as { name?: string; message?: string; errorLabelSet?: Set<string> } | undefined;
  if (e?.errorLabelSet?.has?.('TransientTransactionError') || e?.errorLabelSet?.has?.('RetryableWriteError')) return true;
  // Every network error of the driver (timeouts, and a pool cleared because its monitor lost the server:
  // `PoolClearedOnNetworkError`) is a MongoNetworkError subclass; names cover errors from another driver copy.
  if (err instanceof MongoNetworkError || err instanceof MongoServerSelectionError) return true;
  if (e?.name === 'MongoNetworkError' || e?.name === 'MongoServerSelectionError' || e?.name === 'MongoNetworkTimeoutError' || e?.name === 'PoolClearedOnNetworkError' || e?.name === 'MongoPoolClearedError') return true;
  return typeof e?.message === 'string' && /SQLITE_BUSY|database is locked|WriteConflict/i.test(e.message);
}

/** Counts the store operations now waiting out a transient error, so /readyz can say 503 meanwhile. */
export class StoreHealth {
  private waiting = 0;
  private lastError = '';

  get busy(): string | undefined {
    return this.waiting > 0 ? `retrying after a transient store error: ${this.lastError}` : undefined;
  }

  enter(err: unknown): void {
    this.waiting++;
    this.lastError = err instanceof Error ? err.message : String(err);
  }

  leave(): void {
    this.waiting--;
  }
}

export interface StoreRetryOptions {
  /** What is being done, for the log. */
  what: string;
  logger?: Logger;
  health?: StoreHealth;
  /** Total tries; the backoff grows from 200 ms to 5 s, so the default (30) waits out about two minutes. */
  tries?: number;
}

/** Runs `fn` again, as `options` say, only while it fails with a transient store error; any other error ends it. */
export function retryTransient<T>(fn: () => Promise<T>, options: pRetry.Options): Promise<T> {
  return pRetry(async () => {
    try {
      return await fn();
    } catch (err) {
      if (!isTransientStoreError(err)) throw new pRetry.AbortError(err as Error);
      throw err;
    }
  }, options);
}

/** Runs `fn`, retrying it with backoff while it fails with a transient store error (see isTransientStoreError). */
export async function retryStore<T>(fn: () => Promise<T>, o: StoreRetryOptions): Promise<T> {
  let waiting = false;
  try {
    return await retryTransient(fn, {
      retries: (o.tries ?? 30) - 1,
      minTimeout: 200,
      maxTimeout: 5000,
      randomize: true,
      onFailedAttempt: (err) => {
        if (!waiting) o.health?.enter(err);
        waiting = true;
        o.logger?.warn('transient store error; retrying', { what: o.what, attempt: err.attemptNumber, err: err.message });
      },
    });
  } finally {
    if (waiting) o.health?.leave();
  }
}
