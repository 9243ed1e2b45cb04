import type { Hub } from '../../src/app/hub';
import { apiTestKit, type ApiCall, type OpenApiConformance } from '../support/api';
import { produceInbound } from '../support/events';
import { startTestHub } from '../support/hub';

interface LagBody {
  groups: { groupId: string; lag: number; topics: { topic: string; lag: number; partitions: { partition: number; committed: number | null; end: number; lag: number }[] }[] }[];
}

// Scenario: an operator asks how far the hub's consumer groups are behind. A group of this hub has committed
// one partition of an inbound topic one message short of its end and nothing on the other; a group of
// another hub on the same broker is not listed.
describe('Management API: consumer lag', () => {
  let hub: Hub;
  let conformance: OpenApiConformance;
  let call: ApiCall;
  let analyst: string;

  beforeAll(async () => {
    hub = await startTestHub('apiconsumers', { roles: ['api'] });
    ({ conformance, call, analyst } = await apiTestKit(hub));
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it("lists this hub's groups with their lag per topic and partition", async () => {
    const topic = hub.ctx.topics.inbound('lagged');
    await produceInbound(hub.ctx.kafka, topic, 'lagged', Array.from({ length: 6 }, (_, i) => ({ id: `lag-${i}`, type: 'lag.test', timestampMs: Date.now(), body: '{}', key: `k${i}` })));
    const admin = await hub.ctx.kafka.admin();
    const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
    const [busy] = [...ends.entries()].sort(([, a], [, b]) => b - a);
    const [partition, end] = busy as [number, number];
    const groupId = `${hub.ctx.env.kafkaClientId}-archiver`;
    await admin.setOffsets({ groupId, topic, partitions: [{ partition, offset: String(end - 1) }] });
    await admin.setOffsets({ groupId: `someone-else-${hub.ctx.env.kafkaClientId}`, topic, partitions: [{ partition, offset: '0' }] });

    const res = await call<LagBody>('GET', '/consumers', { key: analyst });
    expect(res.status).toBe(200);
    expect(res.body.groups.map((g) => g.groupId)).toEqual([groupId]);
    const [group] = res.body.groups;
    const others = [...ends.entries()].filter(([p]) => p !== partition);
    const expected = 1 + others.reduce((n, [, high]) => n + high, 0);
    expect(group).toMatchObject({ groupId, lag: expected, topics: [{ topic, lag: expected }] });
    expect(group?.topics[0]?.partitions).toEqual(
      [...ends.entries()].sort(([a], [b]) => a - b).map(([p, high]) => (p === partition ? { partition: p, committed: end - 1, end: high, lag: 1 } : { partition: p, committed: null, end: high, lag: high })),
    );
    expect((await call('GET', '/consumers')).status).toBe(401);
    expect(conformance.uncovered('consumers')).toEqual([]);
    expect(conformance.failures).toEqual([]);
  });
});
