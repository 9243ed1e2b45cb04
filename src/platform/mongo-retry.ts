import pRetry from 'p-retry';

/**
 * FerretDB on SQLite answers concurrent writers with "database is locked (SQLITE_BUSY)"; MongoDB reports
 * transient write conflicts with labels. Both are safe to retry a few times with a short backoff.
 */
export function isTransientWriteError(err: unknown): boolean {
  const e = err as { message?: string; errorLabelSet?: Set<string>; code?: number };
  if (e?.errorLabelSet?.has?.('TransientTransactionError') || e?.errorLabelSet?.has?.('RetryableWriteError')) return true;
  return typeof e?.message === 'string' && /SQLITE_BUSY|database is locked|WriteConflict/i.test(e.message);
}

export function retryWrite<T>(fn: () => Promise<T>): Promise<T> {
  return pRetry(
    async () => {
      try {
        return await fn();
      } catch (err) {
        if (!isTransientWriteError(err)) throw new pRetry.AbortError(err as Error);
        throw err;
      }
    },
    { retries: 6, minTimeout: 20, maxTimeout: 500, randomize: true },
  );
}

export const isDuplicateKeyError = (err: unknown): boolean => (err as { code?: number } | null)?.code === 11000;
