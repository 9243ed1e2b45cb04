import type { Logger } from '../../platform/logger';
import type { Attempt, Claimed, Delivery, DeliveryState } from '../data-access/deliveries-repository';
import type { DueEntry } from '../data-access/due-queue';
import type { PostRequest, PostResult } from '../data-access/endpoint-client';
import type { Subscription } from '../data-access/subscriptions-repository';
import { parseSchedule } from '../../platform/durations';
import type { RateLimiter } from '../../platform/rate-limiter';
import { disabledEvent, exhaustedEvent, type OutgoingEvent } from './events';
import { isDeliveryEvent } from './matching';
import { decide } from './retry-policy';
import { liveSecrets } from './secrets';

/** What the attempt runner needs from storage, declared here by its user. */
export interface DeliveryStore {
  /** Stores new deliveries (batched with concurrent callers); returns the ones this call created. */
  insertNew(deliveries: Delivery[]): Promise<Delivery[]>;
  findDue(limit: number): Promise<DueEntry[]>;
  unfinishedOf(orderKeys: string[]): Promise<DueEntry[]>;
  /** Claims those still due (counting the ones whose earlier claim's lease ran out); the ones missed are reconciled with their delivery's state. */
  claim(entries: DueEntry[], leaseMs: number): Promise<Claimed>;
  recordAttempt(d: Pick<Delivery, 'id' | 'claimToken'>, attempt: Attempt, state: DeliveryState): Promise<boolean>;
  finishWithoutAttempt(d: Pick<Delivery, 'id' | 'claimToken'>, error: string): Promise<void>;
  release(claims: Pick<Delivery, 'id' | 'claimToken'>[]): Promise<void>;
  /** Extends the leases of claims still held (queued or in flight here); returns their new end. */
  renew(claims: Pick<Delivery, 'id' | 'claimToken' | 'leaseUntil'>[], leaseMs: number): Promise<Date>;
}

export interface SubscriptionDirectory {
  /** As the consumer last matched it: first attempts go out right after that match. */
  get(id: string): Promise<Subscription | undefined>;
  /** Including every change answered before this call: a later attempt honours an edit or disable at once. */
  getFresh(id: string): Promise<Subscription | undefined>;
  /** Records a failed attempt; returns the start of the unbroken failure run. */
  markFailing(sub: Subscription, at: Date): Promise<Date>;
  markHealthy(sub: Subscription): Promise<void>;
  /** Disables when still enabled; true when this call did it. */
  disable(id: string, reason: string): Promise<boolean>;
}

/**
 * Signs (svix) and sends one attempt: in this thread (EndpointClient) or in a worker pool (PostPool). It has at
 * most `concurrency` requests open and queues the others, their timeout not started yet.
 */
export interface Poster {
  post(req: PostRequest): Promise<PostResult>;
}

/**
 * Attempts handed to the poster per request it may have open. With exactly as many, a slot freed in a sending
 * thread stayed empty until the answer had crossed to this loop and the next attempt had crossed back: at 64
 * slots and a fast endpoint that round trip, not the network, set the pace (about 4,100 vs 5,200 deliveries/s
 * in `bench:delivery` with twice as many). With more waiting there, the sender also rides out this loop's pauses
 * (collections, insert batches): four times gave a round-by-round median ratio of 0.64–0.70 against 0.60–0.66
 * for twice, in alternating runs. A waiting attempt has not started its timeout; `stop` lets it go out.
 */
const HANDOFF = 4;

export interface EventPublisher {
  publish(event: OutgoingEvent): Promise<void>;
}

/** A first attempt handed over by the consumer: settled once the delivery is stored with its outcome. */
interface InlineJob {
  doc: Delivery;
  resolve: (stored: Delivery | undefined) => void;
  reject: (err: unknown) => void;
}

interface Performed {
  attempt: Attempt;
  state: DeliveryState;
  decision: ReturnType<typeof decide>;
  result: PostResult;
  made: number;
  at: Date;
  now: Date;
}

