import { Webhook } from 'svix';
import { parseDuration } from '../../src/platform/durations';
import { matchSubscriptions } from '../../src/delivery/domain/matching';
import { decide, parseRetryAfter, withJitter } from '../../src/delivery/domain/retry-policy';
import { generateSecret, isValidSecret, liveSecrets } from '../../src/delivery/domain/secrets';
import { signDelivery } from '../../src/delivery/domain/signing';
import { AllowList, isForbiddenAddress, unmapIPv4 } from '../../src/platform/outbound/address-policy';

// Scenario: the delivery domain rules without any I/O: durations, the retry decision, secrets and signing,
// subscription matching with the loop guard, and the SSRF address classes.
describe('delivery domain', () => {
  it('parses durations', () => {
    expect(['0', '200ms', '5s', '5m', '2h', '1d', '250'].map(parseDuration)).toEqual([0, 200, 5000, 300000, 7200000, 86400000, 250]);
    expect(() => parseDuration('soon')).toThrow(/not a duration/);
  });

  it('decides retry, exhaustion, 410 and Retry-After', () => {
    const base = { schedule: [0, 200, 400], jitterPercent: 0, maxRetryAfterMs: 5000 };
    expect(decide({ ...base, outcome: { status: 204 }, attemptsMade: 1 })).toEqual({ action: 'succeeded' });
    expect(decide({ ...base, outcome: { status: 302, errorKind: 'http_status' }, attemptsMade: 1 })).toEqual({ action: 'retry', delayMs: 200 });
    expect(decide({ ...base, outcome: { errorKind: 'timeout' }, attemptsMade: 2 })).toEqual({ action: 'retry', delayMs: 400 });
    expect(decide({ ...base, outcome: { status: 500, errorKind: 'http_status' }, attemptsMade: 3 })).toEqual({ action: 'exhausted' });
    expect(decide({ ...base, outcome: { status: 410, errorKind: 'http_status' }, attemptsMade: 1 })).toEqual({ action: 'gone' });
    expect(decide({ ...base, outcome: { status: 429, errorKind: 'http_status', retryAfterMs: 60000 }, attemptsMade: 1 })).toEqual({ action: 'retry', delayMs: 5000 });
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(Date.now() + 10000).toUTCString(), Date.now())).toBeGreaterThan(8000);
    expect(parseRetryAfter('later')).toBeUndefined();
    expect(withJitter(1000, 20, () => 0)).toBe(800);
    expect(withJitter(1000, 20, () => 1)).toBe(1200);
  });

  it('makes whsec_ secrets and signs with every live one', () => {
    const a = generateSecret();
    const b = generateSecret(24);
    expect(isValidSecret(a) && isValidSecret(b)).toBe(true);
    expect(isValidSecret('whsec_c2hvcnQ=')).toBe(false);
    expect(liveSecrets([{ secret: a }, { secret: b, expiresAt: new Date(Date.now() - 1) }])).toEqual([a]);
    const body = Buffer.from('{"x":1}');
    const h = signDelivery('msg_1', body, [a, b]);
    expect(h['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(b).verify(body, { 'svix-id': h['svix-id'], 'svix-timestamp': h['svix-timestamp'], 'svix-signature': h['svix-signature'] })).toEqual({ x: 1 });
  });

  it('matches patterns and filters, and never sends an event about a subscription to itself', () => {
    const subs = [
      { id: 'a', eventTypes: ['hookhub.*'], enabled: true },
      { id: 'b', eventTypes: ['hookhub.execution.*'], filter: { '/execution/agent': 'x' }, enabled: true },
      { id: 'c', eventTypes: ['*'], enabled: false },
    ];
    expect(matchSubscriptions(subs, { type: 'hookhub.execution.failed', body: { execution: { agent: 'x' } } }).map((s) => s.id)).toEqual(['a', 'b']);
    expect(matchSubscriptions(subs, { type: 'hookhub.execution.failed', body: { execution: { agent: 'y' } } }).map((s) => s.id)).toEqual(['a']);
    expect(matchSubscriptions(subs, { type: 'hookhub.delivery.exhausted', body: {}, aboutSubscription: 'a' })).toEqual([]);
  });

  it('classifies addresses for the SSRF guard', () => {
    for (const bad of ['127.0.0.1', '10.0.0.8', '172.31.255.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', '::', 'fe80::1', 'fd00::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:8.8.8.8', '64:ff9b::808:808', '64:ff9b:1::a00:1', '2002:7f00:1::1', '2002:808:808::1']) {
      expect([bad, isForbiddenAddress(bad)]).toEqual([bad, true]);
    }
    for (const good of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '2001:db9::1', '64:ff9c::1']) expect([good, isForbiddenAddress(good)]).toEqual([good, false]);
    expect(unmapIPv4('::ffff:7f00:1')).toBe('127.0.0.1');
    const allow = new AllowList(['127.0.0.1/32', 'fd00::/8', 'internal.example']);
    expect(isForbiddenAddress('127.0.0.1', allow)).toBe(false);
    expect(isForbiddenAddress('127.0.0.2', allow)).toBe(true);
    expect(isForbiddenAddress('fd12::1', allow)).toBe(false);
    expect(allow.allowsHost('INTERNAL.example')).toBe(true);
  });
});
