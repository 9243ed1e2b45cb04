import path from 'node:path';
import { hashKey, KEY_PATTERN, newKeySecret } from '../../src/api/domain/keys';
import { parseIfMatch } from '../../src/api/framework/etag';
import { buildOpenApi } from '../../src/api/framework/openapi';
import { access, route, type ApiResource } from '../../src/api/framework/route';
import { checkRouteTable } from '../../src/api/framework/router';
import { coerceParams, unsafeKeys, validateRequest } from '../../src/api/framework/validation';
import { AppError } from '../../src/platform/errors';
import { cursorFilter, decodeCursor, encodeCursor, toPage } from '../../src/platform/pagination';
import { filter } from '../../src/platform/query-filter';
import { SchemaRegistry } from '../../src/platform/schemas';

const schemas = SchemaRegistry.load(path.join(__dirname, '..', '..', 'schemas'));

// Scenario: the pure pieces of the API framework. Unsafe body keys are found wherever they nest; parameters
// are coerced only to the declared types; filters accept scalars only; cursors round-trip and garbage is a 400;
// the token bucket refuses past its burst and refills at its rate; keys carry 256 random bits; a broken route
// table fails at boot.
describe('API framework pieces', () => {
  it('finds operator, dotted and prototype keys at any depth', () => {
    const body = JSON.parse('{"ok":1,"a":{"$ne":null},"list":[{"b.c":1},{"__proto__":{"x":1}}],"constructor":{}}') as unknown;
    expect(unsafeKeys(body).map((e) => e.path)).toEqual(['/a/$ne', '/list/0/b.c', '/list/1/__proto__', '/constructor']);
    expect(unsafeKeys({ name: 'a.b $c', nested: { plain: ['$x'] } })).toEqual([]);
  });

  it('coerces query values to the declared types and leaves the rest for the validator', () => {
    expect(coerceParams(schemas, 'api/keys/list-query', { limit: '5', revoked: 'true', role: 'admin', extra: 'x' })).toEqual({ limit: 5, revoked: true, role: 'admin', extra: 'x' });
    expect(coerceParams(schemas, 'api/keys/list-query', { limit: '1e3', role: ['a', 'b'] })).toEqual({ limit: '1e3', role: ['a', 'b'] });
    const run = (query: Record<string, unknown>): unknown => validateRequest(schemas, { query: 'api/keys/list-query' }, { params: {}, query, body: undefined, hasBody: false });
    expect(run({ limit: '200', revoked: 'false' })).toEqual({ params: {}, query: { limit: 200, revoked: false }, body: undefined });
    expect(() => run({ limit: '1e3' })).toThrow(AppError);
  });

  it('builds filters from scalars only', () => {
    expect(filter().eq('role', 'admin').eq('name', undefined).present('revokedAt', false).build()).toEqual({ $and: [{ role: 'admin' }, { revokedAt: null }] });
    expect(filter().contains('title', 'a.b*').build()).toEqual({ title: { $regex: 'a\\.b\\*', $options: 'i' } });
    expect(filter().range('createdAt', new Date(0), undefined).build()).toEqual({ createdAt: { $gte: new Date(0) } });
    expect(() => filter().eq('role', { $ne: null })).toThrow(AppError);
    expect(() => filter().oneOf('role', ['a', { $gt: '' }])).toThrow(AppError);
    expect(() => filter().eq('$where', 'x')).toThrow('not a plain field name');
  });

  it('round-trips cursors and refuses forged ones', () => {
    const key = { createdAt: new Date('2026-01-02T03:04:05.678Z'), id: 'key_1' };
    expect(decodeCursor(encodeCursor(key))).toEqual(key);
    for (const bad of ['!!!', Buffer.from('{"$gt":1}').toString('base64url'), Buffer.from('["not a date","x"]').toString('base64url')]) {
      expect(() => cursorFilter(bad)).toThrow(AppError);
    }
    const page = toPage([1, 2, 3], 2, (n) => ({ createdAt: new Date(n), id: String(n) }), (n) => n * 10);
    expect(page.items).toEqual([10, 20]);
    expect(decodeCursor(page.nextCursor as string)).toEqual({ createdAt: new Date(2), id: '2' });
    expect(toPage([1], 2, (n) => ({ createdAt: new Date(n), id: String(n) }), (n) => n).nextCursor).toBeNull();
  });

  it('parses If-Match', () => {
    expect(parseIfMatch('"3"')).toBe(3);
    expect(parseIfMatch('W/"12"')).toBe(12);
    expect(parseIfMatch('*')).toBeUndefined();
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(() => parseIfMatch('3')).toThrow(AppError);
  });

  it('makes keys with 256 bits of randomness, stored as a SHA-256 hex digest', () => {
    const secret = newKeySecret();
    expect(secret).toMatch(KEY_PATTERN);
    expect(Buffer.from(secret.slice(3), 'base64url')).toHaveLength(32);
    expect(newKeySecret()).not.toBe(secret);
    expect(hashKey(secret)).toMatch(/^[a-f0-9]{64}$/);
  });

  it('refuses a broken route table at boot', () => {
    const table = (over: Partial<Parameters<typeof route>[0]>): ApiResource[] => [
      { tag: 't', description: 'd', routes: [route({ method: 'get', path: '/x/:id', operationId: 'getX', summary: 's', tag: 't', roles: access.read, params: 'api/keys/id-params', responses: { 200: 'api/keys/key' }, handler: async () => ({}), ...over })] },
    ];
    expect(() => checkRouteTable(schemas, table({}))).not.toThrow();
    expect(() => checkRouteTable(schemas, table({ responses: { 200: 'api/nope' } }))).toThrow('api/nope');
    expect(() => checkRouteTable(schemas, table({ path: '/x/:name' }))).toThrow('params schema declares id');
    expect(() => checkRouteTable(schemas, table({ params: undefined }))).toThrow('params schema');
    expect(() => checkRouteTable(schemas, [...table({}), ...table({ path: '/y/:id' })])).toThrow('getX is used twice');
    const doc = buildOpenApi(schemas, table({})) as { paths: Record<string, Record<string, { parameters: { name: string; in: string }[] }>> };
    expect(doc.paths['/x/{id}']?.get?.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
  });
});
