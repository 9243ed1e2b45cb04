import { catalogue, PROBLEM_BASE, type ErrorCode } from '../../platform/errors';
import { errorNotes } from '../../platform/error-notes';

/** Written where a code has no note, so the errors-reference test can name what is missing. */
export const UNDOCUMENTED = '(undocumented)';

/** docs/reference/errors.md, generated from the error catalogue and its notes. */
export function errorsReference(): string {
  const codes = Object.keys(catalogue) as ErrorCode[];
  const rows = codes.map((code) => `| \`${code}\` | ${catalogue[code].status} | ${catalogue[code].title} | ${(errorNotes[code] ?? UNDOCUMENTED).replace(/\|/g, '\\|')} |`);
  return [
    '# Error reference',
    '',
    '<!-- generated from src/platform/errors.ts and src/platform/error-notes.ts by `hookhub docs errors --write`; do not edit -->',
    '',
    'Every error a client sees is an RFC 9457 `application/problem+json` body:',
    '',
    '```json',
    `{"type": "${PROBLEM_BASE}signature_invalid", "title": "${catalogue.signature_invalid.title}",`,
    ' "status": 401, "detail": "…", "code": "signature_invalid", "instance": "/webhooks/github"}',
    '```',
    '',
    '`code` is stable: match on it, not on `title` or `detail`. `type` is the code under',
    `\`${PROBLEM_BASE}\`. Validation problems add \`errors: [{path, message}]\`; answers that may be retried`,
    'carry `Retry-After`. Anything not in this table is answered as a bare `500` with code `internal`, which',
    'leaks nothing. The OpenAPI document lists, per operation, the codes it may answer.',
    '',
    '| Code | Status | Title | When |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
