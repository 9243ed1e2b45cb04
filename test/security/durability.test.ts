import { randomUUID } from 'node:crypto';
import { ConfigResourceTypes } from 'kafkajs';
import type { Hub } from '../../src/app/hub';
import { minInsyncReplicas } from '../../src/platform/kafka';
import { kafkaPid, type KafkaInstance } from '../../src/stack/kafka';
import { collectTopic } from '../support/agents';
import { removeOwnBroker, startOwnBroker } from '../support/broker';
import { startTestHub } from '../support/hub';
import { waitFor } from '../support/wait';
import { post } from '../support/webhooks';

// Kafka's config source for a value set on the topic itself (DYNAMIC_TOPIC_CONFIG), as opposed to the broker's.
const TOPIC_CONFIG = 1;

describe('security: durability behind acks=all', () => {
  it('min.insync.replicas is min(2, replication factor)', () => {
    expect([1, 2, 3, 5].map(minInsyncReplicas)).toEqual([1, 2, 2, 2]);
  });

  // Scenario: the broker freezes (SIGSTOP) while a sender without an idempotency key sends eight webhooks.
  // Each is answered 503 after the ack timeout. When the broker thaws, only the produce requests that were
  // already on the wire may still land (the most ingest has open at once is 4); the events still queued
  // behind them were dropped at their deadline, so the sender's retry of those cannot make a second event.
  describe('a webhook answered 503 while still queued is never published later', () => {
    let kafka: KafkaInstance;
    let hub: Hub;

    beforeAll(async () => {
      kafka = await startOwnBroker();
      hub = await startTestHub('secdurable', {
        roles: ['ingest'],
        config: { sources: [{ id: 'drip', verification: { scheme: 'none', allowUnsigned: true }, eventType: { fixed: 'drip.drop' } }], agents: [], routes: [], subscriptions: [] },
        env: { kafkaBrokers: [`127.0.0.1:${kafka.port}`], kafkaAckTimeoutMs: 2000, ingestBatchMax: 1, topicPartitions: 1 },
      });
    }, 120000);
    afterAll(async () => {
      const pid = kafka ? kafkaPid(kafka) : undefined;
      if (pid) process.kill(pid, 'SIGCONT');
      await hub?.stop().catch(() => undefined);
      await removeOwnBroker(kafka);
    }, 60000);

    it('topics are created with min.insync.replicas on the topic itself', async () => {
      const topic = hub.ctx.topics.inbound('drip');
      await hub.ctx.kafka.ensureTopics([topic]);
      const admin = await hub.ctx.kafka.admin();
      const described = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['min.insync.replicas'] }], includeSynonyms: false });
      const entry = described.resources[0]?.configEntries.find((e) => e.configName === 'min.insync.replicas');
      expect(entry).toMatchObject({ configValue: String(minInsyncReplicas(hub.ctx.env.topicReplication)), configSource: TOPIC_CONFIG });
    });

    it('eight 503s while the broker is frozen; at most the four on the wire land afterwards', async () => {
      const url = `${hub.url}/webhooks/drip`;
      const run = randomUUID();
      expect((await post(url, { body: JSON.stringify({ run, n: 'warm' }), headers: { 'content-type': 'application/json' } })).status).toBe(202);
      const pid = kafkaPid(kafka);
      if (!pid) throw new Error('own broker not running');
      process.kill(pid, 'SIGSTOP');
      let answers: number[];
      try {
        answers = (await Promise.all(Array.from({ length: 8 }, (_, n) => post(url, { body: JSON.stringify({ run, n }), headers: { 'content-type': 'application/json' } })))).map((r) => r.status);
      } finally {
        process.kill(pid, 'SIGCONT');
      }
      expect(answers).toEqual(Array(8).fill(503));

      const marker = await waitFor('the broker takes events again', async () => {
        const r = await post(url, { body: JSON.stringify({ run, n: 'marker' }), headers: { 'content-type': 'application/json' } });
        return r.status === 202 ? r : undefined;
      }, 60000, 500);
      const topic = await collectTopic(hub, hub.ctx.topics.inbound('drip'));
      try {
        await waitFor('the marker read back', () => topic.messages.some((m) => m.headers.ce_id === marker.json.id), 30000);
        const landed = topic.messages.map((m) => m.value as { run?: string; n?: unknown }).filter((v) => v.run === run && typeof v.n === 'number');
        expect(landed.length).toBeLessThanOrEqual(4);
      } finally {
        await topic.stop();
      }
    }, 120000);
  });
});
