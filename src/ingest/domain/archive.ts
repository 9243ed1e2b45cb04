import type { IHeaders, KafkaMessage } from 'kafkajs';
import { fromKafkaMessage } from '../../platform/cloudevents';
import { taskRefusalOf, type TaskRefusal } from '../../platform/task-requests';

/** One inbound event as the archive keeps it: searchable metadata plus the body, replayable beyond retention. */
export interface ArchivedEvent {
  id: string;
  source: string;
  type: string;
  /** CloudEvent time: when ingest received it. */
  time: Date;
  /** Same instant as `time`, named for readers who ask when hookhub got the event. */
  receivedAt: Date;
  archivedAt: Date;
  traceparent?: string;
  idempotencyKey?: string;
  partitionKey?: string;
  contentType: string;
  topic: string;
  partition: number;
  /** Kafka offset as a number (offsets stay far below 2^53), so range reads compare numerically. */
  offset: number;
  /** The Kafka headers of the message (CloudEvent attributes and extensions), in order. */
  headers: { name: string; value: string }[];
  /** The exact bytes received: as UTF-8 text, or base64 when they are not valid UTF-8. */
  body: string;
  bodyEncoding: 'utf8' | 'base64';
  /** Why ingest refused what the event asked for (an agent task its source may not trigger): nothing ran. */
  refusal?: TaskRefusal;
}

function headerList(headers: IHeaders | undefined): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const [name, v] of Object.entries(headers ?? {})) {
    for (const one of Array.isArray(v) ? v : [v]) {
      if (one !== undefined) out.push({ name, value: Buffer.isBuffer(one) ? one.toString('utf8') : String(one) });
    }
  }
  return out;
}

/** Maps an inbound Kafka message to its archive record; throws CloudEventError for a message that is not one. */
export function toArchivedEvent(topic: string, partition: number, message: Pick<KafkaMessage, 'headers' | 'value' | 'key' | 'offset'>, now = new Date()): ArchivedEvent {
  const ce = fromKafkaMessage(message);
  const time = new Date(ce.time);
  const text = ce.data.toString('utf8');
  const utf8 = Buffer.byteLength(text, 'utf8') === ce.data.length && Buffer.from(text, 'utf8').equals(ce.data);
  const source = ce.extensions?.hookhubsource ?? ce.source.replace(/^\/sources\//, '');
  const refusal = taskRefusalOf(ce.extensions);
  return {
    id: ce.id,
    source,
    type: ce.type,
    time: Number.isNaN(time.getTime()) ? now : time,
    receivedAt: Number.isNaN(time.getTime()) ? now : time,
    archivedAt: now,
    ...(ce.traceparent ? { traceparent: ce.traceparent } : {}),
    ...(ce.extensions?.idempotencykey ? { idempotencyKey: ce.extensions.idempotencykey } : {}),
    ...(message.key ? { partitionKey: message.key.toString('utf8') } : {}),
    contentType: ce.datacontenttype ?? 'application/json',
    topic,
    partition,
    offset: Number(message.offset),
    headers: headerList(message.headers),
    body: utf8 ? text : ce.data.toString('base64'),
    bodyEncoding: utf8 ? 'utf8' : 'base64',
    ...(refusal ? { refusal } : {}),
  };
}

/** The exact bytes of an archived event's body. */
export function bodyBytes(event: Pick<ArchivedEvent, 'body' | 'bodyEncoding'>): Buffer {
  return Buffer.from(event.body, event.bodyEncoding === 'base64' ? 'base64' : 'utf8');
}
