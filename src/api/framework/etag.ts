/**
 * Optimistic concurrency: every stored object carries a `version` incremented on each update, sent as
 * `ETag: "<version>"`. An update with `If-Match: "<version>"` applies only when the version still matches
 * (otherwise 412 `precondition_failed`); without If-Match (or with `*`) the update is unconditional.
 */
import { AppError } from '../../platform/errors';

export const etagOf = (version: number): string => `"${version}"`;

/** Parses If-Match into the expected version; undefined when absent or `*`. Weak tags compare like strong ones. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === '*') return undefined;
  const m = /^(?:W\/)?"(\d{1,15})"$/.exec(value);
  if (!m) {
    throw new AppError('validation_failed', 'If-Match must be an ETag this API sent, like "3"', { errors: [{ path: '/headers/if-match', message: 'must be an ETag like "3"' }] });
  }
  return Number(m[1]);
}
