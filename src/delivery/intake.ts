import type { DeadLetterWriter } from '../platform/consumer';
import type { IncomingEvent } from './domain/accept-events';

/** What the delivery's Kafka entry point calls. */
export interface DeliveryIntake {
  /** Stores one delivery per (event, matching subscription) and hands them to the sink; resolves once stored. */
  accept(events: IncomingEvent[]): Promise<unknown>;
  /** Waits while the sender is saturated (backpressure on the Kafka read). */
  waitForCapacity(): Promise<void>;
  /** The consumer (re)joined its group: events read next may repeat another member's unfinished work. */
  joined(): void;
  deadLetters: DeadLetterWriter;
}
