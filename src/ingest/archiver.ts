import type { IHeaders, KafkaMessage } from 'kafkajs';
import { Counter, type Registry } from 'prom-client';
import type { HubContext } from '../app/context';
import { CloudEventError } from '../platform/cloudevents';
import type { EventsRepository } from './data-access/events-repository';
import { toArchivedEvent, type ArchivedEvent } from './domain/archive';

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
    private readonly ctx: HubContext,
    private readonly events: EventsRepository,
    registry: Registry,
  ) {
    this.counter =
      (registry.getSingleMetric('hookhub_archiver_events_total') as Counter<'source' | 'outcome'> | undefined) ??
      new Counter({ name: 'hookhub_archiver_events_total', help: 'Inbound events the archiver handled: stored, duplicate (already archived) or poison (sent to the DLQ).', labelNames: ['source', 'outcome'], registers: [registry] });
  }

  async archiveBatch(topic: string, partition: number, messages: KafkaMessage[]): Promise<ArchiveOutcome> {
    const records: ArchivedEvent[] = [];
    const poison: { message: KafkaMessage; error: string }[] = [];
    const now = new Date();
    for (const message of messages) {
      try {
        records.push(toArchivedEvent(topic, partition, message, now));
      } catch (err) {
        if (!(err instanceof CloudEventError)) throw err;
        poison.push({ message, error: err.message });
      }
    }
    const { inserted } = await this.events.storeMany(records);
    if (poison.length > 0) await this.deadLetter(topic, partition, poison);
    // A batch is one partition of one source's topic, so one source label covers it.
    const source = records[0]?.source ?? '';
    if (inserted > 0) this.counter.inc({ source, outcome: 'stored' }, inserted);
    if (records.length > inserted) this.counter.inc({ source, outcome: 'duplicate' }, records.length - inserted);
    if (poison.length > 0) this.counter.inc({ source, outcome: 'poison' }, poison.length);
    return { stored: inserted, duplicates: records.length - inserted, poison: poison.length };
  }

  private async deadLetter(topic: string, partition: number, poison: { message: KafkaMessage; error: string }[]): Promise<void> {
    const dlq = this.ctx.topics.dlq('archiver');
    await this.ctx.kafka.ensureTopics([dlq]);
    const producer = await this.ctx.kafka.producer();
    await producer.send({
      topic: dlq,
      acks: -1,
      messages: poison.map(({ message, error }) => ({
        key: message.key,
        value: message.value,
        headers: { ...(message.headers ?? {}), 'hookhub-error': error, 'hookhub-origin': `${topic}/${partition}/${message.offset}` } as IHeaders,
      })),
    });
    this.ctx.logger.warn('archiver: messages that are not CloudEvents went to the DLQ', { topic, partition, count: poison.length, dlq, error: poison[0]?.error });
  }
}
