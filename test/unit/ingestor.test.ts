import { createHmac } from 'node:crypto';
import { Webhook } from 'svix';
import type { SourceConfig } from '../../src/config/types';
import { Ingestor, type ClaimOutcome, type IdempotencyStore, type Placement, type Publisher } from '../../src/ingest/domain/ingest';
import { RateLimiter } from '../../src/platform/rate-limiter';
import { AppError } from '../../src/platform/errors';

const SECRET = 'whsec_dGVzdC1wYXJ0bmVyLXNlY3JldC1mb3ItaG9va2h1Yg==';

/** Idempotency keys in a map: claim, accept, release and follow as the MongoDB store answers them. */
class MemoryIdempotencyStore implements IdempotencyStore {
  readonly entries = new Map<string, { eventId: string; token: string; type: string; placement?: Placement }>();
  async claim(source: string, key: string, eventId: string, type: string): Promise<ClaimOutcome> {
    const k = `${source}\n${key}`;
    const e = this.entries.get(k);
    if (e?.placement) return { kind: 'accepted', eventId: e.eventId, type: e.type, placement: e.placement };
    if (e) return { kind: 'pending', eventId: e.eventId };
    const token = `tok-${this.entries.size}`;
    this.entries.set(k, { eventId, token, type });
    return { kind: 'claimed', eventId, token };
  }
  follow(source: string, key: string, type: string): Promise<ClaimOutcome> {
    return this.claim(source, key, 'unused', type);
  }
  async accept(source: string, key: string, token: string, eventId: string, type: string, placement: Placement): Promise<boolean> {
    const e = this.entries.get(`${source}\n${key}`);
    if (!e || e.token !== token) return false;
    Object.assign(e, { eventId, type, placement });
    return true;
  }
  async release(source: string, key: string, token: string): Promise<void> {
    if (this.entries.get(`${source}\n${key}`)?.token === token) this.entries.delete(`${source}\n${key}`);
  }
}

class MemoryLog implements Publisher {
  readonly events: { topic: string; key: string; value: Buffer }[] = [];
  failNext = false;
  /** While set, publishing waits for it (a slow broker ack). */
  gate?: Promise<void>;
  async publish(e: { topic: string; key: string; value: Buffer }): Promise<Placement> {
    await this.gate;
    if (this.failNext) {
      this.failNext = false;
      throw new AppError('kafka_unavailable', 'no ack');
    }
    this.events.push(e);
    return { topic: e.topic, partition: 0, offset: String(this.events.length - 1) };
  }
}

const partner: SourceConfig = { id: 'partner', verification: { scheme: 'standard-webhooks', secrets: [SECRET] }, eventType: { pointer: '/type' }, idempotencyKey: { header: 'webhook-id' } };

function signed(body: unknown, id = `msg_${Math.random().toString(36).slice(2)}`): { raw: Buffer; headers: Record<string, string> } {
  const raw = JSON.stringify(body);
  const at = new Date();
  return { raw: Buffer.from(raw), headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(SECRET).sign(id, at, raw) } };
}

function setup(sources: SourceConfig[] = [partner], failedAuth = { perSecond: 10, burst: 10 }) {
  const keys = new MemoryIdempotencyStore();
  const log = new MemoryLog();
  let sourcesDown = false;
  const ingestor = new Ingestor({
    sources: {
      fresh: async (id) => {
        if (sourcesDown) throw new Error('store down');
        return sources.find((s) => s.id === id);
      },
    },
    idempotency: keys,
    publisher: log,
    schemas: { validate: () => [] },
    limiter: new RateLimiter(),
    failedAuthLimiter: new RateLimiter(),
    options: { defaultBodyLimit: 1024, failedAuth, ackTimeoutMs: 1000, claimStaleMs: 5000, topicOf: (s) => `t.in.${s.id}` },
  });
  const send = async (sourceId: string, req: { raw: Buffer; headers: Record<string, string> }, clientIp?: string) => {
    const request = clientIp !== undefined ? { clientIp } : {};
    const { source } = await ingestor.open(sourceId, req.headers, request);
    return ingestor.accept(source, req.raw, req.headers, request);
  };
  const storesDown = (): void => {
    sourcesDown = true;
  };
  return { ingestor, keys, log, send, storesDown };
}

