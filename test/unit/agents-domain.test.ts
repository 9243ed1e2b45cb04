import path from 'node:path';
import { derivedId, executionIdFor } from '../../src/agents/domain/ids';
import { parseAgentMarkdown, AgentMarkdownError } from '../../src/agents/domain/markdown';
import type { InboundEvent, Route } from '../../src/agents/domain/model';
import { mapInput, planTargets } from '../../src/agents/domain/routing';
import { Semaphore } from '../../src/agents/domain/semaphore';
import { parseReply } from '../../src/agents/runners/runner';
import { SchemaRegistry } from '../../src/platform/schemas';

const schemas = SchemaRegistry.load(path.join(__dirname, '..', '..', 'schemas'));

const event = (type: string, data: unknown, source = 'github'): InboundEvent => ({
  id: 'evt-1',
  source: `/sources/${source}`,
  sourceId: source,
  type,
  time: '2026-01-01T00:00:00Z',
  extensions: {},
  data,
  topic: `hookhub.in.${source}`,
  partition: 0,
  offset: '0',
});

const route = (r: Partial<Route> & Pick<Route, 'id' | 'eventType' | 'agent'>): Route => ({ origin: 'config', version: 1, updatedAt: new Date(0), ...r });

describe('input mapping', () => {
  const e = event('github.issues.opened', { issue: { number: 7, title: 'Hi', labels: ['a'] }, repository: { full_name: 'acme/shop' }, 'a/b': 1 });

  it('copies JSON pointers with their type, renders {{templates}}, keeps literals, recursively', () => {
    // Scenario: the three kinds of mapping values side by side, in nested objects and arrays.
    expect(mapInput({ n: '/issue/number', labels: '/issue/labels', slash: '/a~1b', t: '{{data.repository.full_name}}#{{data.issue.number}}', kind: 'story', deep: { list: ['/issue/title', 'x'] }, count: 3 }, e)).toEqual({
      n: 7,
      labels: ['a'],
      slash: 1,
      t: 'acme/shop#7',
      kind: 'story',
      deep: { list: ['Hi', 'x'] },
      count: 3,
    });
  });

  it('leaves out values whose pointer is missing, and passes the whole body when there is no mapping', () => {
    expect(mapInput({ a: '/nope', b: '/issue/number' }, e)).toEqual({ b: 7 });
    expect(mapInput(undefined, e)).toBe(e.data);
  });
});

describe('routing', () => {
  const routes = [
    route({ id: 'b-stories', source: 'github', eventType: 'github.issues.*', filter: { '/action': 'opened' }, agent: 'story', input: { t: '/issue/title' }, task: 'Story for {{data.issue.title}}' }),
    route({ id: 'a-echo', eventType: '*', agent: 'echo' }),
    route({ id: 'c-off', eventType: '*', agent: 'never', enabled: false }),
    route({ id: 'd-stripe', source: 'stripe', eventType: 'github.issues.*', agent: 'wrong-source' }),
  ];

  it('matches source, type pattern and filter; one target per agent, in route-id order', () => {
    // Scenario: an opened issue goes to echo and story; disabled and other-source routes do not apply.
    const targets = planTargets(event('github.issues.opened', { action: 'opened', issue: { title: 'T' } }), routes);
    expect(targets).toEqual([
      { agent: 'echo', route: 'a-echo', input: { action: 'opened', issue: { title: 'T' } } },
      { agent: 'story', route: 'b-stories', task: 'Story for T', input: { t: 'T' } },
    ]);
    expect(planTargets(event('github.issues.closed', { action: 'closed' }), routes).map((t) => t.agent)).toEqual(['echo']);
  });

  it('runs the agent an agent.task.requested event names, with its parameters as input, before routes, when ingest granted it', () => {
    const granted = (data: Record<string, unknown>, agent: string): InboundEvent => ({ ...event('agent.task.requested', data, 'partner'), extensions: { hookhubtaskagent: agent } });
    const t = planTargets(granted({ type: 'agent.task.requested', agent: 'echo', task: 'say', parameters: { x: 1 } }, 'echo'), routes);
    expect(t).toEqual([{ agent: 'echo', task: 'say', input: { x: 1 } }]);
    expect(planTargets(granted({ agent: 'copywriter' }, 'copywriter'), [])).toEqual([{ agent: 'copywriter', input: {} }]);
    expect(planTargets(event('agent.task.requested', { agent: 'copywriter' }, 'api'), [])).toEqual([{ agent: 'copywriter', input: {} }]);
  });

  it('plans nothing for a task request without a grant, or with a grant for another agent', () => {
    expect(planTargets(event('agent.task.requested', { agent: 'copywriter' }, 'partner'), [])).toEqual([]);
    expect(planTargets({ ...event('agent.task.requested', { agent: 'copywriter' }, 'partner'), extensions: { hookhubtaskagent: 'echo' } }, [])).toEqual([]);
  });
});

