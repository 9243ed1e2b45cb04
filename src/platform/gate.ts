/**
 * At most `limit` calls of `run` in progress at once; the others wait their turn in arrival order. A call's
 * function starts only when admitted, so whatever it times (a request's timeout, its latency) excludes the wait.
 */
export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`a concurrency limit must be a positive integer, not ${limit}`);
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await fn();
    } finally {
      // The slot passes straight to the next waiter (running stays the same), so no newcomer can take it between.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
