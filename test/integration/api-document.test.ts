import type { Hub } from '../../src/app/hub';
import { apiClient, keyFor, OpenApiConformance, openApiOf, type ApiCall } from '../support/api';
import { startTestHub } from '../support/hub';
import { waitFor } from '../support/wait';

type Json = Record<string, unknown>;
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema: Json;
}
interface Operation {
  method: string;
  template: string;
  parameters: Parameter[];
  body?: Json;
}

/** Follows `$ref`s inside the served document (`#/components/schemas/…`, with `/$defs/…` pointers). */
function resolve(doc: Json, schema: Json): Json {
  let s = schema;
  for (let hops = 0; typeof s.$ref === 'string' && hops < 10; hops += 1) {
    const pointer = (s.$ref as string).replace(/^#\//, '').split('/');
    s = pointer.reduce<Json>((node, key) => node[key.replace(/~1/g, '/').replace(/~0/g, '~')] as Json, doc);
  }
  return s;
}

function operationsOf(doc: Json): Operation[] {
  const out: Operation[] = [];
  for (const [template, item] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
    for (const [method, op] of Object.entries(item)) {
      const body = (op.requestBody as { content?: Record<string, { schema: Json }> } | undefined)?.content?.['application/json']?.schema;
      const parameters = ((op.parameters as Parameter[] | undefined) ?? []).map((p) => ({ ...p, schema: resolve(doc, p.schema) }));
      out.push({ method: method.toUpperCase(), template, parameters, ...(body ? { body: resolve(doc, body) } : {}) });
    }
  }
  return out;
}

const matches = (schema: Json, value: string): boolean => typeof schema.pattern !== 'string' || new RegExp(schema.pattern, 'u').test(value);

/** Path parameters filled from a few candidates, picking one the document's own pattern allows. */
const CANDIDATES = ['key_0123456789abcdef', '00000000-0000-4000-8000-000000000000', 'nothing-here'];
function pathOf(op: Operation): string {
  let path = op.template;
  for (const p of op.parameters.filter((x) => x.in === 'path')) {
    const value = CANDIDATES.find((c) => matches(p.schema, c));
    if (!value) throw new Error(`no candidate matches the ${p.name} pattern of ${op.method} ${op.template}`);
    path = path.replace(`{${p.name}}`, value);
  }
  return path;
}

// Scenario: a client generated from GET /api/v1/openapi.json only sends what the document allows, and must not
// be answered 400 for it. The cursor, If-Match, time, topic and front-matter formats are in the document as
// patterns, the server answers 400 exactly when a pattern refuses a value, analytics has a default range, an
// empty range is a range, and OPTIONS lists only the methods a path has.
describe('Management API: the document says what the server accepts', () => {
  let hub: Hub;
  let doc: Json;
  let ops: Operation[];
  let call: ApiCall;
  let conformance: OpenApiConformance;
  let admin: string;

  beforeAll(async () => {
    // Every operation is called many times with one key: the per-key rate limit is not what is tested here.
    hub = await startTestHub('apidoc', { roles: ['api'], env: { apiRatePerSecond: 100_000, apiRateBurst: 100_000 } });
    doc = await openApiOf(hub);
    ops = operationsOf(doc);
    conformance = new OpenApiConformance(doc);
    call = apiClient(hub, conformance);
    admin = (await keyFor(hub, 'admin')).secret;
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('answers a cursor with 400 on every list exactly when the document refuses it', async () => {
    const lists = ops.filter((o) => o.method === 'GET' && o.parameters.some((p) => p.name === 'cursor'));
    expect(lists.length).toBeGreaterThanOrEqual(10);
    for (const op of lists) {
      const schema = op.parameters.find((p) => p.name === 'cursor')?.schema as Json;
      const example = (schema.examples as string[] | undefined)?.[0];
      expect(example).toBeDefined();
      for (const cursor of ['0', example as string, 'bm9wZQ', '1764633600000.bm9wZQ', '12.a+b', 'x.y']) {
        const res = await call('GET', `${pathOf(op)}?cursor=${encodeURIComponent(cursor)}`, { key: admin });
        expect({ op: op.template, cursor, refused: res.status === 400 }).toEqual({ op: op.template, cursor, refused: !matches(schema, cursor) });
      }
    }
    expect(conformance.failures).toEqual([]);
  });

  it('answers If-Match with 400 exactly when the document refuses it', async () => {
    const guarded = ops.filter((o) => o.parameters.some((p) => p.name === 'If-Match'));
    expect(guarded.map((o) => `${o.method} ${o.template}`)).toEqual(expect.arrayContaining(['PATCH /sources/{id}', 'PATCH /routes/{id}', 'PATCH /agents/{name}', 'DELETE /subscriptions/{id}']));
    for (const op of guarded) {
      const schema = op.parameters.find((p) => p.name === 'If-Match')?.schema as Json;
      const body = op.body ? (op.body.examples as unknown[] | undefined)?.[0] : undefined;
      expect({ op: op.template, hasExample: !op.body || body !== undefined }).toEqual({ op: op.template, hasExample: true });
      for (const value of ['', '"1"', 'W/"1"', '*', '1', '"abc"']) {
        const res = await call(op.method, pathOf(op), { key: admin, headers: { 'if-match': value }, ...(body !== undefined ? { body } : {}) });
        expect({ op: `${op.method} ${op.template}`, value, refused: res.status === 400 }).toEqual({ op: `${op.method} ${op.template}`, value, refused: !matches(schema, value) });
      }
    }
    const created = await call('POST', '/agents', { key: admin, body: { name: 'etag-agent', runner: { kind: 'builtin', name: 'echo' } } });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toMatch(new RegExp(resolve(doc, { $ref: '#/paths/~1agents/post/responses/201/headers/ETag/schema' }).pattern as string, 'u'));
    expect((await call('PATCH', '/agents/etag-agent', { key: admin, body: { enabled: false }, headers: { 'if-match': '' } })).status).toBe(400);
    expect((await call('PATCH', '/agents/etag-agent', { key: admin, body: { enabled: false }, headers: { 'if-match': created.headers.get('etag') as string } })).status).toBe(200);
    expect(conformance.failures).toEqual([]);
  });

  it('gives analytics the last 24 hours when from and to are left out, and answers an empty range with no buckets', async () => {
    const started = Date.now();
    for (const path of ['/analytics/agents', '/analytics/teams', '/analytics/ingest', '/analytics/deliveries']) {
      const whole = await call<{ from: string; to: string; series: unknown[] }>('GET', path, { key: admin });
      expect(whole.status).toBe(200);
      const span = Date.parse(whole.body.to) - Date.parse(whole.body.from);
      // Rounded out to whole minutes: 24 h, or 24 h and a minute.
      expect(span).toBeGreaterThanOrEqual(24 * 3_600_000);
      expect(span).toBeLessThanOrEqual(24 * 3_600_000 + 60_000);
      expect(Date.parse(whole.body.to)).toBeGreaterThanOrEqual(started - 60_000);
      expect(whole.body.series.length).toBeGreaterThanOrEqual(24);

      const empty = await call<{ series: unknown[]; totals: Record<string, unknown> }>('GET', `${path}?from=2026-11-01T00:00Z&to=2026-11-01T00:00Z`, { key: admin });
      expect(empty.status).toBe(200);
      expect(empty.body.series).toEqual([]);

      const since = await call<{ from: string }>('GET', `${path}?from=${started - 3_600_000}&bucket=minute`, { key: admin });
      expect(since.status).toBe(200);
    }
    const backwards = await call('GET', '/analytics/agents?from=2026-11-02&to=2026-11-01', { key: admin });
    expect(backwards.status).toBe(400);
    expect(backwards.body).toMatchObject({ errors: [{ path: '/query/to' }] });
    for (const op of ['/analytics/agents', '/analytics/teams', '/analytics/ingest', '/analytics/deliveries']) {
      expect((doc.paths as Record<string, { get: { description?: string } }>)[op]?.get.description).toMatch(/last 24 hours/);
    }
    expect(conformance.failures).toEqual([]);
  });

  it('runs a replay over an empty range to an empty success', async () => {
    const at = '2026-11-01T00:00Z';
    const created = await call<{ id: string }>('POST', '/replays', { key: admin, body: { topic: hub.ctx.topics.inbound('nothing'), from: at, to: at, mode: 'export' } });
    expect(created.status).toBe(202);
    const done = await waitFor('the empty replay to finish', async () => {
      const job = await call<{ status: string; counts: { read: number; emitted: number } }>('GET', `/replays/${created.body.id}`, { key: admin });
      return job.body.status === 'succeeded' || job.body.status === 'failed' ? job.body : undefined;
    });
    expect(done).toMatchObject({ status: 'succeeded', counts: { read: 0, emitted: 0 } });
    expect(conformance.failures).toEqual([]);
  });

  it("publishes this hub's source topic pattern and refuses exactly the topics it refuses", async () => {
    const schema = resolve(doc, { $ref: '#/components/schemas/api.sources.topic' });
    const inbound = hub.ctx.topics.inbound('');
    const topics = [`${inbound}shop`, `${inbound}api`, `${inbound}`, 'elsewhere.in.shop', `${hub.ctx.topics.results}`, `${inbound}api-2`];
    for (const [i, topic] of topics.entries()) {
      const res = await call('POST', '/sources', { key: admin, body: { id: `topic-${i}`, verification: { scheme: 'none', allowUnsigned: true }, topic } });
      expect({ topic, status: res.status }).toEqual({ topic, status: matches(schema, topic) ? 201 : 400 });
    }
    expect(matches(schema, `${inbound}shop`)).toBe(true);
    expect((await call('POST', '/sources', { key: admin, body: { id: 'api', verification: { scheme: 'none', allowUnsigned: true } } })).status).toBe(400);
    expect(conformance.failures).toEqual([]);
  });

  it("states that an agent's inputSchema must name a loaded schema, and refuses one that does not", async () => {
    const description = (doc.components as { schemas: Record<string, Json> }).schemas['api.agents.create-request']?.description as string;
    expect(description).toMatch(/inputSchema/);
    const agent = { name: 'typed', runner: { kind: 'builtin', name: 'echo' } };
    const missing = await call('POST', '/agents', { key: admin, body: { ...agent, inputSchema: 'agents/no-such-schema' } });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ errors: [{ path: '/body/inputSchema' }] });
    expect((await call('POST', '/agents', { key: admin, body: { ...agent, inputSchema: 'agents/user-story-input' } })).status).toBe(201);
    expect(conformance.failures).toEqual([]);
  });

  it('publishes the front-matter pattern of an import and answers 400 exactly when it refuses a document', async () => {
    const request = resolve(doc, { $ref: '#/components/schemas/api.agents.import-request' });
    const documents = resolve(doc, (request.properties as Record<string, Json>).documents as Json);
    const markdown = resolve(doc, ((documents.items as Json).properties as Record<string, Json>).markdown as Json);
    const example = (markdown.examples as string[])[0] as string;
    for (const text of ['Just instructions, no front matter.', example, `---\nname: second\nrunner: { kind: builtin, name: echo }\n---\n`]) {
      const res = await call('POST', '/agents/import', { key: admin, body: { documents: [{ markdown: text }] } });
      expect({ text, refused: res.status === 400 }).toEqual({ text, refused: !matches(markdown, text) });
    }
    expect(conformance.failures).toEqual([]);
  });

  it('answers OPTIONS on every path with the methods of that path only', async () => {
    for (const [template, item] of Object.entries(doc.paths as Record<string, Json>)) {
      const op = ops.find((o) => o.template === template) as Operation;
      const methods = Object.keys(item).map((m) => m.toUpperCase());
      const res = await fetch(`${hub.url}/api/v1${pathOf(op)}`, { method: 'OPTIONS' });
      expect({ template, status: res.status }).toEqual({ template, status: 204 });
      const allow = (res.headers.get('allow') ?? '').split(',').map((m) => m.trim()).sort();
      expect({ template, allow }).toEqual({ template, allow: [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].sort() });
    }
  });

  it('answers no request built from the examples in the document with 400', async () => {
    const tried: string[] = [];
    const refused: string[] = [];
    for (const op of ops) {
      const body = op.body?.examples ? (op.body.examples as unknown[])[0] : undefined;
      if (op.body && body === undefined) continue;
      for (const p of op.parameters.filter((x) => x.in !== 'path' && Array.isArray(x.schema.examples))) {
        const value = String((p.schema.examples as unknown[])[0]);
        const path = `${pathOf(op)}${p.in === 'query' ? `?${p.name}=${encodeURIComponent(value)}` : ''}`;
        const res = await call(op.method, path, { key: admin, ...(body !== undefined ? { body } : {}), ...(p.in === 'header' ? { headers: { [p.name]: value } } : {}) });
        tried.push(`${op.method} ${op.template} ${p.name}`);
        if (res.status === 400) refused.push(`${op.method} ${op.template} ${p.name}=${value}: ${JSON.stringify(res.body)}`);
      }
    }
    expect(refused).toEqual([]);
    // Every list's cursor, every If-Match and every analytics time parameter has an example to try.
    expect(tried.filter((t) => t.endsWith(' cursor')).length).toBeGreaterThanOrEqual(10);
    expect(tried.filter((t) => t.endsWith(' If-Match')).length).toBeGreaterThanOrEqual(4);
    expect(tried.filter((t) => t.startsWith('GET /analytics/') && t.endsWith(' from')).length).toBe(4);
  });
});
