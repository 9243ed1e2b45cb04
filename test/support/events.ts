import type { Kafka } from 'kafkajs';
import type { Connection } from 'mongoose';
import { fromKafkaMessage, toKafkaHeaders, type CloudEvent } from '../../src/platform/cloudevents';
import type { KafkaPort } from '../../src/platform/kafka';
import { waitFor } from './wait';

export interface TestEvent {
  id: string;
  type: string;
  timestampMs: number;
  body: string;
  key?: string;
  extensions?: Record<string, string>;
}

/** Produces inbound events the way ingest does (binary-mode CloudEvents), with explicit log timestamps. */
export async function produceInbound(kafka: KafkaPort, topic: string, source: string, events: TestEvent[]): Promise<void> {
  await kafka.ensureTopics([topic]);
  const producer = await kafka.producer();
  await producer.send({
    topic,
    acks: -1,
    messages: events.map((e) => ({
      key: e.key ?? e.id,
      value: Buffer.from(e.body),
      timestamp: String(e.timestampMs),
      headers: toKafkaHeaders({
        id: e.id,
        source: `/sources/${source}`,
        type: e.type,
        time: new Date(e.timestampMs).toISOString(),
        extensions: { hookhubsource: source, ...e.extensions },
      }),
    })),
  });
}

/** `n` events one second apart from `startMs`, ids `<prefix>-<i>`, alternating github.push / github.issues.opened. */
export function eventsAt(prefix: string, startMs: number, n: number): TestEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    type: i % 2 === 0 ? 'github.push' : 'github.issues.opened',
    timestampMs: startMs + i * 1000,
    body: JSON.stringify({ n: i, prefix, text: 'line\nbreak inside a string' }),
  }));
}

/** Every CloudEvent on a topic (from the beginning) once at least `atLeast` arrived, read by a throwaway group. */
export async function readTopic(kafka: Kafka, topic: string, atLeast: number, groupId: string): Promise<{ ce: CloudEvent; key: string | null }[]> {
  const seen: { ce: CloudEvent; key: string | null }[] = [];
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void seen.push({ ce: fromKafkaMessage(message), key: message.key?.toString() ?? null }) });
  try {
    await waitFor(`${atLeast} messages on ${topic}`, () => seen.length >= atLeast, 30000);
    await new Promise((r) => setTimeout(r, 500)); // let any surplus (a bug) arrive too
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

/** Writes archive documents shaped as the ingest archiver stores them (the fields replay's archive adapter reads). */
export async function insertArchived(mongo: Connection, topic: string, source: string, docs: { event: TestEvent; partition: number; offset: number }[]): Promise<void> {
  if (docs.length === 0) return;
  await mongo.collection('events').insertMany(
    docs.map(({ event, partition, offset }) => ({
      id: event.id,
      source: `/sources/${source}`,
      type: event.type,
      time: new Date(event.timestampMs),
      topic,
      partition,
      offset,
      partitionKey: event.key ?? event.id,
      headers: JSON.stringify([
        { name: 'ce_id', value: event.id },
        { name: 'ce_hookhubsource', value: source },
        { name: 'content-type', value: 'application/json' },
      ]),
      body: event.body,
      receivedAt: new Date(event.timestampMs),
    })),
  );
}

export const minuteFloor = (ms: number): number => Math.floor(ms / 60000) * 60000;
