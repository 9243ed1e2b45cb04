/** Where a snapshot comes from: a cheap version token and the (expensive) full read. */
export interface SnapshotSource<T> {
  /** Changes whenever the data may have changed; read from storage on every call, never cached. */
  version(): Promise<string>;
  load(): Promise<T>;
}

const ignore = (): void => undefined;

/**
 * An in-process copy of a small collection that can be brought up to date cheaply: a sync reads the version
 * and re-reads the data only when the version moved (see `ConfigVersions` for why this gives read-your-writes).
 *
 * `fresh()` resolves with data from a sync that *started after the call*, so it reflects every write whose
 * version bump had finished when the caller asked. Concurrent callers share syncs: while one runs, every
 * caller that arrives waits for the single next one, so a hot path costs at most one version read per round
 * trip however many batches or requests ask.
 */
export class FreshSnapshot<T> {
  private data?: T;
  private token?: string;
  /** Bumped by `invalidate`: a sync that started before it must not record its token as current. */
  private generation = 0;
  private running?: Promise<T>;
  private queued?: Promise<T>;

  constructor(private readonly source: SnapshotSource<T>) {}

  /** The data as of the last sync (undefined before the first one). */
  get current(): T | undefined {
    return this.data;
  }

  /** Data at least as new as every change whose version bump finished before this call. */
  fresh(): Promise<T> {
    if (!this.running) return this.start();
    // The sync under way may have read the version before this call: wait for the next one. When it is time
    // to start it, a sync already running began after this call and serves as well.
    this.queued ??= this.running.then(ignore, ignore).then(() => {
      this.queued = undefined;
      return this.running ?? this.start();
    });
    return this.queued;
  }

  /** Forgets the version, so the next sync reads everything whatever the version says. */
  invalidate(): void {
    this.token = undefined;
    this.generation++;
  }

  /** Reads everything now (at start, and as a backstop for changes made without a version bump). */
  reload(): Promise<T> {
    this.invalidate();
    return this.fresh();
  }

  private start(): Promise<T> {
    const run = this.sync().finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }

  private async sync(): Promise<T> {
    const generation = this.generation;
    const token = await this.source.version();
    if (this.data !== undefined && this.token === token) return this.data;
    const data = await this.source.load();
    this.data = data;
    this.token = generation === this.generation ? token : undefined;
    return data;
  }
}
