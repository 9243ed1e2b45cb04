import type { Hub } from '../../src/app/hub';
import { emptyHubConfig } from '../../src/app/hub';
import type { HubConfig } from '../../src/config/types';
import { ConfigVersions } from '../../src/platform/config-versions';
import { apiClient, keyFor, type ApiCall } from '../support/api';
import { json, startServer } from '../support/agents';
import { startTestHub } from '../support/hub';

type Server = Awaited<ReturnType<typeof startServer>>;
interface Problem {
  status: number;
  code: string;
  errors?: { path: string; message: string }[];
}
interface ExecutionView {
  id: string;
  status: string;
  error?: { code: string; message: string };
}

const SECRET = 'whsec_' + Buffer.from('outbound-guard-test-secret-32by').toString('base64');
const HUB_KEY_VALUE = 'hh_do-not-send-this-anywhere-0123456789';
const LLM_KEY_VALUE = 'sk-allowed-llm-key-42';

// Scenario: a hub whose outbound allow-list names only 127.0.0.2 (the "agent services on this host" address).
// A hostile server on 127.0.0.1 counts every request it gets. Operators try to point agents at it (as an IP
// literal, a DNS name, IPv6 spellings that embed it); agents defined in hookhub.yaml point at it too. Friendly
// servers on 127.0.0.2 answer with a redirect to a second friendly server, and with an oversized LLM reply.
describe('security: what leaves the hub goes through one guard', () => {
  let hub: Hub;
  let call: ApiCall;
  let operator: string;
  let hostile: Server;
  let friendly: Server;
  let redirectTarget: Server;
  let port: string;

  beforeAll(async () => {
    process.env.HOOKHUB_API_KEY_FOR_TEST = HUB_KEY_VALUE;
    process.env.HOOKHUB_API_KEY = HUB_KEY_VALUE;
    process.env.SECURITY_TEST_LLM_KEY = LLM_KEY_VALUE;
    hostile = await startServer((_req, res) => json(res, 200, { output: 'you reached the hostile server' }));
    port = new URL(hostile.url).port;
    redirectTarget = await startServer((_req, res) => json(res, 200, { output: 'followed the redirect' }), '127.0.0.2');
    friendly = await startServer((req, res) => {
      if (req.path === '/redirect') {
        res.writeHead(307, { location: `${redirectTarget.url}/target` });
        res.end();
        return;
      }
      if (req.path.startsWith('/huge')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ choices: [{ message: { content: 'x'.repeat(2 * 1024 * 1024) } }] }));
        return;
      }
      json(res, 200, { choices: [{ message: { content: 'fine' }, finish_reason: 'stop' }] });
    }, '127.0.0.2');
    const config: HubConfig = {
      ...emptyHubConfig(),
      // Even listed, the hub's own credentials stay unreadable.
      agentSecrets: ['SECURITY_TEST_LLM_KEY', 'HOOKHUB_API_KEY'],
      agents: [
        { name: 'config-loopback', runner: { kind: 'http', url: `http://127.0.0.1:${port}/run`, secret: SECRET } },
        { name: 'config-localhost', runner: { kind: 'http', url: `http://localhost:${port}/run`, secret: SECRET } },
        { name: 'redirector', runner: { kind: 'http', url: `${friendly.url}/redirect`, secret: SECRET } },
        { name: 'chatty-llm', runner: { kind: 'llm', baseUrl: `${friendly.url}/huge`, model: 'm', apiKeyEnv: 'SECURITY_TEST_LLM_KEY' } },
        { name: 'llm', runner: { kind: 'llm', baseUrl: `${friendly.url}/v1`, model: 'm', apiKeyEnv: 'SECURITY_TEST_LLM_KEY' } },
      ],
    };
    hub = await startTestHub('secoutbound', {
      roles: ['api', 'agents'],
      config,
      env: { agentsRefreshMs: 300, outboundAllow: ['127.0.0.2/32'], outboundMaxResponseBytes: 65536 },
    });
    call = apiClient(hub);
    operator = (await keyFor(hub, 'operator')).secret;
  });
  afterAll(async () => {
    await hub?.stop();
    await Promise.all([hostile?.close(), friendly?.close(), redirectTarget?.close()]);
    delete process.env.HOOKHUB_API_KEY_FOR_TEST;
    delete process.env.HOOKHUB_API_KEY;
  });

  const run = async (agent: string): Promise<ExecutionView> => {
    const res = await call<ExecutionView>('POST', `/agents/${agent}/executions?wait=30`, { key: operator, body: { task: 'go' } });
    expect(res.status).toBe(200);
    return res.body;
  };

  it.each([
    ['a loopback IPv4 literal', `http://127.0.0.1:PORT/run`],
    ['a private IPv4 literal', 'http://10.0.0.7:PORT/run'],
    ['a DNS name resolving to loopback', 'http://localhost:PORT/run'],
    ['the cloud metadata address', 'http://169.254.169.254/latest'],
    ['IPv4-mapped IPv6 (::ffff:0:0/96)', 'http://[::ffff:127.0.0.1]:PORT/run'],
    ['NAT64 (64:ff9b::/96)', 'http://[64:ff9b::7f00:1]:PORT/run'],
    ['local-use NAT64 (64:ff9b:1::/48)', 'http://[64:ff9b:1::a00:1]:PORT/run'],
    ['6to4 embedding 127.0.0.1 (2002::/16)', 'http://[2002:7f00:1::1]:PORT/run'],
  ])('an operator creating an http agent at %s gets 400 outbound_url_forbidden and the address gets no request', async (_what, raw) => {
    const url = raw.replace('PORT', port);
    const name = `hostile-${Math.random().toString(36).slice(2, 8)}`;
    const res = await call<Problem>('POST', '/agents', { key: operator, body: { name, runner: { kind: 'http', url, secret: SECRET } } });
    expect([res.status, res.body.code, res.body.errors?.[0]?.path]).toEqual([400, 'outbound_url_forbidden', '/body/runner/url']);
    const llm = await call<Problem>('POST', '/agents', { key: operator, body: { name, runner: { kind: 'llm', baseUrl: url, model: 'm' } } });
    expect([llm.status, llm.body.code]).toEqual([400, 'outbound_url_forbidden']);
    expect((await call<Problem>('GET', `/agents/${name}`, { key: operator })).status).toBe(404);
    const patched = await call<Problem>('PATCH', '/agents/llm', { key: operator, body: { runner: { kind: 'llm', baseUrl: url, model: 'm' } } });
    expect([patched.status, patched.body.code]).toEqual([400, 'outbound_url_forbidden']);
    expect(hostile.requests).toHaveLength(0);
  });

  it('an agent from hookhub.yaml aimed at loopback (literal or DNS name) fails with outbound_blocked and no request reaches it', async () => {
    for (const agent of ['config-loopback', 'config-localhost']) {
      const e = await run(agent);
      expect([agent, e.status, e.error?.code]).toEqual([agent, 'failed', 'outbound_blocked']);
    }
    expect(hostile.requests).toHaveLength(0);
  });

  it('a redirect from an allowed agent service is not followed', async () => {
    const e = await run('redirector');
    expect([e.status, e.error?.code]).toEqual(['failed', 'runner_http_status']);
    expect(e.error?.message).toContain('307');
    expect(friendly.requests.filter((r) => r.path === '/redirect').length).toBeGreaterThanOrEqual(1);
    expect(redirectTarget.requests).toHaveLength(0);
  });

  it('an LLM reply over HOOKHUB_OUTBOUND_MAX_RESPONSE_BYTES is cut off with runner_reply_too_large', async () => {
    const e = await run('chatty-llm');
    expect([e.status, e.error?.code]).toEqual(['failed', 'runner_reply_too_large']);
    expect(e.error?.message).toContain('over 65536 bytes');
  });

  it('an operator cannot make an llm agent read HOOKHUB_API_KEY (or other hub credentials), even when agentSecrets lists it; the value never leaves', async () => {
    for (const apiKeyEnv of ['HOOKHUB_API_KEY', 'HOOKHUB_API_KEY_FOR_TEST', 'MONGODB_URI', 'KAFKA_BROKERS', 'SVIX_TOKEN', 'UNLISTED_API_KEY']) {
      const created = await call<Problem>('POST', '/agents', { key: operator, body: { name: 'escalate', runner: { kind: 'llm', baseUrl: `${friendly.url}/v1`, model: 'm', apiKeyEnv } } });
      expect([apiKeyEnv, created.status, created.body.code]).toEqual([apiKeyEnv, 400, 'agent_secret_forbidden']);
      const patched = await call<Problem>('PATCH', '/agents/llm', { key: operator, body: { runner: { kind: 'llm', baseUrl: `${friendly.url}/v1`, model: 'm', apiKeyEnv } } });
      expect([apiKeyEnv, patched.status, patched.body.code]).toEqual([apiKeyEnv, 400, 'agent_secret_forbidden']);
    }
    // The agent still runs with the key it may read, and only that key is sent.
    const e = await run('llm');
    expect(e.status).toBe('succeeded');
    const sent = friendly.requests.filter((r) => r.path === '/v1/chat/completions');
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect(sent.every((r) => r.headers.authorization === `Bearer ${LLM_KEY_VALUE}`)).toBe(true);
    const everything = [...friendly.requests, ...hostile.requests, ...redirectTarget.requests].map((r) => JSON.stringify(r)).join('\n');
    expect(everything).not.toContain(HUB_KEY_VALUE);
  });

  it('an llm agent already stored with apiKeyEnv HOOKHUB_API_KEY (written before this rule) fails with agent_secret_forbidden and sends nothing', async () => {
    const now = new Date();
    await hub.ctx.mongo.collection('agents').insertOne({
      _id: 'legacy-escalate' as never,
      runnerKind: 'llm',
      runnerJson: JSON.stringify({ kind: 'llm', baseUrl: `${friendly.url}/legacy`, model: 'm', apiKeyEnv: 'HOOKHUB_API_KEY' }),
      enabled: true,
      tools: [],
      source: 'api',
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    // Written behind the API's back, as an older hub would have; announce it as a change so the agents stage
    // reads it now rather than at its periodic re-read (read-your-writes goes through the version token).
    await new ConfigVersions(hub.ctx.mongo).bump('agents');
    const e = await run('legacy-escalate');
    expect([e.status, e.error?.code]).toEqual(['failed', 'agent_secret_forbidden']);
    expect(friendly.requests.filter((r) => r.path.startsWith('/legacy'))).toHaveLength(0);
  });
});
