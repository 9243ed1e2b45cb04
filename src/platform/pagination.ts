/**
 * Cursor pagination over a stable order (createdAt desc, _id desc). The cursor is opaque to clients
 * (base64url of the last item's sort key); a malformed cursor is a 400, never a query fragment.
 */
import { AppError } from './errors';
import type { MongoFilter } from './query-filter';

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 200;

export interface PageRequest {
  limit?: number;
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface CursorKey {
  createdAt: Date;
  id: string;
}

export const PAGE_SORT = { createdAt: -1, _id: -1 } as const;

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.createdAt.toISOString(), key.id])).toString('base64url');
}

export function decodeCursor(cursor: string): CursorKey {
  const invalid = (): AppError => new AppError('validation_failed', 'cursor is not valid', { errors: [{ path: '/query/cursor', message: 'is not a valid cursor' }] });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string') throw invalid();
  const createdAt = new Date(parsed[0]);
  if (Number.isNaN(createdAt.getTime()) || parsed[1].length === 0 || parsed[1].length > 200) throw invalid();
  return { createdAt, id: parsed[1] };
}

/** Items strictly after the cursor in (createdAt desc, _id desc) order. */
export function cursorFilter(cursor: string | undefined): MongoFilter | undefined {
  if (cursor === undefined) return undefined;
  const { createdAt, id } = decodeCursor(cursor);
  return { $or: [{ createdAt: { $lt: createdAt } }, { createdAt, _id: { $lt: id } }] };
}

export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_LIMIT;
  return Math.min(MAX_PAGE_LIMIT, Math.max(1, Math.trunc(limit)));
}

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only says that there is a next page.
 * `keyOf` reads the sort key of a row.
 */
export function toPage<R, T>(rows: R[], limit: number, keyOf: (row: R) => CursorKey, map: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(map), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
