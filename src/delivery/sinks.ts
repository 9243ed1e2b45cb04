import type { DeliveriesRepository, Delivery } from './data-access/deliveries-repository';
import type { SvixForwarder } from './data-access/svix-forwarder';
import { deliveryBasis, deliveryId, type DeliverySink, type MatchedEvents } from './domain/accept-events';
import type { AttemptRunner } from './domain/attempt-runner';
import { parseJsonBody } from './domain/matching';
import type { SeenDeliveries } from './seen-deliveries';

/** The built-in sender: plain deliveries get their first attempt inline; queued ones wake the attempt runner. */
export class AttemptRunnerSink implements DeliverySink {
  constructor(
    private readonly runner: AttemptRunner,
    private readonly seen: SeenDeliveries,
  ) {}

  async deliverNow(docs: Delivery[]): Promise<Delivery[]> {
    const created = await this.runner.deliverNow(docs);
    this.seen.add(created.map((d) => d.id));
    return created;
  }

  async dispatch(created: Delivery[]): Promise<void> {
    if (created.some((d) => d.status === 'pending')) this.runner.kick();
  }
}

/**
 * The Svix backend: every matched event is handed over (again, after a re-read: Svix dedupes by idempotency
 * key), then its deliveries are marked forwarded with the Svix message id.
 */
export class SvixSink implements DeliverySink {
  constructor(
    private readonly svix: SvixForwarder,
    private readonly deliveries: DeliveriesRepository,
  ) {}

  async dispatch(_created: Delivery[], matched: MatchedEvents): Promise<void> {
    for (const { event, subs } of matched.values()) {
      for (const s of subs) await this.svix.mirror(s);
      const body = parseJsonBody(event.event.data, event.event.datacontenttype);
      const payload = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : { data: event.event.data.toString('utf8') };
      const msgId = await this.svix.forward({ eventId: deliveryBasis(event.event), eventType: event.event.type, payload, subscriptionIds: subs.map((s) => s.id) });
      for (const s of subs) await this.deliveries.setForwarded(deliveryId(deliveryBasis(event.event), s.id), msgId);
    }
  }
}
