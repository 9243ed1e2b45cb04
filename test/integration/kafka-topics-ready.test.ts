import { KafkaPort } from '../../src/platform/kafka';
import { silentLogger } from '../../src/platform/logger';
import { stackEnv, uniqueNames } from '../support/hub';

// Scenario: two processes create the same new topics at once (a source created through the API is seen by ingest
// and by every consumer role). Whichever of them creates a topic, ensureTopics returns only once every partition
// has a leader, so the metadata and offset requests that follow (a consumer joining, a produce) cannot meet
// "This server does not host this topic-partition".
describe('topic creation waits for partition leaders', () => {
  const names = uniqueNames('topicsready');
  const port = (): KafkaPort => new KafkaPort({ brokers: stackEnv().kafkaBrokers, clientId: names.clientId, logger: silentLogger(), partitions: 3, replication: 1 });
  const a = port();
  const b = port();

  afterAll(async () => {
    await Promise.all([a.disconnect(), b.disconnect()]);
  });

  it('returns with a leader for every partition, in the process that created the topic and in the one that found it created', async () => {
    const topics = Array.from({ length: 8 }, (_, i) => `${names.topicPrefix}.in.s${i}`);
    await Promise.all(topics.flatMap((t) => [a.ensureTopics([t]), b.ensureTopics([t])]));
    for (const p of [a, b]) {
      const admin = await p.admin();
      const { topics: meta } = await admin.fetchTopicMetadata({ topics });
      for (const t of meta) {
        expect(t.partitions).toHaveLength(3);
        expect(t.partitions.every((x) => x.leader >= 0)).toBe(true);
      }
      const offsets = await Promise.all(topics.map((t) => admin.fetchTopicOffsets(t)));
      expect(offsets.every((o) => o.length === 3)).toBe(true);
    }
  });
});
