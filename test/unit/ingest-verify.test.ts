import { createHmac } from 'node:crypto';
import { sign as githubSign } from '@octokit/webhooks-methods';
import Stripe from 'stripe';
import { Webhook } from 'svix';
import type { SourceConfig } from '../../src/config/types';
import { AppError } from '../../src/platform/errors';
import { verifySignature } from '../../src/ingest/domain/verify';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof AppError ? err.code : `not an AppError: ${(err as Error).message}`;
  }
};

const source = (verification: SourceConfig['verification']): SourceConfig => ({ id: 's', verification });

// Scenario: each scheme accepts what the provider's own library signs, with any live secret, and names the
// reason when it refuses: missing headers, a wrong signature, a timestamp outside the tolerance.
describe('signature verification', () => {
  const body = Buffer.from('{"hello":"world"}');

  it('github: sha256 HMAC signed by @octokit/webhooks-methods, any live secret', async () => {
    const s = source({ scheme: 'github', secrets: ['old', 'new'] });
    const headers = { 'x-hub-signature-256': await githubSign({ secret: 'old', algorithm: 'sha256' }, body.toString()) };
    expect(code(() => verifySignature(s, body, headers))).toBeUndefined();
    expect(code(() => verifySignature(s, Buffer.from('{"hello":"world!"}'), headers))).toBe('signature_invalid');
    expect(code(() => verifySignature(s, body, { 'x-hub-signature-256': 'sha1=abc' }))).toBe('signature_invalid');
    expect(code(() => verifySignature(s, body, {}))).toBe('signature_missing');
  });

  it('stripe: several v1 signatures, 300 s tolerance both ways', () => {
    const stripe = new Stripe('sk_test_unused');
    const s = source({ scheme: 'stripe', secrets: ['whsec_a'] });
    const now = Date.now();
    const header = stripe.webhooks.generateTestHeaderString({ payload: body.toString(), secret: 'whsec_a', timestamp: Math.floor(now / 1000) });
    const withExtra = header.replace(',v1=', `,v1=${'0'.repeat(64)},v1=`);
    expect(code(() => verifySignature(s, body, { 'stripe-signature': withExtra }, now))).toBeUndefined();
    expect(code(() => verifySignature(s, body, { 'stripe-signature': header }, now + 301_000))).toBe('timestamp_stale');
    expect(code(() => verifySignature(s, body, { 'stripe-signature': header }, now - 301_000))).toBe('timestamp_stale');
    expect(code(() => verifySignature(s, body, { 'stripe-signature': header }, now + 299_000))).toBeUndefined();
    expect(code(() => verifySignature(s, body, { 'stripe-signature': header.replace(/t=\d+,/, '') }, now))).toBe('signature_missing');
  });

  it('standard-webhooks: svix signatures, branded headers', () => {
    const secret = 'whsec_' + Buffer.from('0123456789abcdef0123456789abcdef').toString('base64');
    const s = source({ scheme: 'standard-webhooks', secrets: [secret] });
    const at = new Date();
    const sig = new Webhook(secret).sign('msg_1', at, body);
    const ts = String(Math.floor(at.getTime() / 1000));
    expect(code(() => verifySignature(s, body, { 'webhook-id': 'msg_1', 'webhook-timestamp': ts, 'webhook-signature': sig }))).toBeUndefined();
    expect(code(() => verifySignature(s, body, { 'svix-id': 'msg_1', 'svix-timestamp': ts, 'svix-signature': sig }))).toBeUndefined();
    expect(code(() => verifySignature(s, body, { 'webhook-id': 'msg_2', 'webhook-timestamp': ts, 'webhook-signature': sig }))).toBe('signature_invalid');
    expect(code(() => verifySignature(s, body, { 'webhook-id': 'msg_1', 'webhook-timestamp': 'soon', 'webhook-signature': sig }))).toBe('signature_invalid');
    expect(code(() => verifySignature(s, body, { 'webhook-id': 'msg_1', 'webhook-signature': sig }))).toBe('signature_missing');
  });

  it('hmac-sha256: hex by default, base64 and a prefix when configured', () => {
    const hex = createHmac('sha256', 'k').update(body).digest('hex');
    expect(code(() => verifySignature(source({ scheme: 'hmac-sha256', secrets: ['k'] }), body, { 'x-signature': hex }))).toBeUndefined();
    const b64 = createHmac('sha256', 'k').update(body).digest('base64');
    const s = source({ scheme: 'hmac-sha256', secrets: ['k'], header: 'X-Sig', encoding: 'base64', prefix: 'v1=' });
    expect(code(() => verifySignature(s, body, { 'x-sig': `v1=${b64}` }))).toBeUndefined();
    expect(code(() => verifySignature(s, body, { 'x-sig': b64 }))).toBe('signature_invalid');
  });

  it('none: accepts anything', () => {
    expect(code(() => verifySignature(source({ scheme: 'none', allowUnsigned: true }), body, {}))).toBeUndefined();
  });
});
