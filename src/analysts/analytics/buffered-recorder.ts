import type { Logger } from '../../platform/logger';
import type { AnalyticsStore } from './data-access/rollups';
import { deliveryIncrement, ingestRejectedIncrement, type DeliveryAttemptFact, type IngestRejectedFact, type RollupIncrement } from './domain/rollup';
import { recordDeliveryAttempt } from './recorders';

/**
 * Facts that never reach Kafka (rejected webhooks, delivery attempts) recorded off the hot path: callers push
 * and return at once; every `flushMs` the buffer becomes one merged bulk `$inc` upsert plus one health update
 * per subscription (its latest attempt). Losing one interval's facts in a crash only under-counts analytics.
 */
export class BufferedAnalyticsRecorder {
  private rejected: IngestRejectedFact[] = [];
  private attempts: DeliveryAttemptFact[] = [];
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: AnalyticsStore,
    private readonly logger: Logger,
    private readonly flushMs = 1000,
  ) {}

  ingestRejected(fact: IngestRejectedFact): void {
    this.rejected.push(fact);
    this.schedule();
  }

  deliveryAttempt(fact: DeliveryAttemptFact): void {
    this.attempts.push(fact);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.flushMs);
    this.timer.unref();
  }

  /** Writes what is buffered; safe to call at any time (flushes run one after another). */
  flush(): Promise<void> {
    const rejected = this.rejected;
    const attempts = this.attempts;
    this.rejected = [];
    this.attempts = [];
    if (rejected.length === 0 && attempts.length === 0) return this.flushing;
    this.flushing = this.flushing.then(async () => {
      try {
        await this.store.apply([...rejected.map(ingestRejectedIncrement), ...mergedDeliveryIncrements(attempts)]);
        const latest = new Map<string, DeliveryAttemptFact>();
        for (const a of attempts) latest.set(a.subscriptionId, a);
        // Health only: the counts above already hold every attempt.
        for (const a of latest.values()) await recordDeliveryAttempt(this.store, a, { healthOnly: true });
      } catch (err) {
        this.logger.warn('could not record analytics facts', { err, rejected: rejected.length, attempts: attempts.length });
      }
    });
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}

/**
 * One increment per (subscription, minute) instead of one per attempt: every tier's slot of an attempt is fixed by
 * its minute, and slot counters add up (the latency maximum takes the larger), so the rollups come out the
 * same while the slot layout is worked out once per group rather than for each of thousands of attempts.
 */
function mergedDeliveryIncrements(attempts: DeliveryAttemptFact[]): RollupIncrement[] {
  const merged = new Map<string, RollupIncrement>();
  for (const a of attempts) {
    const one = deliveryIncrement(a);
    const key = `${a.subscriptionId}\u0000${Math.floor(a.at.getTime() / 60000)}`;
    const cur = merged.get(key);
    if (!cur) {
      merged.set(key, one);
      continue;
    }
    for (const [k, n] of Object.entries(one.inc)) cur.inc[k] = (cur.inc[k] ?? 0) + n;
    if (one.max) {
      const max = (cur.max ??= {});
      for (const [k, v] of Object.entries(one.max)) max[k] = Math.max(max[k] ?? -Infinity, v);
    }
  }
  return [...merged.values()];
}