export interface AttemptRunnerSettings {
  schedule: string[];
  jitterPercent: number;
  timeoutMs: number;
  maxRetryAfterMs: number;
  disableAfterMs: number;
  httpsOnly: boolean;
  /** Requests the poster has open at once; it is handed up to HANDOFF times as many attempts. */
  concurrency: number;
  pollMs: number;
  leaseMs: number;
}

export interface AttemptRunnerDeps {
  store: DeliveryStore;
  subscriptions: SubscriptionDirectory;
  poster: Poster;
  events: EventPublisher;
  /** Paces each subscription at its `rateLimitPerSecond` (burst: one second's worth, at least 1). */
  limiter: RateLimiter;
  logger: Logger;
  settings: AttemptRunnerSettings;
  /** Told of every attempt (metrics, analytics); must not block. */
  onAttempt?: (attempt: { subscriptionId: string; ok: boolean; outcome: string; latencyMs: number; status?: number; errorKind?: string; at: Date }) => void;
}

/**
 * Sends deliveries with bounded concurrency and records every attempt. Work arrives two ways: the consumer
 * hands over first attempts of deliveries not stored yet (`deliverNow`), and a poll loop claims due retries
 * from MongoDB (`nextAttemptAt`), including ones whose claim lease ran out because their process died. Only
 * MongoDB state matters, so any process can pick up any retry. Log lines name their delivery explicitly rather
 * than through `withContext`: AsyncLocalStorage hooks every promise, a measurable cost at thousands of sends/s.
 */
export class AttemptRunner {
  private readonly queue: Delivery[] = [];
  private readonly inline: InlineJob[] = [];
  private readonly inFlight = new Set<string>();
  /** Claimed deliveries this process holds until their attempt is recorded: their leases are renewed. */
  private readonly held = new Map<string, Delivery>();
  private renewTimer?: NodeJS.Timeout;
  private renewing?: Promise<void>;
  private active = 0;
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private pollAgain = false;
  private stopped = true;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly capacityWaiters: (() => void)[] = [];
  private readonly defaultSchedule: number[];

  constructor(private readonly deps: AttemptRunnerDeps) {
    this.defaultSchedule = parseSchedule(deps.settings.schedule);
  }

  start(): void {
    this.stopped = false;
    this.schedulePoll(0);
    // A third of the lease: two renewals may be missed (a starved or paused process) before another process may
    // take a claim over. Only a process that died, or hung for two thirds of a lease, loses its claims.
    this.renewTimer = setInterval(() => this.renewLeases(), Math.max(100, Math.floor(this.deps.settings.leaseMs / 3)));
    this.renewTimer.unref();
  }

  /** Look for due work now (after a resend, or when an ordered predecessor finished). */
  kick(): void {
    if (this.stopped) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.schedulePoll(0);
  }

  /** Deliveries created and claimed by the caller: attempted right away. */
  submit(deliveries: Delivery[]): void {
    for (const d of deliveries) {
      if (this.inFlight.has(d.id)) continue;
      this.inFlight.add(d.id);
      if (d.claimToken) this.held.set(d.id, d);
      this.queue.push(d);
    }
    this.pump();
  }

  /** Resolves when the queue has room (the consumer waits here, so Kafka is read no faster than we send). */
  async waitForCapacity(): Promise<void> {
    while (!this.stopped && this.queue.length + this.inline.length >= this.deps.settings.concurrency * 4) {
      await new Promise<void>((resolve) => this.capacityWaiters.push(resolve));
    }
  }

  get backlog(): number {
    return this.queue.length + this.inline.length + this.active;
  }

