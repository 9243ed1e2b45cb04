/**
 * The soak's sender: signed Standard Webhooks at a steady rate, each retried like a real sender (same
 * `webhook-id`, so the same idempotency key, re-signed per attempt) on 5xx, 429 and connection failures, with
 * capped exponential backoff. It keeps what every event was answered, which is what "accepted" means later.
 */
import { Agent, request } from 'undici';
import { Webhook } from 'svix';
import { sleep } from '../../src/platform/timeout';

export interface SentEvent {
  n: number;
  source: string;
  /** The `webhook-id` (the source's idempotency key). */
  key: string;
  firstSentAt: number;
  /** When the first 2xx arrived (ms since the epoch). */
  acceptedAt?: number;
  eventId?: string;
  /** Where the accepting answer said the event is: `topic/partition@offset` (a 200 for a duplicate may omit it). */
  placement?: string;
  /** The status of the accepting answer: 202 (published now) or 200 (a duplicate of an earlier acceptance). */
  acceptedStatus?: number;
  attempts: number;
  /** A final 4xx other than a tolerated one: the event was refused, not retried. */
  rejected?: number;
  gaveUp?: boolean;
}

export interface LoadOptions {
  hubUrl: string;
  secrets: Record<string, string>;
  runId: string;
  /** Give up on an event no 2xx answered within this long (counted, never silently dropped). */
  giveUpMs: number;
  /** Statuses retried although they are 4xx, per source (a source created mid-run may answer 404 for a moment). */
  retry404Sources?: Set<string>;
}

const CONNECTIONS = 256;

export class LoadGenerator {
  readonly events: SentEvent[] = [];
  /** Every answer by status (`ERR` for connection failures and timeouts), retries included. */
  readonly statuses = new Map<string, number>();
  /** 404s answered by each source (a source created mid-run must accept at once: read-your-writes). */
  readonly notFound = new Map<string, number>();
  private readonly agent = new Agent({ connections: CONNECTIONS, pipelining: 1, headersTimeout: 20000, bodyTimeout: 20000, keepAliveTimeout: 30000 });
  /** Requests waiting for a connection: each is signed only once it has one (see `send`). */
  private readonly waiting: (() => void)[] = [];
  private open = 0;
  private readonly signers = new Map<string, Webhook>();
  private inFlight = new Set<Promise<void>>();

  constructor(private readonly o: LoadOptions) {}

  /**
   * Sends at least `count` events at `rate` per second (sources chosen by `sourceFor`), and goes on at that rate
   * until `enough()` says so; resolves once each is settled (accepted, refused or given up).
   */
  async run(count: number, rate: number, sourceFor: (n: number) => string, enough: () => boolean = () => true): Promise<SentEvent[]> {
    const started = Date.now();
    const batch: SentEvent[] = [];
    for (let i = 0; i < count || !enough(); i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - Date.now();
      if (wait > 2) await sleep(wait);
      const n = this.events.length;
      const ev: SentEvent = { n, source: sourceFor(n), key: `msg_soak_${this.o.runId}_${n}`, firstSentAt: Date.now(), attempts: 0 };
      this.events.push(ev);
      batch.push(ev);
      const p = this.deliver(ev).finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    }
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    return batch;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private signer(source: string): Webhook {
    let w = this.signers.get(source);
    if (!w) {
      const secret = this.o.secrets[source];
      if (!secret) throw new Error(`no secret for source ${source}`);
      w = new Webhook(secret);
      this.signers.set(source, w);
    }
    return w;
  }

  private count(map: Map<string, number>, key: string): void {
    map.set(key, (map.get(key) ?? 0) + 1);
  }

  private async deliver(ev: SentEvent): Promise<void> {
    const body = JSON.stringify({ type: 'soak.tick', key: `k${ev.n % 97}`, n: ev.n, run: this.o.runId });
    for (;;) {
      ev.attempts++;
      let status = 0;
      let answer = '';
      // Sign when a connection is free, as a sender does: signed first and queued behind a stalled hub for
      // minutes, a request would arrive with a timestamp outside the tolerance and be refused (401).
      if (this.open >= CONNECTIONS) await new Promise<void>((resolve) => this.waiting.push(resolve));
      this.open++;
      const now = new Date();
      try {
        const res = await request(`${this.o.hubUrl}/webhooks/${ev.source}`, {
          method: 'POST',
          dispatcher: this.agent,
          headers: {
            'content-type': 'application/json',
            'webhook-id': ev.key,
            'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
            'webhook-signature': this.signer(ev.source).sign(ev.key, now, body),
          },
          body,
        });
        status = res.statusCode;
        answer = await res.body.text();
      } catch {
        status = 0;
      } finally {
        this.open--;
        this.waiting.shift()?.();
      }
      this.count(this.statuses, status === 0 ? 'ERR' : String(status));
      if (status >= 200 && status < 300) {
        ev.acceptedAt = Date.now();
        const body = JSON.parse(answer) as { id: string; topic?: string; partition?: number; offset?: string };
        ev.eventId = body.id;
        ev.acceptedStatus = status;
        if (body.topic !== undefined) ev.placement = `${body.topic}/${String(body.partition)}@${String(body.offset)}`;
        return;
      }
      if (status === 404) this.count(this.notFound, ev.source);
      // 409: the hub is still accepting this key's first try (it says when to come back): retried like a 503.
      const retriable = status === 0 || status === 409 || status === 429 || status >= 500 || (status === 404 && this.o.retry404Sources?.has(ev.source) === true);
      if (!retriable) {
        ev.rejected = status;
        return;
      }
      if (Date.now() - ev.firstSentAt > this.o.giveUpMs) {
        ev.gaveUp = true;
        return;
      }
      const backoff = Math.min(8000, 250 * 2 ** Math.min(ev.attempts - 1, 6));
      await sleep(backoff / 2 + Math.random() * (backoff / 2));
    }
  }
}
