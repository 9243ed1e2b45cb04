import { Webhook } from 'svix';
import type { Hub } from '../../src/app/hub';
import { apiClient, keyFor } from '../support/api';
import { hookhub } from '../support/cli';
import { eventsAt, minuteFloor, produceInbound } from '../support/events';
import { stackEnv, startTestHub, uniqueNames } from '../support/hub';
import { TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';

// Scenario: push events of source "gh" were processed live an hour ago (one before the replay window, three
// inside it). `hookhub replay --mode reprocess` over the window makes the agents stage run the routed agent again
// for exactly the three, as new executions marked replay and linked to the originals; `--mode redeliver` re-sends
// exactly the three to one subscription (created after they were delivered live, so it never got them), signed,
// carrying the original event id. A redelivery honours the subscription's event types, so it must match them.
describe('replay modes wired to the agents and delivery stages', () => {
  const names = uniqueNames('replaywire');
  let secret: string;
  const windowStart = minuteFloor(Date.now() - 3600_000);
  const before = eventsAt('pre', windowStart - 120_000, 1);
  const inside = eventsAt('win', windowStart, 6).filter((e) => e.type === 'github.push');
  let hub: Hub;
  let receiver: TestReceiver;
  let cliEnv: NodeJS.ProcessEnv;

  beforeAll(async () => {
    receiver = await new TestReceiver().start();
    hub = await startTestHub('replaywire', {
      names,
      roles: ['agents', 'delivery', 'api'],
      env: { deliveryAllowPrivate: ['127.0.0.1/32'], deliveryRefreshMs: 200, agentsRefreshMs: 300 },
      config: {
        sources: [],
        agents: [{ name: 'echo', runner: { kind: 'builtin', name: 'echo' } }],
        routes: [{ id: 'pushes', source: 'gh', eventType: 'github.push', agent: 'echo' }],
        subscriptions: [],
      },
    });
    const se = stackEnv();
    cliEnv = {
      KAFKA_BROKERS: se.kafkaBrokers.join(','),
      MONGODB_URI: se.mongodbUri.replace(/\/[^/]*$/, `/${names.dbName}`),
      HOOKHUB_TOPIC_PREFIX: names.topicPrefix,
      HOOKHUB_KAFKA_CLIENT_ID: names.clientId,
      HOOKHUB_LOG_LEVEL: 'warn',
    };
    await produceInbound(hub.ctx.kafka, hub.ctx.topics.inbound('gh'), 'gh', [...before, ...inside]);
    const executions = hub.ctx.mongo.collection('executions');
    await waitFor('the live executions', async () => (await executions.countDocuments({ agent: 'echo' })) === 1 + inside.length, 45000);
  }, 90000);

  afterAll(async () => {
    await hub?.stop();
    await receiver?.stop();
  });

  /** Subscribes the late joiner once the delivery group has read every event of gh so far (live and reprocessed). */
  const subscribeLateJoiner = async (): Promise<void> => {
    const inbound = hub.ctx.topics.inbound('gh');
    await waitFor('the delivery group past every event of gh', async () => {
      const admin = await hub.ctx.kafka.admin();
      const [committed, ends] = await Promise.all([admin.fetchOffsets({ groupId: `${names.clientId}-delivery`, topics: [inbound] }), admin.fetchTopicOffsets(inbound)]);
      const mine = committed.find((c) => c.topic === inbound)?.partitions ?? [];
      return ends.every((e) => Number(e.high) === 0 || Number(mine.find((p) => p.partition === e.partition)?.offset ?? -1) >= Number(e.high));
    }, 45000);
    const created = await apiClient(hub)<{ secret: string }>('POST', '/subscriptions', {
      key: (await keyFor(hub, 'operator')).secret,
      body: { id: 'late-joiner', url: `${receiver.url}/in`, eventTypes: ['github.push'] },
    });
    expect(created.status).toBe(201);
    secret = created.body.secret;
  };

  const window = (): string[] => ['--source', 'gh', '--from', new Date(windowStart).toISOString(), '--to', new Date(windowStart + 600_000).toISOString(), '--no-progress'];

  it('reprocess runs the routed agent again for exactly the events in the window', async () => {
    const r = await hookhub(['replay', ...window(), '--mode', 'reprocess'], cliEnv);
    expect(r.code).toBe(0);
    const executions = hub.ctx.mongo.collection<{ replay?: boolean; replayOf?: string; status: string }>('executions');
    const replays = await waitFor('three replay executions', async () => {
      const docs = await executions.find({ replay: true }).toArray();
      return docs.length >= inside.length && docs.every((d) => d.status === 'succeeded') ? docs : undefined;
    }, 45000);
    expect(replays.map((d) => d.replayOf).sort()).toEqual(inside.map((e) => e.id).sort());
  }, 90000);

  it('redeliver re-sends exactly the events in the window to one subscription, signed', async () => {
    await subscribeLateJoiner();
    expect(receiver.requests).toHaveLength(0);
    const r = await hookhub(['replay', ...window(), '--mode', 'redeliver', '--subscription', 'late-joiner'], cliEnv);
    expect(r.code).toBe(0);
    await waitFor('three redeliveries', () => receiver.requests.length >= inside.length, 45000);
    const originals = receiver.requests.map((req) => {
      const payload = new Webhook(secret).verify(req.body.toString(), {
        'webhook-id': String(req.headers['webhook-id']),
        'webhook-timestamp': String(req.headers['webhook-timestamp']),
        'webhook-signature': String(req.headers['webhook-signature']),
      }) as { hookhubReplay: { of: string }; prefix: string };
      expect(payload.prefix).toBe('win');
      return payload.hookhubReplay.of;
    });
    expect(originals.sort()).toEqual(inside.map((e) => e.id).sort());
  }, 90000);
});
