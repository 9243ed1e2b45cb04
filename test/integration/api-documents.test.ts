import type { Hub } from '../../src/app/hub';
import { type ApiCall, apiTestKit, type OpenApiConformance } from '../support/api';
import { startTestHub } from '../support/hub';

interface DocumentView {
  id: string;
  kind: string;
  title: string;
  body?: string;
  agent: string;
  key?: string;
  tags: string[];
  metadata?: Record<string, unknown>;
  version: number;
  revision: number;
  executionId: string;
}
interface Page {
  items: DocumentView[];
  nextCursor: string | null;
}
interface Problem {
  code: string;
  errors?: { path: string; message: string }[];
}

// Scenario: agents run through the API write documents (one agent writes versioned specs under a logical
// key, another writes notes). An analyst finds them by kind, agent, tag, execution, time and title text; the
// title search takes the text literally (regex metacharacters match themselves, `.*` matches nothing) and
// case-insensitively. Versions of a keyed document are listed newest first. An operator edits title, tags and
// metadata with If-Match on `revision` (stale: 412) and deletes one version; analysts cannot write.
describe('Management API: documents', () => {
  let hub: Hub;
  let call: ApiCall;
  let conformance: OpenApiConformance;
  let operator: string;
  let analyst: string;
  const run = async (agent: string, parameters: Record<string, unknown>): Promise<{ id: string; documents: { id: string }[] }> => {
    const res = await call<{ id: string; status: string; documents: { id: string }[] }>('POST', `/agents/${agent}/executions?wait=30`, { key: operator, body: { task: 'write', parameters } });
    expect([res.status, res.body.status]).toEqual([200, 'succeeded']);
    return res.body;
  };
  let specId = '';
  let firstSpecId = '';

  beforeAll(async () => {
    hub = await startTestHub('apidocs', {
      roles: ['api', 'agents'],
      config: {
        sources: [],
        agents: [
          { name: 'specs', runner: { kind: 'builtin', name: 'template', document: { kind: 'spec', title: '{{input.title}}', body: 'v{{input.v}}', key: '{{input.slug}}', tags: ['spec'] } } },
          { name: 'notes', runner: { kind: 'builtin', name: 'template', document: { kind: 'note', title: '{{input.title}}', body: 'note', tags: ['note', 'misc'] } } },
        ],
        routes: [],
        subscriptions: [],
      },
      env: { agentsRefreshMs: 500 },
    });
    ({ conformance, call, operator, analyst } = await apiTestKit(hub));
    firstSpecId = (await run('specs', { title: 'Checkout Price (USD) + tax?', v: 1, slug: 'checkout' })).documents[0]?.id as string;
    specId = (await run('specs', { title: 'Checkout Price (USD) + tax?', v: 2, slug: 'checkout' })).documents[0]?.id as string;
    for (const title of ['Standup notes', 'Retro notes', 'Planning']) await run('notes', { title });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('finds documents by kind, agent, tag and title text taken literally', async () => {
    const specs = await call<Page>('GET', '/documents?kind=spec', { key: analyst });
    expect(specs.body.items.map((d) => [d.id, d.version])).toEqual([[specId, 2], [firstSpecId, 1]]);
    expect((await call<Page>('GET', '/documents?agent=notes&tag=note', { key: analyst })).body.items).toHaveLength(3);
    expect((await call<Page>('GET', '/documents?tag=spec', { key: analyst })).body.items).toHaveLength(2);
    expect((await call<Page>('GET', `/documents?q=${encodeURIComponent('(usd) + TAX?')}`, { key: analyst })).body.items).toHaveLength(2);
    expect((await call<Page>('GET', `/documents?q=${encodeURIComponent('.*')}`, { key: analyst })).body.items).toEqual([]);
    expect((await call<Page>('GET', '/documents?q=NOTES', { key: analyst })).body.items.map((d) => d.title).sort()).toEqual(['Retro notes', 'Standup notes']);
    const one = await call<Page>('GET', `/documents?executionId=${(await call<DocumentView>('GET', `/documents/${specId}`, { key: analyst })).body.executionId}`, { key: analyst });
    expect(one.body.items.map((d) => d.id)).toEqual([specId]);
    expect((await call<Page>('GET', `/documents?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`, { key: analyst })).body.items).toEqual([]);
    expect((await call<Page>('GET', `/documents?to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}&limit=200`, { key: analyst })).body.items).toHaveLength(5);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: Page } = await call<Page>('GET', `/documents?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { key: analyst });
      seen.push(...res.body.items.map((d) => d.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(5);
    expect((await call<Problem>('GET', '/documents?q[$regex]=.*', { key: analyst })).status).toBe(400);
    expect((await call<Problem>('GET', `/documents?q=${'x'.repeat(201)}`, { key: analyst })).body.errors?.[0]?.path).toBe('/query/q');
  });

  it('gets a document and its versions', async () => {
    const got = await call<DocumentView>('GET', `/documents/${specId}`, { key: analyst });
    expect(got.status).toBe(200);
    expect(got.headers.get('etag')).toBe('"1"');
    expect(got.body).toMatchObject({ kind: 'spec', body: 'v2', key: 'checkout', version: 2, revision: 1, agent: 'specs' });
    const versions = await call<{ items: DocumentView[] }>('GET', `/documents/${firstSpecId}/versions`, { key: analyst });
    expect(versions.body.items.map((d) => [d.version, d.body])).toEqual([[2, 'v2'], [1, 'v1']]);
    const unkeyed = (await call<Page>('GET', '/documents?agent=notes&limit=1', { key: analyst })).body.items[0] as DocumentView;
    expect((await call<{ items: DocumentView[] }>('GET', `/documents/${unkeyed.id}/versions`, { key: analyst })).body.items.map((d) => d.id)).toEqual([unkeyed.id]);
    expect((await call<Problem>('GET', '/documents/nope/versions', { key: analyst })).status).toBe(404);
  });

  it('edits metadata with If-Match and deletes one version', async () => {
    const edited = await call<DocumentView>('PATCH', `/documents/${specId}`, { key: operator, body: { title: 'Checkout pricing', tags: ['spec', 'reviewed'], metadata: { reviewer: 'ana' } }, headers: { 'if-match': '"1"' } });
    expect(edited.status).toBe(200);
    expect(edited.headers.get('etag')).toBe('"2"');
    expect(edited.body).toMatchObject({ title: 'Checkout pricing', tags: ['spec', 'reviewed'], metadata: { reviewer: 'ana' }, revision: 2, version: 2, body: 'v2' });
    const stale = await call<Problem>('PATCH', `/documents/${specId}`, { key: operator, body: { tags: [] }, headers: { 'if-match': '"1"' } });
    expect([stale.status, stale.body.code]).toEqual([412, 'precondition_failed']);
    expect((await call<Page>('GET', '/documents?tag=reviewed', { key: analyst })).body.items.map((d) => d.id)).toEqual([specId]);
    expect((await call<Problem>('PATCH', `/documents/${specId}`, { key: operator, body: { metadata: { 'a.b': 1 } } })).status).toBe(400);
    expect((await call<Problem>('PATCH', `/documents/${specId}`, { key: operator, body: { body: 'rewritten' } })).body.errors?.[0]?.path).toBe('/body/body');
    expect((await call<Problem>('PATCH', `/documents/${specId}`, { key: analyst, body: { tags: [] } })).status).toBe(403);

    expect((await call('DELETE', `/documents/${firstSpecId}`, { key: operator })).status).toBe(204);
    expect((await call<{ items: DocumentView[] }>('GET', `/documents/${specId}/versions`, { key: analyst })).body.items.map((d) => d.version)).toEqual([2]);
    expect((await call<Problem>('DELETE', `/documents/${firstSpecId}`, { key: operator })).status).toBe(404);
    expect(conformance.failures).toEqual([]);
    expect(conformance.uncovered('documents')).toEqual([]);
  });
});
