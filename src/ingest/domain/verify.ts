import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SourceConfig } from '../../config/types';
import { AppError } from '../../platform/errors';
import { verifyBytes } from '../../platform/standard-webhooks';

/** Request headers as Node gives them: lower-case names. */
export type Headers = Record<string, string | string[] | undefined>;

export const DEFAULT_TOLERANCE_SECONDS = 300;

export function headerValue(headers: Headers, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

const missing = (what: string): AppError => new AppError('signature_missing', `${what} is missing`);
const invalid = (): AppError => new AppError('signature_invalid', 'no live secret of this source produces the given signature');
const stale = (age: number, tolerance: number): AppError =>
  new AppError('timestamp_stale', `timestamp is ${Math.abs(age)} s ${age < 0 ? 'in the future' : 'old'}; the tolerance is ${tolerance} s`);

function hmac(secret: string | Buffer, ...parts: (string | Buffer)[]): Buffer {
  const h = createHmac('sha256', secret);
  for (const p of parts) h.update(p);
  return h.digest();
}

/** Constant-time comparison of two byte strings; different lengths never match (and leak only the length). */
export function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function assertFresh(timestamp: string, tolerance: number, nowSeconds: number): void {
  if (!/^\d{1,12}$/.test(timestamp)) throw new AppError('signature_invalid', 'timestamp is not a number of seconds');
  const age = nowSeconds - Number(timestamp);
  if (Math.abs(age) > tolerance) throw stale(age, tolerance);
}

/**
 * Standard Webhooks (and Svix-branded headers): `webhook-id`, `webhook-timestamp`, `webhook-signature` with one
 * or more space-separated `v1,<base64>` signatures over the exact bytes received; any live secret verifies.
 * svix's own 5-minute window applies on top of the source's tolerance, as its verifier would.
 */
function verifyStandardWebhooks(source: SourceConfig, raw: Buffer, headers: Headers, now: number): void {
  const id = headerValue(headers, 'webhook-id') ?? headerValue(headers, 'svix-id');
  const timestamp = headerValue(headers, 'webhook-timestamp') ?? headerValue(headers, 'svix-timestamp');
  const signature = headerValue(headers, 'webhook-signature') ?? headerValue(headers, 'svix-signature');
  if (!id || !timestamp || !signature) throw missing('webhook-id, webhook-timestamp or webhook-signature (or the svix-* equivalents)');
  assertFresh(timestamp, Math.min(source.verification.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS, DEFAULT_TOLERANCE_SECONDS), now);
  if (verifyBytes(source.verification.secrets ?? [], id, timestamp, signature, raw)) return;
  throw invalid();
}

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`. */
function verifyGithub(source: SourceConfig, raw: Buffer, headers: Headers): void {
  const header = headerValue(headers, 'x-hub-signature-256');
  if (!header) throw missing('X-Hub-Signature-256');
  const m = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!m?.[1]) throw new AppError('signature_invalid', 'X-Hub-Signature-256 must be sha256=<64 hex digits>');
  const given = Buffer.from(m[1], 'hex');
  for (const secret of source.verification.secrets ?? []) {
    if (safeEqual(hmac(secret, raw), given)) return;
  }
  throw invalid();
}

/**
 * Stripe, as its docs describe it: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]`, each v1 an HMAC-SHA256 of
 * `<t>.<raw body>` keyed with the endpoint secret (used as given, `whsec_` included); 300 s tolerance.
 */
function verifyStripe(source: SourceConfig, raw: Buffer, headers: Headers, now: number): void {
  const header = headerValue(headers, 'stripe-signature');
  if (!header) throw missing('Stripe-Signature');
  let t: string | undefined;
  const v1: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === 't') t = v;
    else if (k === 'v1' && /^[0-9a-fA-F]{64}$/.test(v)) v1.push(Buffer.from(v, 'hex'));
  }
  if (!t) throw missing('the t= timestamp of Stripe-Signature');
  if (v1.length === 0) throw missing('a v1= signature in Stripe-Signature');
  assertFresh(t, source.verification.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS, now);
  for (const secret of source.verification.secrets ?? []) {
    const expected = hmac(secret, `${t}.`, raw);
    if (v1.some((given) => safeEqual(expected, given))) return;
  }
  throw invalid();
}

/** Generic in-house HMAC-SHA256 of the raw body in a configurable header, hex or base64, optional prefix. */
function verifyHmac(source: SourceConfig, raw: Buffer, headers: Headers): void {
  const name = source.verification.header ?? 'x-signature';
  let value = headerValue(headers, name)?.trim();
  if (!value) throw missing(name);
  const prefix = source.verification.prefix ?? '';
  if (prefix) {
    if (!value.startsWith(prefix)) throw new AppError('signature_invalid', `${name} must start with "${prefix}"`);
    value = value.slice(prefix.length);
  }
  const encoding = source.verification.encoding ?? 'hex';
  const given = Buffer.from(value, encoding);
  for (const secret of source.verification.secrets ?? []) {
    if (safeEqual(hmac(secret, raw), given)) return;
  }
  throw invalid();
}

/** Verifies the request's signature over the exact raw bytes, before anything parses them; throws 401 problems. */
export function verifySignature(source: SourceConfig, raw: Buffer, headers: Headers, nowMs = Date.now()): void {
  const now = Math.floor(nowMs / 1000);
  switch (source.verification.scheme) {
    case 'standard-webhooks':
      return verifyStandardWebhooks(source, raw, headers, now);
    case 'github':
      return verifyGithub(source, raw, headers);
    case 'stripe':
      return verifyStripe(source, raw, headers, now);
    case 'hmac-sha256':
      return verifyHmac(source, raw, headers);
    case 'none':
      // Sources stored before `allowUnsigned` existed stay closed until an admin opens them on purpose.
      if (source.verification.allowUnsigned !== true) throw new AppError('signature_invalid', `source ${source.id} has no signing scheme and does not allow unsigned requests (allowUnsigned)`);
      return;
  }
}
