/** A counting semaphore: at most `limit` holders at once, waiters served in arrival order. */
export class Semaphore {
  private active = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(private limit: number) {}

  setLimit(limit: number): void {
    this.limit = Math.max(1, limit);
    this.drain();
  }

  get inUse(): number {
    return this.active;
  }

  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiters.push(resolve));
    else this.active += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= 1;
      this.drain();
    };
  }

  private drain(): void {
    while (this.active < this.limit && this.waiters.length > 0) {
      this.active += 1;
      this.waiters.shift()?.();
    }
  }
}

/** One semaphore per key (agent name), created on first use with the limit given then. */
export class KeyedSemaphores {
  private readonly map = new Map<string, Semaphore>();
  get(key: string, limit: number): Semaphore {
    let s = this.map.get(key);
    if (!s) this.map.set(key, (s = new Semaphore(limit)));
    else s.setLimit(limit);
    return s;
  }
}
