import type { Hub } from '../../src/app/hub';
import { type ApiCall, apiTestKit, type OpenApiConformance } from '../support/api';
import { startTestHub } from '../support/hub';
import { waitFor } from '../support/wait';

interface Accepted {
  executionId: string;
}
interface ExecutionView {
  id: string;
  agent: string;
  team?: string;
  status: string;
  createdAt: string;
  documents: { id: string; kind: string; title: string; body?: string; version: number }[];
  error?: { code: string; message: string };
}
interface Page {
  items: ExecutionView[];
  nextCursor: string | null;
}
interface Problem {
  code: string;
  errors?: { path: string; message: string }[];
}

const SLOW = `let s='';process.stdin.on('data',d=>s+=d).on('end',()=>setTimeout(()=>process.stdout.write(JSON.stringify({output:{late:true}})),4000))`;

// Scenario: executions made by running agents through the API are listed newest first and filtered by agent,
// team, status and time range, over more than one page; one execution comes with the full documents it
// produced. A running execution is cancelled at once (its agent's running count drops) and stays cancelled
// when its runner finishes later; cancelling a finished one is 409. Unknown ids are 404, bad filters 400.
describe('Management API: executions', () => {
  let hub: Hub;
  let call: ApiCall;
  let conformance: OpenApiConformance;
  let operator: string;
  let analyst: string;
  const run = async (agent: string, parameters: Record<string, unknown>, wait = 30): Promise<ExecutionView> => {
    const res = await call<ExecutionView>('POST', `/agents/${agent}/executions?wait=${wait}`, { key: operator, body: { task: 'test', parameters } });
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    hub = await startTestHub('apiexecs', {
      roles: ['api', 'agents'],
      config: {
        sources: [],
        agents: [
          { name: 'echo', team: 'core', runner: { kind: 'builtin', name: 'echo' } },
          { name: 'writer', team: 'docs', runner: { kind: 'builtin', name: 'template', document: { kind: 'note', title: 'Note {{input.n}}', body: 'Body {{input.n}}', tags: ['t'] } } },
          { name: 'slow', runner: { kind: 'command', command: process.execPath, args: ['-e', SLOW] }, timeoutMs: 20_000 },
        ],
        routes: [],
        subscriptions: [],
      },
      env: { agentsRefreshMs: 500 },
    });
    ({ conformance, call, operator, analyst } = await apiTestKit(hub));
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('gets an execution with its documents', async () => {
    const e = await run('writer', { n: 7 });
    expect(e.status).toBe('succeeded');
    const got = await call<ExecutionView>('GET', `/executions/${e.id}`, { key: analyst });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: e.id, agent: 'writer', team: 'docs', status: 'succeeded' });
    expect(got.body.documents).toEqual([expect.objectContaining({ kind: 'note', title: 'Note 7', body: 'Body 7', version: 1 })]);
    expect((await call<Problem>('GET', '/executions/00000000-0000-8000-8000-000000000000', { key: analyst })).body.code).toBe('not_found');
  });

  it('lists and filters over more than one page', async () => {
    const before = new Date().toISOString();
    for (let i = 0; i < 4; i += 1) await run('echo', { i });
    const seen: ExecutionView[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: Page } = await call<Page>('GET', `/executions?agent=echo&limit=3${cursor ? `&cursor=${cursor}` : ''}`, { key: analyst });
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(4);
    expect(new Set(seen.map((e) => e.id)).size).toBe(4);
    const order = seen.map((e) => e.createdAt);
    expect(order).toEqual([...order].sort().reverse());
    expect((await call<Page>('GET', '/executions?team=docs', { key: analyst })).body.items.map((e) => e.agent)).toEqual(['writer']);
    expect((await call<Page>('GET', '/executions?status=succeeded&limit=200', { key: analyst })).body.items).toHaveLength(5);
    expect((await call<Page>('GET', `/executions?from=${encodeURIComponent(before)}`, { key: analyst })).body.items.every((e) => e.agent === 'echo')).toBe(true);
    expect((await call<Page>('GET', `/executions?to=${encodeURIComponent(before)}`, { key: analyst })).body.items.map((e) => e.agent)).toEqual(['writer']);
    expect((await call<Problem>('GET', '/executions?status=done', { key: analyst })).body.errors?.[0]?.path).toBe('/query/status');
    expect((await call<Problem>('GET', '/executions?agent[$gt]=', { key: analyst })).status).toBe(400);
  });

  it('cancels a running execution; it stays cancelled when the runner ends; a finished one is 409', async () => {
    const accepted = await call<Accepted>('POST', '/agents/slow/executions', { key: operator, body: { task: 'take your time' } });
    expect(accepted.status).toBe(202);
    const id = accepted.body.executionId;
    await waitFor('running', async () => (await call<ExecutionView>('GET', `/executions/${id}`, { key: analyst })).body.status === 'running', 20_000);
    expect((await call<Problem>('POST', `/executions/${id}/cancel`, { key: analyst })).status).toBe(403);
    const cancelled = await call<ExecutionView>('POST', `/executions/${id}/cancel`, { key: operator });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', error: { code: 'cancelled' } });
    const agent = await call<{ status: { running: number; counts: Record<string, number> } }>('GET', '/agents/slow', { key: analyst });
    expect(agent.body.status).toMatchObject({ running: 0, counts: { cancelled: 1 } });
    // the runner finishes ~4 s after it started; the agents stage must keep the cancellation
    await new Promise((r) => setTimeout(r, 5000));
    expect((await call<ExecutionView>('GET', `/executions/${id}`, { key: analyst })).body.status).toBe('cancelled');
    expect((await call<{ status: { running: number } }>('GET', '/agents/slow', { key: analyst })).body.status.running).toBe(0);
    const again = await call<Problem>('POST', `/executions/${id}/cancel`, { key: operator });
    expect([again.status, again.body.code]).toEqual([409, 'conflict']);
    expect(conformance.failures).toEqual([]);
    expect(conformance.uncovered('executions')).toEqual([]);
  });
});
