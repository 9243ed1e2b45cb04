import { Webhook } from 'svix';
import type { Hub } from '../../src/app/hub';
import { emptyHubConfig } from '../../src/app/hub';
import { AgentStatusRepository } from '../../src/agents/data-access/status';
import { DocumentsRepository } from '../../src/agents/data-access/documents';
import { ExecutionsRepository } from '../../src/agents/data-access/executions';
import type { Execution } from '../../src/agents/domain/model';
import type { HubConfig } from '../../src/config/types';
import { createLogger } from '../../src/platform/logger';
import { collectTopic, json, produceInbound, startServer, type Collected } from '../support/agents';
import { startTestHub, uniqueNames } from '../support/hub';
import { waitFor } from '../support/wait';

const SECRET = 'whsec_' + Buffer.from('agents-test-secret-0123456789abcd').toString('base64');

// A command agent: reads the run from stdin, answers an envelope with one document.
const SHELL_AGENT = `let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const r=JSON.parse(s);process.stderr.write('working on '+r.executionId+'\\n');process.stdout.write(JSON.stringify({output:{upper:String(r.input.text).toUpperCase(),env:process.env.ALLOWED_VAR||null,secret:process.env.NOT_ALLOWED||null},documents:[{kind:'report',title:'Shout',body:String(r.input.text).toUpperCase(),tags:['shell'],metadata:{'a.b':1,'$x':2}}]}))})`;
// A program that ignores SIGTERM and never ends: only SIGKILL stops it.
const HANG_AGENT = `process.on('SIGTERM',()=>process.stderr.write('got SIGTERM, ignoring\\n'));setInterval(()=>{},1000);process.stderr.write('started\\n')`;

