import { randomUUID } from 'node:crypto';
import { FETCH_SETTINGS, GroupConsumer, ReadAheadPipeline } from '../../src/platform/consumer';
import { toKafkaHeaders } from '../../src/platform/cloudevents';
import { KafkaPort } from '../../src/platform/kafka';
import { silentLogger } from '../../src/platform/logger';
import { stackEnv, uniqueNames } from '../support/hub';
import { waitFor } from '../support/wait';

// Scenario: the delivery consumer reads ahead of what it has stored (offsets resolve as chunks are handed over)
// but commits only what is stored, strictly in offset order. These tests drive the real consumer against the
// real broker with an `accept` step the test controls (the use case behind it has its own tests), and read the
// group's committed offsets from Kafka.
describe('ordered read-ahead commit strategy (the delivery consumer\'s): read ahead, commit in order', () => {
  const names = uniqueNames('pipeline');
  const kafka = new KafkaPort({ brokers: stackEnv().kafkaBrokers, clientId: names.clientId, logger: silentLogger(), partitions: 1, replication: 1 });
  let n = 0;

  afterAll(async () => {
    await kafka.disconnect();
  });

  async function topicWith(count: number): Promise<string> {
    const topic = `${names.topicPrefix}.results${n++}`;
    await kafka.ensureTopics([topic]);
    const producer = await kafka.producer();
    const messages = Array.from({ length: count }, (_, i) => ({
      key: `k${i}`,
      value: Buffer.from(JSON.stringify({ i })),
      headers: toKafkaHeaders({ specversion: '1.0', id: randomUUID(), source: '/test', type: 'hookhub.execution.completed', time: new Date().toISOString(), datacontenttype: 'application/json' }),
    }));
    await producer.send({ topic, acks: -1, messages });
    return topic;
  }

  async function committed(topic: string, groupId: string): Promise<number> {
    const admin = await kafka.admin();
    const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return Number(t?.partitions[0]?.offset ?? -1);
  }

  type Read = { offset: string };

  function consumerOn(topic: string, groupId: string, accept: (events: Read[]) => Promise<unknown>): GroupConsumer {
    return new GroupConsumer({
      kafka,
      groupId,
      topics: new RegExp(`^${topic.replace(/\./g, '\\.')}$`),
      refreshMs: 60000,
      logger: silentLogger(),
      fetch: FETCH_SETTINGS.delivery,
      strategy: (control) =>
        new ReadAheadPipeline({ accept: (chunk) => accept(chunk.messages.map((m) => ({ offset: m.offset }))), waitForCapacity: async () => undefined, logger: silentLogger() }, control),
    });
  }

  const offsets = (events: Read[]): number[] => events.map((e) => Number(e.offset));

  it('keeps reading while an early chunk is unfinished, and commits past it only once it is stored', async () => {
    const topic = await topicWith(500);
    const groupId = `${names.clientId}-hold`;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const seen = new Set<number>();
    const consumer = consumerOn(topic, groupId, async (events) => {
      offsets(events).forEach((o) => seen.add(o));
      if (offsets(events).includes(0)) await held;
    });
    await consumer.start();
    try {
      // Chunks after the held one were read and finished…
      await waitFor('the chunks after the held one', () => seen.size === 500);
      await new Promise((r) => setTimeout(r, 1500));
      // …but nothing is committed while offset 0 is not stored.
      expect(await committed(topic, groupId)).toBe(-1);
      release();
      await waitFor('the commit of the whole topic', async () => (await committed(topic, groupId)) === 500);
    } finally {
      release();
      await consumer.stop();
    }
  });

  it('reads a chunk that failed to store again, with everything after it, and commits all of it', async () => {
    const topic = await topicWith(500);
    const groupId = `${names.clientId}-fail`;
    const accepted = new Map<number, number>();
    let failed = false;
    const consumer = consumerOn(topic, groupId, async (events) => {
      const os = offsets(events);
      if (!failed && os.includes(200)) {
        failed = true;
        throw new Error('storage unavailable');
      }
      await new Promise((r) => setTimeout(r, Math.random() * 20));
      os.forEach((o) => accepted.set(o, (accepted.get(o) ?? 0) + 1));
    });
    await consumer.start();
    try {
      await waitFor('the commit of the whole topic', async () => (await committed(topic, groupId)) === 500, 30000);
      expect(failed).toBe(true);
      // Nothing lost: every offset was stored, the failed chunk included.
      expect([...Array(500).keys()].filter((o) => !accepted.has(o))).toEqual([]);
      // The failed chunk was read again (it was stored once, on the second read).
      expect(accepted.get(200)).toBe(1);
    } finally {
      await consumer.stop();
    }
  });

  it('on stop, waits for what it issued and commits it, so a new consumer starts exactly after', async () => {
    const topic = await topicWith(2000);
    const groupId = `${names.clientId}-stop`;
    const started: number[] = [];
    const first: number[] = [];
    const a = consumerOn(topic, groupId, async (events) => {
      started.push(...offsets(events));
      await new Promise((r) => setTimeout(r, 300));
      first.push(...offsets(events));
    });
    await a.start();
    await waitFor('a first chunk in flight', () => started.length > 0, 20000, 10);
    await a.stop();
    // Everything issued before the stop was let finish, and exactly that is committed.
    expect(first.length).toBe(started.length);
    expect(first.length).toBeLessThan(2000);
    expect(await committed(topic, groupId)).toBe(first.length);
    const second: number[] = [];
    const b = consumerOn(topic, groupId, async (events) => {
      second.push(...offsets(events));
    });
    await b.start();
    try {
      await waitFor('the rest of the topic', () => first.length + second.length >= 2000);
      expect(Math.min(...second)).toBe(first.length);
      expect([...first, ...second].sort((x, y) => x - y)).toEqual([...Array(2000).keys()]);
    } finally {
      await b.stop();
    }
  });
});