// Scenario: the inbound use case against in-memory ports (sources, idempotency keys, event log), no HTTP,
// Kafka or MongoDB: a signed webhook is published once and answered 202 with its placement; the same
// idempotency key answers 200 with the first event; a failed publish releases the key so a retry is a new
// attempt; an unknown source, a bad signature and an oversized body are refused before anything is published; a
// repeat arriving while the first is unacked waits for it; a body-signed webhook resent under a new delivery id is
// caught by its body; failing addresses and busy sources are limited; non-JSON and unreachable stores are refused.
describe('Ingestor', () => {
  it('publishes a signed webhook once and answers a repeat of its key with the first event', async () => {
    const { send, log, ingestor } = setup();
    const req = signed({ type: 'order.created', n: 1 });
    const first = await send('partner', req);
    expect(first).toMatchObject({ status: 202, body: { source: 'partner', type: 'order.created', topic: 't.in.partner', partition: 0, offset: '0' } });
    await ingestor.drain();
    const again = await send('partner', req);
    expect(again).toMatchObject({ status: 200, body: { id: first.body.id, duplicate: true, offset: '0' } });
    expect(log.events).toHaveLength(1);
  });

  it('releases the key when the publish fails, so the sender’s retry is published', async () => {
    const { send, log, keys } = setup();
    const req = signed({ type: 'order.created', n: 2 });
    log.failNext = true;
    await expect(send('partner', req)).rejects.toMatchObject({ code: 'kafka_unavailable' });
    expect(keys.entries.size).toBe(0);
    expect((await send('partner', req)).status).toBe(202);
    expect(log.events).toHaveLength(1);
  });

  it('refuses an unknown source, a wrong signature and an oversized body without publishing', async () => {
    const { send, log, ingestor } = setup();
    await expect(send('ghost', signed({ type: 'x' }))).rejects.toMatchObject({ code: 'source_unknown' });
    const forged = signed({ type: 'order.created' });
    forged.raw = Buffer.from(JSON.stringify({ type: 'order.created', forged: true }));
    await expect(send('partner', forged)).rejects.toMatchObject({ code: 'signature_invalid' });
    await expect(ingestor.open('partner', { 'content-type': 'application/json', 'content-length': '4096' })).rejects.toMatchObject({ code: 'payload_too_large' });
    expect(log.events).toHaveLength(0);
  });

  it('answers a repeat sent while the first is still being published with the first event, once it is acked', async () => {
    const { send, log } = setup();
    let ack = (): void => undefined;
    log.gate = new Promise<void>((resolve) => (ack = resolve));
    const req = signed({ type: 'order.created', n: 3 });
    const first = send('partner', req);
    const second = send('partner', req);
    await new Promise((resolve) => setImmediate(resolve));
    ack();
    const [a, b] = await Promise.all([first, second]);
    expect(a.status).toBe(202);
    expect(b).toMatchObject({ status: 200, body: { id: a.body.id, duplicate: true } });
    expect(log.events).toHaveLength(1);
  });

  it('catches a body-signed webhook resent under a new delivery id by its body', async () => {
    const github: SourceConfig = { id: 'gh', verification: { scheme: 'github', secrets: ['gh-secret'] }, eventType: { header: 'x-github-event' }, idempotencyKey: { header: 'x-github-delivery' } };
    const { send, log, ingestor } = setup([github]);
    const raw = Buffer.from(JSON.stringify({ action: 'opened' }));
    const headers = (delivery: string) => ({ 'content-type': 'application/json', 'x-github-event': 'issues', 'x-github-delivery': delivery, 'x-hub-signature-256': `sha256=${createHmac('sha256', 'gh-secret').update(raw).digest('hex')}` });
    const first = await send('gh', { raw, headers: headers('d-1') });
    await ingestor.drain();
    expect(await send('gh', { raw, headers: headers('d-2') })).toMatchObject({ status: 200, body: { id: first.body.id, duplicate: true } });
    expect(log.events).toHaveLength(1);
  });

  it('holds off an address whose requests keep failing verification, and keeps a source to its rate', async () => {
    const limited: SourceConfig = { ...partner, rateLimit: { perSecond: 1, burst: 1 } };
    const { send } = setup([limited], { perSecond: 0.01, burst: 2 });
    const forged = signed({ type: 'order.created' });
    forged.raw = Buffer.from('{"type":"order.created","forged":true}');
    await expect(send('partner', forged, '203.0.113.9')).rejects.toMatchObject({ code: 'signature_invalid' });
    await expect(send('partner', forged, '203.0.113.9')).rejects.toMatchObject({ code: 'signature_invalid' });
    await expect(send('partner', signed({ type: 'order.created' }), '203.0.113.9')).rejects.toMatchObject({ code: 'ip_rate_limited' });

    expect((await send('partner', signed({ type: 'order.created' }), '198.51.100.1')).status).toBe(202);
    await expect(send('partner', signed({ type: 'order.created' }), '198.51.100.1')).rejects.toMatchObject({ code: 'rate_limited' });
  });

  it('refuses a body that is not JSON, or compressed, before verifying it', async () => {
    const { ingestor } = setup();
    await expect(ingestor.open('partner', { 'content-type': 'text/plain' })).rejects.toMatchObject({ code: 'unsupported_media_type' });
    await expect(ingestor.open('partner', { 'content-type': 'application/json', 'content-encoding': 'gzip' })).rejects.toMatchObject({ code: 'unsupported_media_type' });
    await expect(ingestor.open('partner', { 'content-type': 'application/cloudevents+json; charset=utf-8' })).resolves.toMatchObject({ bodyLimit: 1024 });
  });

  it('answers storage_unavailable, publishing nothing, when sources or idempotency keys cannot be read', async () => {
    const { send, keys, log, storesDown } = setup();
    keys.claim = () => Promise.reject(new Error('keys down'));
    await expect(send('partner', signed({ type: 'order.created' }))).rejects.toMatchObject({ code: 'storage_unavailable' });
    storesDown();
    await expect(send('partner', signed({ type: 'order.created' }))).rejects.toMatchObject({ code: 'storage_unavailable' });
    expect(log.events).toHaveLength(0);
  });
});
