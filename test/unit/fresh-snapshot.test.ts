import { FreshSnapshot } from '../../src/platform/fresh-snapshot';

/** A store whose version reads are held until the test releases them, to order reads against writes. */
class FakeStore {
  token = 'v1';
  data = 'one';
  versionReads = 0;
  loads = 0;
  private held: (() => void)[] = [];
  hold = false;

  readonly source = {
    version: async (): Promise<string> => {
      this.versionReads++;
      // The store answers with the version as it was when the read reached it; the answer may arrive later.
      const token = this.token;
      if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
      return token;
    },
    load: async (): Promise<string> => {
      this.loads++;
      return this.data;
    },
  };

  write(token: string, data: string): void {
    this.data = data;
    this.token = token;
  }

  release(): void {
    this.held.splice(0).forEach((go) => go());
  }
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

// Scenario: the snapshot behind read-your-writes, against an in-memory store: it re-reads the data only when
// the version moved; a caller never gets a result from a version read that began before it asked; callers
// that arrive together share one version read; invalidate/reload force a full read; errors reach the caller.
describe('FreshSnapshot', () => {
  it('loads once and re-reads only when the version moved', async () => {
    const store = new FakeStore();
    const snap = new FreshSnapshot(store.source);
    expect(snap.current).toBeUndefined();
    expect(await snap.fresh()).toBe('one');
    expect(await snap.fresh()).toBe('one');
    expect(store.loads).toBe(1);
    expect(store.versionReads).toBe(2);
    store.write('v2', 'two');
    expect(await snap.fresh()).toBe('two');
    expect(snap.current).toBe('two');
    expect(store.loads).toBe(2);
  });

  it('never answers a caller with a version read that started before it asked', async () => {
    const store = new FakeStore();
    const snap = new FreshSnapshot(store.source);
    await snap.fresh();
    store.hold = true;
    const early = snap.fresh(); // its version read is in flight (issued before the write below)
    await flush();
    const readsBefore = store.versionReads;
    // The write finishes while that read is in flight; a caller asking now must see it.
    const late = snap.fresh();
    store.write('v2', 'two');
    store.hold = false;
    store.release();
    // `early`'s read reached the store before the write: it may answer the old state; `late` must not.
    expect(await early).toBe('one');
    expect(await late).toBe('two');
    expect(store.versionReads).toBe(readsBefore + 1);
  });

  it('serves every caller that arrived during one sync with a single next sync', async () => {
    const store = new FakeStore();
    const snap = new FreshSnapshot(store.source);
    await snap.fresh();
    store.hold = true;
    const first = snap.fresh();
    await flush();
    const waiting = Array.from({ length: 50 }, () => snap.fresh());
    store.write('v2', 'two');
    store.hold = false;
    store.release();
    await first;
    expect(new Set(await Promise.all(waiting))).toEqual(new Set(['two']));
    // the initial sync, the held one, and one shared by all fifty
    expect(store.versionReads).toBe(3);
  });

  it('reloads everything after invalidate, even when the version did not move', async () => {
    const store = new FakeStore();
    const snap = new FreshSnapshot(store.source);
    await snap.fresh();
    store.data = 'edited behind its back';
    expect(await snap.fresh()).toBe('one');
    expect(await snap.reload()).toBe('edited behind its back');
    expect(store.loads).toBe(2);
  });

  it('does not record a version for data read before an invalidate that happened during the sync', async () => {
    const store = new FakeStore();
    const snap = new FreshSnapshot(store.source);
    await snap.fresh();
    store.write('v2', 'two');
    store.hold = true;
    const running = snap.fresh();
    await flush();
    snap.invalidate();
    store.hold = false;
    store.release();
    await running;
    store.data = 'three';
    expect(await snap.fresh()).toBe('three');
  });

  it('rejects the callers of a failed sync and recovers on the next', async () => {
    const store = new FakeStore();
    const snap = new FreshSnapshot(store.source);
    const failing = jest.spyOn(store.source, 'version').mockRejectedValueOnce(new Error('store down'));
    await expect(snap.fresh()).rejects.toThrow('store down');
    failing.mockRestore();
    expect(await snap.fresh()).toBe('one');
  });
});
