/**
 * Optimistic concurrency: every stored object carries a `version` incremented on each update, sent as
 * `ETag: "<version>"`. An update with `If-Match: "<version>"` applies only when the version still matches
 * (otherwise 412 `precondition_failed`); without If-Match (or with `*`) the update is unconditional.
 */
import { AppError } from '../../platform/errors';

export const etagOf = (version: number): string => `"${version}"`;

/** What `ETag` looks like and what `If-Match` may be; published in the OpenAPI document as the header patterns. */
export const ETAG_PATTERN = '^"[0-9]{1,15}"$';
export const IF_MATCH_PATTERN = '^(\\*|(W/)?"[0-9]{1,15}")$';
const IF_MATCH = new RegExp(IF_MATCH_PATTERN);

/** Parses If-Match into the expected version; undefined when absent or `*`. Weak tags compare like strong ones. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (!IF_MATCH.test(value)) {
    throw new AppError('validation_failed', 'If-Match must be an ETag this API sent, like "3"', { errors: [{ path: '/headers/if-match', message: 'must be an ETag like "3"' }] });
  }
  return value === '*' ? undefined : Number(value.slice(value.indexOf('"') + 1, -1));
}
