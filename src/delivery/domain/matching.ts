import { matchesEventType, matchesFilter } from '../../platform/matching';

export interface MatchableSubscription {
  id: string;
  eventTypes: string[];
  filter?: Record<string, string | number | boolean> | null;
  enabled: boolean;
}

/** The delivery component's own events (exhaustion, auto-disable): they get the loop guard below. */
export const DELIVERY_EVENT_TYPES = ['hookhub.delivery.exhausted', 'hookhub.subscription.disabled'] as const;
export const isDeliveryEvent = (type: string): boolean => (DELIVERY_EVENT_TYPES as readonly string[]).includes(type);

export interface MatchInput {
  type: string;
  /** The parsed JSON body, or undefined when the body is not JSON (then only filter-less subscriptions match). */
  body: unknown;
  /** For delivery events: the subscription the event is about (extension `hookhubsubscription`). */
  aboutSubscription?: string;
}

/**
 * Enabled subscriptions whose patterns match the type and whose filter matches the body. Loop guard: an event
 * about subscription S (its delivery exhausted, it was disabled) is never delivered to S itself, so a broken
 * endpoint subscribed to `hookhub.delivery.*` does not feed itself events about its own failures.
 */
export function matchSubscriptions<S extends MatchableSubscription>(subs: readonly S[], event: MatchInput): S[] {
  return subs.filter(
    (s) =>
      s.enabled &&
      !(event.aboutSubscription !== undefined && s.id === event.aboutSubscription) &&
      s.eventTypes.some((p) => matchesEventType(p, event.type)) &&
      (!s.filter || Object.keys(s.filter).length === 0 || (event.body !== undefined && matchesFilter(event.body, s.filter))),
  );
}

export function parseJsonBody(body: Buffer, contentType: string | undefined): unknown {
  if (contentType && !/json/i.test(contentType)) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