describe('agents stage: every runner kind end to end on the real stack', () => {
  const names = uniqueNames('agentsrun');
  let hub: Hub;
  let agentSvc: Awaited<ReturnType<typeof startServer>>;
  let llm: Awaited<ReturnType<typeof startServer>>;
  let results: Awaited<ReturnType<typeof collectTopic>>;
  let executions: ExecutionsRepository;
  let documents: DocumentsRepository;
  const asyncCalls: { executionId: string }[] = [];

  const resultFor = (executionId: string): Collected | undefined => results.messages.find((m) => m.headers.ce_subject === executionId);
  const finished = async (eventId: string, agent: string): Promise<Execution> =>
    waitFor(`${agent} execution of ${eventId} to finish`, async () => {
      const [e] = await executions.list({ eventId, agent });
      return e && ['succeeded', 'failed', 'timed_out'].includes(e.status) ? e : undefined;
    }, 30000);

  beforeAll(async () => {
    process.env.AGENTS_TEST_LLM_KEY = 'sk-test-123';
    process.env.ALLOWED_VAR = 'visible';
    process.env.NOT_ALLOWED = 'hidden';
    agentSvc = await startServer((req, res) => {
      const body = JSON.parse(req.body) as { executionId: string; input: Record<string, unknown> };
      if (req.path === '/sync') return json(res, 200, { output: { greeting: `hello ${String(body.input.name)}` }, documents: [{ kind: 'social', title: 'Hello post', body: 'hi!', tags: ['greeting'] }] });
      if (req.path === '/async') {
        asyncCalls.push({ executionId: body.executionId });
        return json(res, 202, { accepted: true });
      }
      if (req.path === '/strict') return json(res, 200, { ok: true });
      return json(res, 404, {});
    });
    llm = await startServer((req, res) => {
      if (req.path !== '/v1/chat/completions' || req.headers.authorization !== 'Bearer sk-test-123') return json(res, 401, { error: 'bad key' });
      const body = JSON.parse(req.body) as { model: string; messages: { role: string; content: string }[] };
      const system = body.messages.find((m) => m.role === 'system')?.content ?? '';
      return json(res, 200, {
        id: 'chatcmpl-1',
        model: body.model,
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: `# Draft\nFollowing: ${system.slice(0, 20)}` } }],
        usage: { prompt_tokens: 42, completion_tokens: 7, total_tokens: 49 },
      });
    });
    const config: HubConfig = {
      ...emptyHubConfig(),
      sources: [{ id: 'partner', verification: { scheme: 'none', allowUnsigned: true } }, { id: 'github', verification: { scheme: 'none', allowUnsigned: true } }],
      agents: [
        { name: 'echo', team: 'PLATFORM', runner: { kind: 'builtin', name: 'echo' } },
        {
          name: 'story-writer',
          team: 'USER_STORY_AGENT',
          inputSchema: 'agents/user-story-input',
          runner: { kind: 'builtin', name: 'template', document: { kind: 'user-story', title: 'As a user: {{input.title}}', body: 'Issue #{{input.number}} by {{input.author}}\n\n{{input.body}}', key: '{{input.repository}}#{{input.number}}', tags: ['github'] } },
        },
        { name: 'sync-http', team: 'MARKETING_TEAM', runner: { kind: 'http', url: `${agentSvc.url}/sync`, secret: SECRET } },
        { name: 'async-http', runner: { kind: 'http', url: `${agentSvc.url}/async`, secret: SECRET }, timeoutMs: 20000 },
        { name: 'strict-http', inputSchema: 'agents/brief-input', runner: { kind: 'http', url: `${agentSvc.url}/strict`, secret: SECRET } },
        { name: 'shell', runner: { kind: 'command', command: process.execPath, args: ['-e', SHELL_AGENT], env: ['ALLOWED_VAR'] } },
        { name: 'hang', timeoutMs: 1000, runner: { kind: 'command', command: process.execPath, args: ['-e', HANG_AGENT], killGraceMs: 500 } },
        { name: 'copywriter', team: 'MARKETING_TEAM', instructions: 'You are a copywriter. Write crisp copy.', runner: { kind: 'llm', baseUrl: `${llm.url}/v1`, model: 'gpt-test', apiKeyEnv: 'AGENTS_TEST_LLM_KEY', documentKind: 'blog' } },
      ],
      agentSecrets: ['AGENTS_TEST_LLM_KEY'],
      routes: [
        {
          id: 'issues-to-stories',
          source: 'github',
          eventType: 'github.issues',
          filter: { '/action': 'opened' },
          agent: 'story-writer',
          input: { repository: '/repository/full_name', number: '/issue/number', title: '/issue/title', body: '/issue/body', author: '{{data.issue.user.login}}' },
        },
      ],
    };
    hub = await startTestHub('agentsrun', { roles: ['agents', 'api'], names, config, env: { agentsRefreshMs: 500, agentsLeaseMs: 3000, outboundAllow: ['127.0.0.1/32'] }, ...(process.env.TEST_LOG ? { logger: createLogger(process.env.TEST_LOG) } : {}) });
    executions = new ExecutionsRepository(hub.ctx.mongo);
    documents = new DocumentsRepository(hub.ctx.mongo);
    results = await collectTopic(hub, hub.ctx.topics.results);
  });

  afterAll(async () => {
    await results?.stop();
    await hub?.stop();
    await agentSvc?.close();
    await llm?.close();
  });

  // As ingest publishes a task request of a source whose `agents` list names the agent: with the grant stamped.
  const task = (agent: string, parameters: unknown, taskText = 'do it'): Promise<string> =>
    produceInbound(hub, { source: 'partner', type: 'agent.task.requested', data: { type: 'agent.task.requested', agent, task: taskText, parameters }, extensions: { hookhubtaskagent: agent } });

  it('builtin echo: an agent.task.requested event runs the named agent, stores the execution and publishes the result', async () => {
    // Scenario: the event names `echo`; its parameters become the input, the output equals the input, and a
    // hookhub.execution.succeeded CloudEvent for that execution appears on the results topic.
    const eventId = await task('echo', { n: 1, words: ['a', 'b'] });
    const e = await finished(eventId, 'echo');
    expect(e).toMatchObject({ status: 'succeeded', attempts: 1, output: { n: 1, words: ['a', 'b'] }, team: 'PLATFORM', eventType: 'agent.task.requested' });
    expect(e.event).toMatchObject({ id: eventId, topic: hub.ctx.topics.inbound('partner'), sourceId: 'partner' });
    expect(e.traceId).toMatch(/^[0-9a-f]{32}$/);
    const r = await waitFor('the result event', () => resultFor(e.id));
    expect(r.headers).toMatchObject({ ce_type: 'hookhub.execution.succeeded', ce_source: '/agents/echo', ce_subject: e.id, ce_specversion: '1.0' });
    expect(r.value).toMatchObject({ execution: { id: e.id, agent: 'echo', status: 'succeeded', eventId, output: { n: 1, words: ['a', 'b'] } }, documents: [] });
    await waitFor('resultPublished', async () => (await executions.get(e.id))?.resultPublished);
  });

  it('builtin template: a routed github issue becomes a versioned user-story document', async () => {
    // Scenario: two "opened" events for the same issue are routed (pointer + template input mapping) to the
    // template agent; each writes a user-story document under the same logical key, so the second is version 2
    // and the first is kept. An "edited" event does not match the route's filter and runs nothing.
    const issue = { action: 'opened', repository: { full_name: 'acme/shop' }, issue: { number: 7, title: 'Checkout with PayPal', body: 'Users want PayPal.', user: { login: 'ada' } } };
    const first = await produceInbound(hub, { source: 'github', type: 'github.issues', data: issue, key: 'acme/shop' });
    const e1 = await finished(first, 'story-writer');
    const second = await produceInbound(hub, { source: 'github', type: 'github.issues', data: { ...issue, issue: { ...issue.issue, title: 'Checkout with PayPal and Klarna' } }, key: 'acme/shop' });
    const edited = await produceInbound(hub, { source: 'github', type: 'github.issues', data: { ...issue, action: 'edited' }, key: 'acme/shop' });
    const e2 = await finished(second, 'story-writer');
    expect(e1.status).toBe('succeeded');
    expect(e1.input).toEqual({ repository: 'acme/shop', number: 7, title: 'Checkout with PayPal', body: 'Users want PayPal.', author: 'ada' });
    expect(e1.documents).toEqual([expect.objectContaining({ kind: 'user-story', title: 'As a user: Checkout with PayPal', version: 1 })]);
    expect(e2.documents).toEqual([expect.objectContaining({ kind: 'user-story', title: 'As a user: Checkout with PayPal and Klarna', version: 2 })]);
    const versions = await documents.versions('story-writer', 'acme/shop#7');
    expect(versions.map((d) => d.version)).toEqual([2, 1]);
    expect(versions[1]).toMatchObject({ body: 'Issue #7 by ada\n\nUsers want PayPal.', executionId: e1.id, eventId: first, tags: ['github'], mimeType: 'text/markdown' });
    const r = await waitFor('the result event', () => resultFor(e2.id));
    expect((r.value as { documents: unknown[] }).documents).toEqual([{ id: e2.documents[0]?.id, kind: 'user-story', title: 'As a user: Checkout with PayPal and Klarna', version: 2 }]);
    // the edited event was consumed (its offset is after the second) but made no execution
    await waitFor('the edited event to be consumed', async () => (await executions.list({ eventId: second })).length > 0);
    expect(await executions.list({ eventId: edited })).toEqual([]);
  });

  it('http sync: posts a signed run to the agent service and stores its reply and documents', async () => {
    // Scenario: the agent service gets {executionId, agent, task, input, event} signed with Standard Webhooks
    // headers that verify with the agent's secret; its 2xx JSON envelope becomes the output and a document.
    const eventId = await task('sync-http', { name: 'Grace' }, 'greet');
    const e = await finished(eventId, 'sync-http');
    expect(e).toMatchObject({ status: 'succeeded', output: { greeting: 'hello Grace' } });
    const req = agentSvc.requests.find((r) => r.path === '/sync' && r.body.includes(e.id));
    expect(req).toBeDefined();
    const verified = new Webhook(SECRET).verify(req?.body ?? '', req?.headers as Record<string, string>) as Record<string, unknown>;
    expect(verified).toMatchObject({ executionId: e.id, agent: 'sync-http', task: 'greet', input: { name: 'Grace' }, event: { id: eventId, type: 'agent.task.requested' } });
    expect(req?.headers['webhook-id']).toBe(e.id);
    const [doc] = await documents.list({ executionId: e.id });
    expect(doc).toMatchObject({ kind: 'social', title: 'Hello post', body: 'hi!', agent: 'sync-http', version: 1 });
    expect(e.documents).toEqual([{ id: doc?.id, kind: 'social', title: 'Hello post', version: 1 }]);
  });

  it('http async: a 202 reply waits for the signed callback to the API, which finishes the execution', async () => {
    // Scenario: the agent answers 202, later POSTs its result to /api/v1/executions/:id/result signed with the
    // same secret. A badly signed callback is refused with 401 and changes nothing; the good one completes it.
    const eventId = await task('async-http', { topic: 'launch' });
    const call = await waitFor('the async agent call', () => asyncCalls.find((c) => agentSvc.requests.some((r) => r.body.includes(eventId) && r.body.includes(c.executionId))));
    const running = await executions.get(call.executionId);
    expect(running?.status).toBe('running');

    const payload = JSON.stringify({ status: 'succeeded', output: { summary: 'done later' }, documents: [{ kind: 'report', title: 'Async report', body: 'ok', key: 'launch-report' }] });
    const sign = (secret: string): Record<string, string> => {
      const ts = new Date();
      return { 'content-type': 'application/json', 'webhook-id': call.executionId, 'webhook-timestamp': String(Math.floor(ts.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(call.executionId, ts, payload) };
    };
    const bad = await fetch(`${hub.url}/api/v1/executions/${call.executionId}/result`, { method: 'POST', headers: sign('whsec_' + Buffer.from('another-secret-entirely-xyz').toString('base64')), body: payload });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ code: 'signature_invalid' });
    expect((await executions.get(call.executionId))?.status).toBe('running');

    const good = await fetch(`${hub.url}/api/v1/executions/${call.executionId}/result`, { method: 'POST', headers: sign(SECRET), body: payload });
    expect(good.status).toBe(202);
    const e = await finished(eventId, 'async-http');
    expect(e).toMatchObject({ status: 'succeeded', output: { summary: 'done later' }, documents: [expect.objectContaining({ kind: 'report', title: 'Async report', version: 1 })] });
    await waitFor('the result event', () => resultFor(e.id));

    const late = await fetch(`${hub.url}/api/v1/executions/${call.executionId}/result`, { method: 'POST', headers: sign(SECRET), body: payload });
    expect(late.status).toBe(409);
  });

  it('command: JSON in on stdin, JSON out on stdout, env allow-list, stderr and exit code recorded', async () => {
    // Scenario: a local program (no shell) receives the run on stdin; only ALLOWED_VAR passes through; its
    // document metadata with '.'/'$' keys is stored safely and read back intact.
    const eventId = await task('shell', { text: 'quiet words' });
    const e = await finished(eventId, 'shell');
    expect(e).toMatchObject({ status: 'succeeded', exitCode: 0, output: { upper: 'QUIET WORDS', env: 'visible', secret: null } });
    expect(e.stderr).toBe(`working on ${e.id}\n`);
    const [doc] = await documents.list({ executionId: e.id });
    expect(doc).toMatchObject({ kind: 'report', title: 'Shout', body: 'QUIET WORDS', metadata: { 'a.b': 1, $x: 2 } });
  });

  it('command timeout: a hanging program gets SIGTERM, then SIGKILL, and the execution is timed_out', async () => {
    // Scenario: the program ignores SIGTERM; after the 1 s timeout and the 0.5 s grace it is killed with
    // SIGKILL (exit code 137 recorded), the status is timed_out and a timed_out result is published.
    const eventId = await task('hang', {});
    const e = await finished(eventId, 'hang');
    expect(e).toMatchObject({ status: 'timed_out', exitCode: 137, error: { code: 'timeout' } });
    expect(e.stderr).toContain('got SIGTERM, ignoring');
    const r = await waitFor('the result event', () => resultFor(e.id));
    expect(r.headers.ce_type).toBe('hookhub.execution.timed_out');
  });

  it('llm: system prompt = instructions, user = task + input; text, usage and a document recorded', async () => {
    // Scenario: a real local server speaking the OpenAI chat completions API answers; the key comes from the
    // env variable the agent names.
    const eventId = await task('copywriter', { product: 'hookhub' }, 'Write a launch blog post');
    const e = await finished(eventId, 'copywriter');
    expect(e).toMatchObject({ status: 'succeeded', output: { text: '# Draft\nFollowing: You are a copywriter', model: 'gpt-test', finishReason: 'stop' }, usage: { promptTokens: 42, completionTokens: 7, totalTokens: 49 } });
    const call = llm.requests.find((r) => r.body.includes('Write a launch blog post'));
    const body = JSON.parse(call?.body ?? '{}') as { model: string; messages: { role: string; content: string }[] };
    expect(body.model).toBe('gpt-test');
    expect(body.messages[0]).toEqual({ role: 'system', content: 'You are a copywriter. Write crisp copy.' });
    expect(body.messages[1]?.content).toContain('"product": "hookhub"');
    const [doc] = await documents.list({ executionId: e.id });
    expect(doc).toMatchObject({ kind: 'blog', title: 'Write a launch blog post', body: '# Draft\nFollowing: You are a copywriter' });
  });

  it('invalid input is rejected before running: the agent service is never called', async () => {
    // Scenario: strict-http requires {topic}; the parameters lack it, so the execution fails with input_invalid
    // naming the field, a failed result is published, and no request reaches the agent service.
    const before = agentSvc.requests.filter((r) => r.path === '/strict').length;
    const eventId = await task('strict-http', { audience: 'devs' });
    const e = await finished(eventId, 'strict-http');
    expect(e).toMatchObject({ status: 'failed', error: { code: 'input_invalid' } });
    expect(e.error?.message).toContain('/topic');
    const r = await waitFor('the result event', () => resultFor(e.id));
    expect(r.headers.ce_type).toBe('hookhub.execution.failed');
    expect(agentSvc.requests.filter((x) => x.path === '/strict').length).toBe(before);
  });

  it('keeps a cheap per-agent status: running count, last run and outcome', async () => {
    // Scenario: after the runs above, each agent's status names its last outcome and counts.
    const status = new AgentStatusRepository(hub.ctx.mongo);
    await waitFor('status of hang', async () => (await status.get('hang')).lastOutcome === 'timed_out');
    const echo = await status.get('echo');
    expect(echo).toMatchObject({ agent: 'echo', running: 0, lastOutcome: 'succeeded', counts: { succeeded: 1, failed: 0, timed_out: 0, cancelled: 0 } });
    expect(echo.lastRunAt).toBeInstanceOf(Date);
    const story = await status.get('story-writer');
    expect(story.counts.succeeded).toBe(2);
    expect((await status.get('hang')).running).toBe(0);
  });
});