  /** Stops polling, hands back queued deliveries not yet attempted, and waits for in-flight attempts. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.renewTimer);
    await this.polling;
    await this.renewing;
    const unstarted = this.queue.splice(0);
    for (const d of unstarted) {
      this.inFlight.delete(d.id);
      this.held.delete(d.id);
    }
    // Not stored yet: the consumer does not commit their offsets, so they are read again after a restart.
    for (const job of this.inline.splice(0)) job.reject(new Error('the delivery attempt runner stopped before the first attempt'));
    this.capacityWaiters.splice(0).forEach((w) => w());
    if (unstarted.length) await this.deps.store.release(unstarted).catch((err: unknown) => this.deps.logger.warn('could not release deliveries', { err }));
    if (this.active > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private schedulePoll(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.polling = this.poll()
        .catch((err: unknown) => {
          this.deps.logger.warn('delivery poll failed', { err });
        })
        .finally(() => {
          this.polling = undefined;
          if (this.stopped) return;
          const again = this.pollAgain;
          this.pollAgain = false;
          this.schedulePoll(again ? 0 : this.deps.settings.pollMs);
        });
    }, ms);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    const room = this.deps.settings.concurrency * 2 - this.queue.length;
    if (this.stopped || room <= 0) return;
    const due = (await this.deps.store.findDue(room)).filter((d) => !this.inFlight.has(d.id));
    if (due.length === 0) return;
    // Ordered subscriptions: only the oldest unfinished delivery of each key may go.
    const keys = [...new Set(due.flatMap((d) => (d.orderKey ? [d.orderKey] : [])))];
    const heads = new Map<string, number>();
    for (const u of await this.deps.store.unfinishedOf(keys)) {
      if (!u.orderKey) continue;
      const cur = heads.get(u.orderKey);
      if (cur === undefined || u.seq < cur) heads.set(u.orderKey, u.seq);
    }
    const eligible = due.filter((d) => !d.orderKey || heads.get(d.orderKey) === d.seq);
    const { deliveries: claimed, reclaimed } = await this.deps.store.claim(eligible, this.deps.settings.leaseMs);
    // Recovered work, for the operator: another claim's lease ran out (its process died or hung mid-attempt).
    if (reclaimed > 0) this.deps.logger.info('re-claimed deliveries whose claim lease ran out; attempting them again', { reclaimed, claimed: claimed.length });
    if (claimed.length) this.submit(claimed);
  }

  /**
   * Keeps the claims this process holds: a claimed delivery may wait here longer than a lease (a busy process, a
   * paced subscription, slow subscribers ahead of it). Without renewal another process took it over, attempted it
   * again and this process's outcome was dropped ("taken over before the attempt was recorded"); on a starved
   * machine the two could pass a delivery back and forth for minutes while both sent it.
   */
  private renewLeases(): void {
    if (this.stopped || this.renewing || this.held.size === 0) return;
    const claims = [...this.held.values()];
    this.renewing = this.deps.store
      .renew(claims, this.deps.settings.leaseMs)
      .then((until) => {
        for (const d of claims) if (this.held.get(d.id) === d) d.leaseUntil = until;
      })
      .catch((err: unknown) => {
        this.deps.logger.warn('could not renew the claim leases of deliveries held here; trying again', { err, held: claims.length });
      })
      .finally(() => {
        this.renewing = undefined;
      });
  }

  /** Claimed retries first (they are older), then first attempts; `concurrency` × HANDOFF handed to the poster in all. */
  private pump(): void {
    while (!this.stopped && this.active < this.deps.settings.concurrency * HANDOFF && this.queue.length + this.inline.length > 0) {
      const claimed = this.queue.shift();
      const job = claimed ? undefined : (this.inline.shift() as InlineJob);
      this.active++;
      const work = claimed
        ? this.attempt(claimed).catch((err: unknown) =>
            this.deps.logger.error('delivery attempt failed unexpectedly', { err, deliveryId: claimed.id, eventId: claimed.eventId }),
          )
        : this.sendInline(job as InlineJob);
      void work.finally(() => {
        this.active--;
        if (claimed) {
          this.inFlight.delete(claimed.id);
          this.held.delete(claimed.id);
          if (claimed.orderKey) this.kick();
        }
        if (this.queue.length + this.inline.length < this.deps.settings.concurrency * 4) this.capacityWaiters.splice(0).forEach((w) => w());
        if (this.active === 0 && (this.stopped || this.queue.length === 0)) this.idleWaiters.splice(0).forEach((w) => w());
        this.pump();
      });
    }
  }

