import type { Hub } from '../../src/app/hub';
import { apiClient, keyFor, type ApiCall } from '../support/api';
import { startTestHub } from '../support/hub';
import { Capture, capturingLogger } from '../support/logs';
import { waitFor } from '../support/wait';

const SECRET = 'whsec_' + Buffer.from('topic pickup burst secret').toString('base64');

// Scenario: an operator creates three sources one after another. Each is a new topic, and every consumer group that
// reads inbound topics (archiver, agents, delivery, ingest analytics) must take them in. Each rejoin pauses the
// group's other topics, so the burst must cost one rejoin per group, not one per source. Counted from the hub's
// own logs: its "joined the consumer group" lines per group.
describe('topic pickup: a burst of new sources', () => {
  const capture = new Capture();
  let hub: Hub;
  let call: ApiCall;
  let operator: string;
  let groups: string[];

  beforeAll(async () => {
    hub = await startTestHub('pickupburst', {
      roles: ['api', 'ingest', 'archiver', 'agents', 'delivery'],
      logger: capturingLogger(capture),
      // Refreshes far more often than the sources are created, so that without the settle every source would be a
      // rejoin of its own; the settle is longer than a source creation takes on a busy machine.
      env: { agentsRefreshMs: 300, deliveryRefreshMs: 300, archiverRefreshMs: 300, analyticsTopicRefreshMs: 300, topicSettleMs: 4000 },
    });
    call = apiClient(hub);
    operator = (await keyFor(hub, 'operator')).secret;
    const id = hub.ctx.env.kafkaClientId;
    groups = [`${id}-archiver`, `${id}-agents`, `${id}-delivery`, `${id}-analytics-ingest`];
  });
  afterAll(async () => {
    await hub?.stop();
  });

  const linesOf = (group: string, message: string, from: number): Record<string, unknown>[] =>
    capture.lines.slice(from).filter((l) => l.group === group && l.message === message);

  it('each group rejoins once for three sources created in a row, and then reads all three topics', async () => {
    // Every inbound group is running (the `api` inbound topic is there from the start), but the archiver's: it reads
    // the sources' topics, and there is no source yet.
    await waitFor('every group subscribed', () => groups.slice(1).every((g) => linesOf(g, 'consumer subscribed', 0).length > 0), 60000, 100);
    const mark = capture.lines.length;

    const ids = ['burst-a', 'burst-b', 'burst-c'];
    for (const id of ids) {
      const res = await call('POST', '/sources', { key: operator, body: { id, verification: { scheme: 'standard-webhooks', secrets: [SECRET] }, eventType: { pointer: '/type' } } });
      expect(res.status).toBe(201);
    }
    const topics = ids.map((id) => hub.ctx.topics.inbound(id));

    const readsAll = (g: string): boolean => linesOf(g, 'consumer subscribed', mark).some((l) => topics.every((t) => (l.topics as string[]).includes(t)));
    await waitFor('every group subscribed to the three new topics', () => groups.every(readsAll), 90000, 100);

    const joins = Object.fromEntries(groups.map((g) => [g, linesOf(g, 'joined the consumer group', mark).length]));
    expect(joins).toEqual(Object.fromEntries(groups.map((g) => [g, 1])));
  }, 150000);
});
