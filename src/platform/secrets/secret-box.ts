import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';

/**
 * Secrets at rest: every secret the hub stores in MongoDB (source secrets, subscription secrets, runner secrets
 * and header values) is sealed with AES-256-GCM under HOOKHUB_SECRETS_KEY. A sealed value names the key it was
 * sealed with: `enc:v1:<key id>:<iv>:<ciphertext>:<tag>` (base64url parts; the key id is the first 12 hex digits
 * of the key's SHA-256), so values sealed with a previous key stay readable while `hookhub secrets rotate-key`
 * reseals them. A value without the prefix is a plain one written before encryption existed: it is read as it
 * is and sealed by the migration at start.
 */
const PREFIX = 'enc:v1:';

export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretKeyError';
  }
}

/** Decodes a key given as base64 (or base64url) of 32 bytes, e.g. `openssl rand -base64 32`. */
export function parseSecretsKey(text: string, name: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new SecretKeyError(`${name} must be 32 random bytes in base64 (openssl rand -base64 32), got ${key.length} bytes`);
  return key;
}

export const secretsKeyId = (key: Buffer): string => createHash('sha256').update(key).digest('hex').slice(0, 12);

export const newSecretsKey = (): string => randomBytes(32).toString('base64');

export class SecretBox {
  private readonly keys = new Map<string, Buffer>();
  readonly currentId: string;

  constructor(
    private readonly current: Buffer,
    previous: readonly Buffer[] = [],
  ) {
    this.currentId = secretsKeyId(current);
    for (const k of previous) this.keys.set(secretsKeyId(k), k);
    this.keys.set(this.currentId, current);
  }

  static isSealed(value: string): boolean {
    return value.startsWith(PREFIX);
  }

  /** True when `value` is sealed with the current key (nothing to migrate or rotate). */
  isCurrent(value: string): boolean {
    return value.startsWith(`${PREFIX}${this.currentId}:`);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current, iv);
    cipher.setAAD(Buffer.from(`${PREFIX}${this.currentId}`));
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}${this.currentId}:${iv.toString('base64url')}:${ct.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}`;
  }

  /** The plain value; a plain (legacy) value is returned as it is. */
  open(value: string): string {
    if (!SecretBox.isSealed(value)) return value;
    const [kid, iv, ct, tag] = value.slice(PREFIX.length).split(':');
    const key = kid ? this.keys.get(kid) : undefined;
    if (!key || !iv || ct === undefined || !tag) {
      throw new SecretKeyError(`a stored secret is sealed with key ${kid ?? '?'}, which is neither HOOKHUB_SECRETS_KEY nor in HOOKHUB_SECRETS_PREVIOUS_KEYS`);
    }
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(`${PREFIX}${kid}`));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Seals a value that is plain or sealed with an older key; returns it unchanged when already current. */
  reseal(value: string): string {
    return this.isCurrent(value) ? value : this.seal(this.open(value));
  }
}

/** The box of the process's settings; fails naming the setting when the key is missing or malformed. */
export function secretBoxFromSettings(env: { secretsKey: string; secretsPreviousKeys: readonly string[] }): SecretBox {
  if (!env.secretsKey) throw new SecretKeyError('HOOKHUB_SECRETS_KEY is not set: secrets are stored encrypted with it (openssl rand -base64 32; `npm start` makes a dev key)');
  return new SecretBox(
    parseSecretsKey(env.secretsKey, 'HOOKHUB_SECRETS_KEY'),
    env.secretsPreviousKeys.map((k, i) => parseSecretsKey(k, `HOOKHUB_SECRETS_PREVIOUS_KEYS[${i}]`)),
  );
}

// The box travels with the connection: every repository that stores secrets is built from a connection, in
// the hub and in CLI commands alike, and must seal with the same key.
const boxes = new WeakMap<Connection, SecretBox>();

export function attachSecretBox(conn: Connection, box: SecretBox): void {
  boxes.set(conn, box);
}

/** The box attached to `conn`; one that refuses to seal or open anything when none was attached. */
export function secretBoxOf(conn: Connection): Sealer {
  return boxes.get(conn) ?? missing;
}

/** Stands in when no key was configured: plain values still read (legacy), nothing can be sealed. */
class MissingSecretBox implements Sealer {
  isCurrent(): boolean {
    return false;
  }
  seal(): string {
    throw new SecretKeyError('HOOKHUB_SECRETS_KEY is not set: a secret cannot be stored');
  }
  open(value: string): string {
    if (SecretBox.isSealed(value)) throw new SecretKeyError('HOOKHUB_SECRETS_KEY is not set: a stored secret cannot be read');
    return value;
  }
  reseal(): string {
    return this.seal();
  }
}
const missing = new MissingSecretBox();

/** What repositories need: seal on write, open on read. */
export type Sealer = Pick<SecretBox, 'seal' | 'open' | 'isCurrent' | 'reseal'>;
