import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { CloudEvent } from '../../platform/cloudevents';
import type { Delivery } from '../data-access/deliveries-repository';
import type { Subscription } from '../data-access/subscriptions-repository';
import { isDeliveryEvent, matchSubscriptions, parseJsonBody } from './matching';

export interface IncomingEvent {
  event: CloudEvent;
  topic: string;
  offset: string;
  /** The Kafka message key (the partition key). */
  key?: string;
}

export type MatchedEvents = Map<string, { event: IncomingEvent; subs: Subscription[] }>;

/** Where stored deliveries go to be sent: the built-in attempt runner, or a Svix server. */
export interface DeliverySink {
  /** Makes first attempts inline and stores each with its outcome; returns the ones created (absent: every delivery is stored pending first). */
  deliverNow?(docs: Delivery[]): Promise<Delivery[]>;
  /** Hands the deliveries just created (and the events they came from) over for sending. */
  dispatch(created: Delivery[], matched: MatchedEvents): Promise<void>;
}

export interface AcceptDeps {
  /** Every subscription, including each change answered before this call (read-your-writes). */
  subscriptions: () => Promise<readonly Subscription[]>;
  insertNew(deliveries: Delivery[]): Promise<Delivery[]>;
  /** Ids among these that are already stored (a re-read after a crash): they are not attempted again. */
  existing(ids: string[]): Promise<Set<string>>;
  sink: DeliverySink;
}

/** Stable per (event, subscription): a redelivered message maps to the same delivery and `webhook-id`. */
export function deliveryId(eventId: string, subscriptionId: string): string {
  return `msg_${createHash('sha256').update(`${eventId}\n${subscriptionId}`).digest('base64url').slice(0, 27)}`;
}

/**
 * A replayed redelivery (`<prefix>.replay.deliveries`, extension `subscription`) goes to that one subscription
 * when its event types and filter match the event (a replay reaches no further than the live event did), and
 * carries the original event id in the payload: a JSON object body gains a top-level `hookhubReplay: {id, of}`;
 * any other body is wrapped as `{hookhubReplay, data}`.
 */
function replayTarget(subs: readonly Subscription[], inc: IncomingEvent): Subscription[] | undefined {
  const target = inc.event.extensions?.subscription;
  if (target === undefined || !inc.event.extensions?.replayof) return undefined;
  const { event } = inc;
  return matchSubscriptions(subs.filter((s) => s.id === target), { type: event.type, body: parseJsonBody(event.data, event.datacontenttype) });
}

/**
 * The id a delivery is derived from. A copy made by a reprocess replay (extension `replayof`: an inbound event
 * put back on its topic, or the result of an execution it caused) counts as the event it copies: its delivery
 * to a subscription has the original's id and webhook-id, so one that was already made is not made again. A
 * redelivery asked for by name (extension `subscription`) is a new delivery of its own.
 */
export const deliveryBasis = (event: IncomingEvent['event']): string =>
  event.extensions?.subscription === undefined ? (event.extensions?.replayof ?? event.id) : event.id;

function replayBody(event: IncomingEvent['event']): Buffer {
  const marker = { id: event.extensions?.replayid ?? '', of: event.extensions?.replayof ?? '' };
  const parsed = parseJsonBody(event.data, event.datacontenttype);
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return Buffer.from(JSON.stringify({ ...parsed, hookhubReplay: marker }));
  return Buffer.from(JSON.stringify({ hookhubReplay: marker, data: parsed ?? event.data.toString('base64') }));
}

/** Valid UTF-8 is stored as text (it round-trips to the same bytes); anything else as base64. */
function encodeBody(data: Buffer): { body: string; bodyEncoding: 'utf8' | 'base64' } {
  return isUtf8(data) ? { body: data.toString('utf8'), bodyEncoding: 'utf8' } : { body: data.toString('base64'), bodyEncoding: 'base64' };
}

/**
 * The consumer's use case: match each event against the enabled subscriptions and store one delivery per
 * (event, subscription). Plain ones get their first attempt inline and are stored with its outcome; ordered
 * and rate-limited ones are stored pending and go through the attempt runner (head-of-key check, token bucket).
 * The caller commits the offsets only after this resolves, so an event is never lost between Kafka and MongoDB.
 */
export async function acceptEvents(deps: AcceptDeps, incoming: IncomingEvent[]): Promise<number> {
  // Read here, at matching time, after these events reached the consumer: an event produced after a
  // subscription change was answered is matched against that change, whatever process made it.
  const subs = await deps.subscriptions();
  const docs: Delivery[] = [];
  const matched: MatchedEvents = new Map();
  const now = new Date();
  for (const inc of incoming) {
    const { event } = inc;
    const replayHits = replayTarget(subs, inc);
    const hits = replayHits ?? matchSubscriptions(subs, {
      type: event.type,
      body: parseJsonBody(event.data, event.datacontenttype),
      ...(isDeliveryEvent(event.type) && event.extensions?.hookhubsubscription ? { aboutSubscription: event.extensions.hookhubsubscription } : {}),
    });
    if (hits.length === 0) continue;
    matched.set(event.id, { event: inc, subs: hits });
    const encoded = encodeBody(replayHits ? replayBody(event) : event.data);
    for (const s of hits) {
      const base = {
        id: deliveryId(deliveryBasis(event), s.id),
        eventId: event.id,
        eventType: event.type,
        eventSource: event.source,
        subscriptionId: s.id,
        topic: inc.topic,
        seq: Number(inc.offset),
        ...encoded,
        contentType: replayHits ? 'application/json' : (event.datacontenttype ?? 'application/json'),
        createdAt: now,
        cycleAttempts: 0,
        attemptCount: 0,
        attempts: [],
        trigger: replayHits ? 'replay' : 'event',
        ...(inc.key !== undefined ? { partitionKey: inc.key } : {}),
      };
      const inline = deps.sink.deliverNow !== undefined && !s.ordered && !s.rateLimitPerSecond;
      docs.push(
        inline
          ? { ...base, status: 'delivering' }
          : { ...base, status: 'pending', nextAttemptAt: now, ...(s.ordered ? { orderKey: `${s.id}|${inc.topic}|${inc.key ?? ''}` } : {}) },
      );
    }
  }
  if (docs.length === 0) return 0;
  const known = await deps.existing(docs.map((d) => d.id));
  const fresh = docs.filter((d) => !known.has(d.id));
  const inline = fresh.filter((d) => d.status === 'delivering');
  const queued = fresh.filter((d) => d.status !== 'delivering');
  const [sent, stored] = await Promise.all([
    deps.sink.deliverNow && inline.length ? deps.sink.deliverNow(inline) : [],
    deps.insertNew(queued),
  ]);
  const created = [...sent, ...stored];
  await deps.sink.dispatch(created, matched);
  return created.length;
}
