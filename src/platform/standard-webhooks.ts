import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks signatures over the exact body bytes. svix's `Webhook.sign`/`verify` accept a Buffer but
 * decode it as UTF-8 first, so a body that is not valid UTF-8 is signed as its replacement characters: the
 * signature then fits any body that decodes the same way, and a receiver verifying the bytes it got rejects it.
 * This is the spec's algorithm on bytes: `v1,` + base64(HMAC-SHA256(key, "<id>.<timestamp>." + body)), the key
 * being the base64 after `whsec_`. For UTF-8 bodies it gives svix's signatures exactly
 * (test/security/standard-webhooks.test.ts proves it against the library).
 */
export const SECRET_PREFIX = 'whsec_';

const keys = new Map<string, Buffer>();

function keyOf(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
    if (keys.size > 10000) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

function digest(secret: string, msgId: string, timestampSeconds: number | string, body: Buffer): Buffer {
  return createHmac('sha256', keyOf(secret)).update(`${msgId}.${timestampSeconds}.`).update(body).digest();
}

/** One `v1,<base64>` signature of `body` made with `secret`. */
export function signBytes(secret: string, msgId: string, at: Date, body: Buffer): string {
  return `v1,${digest(secret, msgId, Math.floor(at.getTime() / 1000), body).toString('base64')}`;
}

/**
 * Whether any `v1,<base64>` in the space-separated `signature` header is the signature of `body` under one of
 * `secrets`. The timestamp is taken as given (check its freshness first); comparisons are constant-time.
 */
export function verifyBytes(secrets: readonly string[], msgId: string, timestamp: string, signature: string, body: Buffer): boolean {
  const given = signature
    .split(' ')
    .map((s) => s.split(','))
    .filter(([version, b64]) => version === 'v1' && b64 !== undefined && b64.length > 0)
    .map(([, b64]) => Buffer.from(b64 as string, 'base64'));
  if (given.length === 0) return false;
  for (const secret of secrets) {
    const expected = digest(secret, msgId, timestamp, body);
    if (given.some((g) => g.length === expected.length && timingSafeEqual(g, expected))) return true;
  }
  return false;
}
