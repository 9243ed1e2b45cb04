import type { Hub } from '../../src/app/hub';
import { type ApiCall, apiTestKit, type OpenApiConformance } from '../support/api';
import { startTestHub } from '../support/hub';
import { waitFor } from '../support/wait';
import { openSecret } from '../support/secrets-key';

interface AgentView {
  name: string;
  version: number;
  enabled: boolean;
  source: string;
  description?: string;
  instructions?: string;
  runner: Record<string, unknown>;
  status: { running: number; lastOutcome?: string; lastExecutionId?: string; counts: Record<string, number> };
}
interface Page {
  items: AgentView[];
  nextCursor: string | null;
}
interface Problem {
  code: string;
  errors?: { path: string; message: string }[];
}
interface Accepted {
  executionId: string;
  eventId: string;
  status: string;
  location: string;
}
interface ExecutionView {
  id: string;
  status: string;
  output?: unknown;
  eventId: string;
  task?: string;
}

const SECRET = 'whsec_' + Buffer.from('api agents runner secret').toString('base64');
const MARKDOWN = (name: string, description: string) => `---\nname: ${name}\ndescription: ${description}\nrunner:\n  kind: builtin\n  name: echo\ncolor: blue\n---\nYou write release notes.\n`;

// Scenario: an operator manages agents through HTTP on a hub that also runs the agents stage. Created agents
// show their live status; edits honour If-Match; runners that would run programs on the hub (`command`) or
// leak environment variables are refused; Markdown definitions import all-or-nothing and re-importing the same
// text changes nothing. Running an agent publishes agent.task.requested on `<prefix>.in.api`: without `wait` the
// answer is 202 with the execution id known up front, which then appears at its Location; with `wait` it is
// 200 with the finished execution. Secrets of http runners never appear in answers.
describe('Management API: agents', () => {
  let hub: Hub;
  let call: ApiCall;
  let conformance: OpenApiConformance;
  let operator: string;
  let analyst: string;

  beforeAll(async () => {
    hub = await startTestHub('apiagents', {
      roles: ['api', 'agents'],
      config: { sources: [], agents: [{ name: 'echo', team: 'core', runner: { kind: 'builtin', name: 'echo' } }], routes: [], subscriptions: [] },
      env: { agentsRefreshMs: 500, outboundAllow: ['127.0.0.1/32'] },
    });
    ({ conformance, call, operator, analyst } = await apiTestKit(hub));
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('runs an agent now: 202 with the execution id up front, then 200 with ?wait', async () => {
    const accepted = await call<Accepted>('POST', '/agents/echo/executions', { key: operator, body: { task: 'say hi', parameters: { text: 'hi' } } });
    expect(accepted.status).toBe(202);
    expect(accepted.body.status).toBe('requested');
    expect(accepted.headers.get('location')).toBe(`/api/v1/executions/${accepted.body.executionId}`);
    const done = await waitFor('execution stored and finished', async () => {
      const res = await call<ExecutionView>('GET', `/executions/${accepted.body.executionId}`, { key: analyst });
      return res.status === 200 && res.body.status === 'succeeded' ? res.body : undefined;
    }, 30_000);
    expect(done).toMatchObject({ id: accepted.body.executionId, eventId: accepted.body.eventId, task: 'say hi', output: { text: 'hi' } });

    const waited = await call<ExecutionView>('POST', '/agents/echo/executions?wait=30', { key: operator, body: { task: 'again', parameters: { n: 2 } } });
    expect(waited.status).toBe(200);
    expect(waited.body).toMatchObject({ status: 'succeeded', output: { n: 2 } });

    const status = await call<AgentView>('GET', '/agents/echo', { key: analyst });
    expect(status.body.status).toMatchObject({ running: 0, lastOutcome: 'succeeded', lastExecutionId: waited.body.id });
    expect(status.body.status.counts.succeeded).toBe(2);
    // the request is an ordinary inbound event on the api topic
    expect(await hub.ctx.mongo.collection('executions').findOne({ _id: waited.body.id as never })).toMatchObject({ event: { sourceId: 'api', type: 'agent.task.requested' } });

    expect((await call<Problem>('POST', '/agents/ghost/executions', { key: operator, body: { task: 'x' } })).status).toBe(404);
    expect((await call<Problem>('POST', '/agents/echo/executions', { key: operator, body: { parameters: {} } })).body.errors?.[0]?.path).toBe('/body/task');
    expect((await call<Problem>('POST', '/agents/echo/executions?wait=61', { key: operator, body: { task: 'x' } })).body.errors?.[0]?.path).toBe('/query/wait');
    expect((await call<Problem>('POST', '/agents/echo/executions', { key: analyst, body: { task: 'x' } })).status).toBe(403);
  });

  it("serves the JSON Schema an agent's run parameters must match, null when it names none", async () => {
    const withSchema = await call('POST', '/agents', { key: operator, body: { name: 'storyform', inputSchema: 'agents/user-story-input', runner: { kind: 'builtin', name: 'echo' } } });
    expect(withSchema.status).toBe(201);
    const form = await call<{ agent: string; inputSchema: string; schema: { required: string[] } }>('GET', '/agents/storyform/input-schema', { key: analyst });
    expect(form.status).toBe(200);
    expect(form.body).toMatchObject({ agent: 'storyform', inputSchema: 'agents/user-story-input', schema: { type: 'object', required: ['repository', 'number', 'title'] } });
    expect((await call('GET', '/agents/echo/input-schema', { key: analyst })).body).toEqual({ agent: 'echo', inputSchema: null, schema: null });
    expect((await call('GET', '/agents/ghost/input-schema', { key: analyst })).status).toBe(404);
    expect((await call('DELETE', '/agents/storyform', { key: operator })).status).toBe(204);
  });

  it('creates, reads, updates with If-Match and deletes agents; secrets stay masked', async () => {
    const created = await call<AgentView>('POST', '/agents', { key: operator, body: { name: 'notify', description: 'posts out', runner: { kind: 'http', url: 'http://127.0.0.1:9/run', secret: SECRET, headers: { 'x-token': 'tok-123456' } } } });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body).toMatchObject({ name: 'notify', source: 'api', version: 1, enabled: true, status: { running: 0 } });
    expect(created.body.runner).toEqual({ kind: 'http', url: 'http://127.0.0.1:9/run', secret: `…${SECRET.slice(-4)}`, headers: { 'x-token': '…3456' } });
    expect(JSON.stringify(created.body)).not.toContain(SECRET);

    const updated = await call<AgentView>('PATCH', '/agents/notify', { key: operator, body: { description: 'posts to chat' }, headers: { 'if-match': '"1"' } });
    expect([updated.status, updated.body.version, updated.body.description]).toEqual([200, 2, 'posts to chat']);
    const stored = await hub.ctx.mongo.collection('agents').findOne({ _id: 'notify' as never });
    const storedRunner = JSON.parse(stored?.runnerJson as string) as { secret: string; headers: Record<string, string> };
    expect(JSON.stringify(stored)).not.toContain(SECRET);
    expect(JSON.stringify(stored)).not.toContain('tok-123456');
    expect([openSecret(storedRunner.secret), openSecret(storedRunner.headers['x-token'] as string)]).toEqual([SECRET, 'tok-123456']);
    const stale = await call<Problem>('PATCH', '/agents/notify', { key: operator, body: { enabled: false }, headers: { 'if-match': '"1"' } });
    expect([stale.status, stale.body.code]).toEqual([412, 'precondition_failed']);
    const disabled = await call<AgentView>('PATCH', '/agents/notify', { key: operator, body: { enabled: false } });
    expect(disabled.body.enabled).toBe(false);
    expect((await call<Problem>('POST', '/agents/notify/executions', { key: operator, body: { task: 'x' } })).body.code).toBe('conflict');

    expect((await call<Problem>('POST', '/agents', { key: operator, body: { name: 'notify', runner: { kind: 'builtin', name: 'echo' } } })).body.code).toBe('already_exists');
    const shell = await call<Problem>('POST', '/agents', { key: operator, body: { name: 'shell', runner: { kind: 'command', command: '/bin/sh', args: ['-c', 'id'] } } });
    expect([shell.status, shell.body.errors]).toEqual([400, [{ path: '/body/runner/kind', message: 'command runners can only be configured in hookhub.yaml' }]]);
    const leak = await call<Problem>('POST', '/agents', { key: operator, body: { name: 'leak', runner: { kind: 'llm', baseUrl: 'http://127.0.0.1:9', model: 'm', apiKeyEnv: 'MONGODB_URI' } } });
    expect([leak.status, leak.body.code, leak.body.errors]).toEqual([400, 'agent_secret_forbidden', [{ path: '/body/runner/apiKeyEnv', message: "MONGODB_URI is one of the hub's own credentials; no runner may read it" }]]);
    expect((await call<Problem>('PATCH', '/agents/notify', { key: operator, body: { runner: { kind: 'command', command: '/bin/sh' } } })).status).toBe(400);
    expect((await call<Problem>('POST', '/agents', { key: analyst, body: { name: 'x', runner: { kind: 'builtin', name: 'echo' } } })).status).toBe(403);

    expect((await call('DELETE', '/agents/notify', { key: operator })).status).toBe(204);
    expect((await call<Problem>('GET', '/agents/notify', { key: analyst })).body.code).toBe('not_found');
    expect((await call<Problem>('DELETE', '/agents/notify', { key: operator })).status).toBe(404);
  });

  it('imports Markdown definitions all or nothing; the same text again changes nothing', async () => {
    const body = { documents: [{ markdown: MARKDOWN('notes', 'Release notes') }, { markdown: MARKDOWN('summary', 'Summaries'), filename: 'summary.md' }] };
    const first = await call<{ agents: { name: string; version: number; changed: boolean; ignored: string[] }[] }>('POST', '/agents/import', { key: operator, body });
    expect(first.status).toBe(200);
    expect(first.body.agents).toEqual([
      { name: 'notes', version: 1, changed: true, ignored: ['color'] },
      { name: 'summary', version: 1, changed: true, ignored: ['color'] },
    ]);
    const again = await call<{ agents: { changed: boolean }[] }>('POST', '/agents/import', { key: operator, body });
    expect(again.body.agents.map((a) => a.changed)).toEqual([false, false]);
    const notes = await call<AgentView>('GET', '/agents/notes', { key: analyst });
    expect(notes.body).toMatchObject({ source: 'import', instructions: 'You write release notes.', description: 'Release notes' });

    // A document without front matter fails the request schema's pattern; a command runner fails the API's rules.
    const noFrontMatter = await call<Problem>('POST', '/agents/import', { key: operator, body: { documents: [{ markdown: MARKDOWN('fine', 'ok') }, { markdown: 'no front matter' }] } });
    expect(noFrontMatter.status).toBe(400);
    expect(noFrontMatter.body.errors?.map((e) => e.path)).toEqual(['/body/documents/1/markdown']);
    const command = await call<Problem>('POST', '/agents/import', { key: operator, body: { documents: [{ markdown: MARKDOWN('fine', 'ok') }, { markdown: '---\nname: cmd\nrunner:\n  kind: command\n  command: /bin/sh\n---\n' }] } });
    expect(command.status).toBe(400);
    expect(command.body.errors?.map((e) => e.path)).toEqual(['/body/documents/1/markdown/runner/kind']);
    expect((await call<Problem>('GET', '/agents/fine', { key: analyst })).status).toBe(404);
  });

  it('lists agents in name order with filters and pages', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: Page } = await call<Page>('GET', `/agents?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { key: analyst });
      seen.push(...res.body.items.map((a) => a.name));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['echo', 'notes', 'summary']);
    const core = await call<Page>('GET', '/agents?team=core', { key: analyst });
    expect(core.body.items.map((a) => [a.name, a.status.counts.succeeded])).toEqual([['echo', 2]]);
    expect((await call<Problem>('GET', '/agents?team[$ne]=x', { key: analyst })).status).toBe(400);
    expect(conformance.failures).toEqual([]);
    expect(conformance.uncovered('agents')).toEqual([]);
  });
});
