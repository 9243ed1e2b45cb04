import { MongoNetworkTimeoutError, MongoServerError } from 'mongodb';
import { PoolClearedOnNetworkError } from 'mongodb/lib/cmap/errors';
import { isTransientStoreError, retryTransient } from '../../src/platform/store-retry';

// Scenario: which store errors the hub waits out. A connection pool cleared because the server monitor timed out
// (what an overloaded FerretDB gives) is a network error like a timeout, and is retried; a duplicate key or a bad
// query is the caller's to handle and ends the retries at once.
describe('transient store errors', () => {
  it('counts network errors of every kind, including a pool cleared by its monitor, as transient', () => {
    const cleared = new PoolClearedOnNetworkError({ address: '127.0.0.1:27018', serviceId: undefined } );
    expect(cleared.name).toBe('PoolClearedOnNetworkError');
    expect(isTransientStoreError(cleared)).toBe(true);
    expect(isTransientStoreError(new MongoNetworkTimeoutError('connection <monitor> timed out'))).toBe(true);
    expect(isTransientStoreError(new Error('database is locked (5) (SQLITE_BUSY)'))).toBe(true);
  });

  it('does not count a duplicate key or a bad query as transient', () => {
    expect(isTransientStoreError(new MongoServerError({ code: 11000, errmsg: 'E11000 duplicate key error' }))).toBe(false);
    expect(isTransientStoreError(new Error('unknown operator: $foo'))).toBe(false);
  });

  it('retries while the error is transient and stops at the first other one', async () => {
    let calls = 0;
    const value = await retryTransient(async () => {
      calls++;
      if (calls < 3) throw new MongoNetworkTimeoutError('timed out');
      return 'answered';
    }, { retries: 5, minTimeout: 1, maxTimeout: 1 });
    expect([value, calls]).toEqual(['answered', 3]);

    let tries = 0;
    await expect(
      retryTransient(async () => {
        tries++;
        throw new MongoServerError({ code: 11000, errmsg: 'E11000 duplicate key error' });
      }, { retries: 5, minTimeout: 1, maxTimeout: 1 }),
    ).rejects.toThrow('duplicate key');
    expect(tries).toBe(1);
  });
});