  /**
   * First attempts made inline for deliveries the consumer has not stored yet: each is sent as soon as a slot is
   * free and then stored with its attempt and resulting state in one insert (batched with the others finishing
   * around the same time) instead of insert + update. Resolves with the deliveries this call created; ones
   * whose subscription is gone or disabled are skipped (not stored). Durable all the same: the consumer commits
   * the Kafka offset only after this resolves, so a crash in between re-reads the events and the stable delivery
   * ids (= webhook-id) let receivers drop the repeat.
   */
  async deliverNow(docs: Delivery[]): Promise<Delivery[]> {
    if (this.stopped) throw new Error('the delivery attempt runner is stopped');
    const stored = docs.map((doc) => new Promise<Delivery | undefined>((resolve, reject) => this.inline.push({ doc, resolve, reject })));
    this.pump();
    return (await Promise.all(stored)).flatMap((d) => (d ? [d] : []));
  }

  /** Holds a slot only while sending; storing and the follow-ups run after the slot is free again. */
  private async sendInline(job: InlineJob): Promise<void> {
    const { doc } = job;
    try {
      const sub = await this.deps.subscriptions.get(doc.subscriptionId);
      if (!sub || !sub.enabled) {
        job.resolve(undefined);
        return;
      }
      const r = await this.perform(doc, sub);
      // The consumer's document, never claimed (no token or lease), becomes the stored one: no copy per delivery.
      const performed: Delivery = Object.assign(doc, r.state, { attempts: [r.attempt], attemptCount: 1 });
      void this.storeInline(performed, sub, r).then(job.resolve, job.reject);
    } catch (err) {
      job.reject(err);
    }
  }

  private async storeInline(doc: Delivery, sub: Subscription, r: Performed): Promise<Delivery | undefined> {
    const [created] = await this.deps.store.insertNew([doc]);
    await this.followUp(doc, sub, r).catch((err: unknown) => this.deps.logger.warn('delivery follow-up failed', { err, deliveryId: doc.id, eventId: doc.eventId }));
    return created;
  }

  private async attempt(d: Delivery): Promise<void> {
    const { store, subscriptions } = this.deps;
    const sub = await subscriptions.getFresh(d.subscriptionId);
    if (!sub || !sub.enabled) {
      await store.finishWithoutAttempt(d, sub ? `subscription ${sub.id} is disabled` : `subscription ${d.subscriptionId} no longer exists`);
      return;
    }
    const perSecond = sub.rateLimitPerSecond;
    if (perSecond) await this.deps.limiter.acquire(sub.id, { perSecond, burst: Math.max(1, perSecond) });
    const r = await this.perform(d, sub);
    const kept = await store.recordAttempt(d, r.attempt, r.state);
    if (!kept) {
      this.deps.logger.warn('delivery claim was taken over before the attempt was recorded', { deliveryId: d.id });
      return;
    }
    await this.followUp(d, sub, r);
  }

