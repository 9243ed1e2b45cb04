/**
 * Cursors for collections listed in id (or name) order, such as sources, agents and routes: the base64url of the
 * last id of the page. Any string of that form (the pattern in schemas/api/common/page.json) decodes to some
 * string, which is only ever compared with ids, so every cursor the API document allows is answered.
 */
import { pageLimit, type Page } from '../../platform/pagination';

export function encodeIdCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

export function decodeIdCursor(cursor: string | undefined): string | undefined {
  return cursor === undefined ? undefined : Buffer.from(cursor, 'base64url').toString('utf8');
}

/** `limit + 1` rows in id order → a page whose cursor is the last id shown. */
export function toIdPage<R, T>(rows: R[], limit: number | undefined, idOf: (row: R) => string, map: (row: R) => T): Page<T> {
  const n = pageLimit(limit);
  const items = rows.slice(0, n);
  const last = items[items.length - 1];
  return { items: items.map(map), nextCursor: rows.length > n && last !== undefined ? encodeIdCursor(idOf(last)) : null };
}
