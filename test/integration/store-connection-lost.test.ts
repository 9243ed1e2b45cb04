import mongoose from 'mongoose';
import type { Hub } from '../../src/app/hub';
import { emptyHubConfig } from '../../src/app/hub';
import type { HubConfig } from '../../src/config/types';
import { CuttingProxy } from '../support/cutting-proxy';
import { stackEnv, startTestHub, uniqueNames } from '../support/hub';
import { waitFor } from '../support/wait';
import { partnerRequest, post, taskPayload, testSources } from '../support/webhooks';

const { MongoClient } = mongoose.mongo;

// Scenario: the store connection is lost in the middle of a bulk insert, as when FerretDB is killed (the soak's
// `kill -9 FerretDB` lost 8 archived events this way). A proxy in front of the real store cuts the connection
// that carries the archiver's next insert into `events` and the agents stage's next insert into `executions`, so
// neither reaches the store. The MongoDB driver reports that as a bulk-write error with no write errors, which
// once read as "nothing refused, all stored": the batch was committed and its events were never archived. Now
// every webhook of the batch is archived and gets its one succeeded execution all the same.
describe('a store connection lost mid-insert loses nothing', () => {
  const names = uniqueNames('storecut');
  let proxy: CuttingProxy;
  let hub: Hub;
  let store: InstanceType<typeof MongoClient>;

  beforeAll(async () => {
    const real = new URL(stackEnv().mongodbUri);
    proxy = new CuttingProxy({ host: real.hostname, port: Number(real.port) });
    await proxy.start();
    const config: HubConfig = {
      ...emptyHubConfig(),
      sources: testSources(),
      agents: [{ name: 'echo', runner: { kind: 'builtin', name: 'echo' } }],
    };
    hub = await startTestHub('storecut', {
      roles: ['ingest', 'archiver', 'agents'],
      names,
      config,
      env: { mongodbUri: `mongodb://127.0.0.1:${proxy.port}/`, archiverRefreshMs: 500, agentsRefreshMs: 500 },
    });
    store = await MongoClient.connect(stackEnv().mongodbUri);
  });
  afterAll(async () => {
    await hub?.stop();
    await store?.close();
    await proxy?.stop();
  });

  it('archives every accepted webhook and runs each once although the first inserts never arrived', async () => {
    proxy.cutNextInserts('events');
    proxy.cutNextInserts('executions');
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      // Sent like a real sender: a 503 (the hub still connecting to Kafka on a busy machine) is retried.
      const req = partnerRequest(taskPayload('echo'));
      const res = await waitFor('a 202', async () => {
        const r = await post(`${hub.url}/webhooks/partner`, req);
        return r.status === 503 ? undefined : r;
      }, 30000, 500);
      expect(res.status).toBe(202);
      ids.push(res.json.id as string);
    }
    const db = store.db(names.dbName);
    const archived = await waitFor(
      'every event archived',
      async () => {
        const found = await db.collection('events').countDocuments({ _id: { $in: ids } } as Record<string, unknown>);
        return found === ids.length ? found : undefined;
      },
      90000,
      250,
    );
    expect(archived).toBe(ids.length);
    const succeeded = await waitFor(
      'one succeeded execution per event',
      async () => {
        const rows = await db.collection('executions').find({ eventId: { $in: ids }, status: 'succeeded' }).project({ eventId: 1 }).toArray();
        return rows.length >= ids.length ? rows : undefined;
      },
      90000,
      250,
    );
    expect(new Set(succeeded.map((r) => r.eventId as string))).toEqual(new Set(ids));
    expect(succeeded).toHaveLength(ids.length);
    // The faults did happen: one insert of each kind was cut before the store saw it.
    expect(Object.fromEntries(proxy.cut)).toEqual({ events: 1, executions: 1 });
  }, 200000);
});
