import { randomBytes } from 'node:crypto';

/** Standard Webhooks secrets: `whsec_` + base64 of 24–64 random bytes. */
export const SECRET_PREFIX = 'whsec_';

export function generateSecret(bytes = 32): string {
  return SECRET_PREFIX + randomBytes(bytes).toString('base64');
}

export function isValidSecret(secret: string): boolean {
  if (!secret.startsWith(SECRET_PREFIX)) return false;
  const b64 = secret.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return false;
  const n = Buffer.from(b64, 'base64').length;
  return n >= 24 && n <= 64;
}

export interface StoredSecret {
  secret: string;
  /** Set on a rotated-out secret: it keeps signing alongside the new one until then. */
  expiresAt?: Date | null;
}

/** Secrets that still sign at `now`: the current one and any rotated-out ones within their grace period. */
export function liveSecrets(secrets: StoredSecret[], now = new Date()): string[] {
  return secrets.filter((s) => !s.expiresAt || s.expiresAt.getTime() > now.getTime()).map((s) => s.secret);
}
