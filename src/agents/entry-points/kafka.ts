import type { KafkaMessage } from 'kafkajs';
import { CloudEventError, fromKafkaMessage } from '../../platform/cloudevents';
import type { InboundEvent } from '../domain/model';
import { sourceIdOf } from '../domain/routing';

/** A message the agents stage can never process (not a CloudEvent, not JSON): dead-lettered at once. */
export class PoisonMessageError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PoisonMessageError';
  }
}

/** Reads an inbound Kafka message (the ingest contract) into an event; throws PoisonMessageError when it is not one. */
export function parseInbound(message: KafkaMessage, topic: string, partition: number): InboundEvent {
  let ce;
  try {
    ce = fromKafkaMessage(message);
  } catch (err) {
    if (err instanceof CloudEventError) throw new PoisonMessageError('cloudevent_invalid', err.message);
    throw err;
  }
  const ct = (ce.datacontenttype ?? 'application/json').toLowerCase();
  if (!ct.includes('json')) throw new PoisonMessageError('content_type_unsupported', `content-type ${ct} is not JSON`);
  let data: unknown;
  try {
    data = JSON.parse(ce.data.toString('utf8'));
  } catch (err) {
    throw new PoisonMessageError('json_malformed', `value is not JSON: ${(err as Error).message}`);
  }
  const extensions = ce.extensions ?? {};
  const sourceId = extensions.hookhubsource ?? sourceIdOf({ source: ce.source });
  return {
    id: ce.id,
    source: ce.source,
    ...(sourceId ? { sourceId } : {}),
    type: ce.type,
    time: ce.time,
    ...(ce.traceparent ? { traceparent: ce.traceparent } : {}),
    extensions,
    data,
    topic,
    partition,
    offset: message.offset,
    ...(message.key ? { key: message.key.toString('utf8') } : {}),
  };
}
