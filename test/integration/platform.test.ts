import { Schema } from 'mongoose';
import type { Hub } from '../../src/app/hub';
import { startTestHub, uniqueNames } from '../support/hub';
import { waitFor } from '../support/wait';

// Scenario: a hub with no roles still serves health, readiness and metrics, produces to the real Kafka with
// acks=all, and reads back what it wrote to the real FerretDB through mongoose.
describe('platform on the real stack', () => {
  const names = uniqueNames('platform');
  let hub: Hub;

  beforeAll(async () => {
    hub = await startTestHub('platform', { roles: [], names });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('answers /healthz, and /readyz with both dependencies named', async () => {
    expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${hub.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { kafka: 'ok', mongodb: 'ok' } });
  });

  it('serves Prometheus metrics', async () => {
    const res = await fetch(`${hub.url}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('hookhub_process_cpu_user_seconds_total');
  });

  it('answers unknown paths with problem+json and a request id', async () => {
    const res = await fetch(`${hub.url}/nope`, { headers: { 'x-request-id': 'req-123' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.headers.get('x-request-id')).toBe('req-123');
    expect(await res.json()).toMatchObject({ status: 404, code: 'not_found', type: 'https://hookhub.dev/problems/not_found' });
  });

  it('produces with acks=all and a consumer reads the same bytes back', async () => {
    const topic = `${names.topicPrefix}.probe`;
    await hub.ctx.kafka.ensureTopics([topic]);
    const producer = await hub.ctx.kafka.producer();
    const value = Buffer.from('{"hello":"kafka","n":1}');
    const [meta] = await producer.send({ topic, acks: -1, messages: [{ key: 'k1', value, headers: { ce_id: 'abc' } }] });
    expect(meta?.errorCode).toBe(0);

    const consumer = hub.ctx.kafka.kafka.consumer({ groupId: `${names.clientId}-probe` });
    const seen: { value: Buffer | null; ceId: string | undefined }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push({ value: message.value, ceId: message.headers?.ce_id?.toString() }) });
    await waitFor('the message', () => seen.length > 0);
    await consumer.disconnect();
    expect(seen[0]?.value?.equals(value)).toBe(true);
    expect(seen[0]?.ceId).toBe('abc');
  });

  it('writes and reads documents in FerretDB through mongoose', async () => {
    const Probe = hub.ctx.mongo.model('Probe', new Schema({ name: { type: String, unique: true }, n: Number }), 'probes');
    await Probe.init();
    await Probe.create({ name: 'first', n: 1 });
    const found = await Probe.findOne({ name: 'first' }).lean();
    expect(found).toMatchObject({ name: 'first', n: 1 });
    await expect(Probe.create({ name: 'first', n: 2 })).rejects.toMatchObject({ code: 11000 });
  });
});
