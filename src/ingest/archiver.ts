import type { KafkaMessage } from 'kafkajs';
import { Counter, type Registry } from 'prom-client';
import { CloudEventError } from '../platform/cloudevents';
import type { DeadLetter, DeadLetterWriter } from '../platform/consumer';
import type { Logger } from '../platform/logger';
import type { EventsRepository } from './data-access/events-repository';
import { toArchivedEvent, type ArchivedEvent } from './domain/archive';

/** What the archiver's Kafka entry point calls: the use case, and the topics to read (every source's). */
export interface ArchiverIntake {
  archiver: Archiver;
  topics(): Promise<string[]>;
}

export interface ArchiveOutcome {
  stored: number;
  duplicates: number;
  poison: number;
}

/**
 * The archiver's use case for one fetched batch of one partition: map every message to its archive record,
 * write them all in one idempotent bulk write, and send messages that are not CloudEvents to the DLQ so they
 * cannot block the partition. The caller commits the offsets only after this resolves.
 */
export class Archiver {
  private readonly counter: Counter<'source' | 'outcome'>;

  constructor(
    private readonly events: EventsRepository,
    private readonly deadLetters: DeadLetterWriter,
    private readonly logger: Logger,
    registry: Registry,
  ) {
    this.counter =
      (registry.getSingleMetric('hookhub_archiver_events_total') as Counter<'source' | 'outcome'> | undefined) ??
      new Counter({ name: 'hookhub_archiver_events_total', help: 'Inbound events the archiver handled: stored, duplicate (already archived) or poison (sent to the DLQ).', labelNames: ['source', 'outcome'], registers: [registry] });
  }

  async archiveBatch(topic: string, partition: number, messages: KafkaMessage[]): Promise<ArchiveOutcome> {
    const records: ArchivedEvent[] = [];
    const poison: DeadLetter[] = [];
    const now = new Date();
    for (const message of messages) {
      try {
        records.push(toArchivedEvent(topic, partition, message, now));
      } catch (err) {
        if (!(err instanceof CloudEventError)) throw err;
        poison.push({ original: message, topic, partition, code: 'cloudevent_invalid', error: err.message, attempts: 1 });
      }
    }
    const { inserted } = await this.events.storeMany(records);
    if (poison.length > 0) {
      await this.deadLetters.write(poison);
      this.logger.warn('archiver: messages that are not CloudEvents went to the DLQ', { topic, partition, count: poison.length, dlq: this.deadLetters.topic, error: poison[0]?.error });
    }
    // A batch is one partition of one source's topic, so one source label covers it.
    const source = records[0]?.source ?? '';
    if (inserted > 0) this.counter.inc({ source, outcome: 'stored' }, inserted);
    if (records.length > inserted) this.counter.inc({ source, outcome: 'duplicate' }, records.length - inserted);
    if (poison.length > 0) this.counter.inc({ source, outcome: 'poison' }, poison.length);
    return { stored: inserted, duplicates: records.length - inserted, poison: poison.length };
  }
}
