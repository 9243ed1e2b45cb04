/**
 * Cursor pagination over a stable order (createdAt desc, _id desc). The cursor is `<ms>.<base64url id>`, the sort
 * key of the last item shown: opaque to clients, but its form is the pattern the API document publishes
 * (schemas/api/common/page.json), and every string of that form decodes, so the document and the server agree
 * on what a valid cursor is.
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

const CURSOR = /^(\d{1,15})\.([A-Za-z0-9_-]{1,400})$/;

export function encodeCursor(key: CursorKey): string {
  return `${key.createdAt.getTime()}.${Buffer.from(key.id, 'utf8').toString('base64url')}`;
}

export function decodeCursor(cursor: string): CursorKey {
  const m = CURSOR.exec(cursor);
  if (!m) throw new AppError('validation_failed', 'cursor is not valid', { errors: [{ path: '/query/cursor', message: 'must be <milliseconds>.<base64url id>, as in nextCursor' }] });
  return { createdAt: new Date(Number(m[1])), id: Buffer.from(m[2] as string, 'base64url').toString('utf8') };
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
