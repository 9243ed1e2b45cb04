import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Webhook } from 'svix';
import type { Hub } from '../../src/app/hub';
import type { HubConfig } from '../../src/config/types';
import { json, startServer } from '../support/agents';
import { keyFor } from '../support/api';
import { startTestHub } from '../support/hub';
import { Capture, capturingLogger } from '../support/logs';
import { waitFor } from '../support/wait';
import { partnerRequest, post, SECRETS, type SignedRequest } from '../support/webhooks';

const TOOLS_SECRET = 'tools-hmac-secret';
const AGENT_SECRET = 'whsec_' + Buffer.from('security-async-agent-secret-0123').toString('base64');

const toolsRequest = (payload: unknown): SignedRequest => {
  const body = JSON.stringify(payload);
  return { body, headers: { 'content-type': 'application/json', 'x-signature': createHmac('sha256', TOOLS_SECRET).update(body).digest('hex') } };
};

interface ExecutionView {
  id: string;
  agent: string;
  status: string;
}

// Scenario: a hub with every role. `partner` may trigger only `echo`; `tools` lists no agents; `shell` is a
// command agent from the config file. Hostile senders ask for `shell` through both sources: the webhook is
// accepted and archived (it is authentic), the archive says why nothing ran, no execution exists and the
// command never ran. Unsigned sources need the admin role and `allowUnsigned`, and the hub warns about them at
// boot. An async agent's captured callback cannot complete another execution.
describe('security: who may make an agent run', () => {
  let hub: Hub;
  let analyst: string;
  let operator: string;
  let admin: string;
  let agentSvc: Awaited<ReturnType<typeof startServer>>;
  const capture = new Capture();
  const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hh-sec-')), 'shell-ran');

  const api = async <T>(method: string, url: string, key: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${hub.url}/api/v1${url}`, { method, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
  };
  const executionsOf = async (eventId: string): Promise<ExecutionView[]> => (await api<{ items: ExecutionView[] }>('GET', `/executions?eventId=${eventId}`, analyst)).body.items;
  const finishedExecution = (eventId: string): Promise<ExecutionView> =>
    waitFor(`the execution of ${eventId}`, async () => (await executionsOf(eventId)).find((e) => e.status === 'succeeded'), 30000);
  const archived = <T>(eventId: string): Promise<T> =>
    waitFor(`event ${eventId} archived`, async () => {
      const r = await api<T>('GET', `/events/${eventId}`, analyst);
      return r.status === 200 ? r.body : undefined;
    }, 30000);

  beforeAll(async () => {
    agentSvc = await startServer((_req, res) => json(res, 202, { accepted: true }));
    const config: HubConfig = {
      sources: [
        { id: 'partner', verification: { scheme: 'standard-webhooks', secrets: [SECRETS.partner] }, eventType: { pointer: '/type' }, idempotencyKey: { header: 'webhook-id' }, agents: ['echo'] },
        { id: 'tools', verification: { scheme: 'hmac-sha256', secrets: [TOOLS_SECRET] }, eventType: { pointer: '/type' } },
        { id: 'open', verification: { scheme: 'none', allowUnsigned: true }, eventType: { fixed: 'open.ping' } },
      ],
      agents: [
        { name: 'echo', runner: { kind: 'builtin', name: 'echo' } },
        { name: 'shell', runner: { kind: 'command', command: process.execPath, args: ['-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran'); process.stdout.write('{}')`] } },
        { name: 'async-svc', runner: { kind: 'http', url: `${agentSvc.url}/run`, secret: AGENT_SECRET }, timeoutMs: 30000 },
      ],
      routes: [{ id: 'tools-marker', source: 'tools', eventType: 'tools.marker', agent: 'echo' }],
      subscriptions: [],
    };
    hub = await startTestHub('sectasks', {
      roles: ['ingest', 'api', 'archiver', 'agents'],
      config,
      logger: capturingLogger(capture, 'warn'),
      env: { topicPartitions: 1, agentsRefreshMs: 500, archiverRefreshMs: 500, sourcesCacheMs: 200, deliveryAllowPrivate: ['127.0.0.1/32'] },
    });
    [analyst, operator, admin] = await Promise.all([keyFor(hub, 'analyst'), keyFor(hub, 'operator'), keyFor(hub, 'admin')]).then((keys) => keys.map((k) => k.secret));
  }, 120000);

  afterAll(async () => {
    await hub?.stop();
    await agentSvc?.close();
  });

  it('a task request for an agent its source does not list is archived with the reason, and nothing runs', async () => {
    const fromPartner = await post(`${hub.url}/webhooks/partner`, partnerRequest({ type: 'agent.task.requested', agent: 'shell', task: 'rm -rf /', parameters: { x: 1 } }));
    const fromTools = await post(`${hub.url}/webhooks/tools`, toolsRequest({ type: 'agent.task.requested', agent: 'shell', task: 'anything' }));
    expect([fromPartner.status, fromTools.status]).toEqual([202, 202]);
    // Later events on the same single-partition topics: once they ran, the agents stage is past the refused ones.
    const granted = await post(`${hub.url}/webhooks/partner`, partnerRequest({ type: 'agent.task.requested', agent: 'echo', task: 'say', parameters: { said: 'hi' } }));
    const routed = await post(`${hub.url}/webhooks/tools`, toolsRequest({ type: 'tools.marker', n: 1 }));
    expect([granted.status, routed.status]).toEqual([202, 202]);
    await finishedExecution(String(granted.json.id));
    await finishedExecution(String(routed.json.id));

    for (const [res, source] of [[fromPartner, 'partner'], [fromTools, 'tools']] as const) {
      const id = String(res.json.id);
      expect(await executionsOf(id)).toEqual([]);
      const event = await archived<{ type: string; refusal?: { code: string; detail: string } }>(id);
      expect(event.type).toBe('agent.task.requested');
      expect(event.refusal).toEqual({ code: 'task_not_allowed', detail: expect.stringContaining(`source ${source} may`) });
      expect(event.refusal?.detail).toContain('agent shell did not run');
    }
    expect(fs.existsSync(marker)).toBe(false);
    const grantedEvent = await archived<{ refusal?: unknown }>(String(granted.json.id));
    expect(grantedEvent.refusal).toBeUndefined();
  });

  it('unsigned sources: only an admin may make one, only with allowUnsigned, and the hub warns at boot', async () => {
    expect(capture.lines.some((l) => l.level === 'warn' && String(l.message).includes('SOURCE open ACCEPTS UNSIGNED WEBHOOKS'))).toBe(true);
    const unsigned = { id: 'walk-in', verification: { scheme: 'none', allowUnsigned: true }, eventType: { fixed: 'walk.in' } };
    const byOperator = await api<{ code: string }>('POST', '/sources', operator, unsigned);
    expect([byOperator.status, byOperator.body.code]).toEqual([403, 'forbidden']);
    const implicit = await api<{ code: string; errors: { path: string }[] }>('POST', '/sources', admin, { ...unsigned, verification: { scheme: 'none' } });
    expect([implicit.status, implicit.body.errors.map((e) => e.path)]).toEqual([400, ['/body/verification/allowUnsigned']]);
    expect((await api('GET', '/sources/walk-in', analyst)).status).toBe(404);

    // An operator may not open a signed source either, nor re-enable an unsigned one.
    const flip = await api<{ code: string }>('PATCH', '/sources/tools', operator, { verification: { scheme: 'none', allowUnsigned: true } });
    expect([flip.status, flip.body.code]).toEqual([403, 'forbidden']);
    expect((await post(`${hub.url}/webhooks/tools`, { body: '{"type":"tools.x"}', headers: { 'content-type': 'application/json' } })).status).toBe(401);
    expect((await api('POST', '/sources/open/disable', operator)).status).toBe(200);
    expect((await api<{ code: string }>('POST', '/sources/open/enable', operator)).status).toBe(403);
    expect((await api('POST', '/sources/open/enable', admin)).status).toBe(200);

    expect((await api('POST', '/sources', admin, unsigned)).status).toBe(201);
    await waitFor('the unsigned source takes webhooks', async () => (await post(`${hub.url}/webhooks/walk-in`, { body: '{}', headers: { 'content-type': 'application/json' } })).status === 202, 10000);

    // A source stored before allowUnsigned existed (written straight to the database) stays closed.
    await hub.ctx.mongo.collection('sources').insertOne({ id: 'legacy', verification: { scheme: 'none' }, eventType: { fixed: 'legacy.x' }, origin: 'api', createdAt: new Date(), updatedAt: new Date(), version: 1 });
    const legacy = await waitFor('the legacy source is read', async () => {
      const r = await post(`${hub.url}/webhooks/legacy`, { body: '{}', headers: { 'content-type': 'application/json' } });
      return r.status !== 404 ? r : undefined;
    }, 10000);
    expect([legacy.status, legacy.json.code]).toEqual([401, 'signature_invalid']);
  });

  it('an async agent callback signed for one execution cannot complete another', async () => {
    const run = async (): Promise<string> => {
      const ran = await api<{ executionId: string }>('POST', '/agents/async-svc/executions', operator, { task: 'work', parameters: {} });
      expect(ran.status).toBe(202);
      await waitFor(`execution ${ran.body.executionId} running`, async () => (await api<ExecutionView>('GET', `/executions/${ran.body.executionId}`, analyst)).body.status === 'running', 30000);
      return ran.body.executionId;
    };
    const callback = (id: string, output: unknown): { headers: Record<string, string>; body: string } => {
      const body = JSON.stringify({ status: 'succeeded', output });
      const at = new Date();
      return { body, headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(AGENT_SECRET).sign(id, at, body) } };
    };
    const send = (id: string, cb: { headers: Record<string, string>; body: string }): Promise<Response> => fetch(`${hub.url}/api/v1/executions/${id}/result`, { method: 'POST', ...cb });

    // A finishes with its own callback, which an eavesdropper captures.
    const a = await run();
    const captured = callback(a, { from: 'A' });
    expect((await send(a, captured)).status).toBe(202);
    await waitFor('A succeeded', async () => (await api<ExecutionView>('GET', `/executions/${a}`, analyst)).body.status === 'succeeded', 30000);

    // B of the same agent (same secret) runs next; A's captured callback replayed to B is refused.
    const b = await run();
    const replayed = await send(b, captured);
    expect(replayed.status).toBe(401);
    expect(((await replayed.json()) as { code: string }).code).toBe('callback_mismatch');
    expect((await api<ExecutionView>('GET', `/executions/${b}`, analyst)).body.status).toBe('running');

    expect((await send(b, callback(b, { from: 'B' }))).status).toBe(202);
    const done = await waitFor('B succeeded', async () => {
      const r = await api<ExecutionView & { output?: unknown }>('GET', `/executions/${b}`, analyst);
      return r.body.status === 'succeeded' ? r.body : undefined;
    }, 30000);
    expect(done.output).toEqual({ from: 'B' });
  });
});
