import { createHmac, randomUUID } from 'node:crypto';
import type { SourceConfig } from '../config/types';

/**
 * A ready-to-paste curl for `npm start`: a GitHub push to the first github-scheme source, signed with its
 * first secret. GitHub signatures carry no timestamp, so it keeps working; sending it twice shows the
 * duplicate answer (same X-GitHub-Delivery).
 */
export function signedCurlExample(baseUrl: string, sources: SourceConfig[]): string[] {
  const source = sources.find((s) => s.verification.scheme === 'github' && s.enabled !== false && (s.verification.secrets ?? []).length > 0);
  const secret = source?.verification.secrets?.[0];
  if (!source || !secret) return [];
  const body = JSON.stringify({
    ref: 'refs/heads/main',
    before: '0'.repeat(40),
    after: 'a'.repeat(40),
    repository: { id: 1, name: 'hello', full_name: 'octo/hello' },
    sender: { login: 'octocat', id: 1 },
    head_commit: { id: 'a'.repeat(40), message: 'Say hello to hookhub' },
  });
  const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  return [
    `  try it    (a signed GitHub push to source "${source.id}"; send it twice to see the duplicate answer)`,
    `  curl -i -X POST ${baseUrl}/webhooks/${source.id} \\`,
    `    -H 'content-type: application/json' -H 'x-github-event: push' \\`,
    `    -H 'x-github-delivery: ${randomUUID()}' \\`,
    `    -H 'x-hub-signature-256: ${signature}' \\`,
    `    --data-binary '${body}'`,
  ];
}
