import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Hub } from '../../src/app/hub';
import { operationsOf, produceResult } from '../support/delivery';
import { startTestHub } from '../support/hub';
import { waitFor } from '../support/wait';

interface SvixCall {
  method: string;
  path: string;
  auth: string | undefined;
  idempotencyKey: string | undefined;
  body: Record<string, unknown> | undefined;
}

/**
 * A local HTTP server implementing the part of Svix's published API the backend calls: POST /api/v1/app
 * (get_if_exists), GET/POST/PUT /api/v1/app/{app}/endpoint[/{id}], POST /api/v1/app/{app}/msg.
 */
async function fakeSvix(): Promise<{ url: string; calls: SvixCall[]; close: () => Promise<void> }> {
  const calls: SvixCall[] = [];
  const endpoints = new Map<string, Record<string, unknown>>();
  const now = new Date().toISOString();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>) : undefined;
      calls.push({ method: req.method ?? '', path: url.pathname, auth: req.headers.authorization, idempotencyKey: req.headers['idempotency-key'] as string | undefined, body });
      const json = (status: number, value: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      };
      const m = /^\/api\/v1\/app(?:\/([^/]+)(?:\/(endpoint|msg)(?:\/([^/]+))?)?)?$/.exec(url.pathname);
      if (!m) return json(404, { code: 'not_found', detail: 'no route' });
      const [, app, kind, id] = m;
      if (!app && req.method === 'POST') return json(201, { id: 'app_1', name: body?.name, uid: body?.uid, createdAt: now, updatedAt: now, metadata: {} });
      if (kind === 'endpoint') {
        const endpointOut = (e: Record<string, unknown>): Record<string, unknown> => ({ id: `ep_${String(e.uid)}`, description: '', version: 1, createdAt: now, updatedAt: now, metadata: {}, ...e });
        if (req.method === 'GET' && id) return endpoints.has(id) ? json(200, endpointOut(endpoints.get(id) as Record<string, unknown>)) : json(404, { code: 'not_found', detail: 'no endpoint' });
        if (req.method === 'POST' && body) {
          endpoints.set(String(body.uid), body);
          return json(201, endpointOut(body));
        }
        if (req.method === 'PUT' && id && body) return json(200, endpointOut({ ...endpoints.get(id), ...body }));
      }
      if (kind === 'msg' && req.method === 'POST') return json(202, { id: `msg_${String(body?.eventId)}`, eventType: body?.eventType, payload: body?.payload, channels: body?.channels, eventId: body?.eventId, timestamp: now });
      return json(405, { code: 'method_not_allowed', detail: 'no' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, close: () => new Promise<void>((r) => server.close(() => r())) };
}

// Scenario: with SVIX_TOKEN and SVIX_SERVER_URL set, delivery does not POST to subscribers itself: it mirrors the
// subscription as a Svix endpoint (uid = channel = subscription id, same secret) in one application per hub and
// creates one Svix message per matched event with the event id as eventId; the delivery is recorded `forwarded`.
describe('delivery: Svix server backend', () => {
  let hub: Hub;
  let svix: Awaited<ReturnType<typeof fakeSvix>>;

  beforeAll(async () => {
    svix = await fakeSvix();
    hub = await startTestHub('svixbackend', { roles: ['delivery'], env: { svixToken: 'testsk_abc', svixServerUrl: svix.url, deliveryRefreshMs: 200 } });
  });
  afterAll(async () => {
    await hub?.stop();
    await svix?.close();
  });

  it('mirrors the subscription and hands the event to Svix', async () => {
    const ops = operationsOf(hub);
    const { subscription, secret } = await ops.createSubscription({ id: 'svixsub', url: 'https://example.com/hook', eventTypes: ['hookhub.execution.*'], headers: { 'X-Team': 'qa' } });
    await new Promise((r) => setTimeout(r, 400));
    const ev = await produceResult(hub, { agent: 'svix' });
    const msg = await waitFor('the Svix message', () => svix.calls.find((c) => c.method === 'POST' && c.path === '/api/v1/app/app_1/msg'));
    expect(msg.auth).toBe('Bearer testsk_abc');
    expect(msg.body).toMatchObject({ eventType: 'hookhub.execution.succeeded', eventId: ev.id, channels: ['svixsub'], payload: JSON.parse(ev.value.toString()) });
    expect(msg.idempotencyKey).toContain(ev.id);
    const created = svix.calls.find((c) => c.method === 'POST' && c.path === '/api/v1/app/app_1/endpoint');
    expect(created?.body).toMatchObject({ uid: 'svixsub', url: 'https://example.com/hook', channels: ['svixsub'], secret, headers: { 'X-Team': 'qa' } });
    expect(svix.calls[0]).toMatchObject({ method: 'POST', path: '/api/v1/app' });
    const d = await waitFor('the forwarded delivery', async () => (await ops.listDeliveries({ subscriptionId: subscription.id, status: 'forwarded' }))[0]);
    expect(d.svixMessageId).toBe(`msg_${ev.id}`);
  });
});