describe('Markdown agent definitions', () => {
  it('reads front matter and the body as instructions; tools as a comma list; unknown keys reported', () => {
    const { agent, ignored } = parseAgentMarkdown('---\nname: copywriter\nteam: MARKETING_TEAM\ntools: a, b\ncolor: red\nrunner: { kind: builtin, name: echo }\n---\n\nYou write copy.\n', 'x.md');
    expect(agent).toEqual({ name: 'copywriter', team: 'MARKETING_TEAM', tools: ['a', 'b'], runner: { kind: 'builtin', name: 'echo' }, instructions: 'You write copy.' });
    expect(ignored).toEqual(['color']);
    expect(schemas.validate('config/agent', agent)).toEqual([]);
  });

  it('takes the name from the file when missing and refuses files without front matter', () => {
    expect(parseAgentMarkdown('---\nrunner: { kind: builtin, name: echo }\n---\n', '/x/Visual Designer.md').agent.name).toBe('visual-designer');
    expect(() => parseAgentMarkdown('# just text', 'plain.md')).toThrow(AgentMarkdownError);
    expect(() => parseAgentMarkdown('---\n[1, 2]\n---\n', 'list.md')).toThrow('front matter must be a mapping');
  });
});

describe('agent config schema', () => {
  it('checks runner settings per kind', () => {
    expect(schemas.validate('config/agent', { name: 'a', runner: { kind: 'http', url: 'http://x', secret: 'whsec_abc=' } })).toEqual([]);
    expect(schemas.validate('config/agent', { name: 'a', runner: { kind: 'http', url: 'http://x' } }).length).toBeGreaterThan(0);
    expect(schemas.validate('config/agent', { name: 'a', runner: { kind: 'command', command: 'node', args: ['x'], env: ['PATH'] } })).toEqual([]);
    expect(schemas.validate('config/agent', { name: 'a', runner: { kind: 'builtin', name: 'template' } }).length).toBeGreaterThan(0);
    expect(schemas.validate('config/agent', { name: 'a', runner: { kind: 'llm', baseUrl: 'https://api', model: 'm', bogus: 1 } }).length).toBeGreaterThan(0);
  });
});

describe('agent replies', () => {
  it('treats {output, documents} as an envelope and anything else as the output', () => {
    expect(parseReply({ a: 1 }, schemas)).toEqual({ output: { a: 1 } });
    expect(parseReply([1, 2], schemas)).toEqual({ output: [1, 2] });
    expect(parseReply({ output: 'x', documents: [{ kind: 'blog', title: 'T', body: 'b' }] }, schemas)).toEqual({ output: 'x', documents: [{ kind: 'blog', title: 'T', body: 'b' }] });
  });

  it('rejects documents that do not match the document schema', () => {
    expect(() => parseReply({ documents: [{ kind: 'blog', title: 'no body or url' }] }, schemas)).toThrow('documents/0');
    expect(() => parseReply({ documents: 'nope' }, schemas)).toThrow('documents must be an array');
  });
});

describe('ids and concurrency', () => {
  it('derives the same uuid-shaped execution id for the same (event, agent) everywhere', () => {
    expect(executionIdFor('e1', 'a')).toBe(executionIdFor('e1', 'a'));
    expect(executionIdFor('e1', 'a')).not.toBe(executionIdFor('e1', 'b'));
    expect(derivedId('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('a semaphore admits at most its limit and serves waiters in order', async () => {
    const s = new Semaphore(2);
    const order: number[] = [];
    const r1 = await s.acquire();
    const r2 = await s.acquire();
    const third = s.acquire().then((r) => {
      order.push(3);
      return r;
    });
    const fourth = s.acquire().then((r) => {
      order.push(4);
      return r;
    });
    expect(s.inUse).toBe(2);
    r1();
    r1(); // releasing twice is harmless
    (await third)();
    r2();
    (await fourth)();
    expect(order).toEqual([3, 4]);
    expect(s.inUse).toBe(0);
  });
});
