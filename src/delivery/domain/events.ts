import { randomUUID } from 'node:crypto';

/** The delivery component's own events, published on `<prefix>.results` so they can be subscribed to. */
export interface OutgoingEvent {
  id: string;
  type: 'hookhub.delivery.exhausted' | 'hookhub.subscription.disabled';
  subject: string;
  subscriptionId: string;
  data: Record<string, unknown>;
}

export interface ExhaustedInfo {
  deliveryId: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  attempts: number;
  lastStatus?: number;
  lastError?: string;
  url: string;
}

export function exhaustedEvent(i: ExhaustedInfo): OutgoingEvent {
  return {
    id: randomUUID(),
    type: 'hookhub.delivery.exhausted',
    subject: i.deliveryId,
    subscriptionId: i.subscriptionId,
    data: {
      type: 'hookhub.delivery.exhausted',
      delivery: {
        id: i.deliveryId,
        subscriptionId: i.subscriptionId,
        eventId: i.eventId,
        eventType: i.eventType,
        attempts: i.attempts,
        url: i.url,
        ...(i.lastStatus !== undefined ? { lastStatus: i.lastStatus } : {}),
        ...(i.lastError !== undefined ? { lastError: i.lastError } : {}),
      },
      failedAt: new Date().toISOString(),
    },
  };
}

export function disabledEvent(subscriptionId: string, url: string, reason: 'gone' | 'failing', detail: string, failingSince?: Date): OutgoingEvent {
  return {
    id: randomUUID(),
    type: 'hookhub.subscription.disabled',
    subject: subscriptionId,
    subscriptionId,
    data: {
      type: 'hookhub.subscription.disabled',
      subscription: { id: subscriptionId, url },
      reason,
      detail,
      ...(failingSince ? { failingSince: failingSince.toISOString() } : {}),
      disabledAt: new Date().toISOString(),
    },
  };
}
