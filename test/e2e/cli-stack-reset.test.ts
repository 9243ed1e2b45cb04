import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { freePort } from '../support/broker';
import { hookhub, killRunningCli } from '../support/cli';
import { killProcessesMentioning } from '../support/processes';

const { MongoClient } = mongoose.mongo;

// Scenario: `hookhub stack reset` on a stack of this test's own (its own state folder and ports, so the shared
// stack that other tests use is untouched): a topic and a database made before the reset are gone after it, and
// both servers answer again. While its ports are taken by servers it did not start, it refuses and deletes nothing.
describe('hookhub stack reset', () => {
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-stack-reset-'));
  let env: Record<string, string> = {};

  beforeAll(async () => {
    env = {
      HOOKHUB_STATE_DIR: state,
      HOOKHUB_STACK_KAFKA_PORT: String(await freePort()),
      HOOKHUB_STACK_KAFKA_CONTROLLER_PORT: String(await freePort()),
      HOOKHUB_STACK_MONGO_PORT: String(await freePort()),
    };
  });
  afterAll(async () => {
    killRunningCli();
    await hookhub(['stack', 'down'], env);
    // A `stack up` or `stack reset` still running when a test timed out can start a server after that `down`.
    killProcessesMentioning(state);
    fs.rmSync(state, { recursive: true, force: true });
  });

  it('empties the stack and starts it again', async () => {
    const up = await hookhub(['stack', 'up'], env);
    expect(up.code).toBe(0);
    const brokers = [`127.0.0.1:${env.HOOKHUB_STACK_KAFKA_PORT}`];
    const uri = `mongodb://127.0.0.1:${env.HOOKHUB_STACK_MONGO_PORT}/`;
    const kafka = new Kafka({ clientId: 'reset-test', brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: 'left-behind', numPartitions: 1 }] });
    await admin.disconnect();
    const mongo = await MongoClient.connect(uri);
    await mongo.db('left_behind').collection('docs').insertOne({ n: 1 });
    await mongo.close();

    const reset = await hookhub(['stack', 'reset'], env);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain(`KAFKA_BROKERS=${brokers[0]}`);

    const admin2 = kafka.admin();
    await admin2.connect();
    const topics = await admin2.listTopics();
    await admin2.disconnect();
    expect(topics).not.toContain('left-behind');
    const mongo2 = await MongoClient.connect(uri);
    const dbs = (await mongo2.db().admin().listDatabases()).databases.map((d) => d.name);
    await mongo2.close();
    expect(dbs).not.toContain('left_behind');
  }, 180000);

  it('refuses while servers it did not start hold its ports, and deletes nothing', async () => {
    // The same ports, but another state folder: to that checkout the running servers are foreign.
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-stack-other-'));
    try {
      fs.mkdirSync(path.join(other, 'kafka', 'data'), { recursive: true });
      fs.writeFileSync(path.join(other, 'kafka', 'data', 'keep'), 'x');
      const r = await hookhub(['stack', 'reset'], { ...env, HOOKHUB_STATE_DIR: other });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/not started by this checkout/);
      expect(fs.existsSync(path.join(other, 'kafka', 'data', 'keep'))).toBe(true);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  }, 60000);
});
