import path from 'node:path';
import type { SourceConfig } from '../../src/config/types';
import { AppError } from '../../src/platform/errors';
import { SchemaRegistry } from '../../src/platform/schemas';
import { newEventId } from '../../src/ingest/domain/event-id';
import { assertMatchesSchema, eventTypeOf, locate } from '../../src/ingest/domain/extract';
import { isJsonMediaType } from '../../src/ingest/domain/ingest';
import { sourceProblems } from '../../src/ingest/domain/sources';
import { MicroBatcher } from '../../src/platform/micro-batcher';
import { pushPayload, stripeEvent, taskPayload } from '../support/webhooks';

const schemas = SchemaRegistry.load(path.join(__dirname, '..', '..', 'schemas'));

// Scenario: the pure pieces of ingest — reading types and keys, choosing schemas, token buckets, ids, batching.
describe('ingest domain', () => {
  it('reads values from headers (with svix/webhook aliases) or JSON pointers', () => {
    expect(locate({ header: 'X-GitHub-Delivery' }, { 'x-github-delivery': 'd1' }, {})).toBe('d1');
    expect(locate({ header: 'webhook-id' }, { 'svix-id': 'm1' }, {})).toBe('m1');
    expect(locate({ pointer: '/data/object/id' }, {}, { data: { object: { id: 'in_1' } } })).toBe('in_1');
    expect(locate({ pointer: '/n' }, {}, { n: 7 })).toBe('7');
    expect(locate({ pointer: '/o' }, {}, { o: { a: 1 } })).toBeUndefined();
    expect(locate(undefined, {}, {})).toBeUndefined();
  });

  it('builds event types from a header, a pointer or a fixed value, with a prefix', () => {
    const gh: SourceConfig = { id: 'gh', verification: { scheme: 'none', allowUnsigned: true }, eventType: { header: 'X-GitHub-Event', prefix: 'github.' } };
    expect(eventTypeOf(gh, { 'x-github-event': 'push' }, {})).toBe('github.push');
    expect(() => eventTypeOf(gh, {}, {})).toThrow(AppError);
    expect(eventTypeOf({ id: 's', verification: { scheme: 'none', allowUnsigned: true } }, {}, { type: 'a.b' })).toBe('a.b');
    expect(eventTypeOf({ id: 's', verification: { scheme: 'none', allowUnsigned: true }, eventType: { fixed: 'x.y' } }, {}, {})).toBe('x.y');
    expect(() => eventTypeOf({ id: 's', verification: { scheme: 'none', allowUnsigned: true } }, {}, { type: 'bad type!' })).toThrow(/letters/);
  });

  it('the shipped schemas accept realistic payloads and name every failing field', () => {
    expect(schemas.validate('github/push', pushPayload())).toEqual([]);
    expect(schemas.validate('stripe/event', stripeEvent())).toEqual([]);
    expect(schemas.validate('hookhub/agent.task.requested', taskPayload())).toEqual([]);
    expect(schemas.validate('hookhub/agent.task.requested', { type: 'agent.task.requested', agent: 'a', task: 't', callback: { url: 'ftp://x' } }).map((e) => e.path)).toEqual(['/callback/url']);
    const issue = { action: 'opened', issue: { id: 1, number: 2, title: 't', state: 'open', user: { login: 'u', id: 3 } }, repository: { id: 1, name: 'r', full_name: 'o/r' }, sender: { login: 'u', id: 3 } };
    expect(schemas.validate('github/issues', issue)).toEqual([]);
    const pr = { action: 'opened', number: 2, pull_request: { id: 1, number: 2, title: 't', state: 'open', user: { login: 'u', id: 3 }, head: { ref: 'f', sha: 'a'.repeat(40) }, base: { ref: 'main', sha: 'b'.repeat(40) } }, repository: { id: 1, name: 'r', full_name: 'o/r' }, sender: { login: 'u', id: 3 } };
    expect(schemas.validate('github/pull_request', pr)).toEqual([]);
  });

  it('maps types to schemas by pattern, rejecting or accepting unknown types as configured', () => {
    const s: SourceConfig = { id: 'st', verification: { scheme: 'none', allowUnsigned: true }, schemas: [{ type: 'stripe.*', schema: 'stripe/event' }], unknownTypes: 'reject' };
    expect(() => assertMatchesSchema(s, 'stripe.invoice.paid', stripeEvent(), schemas)).not.toThrow();
    expect(() => assertMatchesSchema(s, 'stripe.invoice.paid', { id: 'nope' }, schemas)).toThrow(expect.objectContaining({ code: 'schema_violation' }));
    expect(() => assertMatchesSchema(s, 'other.thing', {}, schemas)).toThrow(expect.objectContaining({ code: 'event_type_unknown' }));
    expect(() => assertMatchesSchema({ ...s, unknownTypes: 'accept' }, 'other.thing', {}, schemas)).not.toThrow();
  });

  it('recognises JSON media types', () => {
    expect(isJsonMediaType('application/json')).toBe(true);
    expect(isJsonMediaType('Application/JSON; charset=utf-8')).toBe(true);
    expect(isJsonMediaType('application/vnd.github+json')).toBe(true);
    expect(isJsonMediaType('text/json')).toBe(false);
    expect(isJsonMediaType('application/x-www-form-urlencoded')).toBe(false);
    expect(isJsonMediaType(undefined)).toBe(false);
  });

  it('event ids are UUIDv7 and sort by time', () => {
    const a = newEventId(1_700_000_000_000);
    const b = newEventId(1_700_000_000_001);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a < b).toBe(true);
  });

  it('source problems: unknown schema names, missing or malformed secrets', () => {
    expect(sourceProblems({ id: 'x', verification: { scheme: 'github' }, schemas: [{ type: 'a', schema: 'nope/none' }] }, schemas).map((p) => p.path)).toEqual(['/verification/secrets', '/schemas/0/schema']);
    expect(sourceProblems({ id: 'x', verification: { scheme: 'standard-webhooks', secrets: ['whsec_!!!'] } }, schemas).map((p) => p.path)).toEqual(['/verification/secrets/0']);
    expect(sourceProblems({ id: 'x', verification: { scheme: 'none', allowUnsigned: true } }, schemas)).toEqual([]);
  });

  it('micro-batcher: concurrent submits share batches and each gets its own outcome', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>({
      maxItems: 4,
      lingerMs: 5,
      maxInFlight: 1,
      run: async (items) => {
        batches.push(items);
        return items.map((n) => (n === 3 ? { ok: false as const, error: new Error('three') } : { ok: true as const, value: n * 10 }));
      },
    });
    const results = await Promise.allSettled([1, 2, 3, 4, 5, 6].map((n) => batcher.submit(n)));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([10, 20, 'three', 40, 50, 60]);
    expect(batches).toEqual([[1, 2, 3, 4], [5, 6]]);
    await batcher.drain();
  });
});
