import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Hub } from '../../src/app/hub';
import { apiClient, keyFor, OpenApiConformance, openApiOf, type ApiCall } from '../support/api';
import { startTestHub, uniqueNames } from '../support/hub';
import { eventsAt, insertArchived, minuteFloor, produceInbound, readTopic } from '../support/events';
import { waitFor } from '../support/wait';

interface Job {
  id: string;
  status: string;
  counts: { read: number; matched: number; emitted: number; skipped: number };
  usedSources: { kafka: number; archive: number };
  progress: { store: string; partition: number; position: number; end: number | null }[];
  cancelRequested: boolean;
  createdBy: string | null;
}

// Scenario: events of source "gh" lie before, inside and after a ten-minute window. Replay jobs created over HTTP
// read exactly the events inside [from, to) — by type when asked — and export them as NDJSON CloudEvents, put
// them back on the inbound topic as replay copies (reprocess), or hand them to the replay-deliveries topic for one
// subscription (redeliver). Ranges Kafka no longer holds come from the MongoDB archive; a running job can be
// cancelled. Nothing else is written, and no live consumer group's offsets move.
describe('replay jobs over HTTP', () => {
  const names = uniqueNames('replay');
  const exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-replay-'));
  let hub: Hub;
  const windowStart = minuteFloor(Date.now() - 3600_000);
  const from = new Date(windowStart).toISOString();
  const to = new Date(windowStart + 600_000).toISOString();
  const before = eventsAt('before', windowStart - 300_000, 7);
  const inside = eventsAt('in', windowStart, 12);
  const after = eventsAt('after', windowStart + 600_000, 5);

  let call: ApiCall;
  let conformance: OpenApiConformance;
  let key: string;
  let keyId: string;
  let operatorKey: string;
  // Analysts may only export; redeliver and reprocess need an operator.
  const post = async (body: unknown, as: 'analyst' | 'operator' = 'analyst'): Promise<{ status: number; headers: Headers; body: Job }> =>
    call<Job>('POST', '/replays', { key: as === 'analyst' ? key : operatorKey, body });
  const job = async (id: string): Promise<Job> => (await call<Job>('GET', `/replays/${id}`, { key })).body;
  const finished = (id: string, status = 'succeeded'): Promise<Job> =>
    waitFor(`replay ${id} ${status}`, async () => {
      const j = await job(id);
      if (['failed', 'cancelled', 'succeeded'].includes(j.status) && j.status !== status) throw new Error(`ended ${j.status}: ${JSON.stringify(j)}`);
      return j.status === status ? j : undefined;
    }, 30000);
  const exported = async (id: string): Promise<{ id: string; type: string; data: unknown; hookhubsource?: string }[]> => {
    const res = await call<string>('GET', `/replays/${id}/export`, { key });
    expect(res.status).toBe(200);
    const text = res.body;
    return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; type: string; data: unknown });
  };

  beforeAll(async () => {
    hub = await startTestHub('replay', {
      roles: ['api'],
      names,
      env: { replayPollMs: 100, replayCheckpointMs: 100, replayLeaseMs: 10000, replayExportDir: exportDir },
    });
    conformance = new OpenApiConformance(await openApiOf(hub));
    call = apiClient(hub, conformance);
    ({ secret: key, id: keyId } = await keyFor(hub, 'analyst'));
    operatorKey = (await keyFor(hub, 'operator')).secret;
    await produceInbound(hub.ctx.kafka, hub.ctx.topics.inbound('gh'), 'gh', [...before, ...inside, ...after]);
  });
  afterAll(async () => {
    await hub?.stop();
    fs.rmSync(exportDir, { recursive: true, force: true });
  });

  it('exports exactly the events inside [from, to) as structured CloudEvents', async () => {
    const res = await post({ source: 'gh', from, to, mode: 'export' });
    expect(res.status).toBe(202);
    const created = res.body;
    expect(res.headers.get('location')).toBe(`/api/v1/replays/${created.id}`);
    expect(created.createdBy).toBe(keyId);
    const done = await finished(created.id);
    expect(done.counts).toMatchObject({ read: 12, matched: 12, emitted: 12, skipped: 0 });
    expect(done.usedSources).toEqual({ kafka: 12, archive: 0 });
    const lines = await exported(created.id);
    expect(lines.map((l) => l.id).sort()).toEqual(inside.map((e) => e.id).sort());
    const first = lines.find((l) => l.id === 'in-0');
    expect(first).toEqual({
      specversion: '1.0',
      id: 'in-0',
      source: '/sources/gh',
      type: 'github.push',
      time: new Date(windowStart).toISOString(),
      datacontenttype: 'application/json',
      hookhubsource: 'gh',
      data: { n: 0, prefix: 'in', text: 'line\nbreak inside a string' },
    });
  });

  it('keeps only the event types asked for', async () => {
    const created = (await post({ source: 'gh', from, to, mode: 'export', types: ['github.issues.*'] })).body;
    const done = await finished(created.id);
    expect(done.counts).toMatchObject({ read: 12, matched: 6, emitted: 6 });
    const lines = await exported(created.id);
    expect(lines.map((l) => l.id).sort()).toEqual(inside.filter((e) => e.type === 'github.issues.opened').map((e) => e.id).sort());
  });

  it('reprocess puts replay copies on the inbound topic with new ids linked to the originals', async () => {
    const created = (await post({ source: 'gh', from, to, mode: 'reprocess', types: ['github.push'] }, 'operator')).body;
    const done = await finished(created.id);
    expect(done.counts).toMatchObject({ read: 12, matched: 6, emitted: 6 });
    const all = await readTopic(hub.ctx.kafka.kafka, hub.ctx.topics.inbound('gh'), 24 + 6, `${names.clientId}-check-reprocess`);
    const copies = all.filter((m) => m.ce.extensions?.replayid === created.id);
    expect(copies).toHaveLength(6);
    const originals = new Map(inside.map((e) => [e.id, e]));
    for (const c of copies) {
      const original = originals.get(c.ce.extensions?.replayof ?? '');
      expect(original?.type).toBe('github.push');
      expect(c.ce.id).not.toBe(original?.id);
      expect(c.ce.data.toString()).toBe(original?.body);
      expect(c.key).toBe(original?.id);
      expect(c.ce.extensions?.hookhubsource).toBe('gh');
    }
    // A replay of the same window skips the copies it finds there (they are not new events).
    const again = await finished(((await post({ source: 'gh', from: new Date(windowStart).toISOString(), to: new Date(Date.now() + 60_000).toISOString(), mode: 'export' })).body).id);
    expect(again.counts).toMatchObject({ read: 17, emitted: 17, skipped: 6 });
  });

  it('redeliver hands the events to the replay-deliveries topic for one subscription', async () => {
    const created = (await post({ source: 'gh', from, to, mode: 'redeliver', subscriptionId: 'sub-7' }, 'operator')).body;
    const done = await finished(created.id);
    expect(done.counts).toMatchObject({ read: 12, emitted: 12 });
    const msgs = await readTopic(hub.ctx.kafka.kafka, `${names.topicPrefix}.replay.deliveries`, 12, `${names.clientId}-check-redeliver`);
    expect(msgs).toHaveLength(12);
    expect(new Set(msgs.map((m) => m.ce.extensions?.replayof))).toEqual(new Set(inside.map((e) => e.id)));
    for (const m of msgs) {
      expect(m.ce.extensions).toMatchObject({ subscription: 'sub-7', replayid: created.id });
      expect(m.ce.data.toString()).toBe(inside.find((e) => e.id === m.ce.extensions?.replayof)?.body);
    }
  });

  it('reads a topic that no longer exists from the archive and says so', async () => {
    const gone = `${names.topicPrefix}.in.gone`;
    const archived = eventsAt('arch', windowStart - 60_000, 20); // 8 inside the window... computed below
    await insertArchived(hub.ctx.mongo, gone, 'gone', archived.map((event, i) => ({ event, partition: i % 2, offset: Math.floor(i / 2) })));
    const expected = archived.filter((e) => e.timestampMs >= windowStart && e.timestampMs < windowStart + 600_000);
    const created = (await post({ source: 'gone', from, to, mode: 'export' })).body;
    const done = await finished(created.id);
    expect(done.counts).toMatchObject({ read: expected.length, emitted: expected.length });
    expect(done.usedSources).toEqual({ kafka: 0, archive: expected.length });
    expect((await exported(created.id)).map((l) => l.id).sort()).toEqual(expected.map((e) => e.id).sort());
  });

  it('reads what retention removed from the archive and the rest from Kafka, without overlap', async () => {
    const topic = `${names.topicPrefix}.in.trimmed`;
    await hub.ctx.kafka.ensureTopics([topic], { numPartitions: 1 });
    const evs = eventsAt('trim', windowStart + 1000, 10);
    await produceInbound(hub.ctx.kafka, topic, 'trimmed', evs);
    // Simulate retention: offsets 0..3 leave the log; the archiver had stored them (and all the others).
    const admin = await hub.ctx.kafka.admin();
    await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '4' }] });
    await insertArchived(hub.ctx.mongo, topic, 'trimmed', evs.map((event, offset) => ({ event, partition: 0, offset })));
    const created = (await post({ source: 'trimmed', from, to, mode: 'export' })).body;
    const done = await finished(created.id);
    expect(done.counts).toMatchObject({ read: 10, emitted: 10 });
    expect(done.usedSources).toEqual({ kafka: 6, archive: 4 });
    const ids = (await exported(created.id)).map((l) => l.id);
    expect(ids).toHaveLength(10);
    expect(new Set(ids)).toEqual(new Set(evs.map((e) => e.id)));
  });

  it('cancels a running job within a second or two', async () => {
    const created = (await post({ source: 'gh', from, to, mode: 'redeliver', subscriptionId: 'slow', ratePerSecond: 2 }, 'operator')).body;
    await waitFor('the job running', async () => (await job(created.id)).status === 'running');
    const res = await call('DELETE', `/replays/${created.id}`, { key: operatorKey });
    expect(res.status).toBe(202);
    const t0 = Date.now();
    const done = await finished(created.id, 'cancelled');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(done.counts.emitted).toBeLessThan(12);
    // Cancelling a finished job is a conflict.
    const again = await call('DELETE', `/replays/${created.id}`, { key });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'replay_finished' });
  });

  it('rejects invalid requests with field errors', async () => {
    const res = await post({ source: 'gh', from, to, mode: 'redeliver' }, 'operator');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation_failed', errors: expect.arrayContaining([{ path: '/body/subscriptionId', message: expect.any(String) }]) });
    const backwards = await post({ source: 'gh', from: to, to: from, mode: 'export' });
    expect(backwards.status).toBe(400);
    expect(backwards.body).toMatchObject({ errors: [{ path: '/to', message: 'must not be before from' }] });
    expect((await call('GET', '/replays/nope', { key })).status).toBe(400);
    expect((await call('GET', '/replays/00000000-0000-4000-8000-000000000000', { key })).status).toBe(404);
    expect((await call('GET', '/replays?status=lost', { key })).status).toBe(400);
  });

  it('answers only callers with a key and a replay role, conforming to the OpenAPI document', async () => {
    // Nothing under /api/v1 answers without a key any more; admins, operators and analysts may use replays.
    expect((await call('GET', '/replays')).status).toBe(401);
    expect((await call('POST', '/replays', { body: { source: 'gh', from, to, mode: 'export' } })).status).toBe(401);
    const listed = await call<{ items: Job[] }>('GET', '/replays?status=succeeded&limit=2', { key: operatorKey });
    expect(listed.status).toBe(200);
    expect(listed.body.items.length).toBe(2);
    expect(listed.body.items.every((j) => j.status === 'succeeded')).toBe(true);
    expect(conformance.failures).toEqual([]);
    expect(conformance.uncovered('replays')).toEqual([]);
  });
});
