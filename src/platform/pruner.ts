import type { Collection, Document, Filter } from 'mongodb';
import { Counter, type Registry } from 'prom-client';
import { ConfigError } from '../config/env';
import { parseDuration } from './durations';
import type { Logger } from './logger';

/** A retention setting (`0`, `12h`, `30d`) in ms; a ConfigError naming the setting when it is not a duration. */
export function retentionMs(text: string, setting: string): number {
  try {
    return parseDuration(text);
  } catch (err) {
    throw new ConfigError(`${setting}: ${(err as Error).message}`);
  }
}

/**
 * What one retention rule deletes: documents of `collection` whose indexed date `field` is before the cutoff
 * and that also match `only` (e.g. finished deliveries). `field` must lead an index of the collection, so each
 * batch is an index search on MongoDB and on the local store alike (see docs/local-store.md, *Queries*).
 */
export interface RetentionRule {
  /** Names the rule in logs and in the `hookhub_pruned_total` counter (the collection, usually). */
  name: string;
  collection: Collection<Document>;
  field: string;
  /** How long a document is kept after `field`; 0 keeps everything. */
  keepMs: number;
  /**
   * What else a document must match to be deleted, checked again by the delete itself (a delivery resent in
   * between stays). Keep it off indexed fields: the delete then searches `_id` alone.
   */
  only?: Filter<Document>;
}

/** The batch query of a rule, exported so the store's plan test checks the very filter and sort used here. */
export function pruneBatchQuery(rule: Pick<RetentionRule, 'field' | 'only'>, cutoff: Date): { filter: Filter<Document>; sort: Record<string, 1> } {
  return { filter: { [rule.field]: { $lt: cutoff }, ...(rule.only ?? {}) }, sort: { [rule.field]: 1 } };
}

/**
 * Deletes what `rule` says is past retention, oldest first, `batch` documents at a time: read the ids of the
 * oldest batch by the index, delete those ids (re-checking `only`, so a document changed in between — a delivery
 * resent — stays; the time field of a document past retention does not move forward, except a delivery's when it
 * is resent, which `only` catches). Never one unbounded delete: each step holds the store's writer briefly, and
 * `stopping()` ends the loop between batches. Returns how many were deleted.
 */
export async function pruneBefore(rule: RetentionRule, cutoff: Date, batch: number, stopping: () => boolean = () => false): Promise<number> {
  const { filter, sort } = pruneBatchQuery(rule, cutoff);
  let deleted = 0;
  while (!stopping()) {
    const ids = (await rule.collection.find(filter, { projection: { _id: 1 } }).sort(sort).limit(batch).toArray()).map((d) => d._id as unknown);
    if (ids.length === 0) break;
    // By `_id` (plus `only`): repeating the range would let the store walk the time index past every old document.
    const r = await rule.collection.deleteMany({ _id: { $in: ids }, ...(rule.only ?? {}) } as Filter<Document>);
    deleted += r.deletedCount;
    if (ids.length < batch) break;
    // Let other writers of the store in between batches.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return deleted;
}

export interface PrunerOptions {
  /** The role that owns the collections (log prefix). */
  role: string;
  rules: RetentionRule[];
  intervalMs: number;
  batch: number;
  logger: Logger;
  metrics: Registry;
  /** Creates what the rules read (their indexes): at start, then before each round until it has succeeded once. */
  prepare?: () => Promise<void>;
}

function prunedCounter(registry: Registry): Counter<'collection'> {
  return (
    (registry.getSingleMetric('hookhub_pruned_total') as Counter<'collection'> | undefined) ??
    new Counter({ name: 'hookhub_pruned_total', help: 'Documents deleted by retention (events, finished deliveries, idempotency records), by collection.', labelNames: ['collection'], registers: [registry] })
  );
}

/**
 * Runs a role's retention rules every `intervalMs` (the first round one interval after start), one round at a
 * time. Counts are logged at info and counted in `hookhub_pruned_total`; a failed round is logged at warn and
 * retried at the next interval. `stop()` ends the timer, stops the running round between batches and waits for it.
 */
export class Pruner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private prepared = false;
  private preparing: Promise<boolean> | undefined;
  private readonly counter: Counter<'collection'>;
  private readonly rules: RetentionRule[];

  constructor(private readonly options: PrunerOptions) {
    this.counter = prunedCounter(options.metrics);
    this.rules = options.rules.filter((r) => r.keepMs > 0);
  }

  /** Prepares at once in the background (a failure is retried by the rounds), then runs a round every interval. */
  start(): void {
    if (this.rules.length === 0) return;
    this.stopped = false;
    this.preparing = this.prepare();
    this.timer = setInterval(() => void this.runOnce(), this.options.intervalMs).unref();
  }

  /** One round now (or the running one); resolves when it ends. Never rejects. */
  runOnce(): Promise<void> {
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.preparing;
    await this.running;
  }

  /** True once `options.prepare` has succeeded; never rejects. */
  private async prepare(): Promise<boolean> {
    if (this.prepared || !this.options.prepare) return true;
    try {
      await this.options.prepare();
      this.prepared = true;
    } catch (err) {
      this.options.logger.warn(`${this.options.role}: retention could not prepare its indexes; retried at the next round`, { err: (err as Error).message });
    }
    return this.prepared;
  }

  private async round(): Promise<void> {
    const { logger, role, batch } = this.options;
    await this.preparing;
    if (!(await this.prepare())) return;
    for (const rule of this.rules) {
      if (this.stopped) return;
      const cutoff = new Date(Date.now() - rule.keepMs);
      try {
        const deleted = await pruneBefore(rule, cutoff, batch, () => this.stopped);
        if (deleted > 0) {
          this.counter.inc({ collection: rule.name }, deleted);
          logger.info(`${role}: pruned ${rule.name} past retention`, { collection: rule.name, deleted, before: cutoff.toISOString() });
        }
      } catch (err) {
        logger.warn(`${role}: could not prune ${rule.name}`, { collection: rule.name, err: (err as Error).message });
      }
    }
  }
}
