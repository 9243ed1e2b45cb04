/**
 * Cursors for collections listed in id (or name) order, such as sources, agents and routes: the cursor is the
 * base64url of the last id of the page, opaque to clients; a malformed one is a 400 naming the parameter.
 */
import { AppError } from '../../platform/errors';
import { pageLimit, type Page } from '../../platform/pagination';

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export function encodeIdCursor(id: string): string {
  return Buffer.from(`id:${id}`, 'utf8').toString('base64url');
}

export function decodeIdCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = text.startsWith('id:') ? text.slice(3) : '';
  if (!ID.test(id)) throw new AppError('validation_failed', 'cursor is not valid', { errors: [{ path: '/query/cursor', message: 'is not a valid cursor' }] });
  return id;
}

/** `limit + 1` rows in id order → a page whose cursor is the last id shown. */
export function toIdPage<R, T>(rows: R[], limit: number | undefined, idOf: (row: R) => string, map: (row: R) => T): Page<T> {
  const n = pageLimit(limit);
  const items = rows.slice(0, n);
  const last = items[items.length - 1];
  return { items: items.map(map), nextCursor: rows.length > n && last !== undefined ? encodeIdCursor(idOf(last)) : null };
}
