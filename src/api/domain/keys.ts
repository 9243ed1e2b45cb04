/**
 * API keys: `hh_` + 32 random bytes (base64url). Only the SHA-256 of a key is stored (a fast hash is enough
 * for 256-bit random secrets: there is nothing to brute-force), plus a short prefix to tell keys apart.
 */
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../platform/errors';
import type { Page, PageRequest } from '../../platform/pagination';
import type { ApiRole, Principal } from '../framework/route';

export const KEY_PATTERN = /^hh_[A-Za-z0-9_-]{43}$/;
const PREFIX_LENGTH = 11;
/** lastUsedAt is written at most this often per key, so authentication stays a read. */
export const TOUCH_INTERVAL_MS = 60_000;

export interface ApiKeyRecord {
  id: string;
  name: string;
  role: ApiRole;
  prefix: string;
  hash: string;
  createdAt: Date;
  createdBy: string;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  version: number;
}

export interface ApiKeyView {
  id: string;
  name: string;
  role: ApiRole;
  prefix: string;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  version: number;
}

export interface KeyListFilter extends PageRequest {
  role?: ApiRole;
  revoked?: boolean;
}

/** What the use cases need from storage (implemented in data-access). */
export interface KeyStore {
  insert(record: ApiKeyRecord): Promise<void>;
  findByHash(hash: string): Promise<ApiKeyRecord | null>;
  get(id: string): Promise<ApiKeyRecord | null>;
  list(filter: KeyListFilter): Promise<Page<ApiKeyRecord>>;
  /** Applies `changes` when the version matches (or `expectedVersion` is undefined); bumps the version. */
  update(id: string, changes: Partial<Pick<ApiKeyRecord, 'name' | 'revokedAt'>>, expectedVersion?: number): Promise<ApiKeyRecord | 'not_found' | 'version_mismatch'>;
  touch(id: string, at: Date): Promise<void>;
}

export const hashKey = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export function newKeySecret(): string {
  return `hh_${randomBytes(32).toString('base64url')}`;
}

export function toKeyView(r: ApiKeyRecord): ApiKeyView {
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    prefix: r.prefix,
    createdAt: r.createdAt.toISOString(),
    createdBy: r.createdBy,
    lastUsedAt: r.lastUsedAt ? r.lastUsedAt.toISOString() : null,
    revokedAt: r.revokedAt ? r.revokedAt.toISOString() : null,
    version: r.version,
  };
}

export async function createKey(store: KeyStore, input: { role: ApiRole; name?: string; createdBy: string }): Promise<{ record: ApiKeyRecord; secret: string }> {
  const secret = newKeySecret();
  const id = `key_${randomBytes(8).toString('hex')}`;
  const record: ApiKeyRecord = {
    id,
    name: input.name ?? id,
    role: input.role,
    prefix: secret.slice(0, PREFIX_LENGTH),
    hash: hashKey(secret),
    createdAt: new Date(),
    createdBy: input.createdBy,
    lastUsedAt: null,
    revokedAt: null,
    version: 1,
  };
  await store.insert(record);
  return { record, secret };
}

function ensureUpdated(result: ApiKeyRecord | 'not_found' | 'version_mismatch', id: string): ApiKeyRecord {
  if (result === 'not_found') throw new AppError('not_found', `no API key ${id}`);
  if (result === 'version_mismatch') throw new AppError('precondition_failed', `API key ${id} changed since you read it`);
  return result;
}

export async function getKey(store: KeyStore, id: string): Promise<ApiKeyRecord> {
  const r = await store.get(id);
  if (!r) throw new AppError('not_found', `no API key ${id}`);
  return r;
}

export async function renameKey(store: KeyStore, id: string, name: string, expectedVersion?: number): Promise<ApiKeyRecord> {
  return ensureUpdated(await store.update(id, { name }, expectedVersion), id);
}

/** Revoking is idempotent: revoking a revoked key returns it unchanged. */
export async function revokeKey(store: KeyStore, id: string): Promise<ApiKeyRecord> {
  const current = await getKey(store, id);
  if (current.revokedAt) return current;
  return ensureUpdated(await store.update(id, { revokedAt: new Date() }), id);
}

/**
 * Resolves a bearer token to its principal: unknown, malformed and revoked keys are all the same 401, so a
 * caller learns nothing about which keys exist. `lastUsedAt` is refreshed at most once per TOUCH_INTERVAL_MS.
 */
export async function authenticate(store: KeyStore, secret: string | undefined, onTouchError: (err: unknown) => void, now = new Date()): Promise<Principal> {
  if (!secret || !KEY_PATTERN.test(secret)) throw new AppError('unauthorized', 'send a valid API key as Authorization: Bearer hh_…');
  const record = await store.findByHash(hashKey(secret));
  if (!record || record.revokedAt) throw new AppError('unauthorized', 'send a valid API key as Authorization: Bearer hh_…');
  if (!record.lastUsedAt || now.getTime() - record.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
    store.touch(record.id, now).catch(onTouchError);
  }
  return { keyId: record.id, name: record.name, role: record.role };
}
