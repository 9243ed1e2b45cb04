import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Hub } from '../../src/app/hub';
import { keyFor } from '../support/api';
import { startTestHub, uniqueNames } from '../support/hub';
import { eventsAt, minuteFloor, produceInbound } from '../support/events';
import { waitFor } from '../support/wait';

interface Job {
  id: string;
  status: string;
  counts: { read: number; matched: number; emitted: number; skipped: number };
  usedSources: { kafka: number; archive: number };
}

// Scenario: a slow (rate-limited) export job is running when its hub shuts down. The job goes back to the queue
// with its checkpoint; a new hub on the same database resumes it from there and finishes with exact counts, and
// the export file holds every event of the window exactly once (no line from before the restart is repeated).
describe('replay job survives a restart', () => {
  const names = uniqueNames('replayresume');
  const exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-resume-'));
  const env = { replayPollMs: 100, replayCheckpointMs: 100, replayLeaseMs: 10000, replayExportDir: exportDir };
  const windowStart = minuteFloor(Date.now() - 3600_000);
  const inside = eventsAt('r', windowStart, 80);
  let hub: Hub | undefined;
  // An analyst key, created in the shared database on the first hub: it keeps working on the hubs after it.
  let auth: { authorization: string };

  afterAll(async () => {
    await hub?.stop();
    fs.rmSync(exportDir, { recursive: true, force: true });
  });

  it('resumes from the last checkpoint on another hub without duplicates', async () => {
    hub = await startTestHub('replayresume', { roles: ['api'], names, env });
    auth = { authorization: `Bearer ${(await keyFor(hub, 'analyst')).secret}` };
    await produceInbound(hub.ctx.kafka, hub.ctx.topics.inbound('gh'), 'gh', [...eventsAt('early', windowStart - 120_000, 5), ...inside]);
    const res = await fetch(`${hub.url}/api/v1/replays`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ source: 'gh', from: new Date(windowStart).toISOString(), to: new Date(windowStart + 600_000).toISOString(), mode: 'export', ratePerSecond: 20 }),
    });
    const { id } = (await res.json()) as Job;
    const get = async (h: Hub): Promise<Job> => (await (await fetch(`${h.url}/api/v1/replays/${id}`, { headers: auth })).json()) as Job;
    const first = hub;
    await waitFor('some progress', async () => (await get(first)).counts.emitted >= 15, 20000);
    await hub.stop();
    hub = undefined;

    // A hub without the api role only to look at the stored job between the two runs.
    hub = await startTestHub('replayresume', { roles: [], names, env });
    const paused = (await hub.ctx.mongo.collection('replays').findOne({ _id: id as never })) as unknown as Job & { output: { bytes: number } };
    expect(paused.status).toBe('queued');
    expect(paused.counts.emitted).toBeGreaterThanOrEqual(15);
    expect(paused.counts.emitted).toBeLessThan(80);
    expect(fs.statSync(path.join(exportDir, `${id}.ndjson`)).size).toBe(paused.output.bytes);
    await hub.stop();

    hub = await startTestHub('replayresume', { roles: ['api'], names, env });
    const second = hub;
    const done = await waitFor('the job to finish', async () => {
      const j = await get(second);
      return j.status === 'succeeded' ? j : undefined;
    }, 30000);
    expect(done.counts).toEqual({ read: 80, matched: 80, emitted: 80, skipped: 0, executionsStarted: 0 });
    expect(done.usedSources).toEqual({ kafka: 80, archive: 0 });
    const text = await (await fetch(`${hub.url}/api/v1/replays/${id}/export`, { headers: auth })).text();
    const ids = text.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: string }).id);
    expect(ids).toHaveLength(80);
    expect(new Set(ids)).toEqual(new Set(inside.map((e) => e.id)));
  });

  it('a job whose worker vanished (lease expired) is taken over and finished', async () => {
    const h = hub as Hub;
    const res = await fetch(`${h.url}/api/v1/replays`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ source: 'gh', from: new Date(windowStart).toISOString(), to: new Date(windowStart + 600_000).toISOString(), mode: 'export', ratePerSecond: 40 }),
    });
    const { id } = (await res.json()) as Job;
    // Another (dead) worker holds it with an expired lease: ours must not run it twice, and must take it over.
    await h.ctx.mongo.collection('replays').updateOne({ _id: id as never }, { $set: { status: 'running', lease: { owner: 'dead-worker', expiresAt: new Date(Date.now() + 1500) } } });
    const done = await waitFor('the job to finish', async () => {
      const j = (await (await fetch(`${h.url}/api/v1/replays/${id}`, { headers: auth })).json()) as Job;
      return j.status === 'succeeded' ? j : undefined;
    }, 30000);
    expect(done.counts).toMatchObject({ read: 80, emitted: 80 });
    const text = await (await fetch(`${h.url}/api/v1/replays/${id}/export`, { headers: auth })).text();
    expect(text.split('\n').filter(Boolean)).toHaveLength(80);
  });
});