  /** Signs and sends one attempt and decides what follows; stores nothing. */
  private async perform(d: Delivery, sub: Subscription): Promise<Performed> {
    const { settings } = this.deps;
    const at = new Date();
    const headers: Record<string, string> = {
      ...(sub.headers ?? {}),
      'content-type': d.contentType,
      'user-agent': 'hookhub-webhooks/1',
      'x-hookhub-event-id': d.eventId,
      'x-hookhub-event-type': d.eventType,
    };
    // Signing (in the poster) refuses a subscription without a live secret.
    const secrets = liveSecrets(sub.secrets, at);
    const result = await this.deps.poster.post({
      url: sub.url,
      body: d.body,
      bodyEncoding: d.bodyEncoding,
      headers,
      sign: { id: d.id, secrets, at: at.getTime() },
      timeoutMs: sub.timeoutMs ?? settings.timeoutMs,
      httpsOnly: settings.httpsOnly || sub.httpsOnly === true,
    });
    const made = (d.cycleAttempts ?? 0) + 1;
    const schedule = sub.retrySchedule?.length ? parseSchedule(sub.retrySchedule) : this.defaultSchedule;
    const decision = decide({
      outcome: result,
      attemptsMade: made,
      schedule,
      jitterPercent: settings.jitterPercent,
      maxRetryAfterMs: settings.maxRetryAfterMs,
    });
    const now = new Date();
    const attempt: Attempt = {
      at,
      latencyMs: result.latencyMs,
      trigger: made === 1 ? d.trigger : 'schedule',
      ...(result.status !== undefined ? { status: result.status } : {}),
      ...(result.errorKind ? { errorKind: result.errorKind } : {}),
      ...(result.error ? { error: result.error } : {}),
      ...(result.responseBody ? { responseBody: result.responseBody } : {}),
    };
    const common = {
      cycleAttempts: made,
      ...(result.status !== undefined ? { lastStatus: result.status } : {}),
      ...(result.error ? { lastError: result.error } : {}),
    };
    let state: DeliveryState;
    if (decision.action === 'succeeded') state = { status: 'succeeded', finishedAt: now, ...common };
    else if (decision.action === 'retry') {
      const next = new Date(now.getTime() + decision.delayMs);
      attempt.nextAttemptAt = next;
      state = { status: 'pending', nextAttemptAt: next, ...common };
    } else state = { status: 'failed', finishedAt: now, ...common };
    this.deps.onAttempt?.({
      subscriptionId: sub.id,
      ok: decision.action === 'succeeded',
      outcome: result.errorKind ?? 'success',
      latencyMs: result.latencyMs,
      at,
      ...(result.status !== undefined ? { status: result.status } : {}),
      ...(result.errorKind ? { errorKind: result.errorKind } : {}),
    });
    return { attempt, state, decision, result, made, at, now };
  }

  /** After the attempt is stored: wake-ups, subscription health, exhaustion and disable events. */
  private async followUp(d: Delivery, sub: Subscription, r: Performed): Promise<void> {
    const { settings, subscriptions } = this.deps;
    const { decision, result, made } = r;
    if (decision.action === 'retry' && decision.delayMs < settings.pollMs) {
      const t = setTimeout(() => this.kick(), decision.delayMs + 5);
      t.unref();
    }
    if (decision.action === 'succeeded') {
      await subscriptions.markHealthy(sub);
      return;
    }
    if (decision.action === 'gone') {
      await this.disable(sub, 'gone', `endpoint answered 410 Gone to delivery ${d.id}`);
      return;
    }
    const since = await subscriptions.markFailing(sub, r.at);
    if (decision.action === 'exhausted') {
      this.deps.logger.warn('delivery exhausted its retries', { deliveryId: d.id, subscriptionId: sub.id, attempts: made });
      // Loop guard: a delivery of an event about deliveries that itself fails emits nothing further, so two
      // broken subscriptions listening to each other's failures cannot ping-pong forever.
      if (!isDeliveryEvent(d.eventType)) {
        await this.deps.events.publish(
          exhaustedEvent({
            deliveryId: d.id,
            subscriptionId: sub.id,
            eventId: d.eventId,
            eventType: d.eventType,
            attempts: made,
            url: sub.url,
            ...(result.status !== undefined ? { lastStatus: result.status } : {}),
            ...(result.error ? { lastError: result.error } : {}),
          }),
        );
      }
    }
    if (r.now.getTime() - since.getTime() >= settings.disableAfterMs) {
      await this.disable(sub, 'failing', `every attempt failed since ${since.toISOString()}`, since);
    }
  }

  private async disable(sub: Subscription, reason: 'gone' | 'failing', detail: string, since?: Date): Promise<void> {
    if (!(await this.deps.subscriptions.disable(sub.id, detail))) return;
    this.deps.logger.warn('subscription disabled', { subscriptionId: sub.id, reason, detail });
    await this.deps.events.publish(disabledEvent(sub.id, sub.url, reason, detail, since));
  }
}
