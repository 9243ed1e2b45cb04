import { signBytes } from '../../platform/standard-webhooks';

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
  'svix-id': string;
  'svix-timestamp': string;
  'svix-signature': string;
}

/**
 * Standard Webhooks signature of the exact body bytes with every live secret (space-separated `v1,<b64>`
 * during a rotation, so receivers holding either secret verify), under both header spellings. Bytes, not text:
 * a body stored as base64 (not valid UTF-8) is signed as the bytes the receiver gets.
 */
export function signDelivery(deliveryId: string, body: Buffer, secrets: string[], at = new Date()): SignedHeaders {
  if (secrets.length === 0) throw new Error('a subscription needs at least one live secret to sign');
  const signature = secrets.map((s) => signBytes(s, deliveryId, at, body)).join(' ');
  const timestamp = String(Math.floor(at.getTime() / 1000));
  return {
    'webhook-id': deliveryId,
    'webhook-timestamp': timestamp,
    'webhook-signature': signature,
    'svix-id': deliveryId,
    'svix-timestamp': timestamp,
    'svix-signature': signature,
  };
}
