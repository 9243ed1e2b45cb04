import { Webhook } from 'svix';
import type { SourceConfig } from '../../config/types';
import { API_SOURCE_ID } from '../../platform/task-requests';

export interface SchemaNames {
  has(name: string): boolean;
}

/**
 * Problems that would make a source fail every request (schema names that do not exist, a signing scheme
 * without secrets, Standard Webhooks secrets that are not `whsec_<base64>`) or accept requests it should not
 * (scheme none without `allowUnsigned: true`, the reserved id `api`). Empty when the source is usable.
 * Boot fails on these for config-file sources; the API can answer them as field errors.
 */
export function sourceProblems(source: SourceConfig, schemas: SchemaNames): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const v = source.verification;
  if (source.id === API_SOURCE_ID) problems.push({ path: '/id', message: `is reserved (the API's own task events)` });
  if (v.scheme === 'none' && v.allowUnsigned !== true) problems.push({ path: '/verification/allowUnsigned', message: 'scheme none accepts anyone\'s requests: set allowUnsigned: true to mean it' });
  if (v.scheme !== 'none' && (v.secrets ?? []).length === 0) problems.push({ path: '/verification/secrets', message: `scheme ${v.scheme} needs at least one secret` });
  if (v.scheme === 'standard-webhooks') {
    (v.secrets ?? []).forEach((secret, i) => {
      try {
        new Webhook(secret);
      } catch {
        problems.push({ path: `/verification/secrets/${i}`, message: 'must be whsec_<base64>' });
      }
    });
  }
  (source.schemas ?? []).forEach((m, i) => {
    if (!schemas.has(m.schema)) problems.push({ path: `/schemas/${i}/schema`, message: `no schema named ${m.schema} under schemas/` });
  });
  return problems;
}
