/**
 * Collects items submitted concurrently and hands them to `run` in batches: a batch leaves when it holds
 * `maxItems`, or `lingerMs` after its first item, and at most `maxInFlight` batches run at once (items keep
 * collecting while they do, which is where most batching comes from under load). `run` returns one outcome
 * per item, in order; each submitter gets its own.
 */
export type Outcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

export interface MicroBatcherOptions<I, O> {
  maxItems: number;
  lingerMs: number;
  maxInFlight: number;
  run: (items: I[]) => Promise<Outcome<O>[]>;
}

interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

export class MicroBatcher<I, O> {
  private queue: Pending<I, O>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private inFlight = 0;
  private readonly idle: (() => void)[] = [];

  constructor(private readonly options: MicroBatcherOptions<I, O>) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.options.maxItems) this.flush();
      else if (!this.timer && !this.immediate) {
        // Linger 0 still gathers everything submitted in the same turn of the event loop.
        if (this.options.lingerMs <= 0) this.immediate = setImmediate(() => this.flush());
        else this.timer = setTimeout(() => this.flush(), this.options.lingerMs).unref();
      }
    });
  }

  /** Resolves when nothing is queued or running. */
  async drain(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    while (this.queue.length > 0 && this.inFlight < this.options.maxInFlight) {
      const batch = this.queue.splice(0, this.options.maxItems);
      this.inFlight += 1;
      void this.runBatch(batch);
    }
  }

  private async runBatch(batch: Pending<I, O>[]): Promise<void> {
    try {
      const outcomes = await this.options.run(batch.map((p) => p.item));
      batch.forEach((p, i) => {
        const o = outcomes[i];
        if (!o) p.reject(new Error('batch returned no outcome for an item'));
        else if (o.ok) p.resolve(o.value);
        else p.reject(o.error);
      });
    } catch (err) {
      for (const p of batch) p.reject(err);
    } finally {
      this.inFlight -= 1;
      if (this.queue.length > 0) this.flush();
      else if (this.inFlight === 0) for (const done of this.idle.splice(0)) done();
    }
  }
}
