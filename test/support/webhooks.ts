import { randomBytes, randomUUID } from 'node:crypto';
import { sign as githubSign } from '@octokit/webhooks-methods';
import Stripe from 'stripe';
import { Webhook } from 'svix';
import type { SourceConfig } from '../../src/config/types';

/**
 * Signs test requests with the providers' own libraries (svix, stripe, @octokit/webhooks-methods), never with
 * hookhub's verifier code.
 */
export const SECRETS = {
  github: 'gh-test-secret',
  stripe: 'whsec_test_stripe_secret',
  partner: 'whsec_dGVzdC1wYXJ0bmVyLXNlY3JldC1mb3ItaG9va2h1Yg==',
  partnerOld: 'whsec_b2xkLXBhcnRuZXItc2VjcmV0LWZvci1ob29raHViIQ==',
  hmac: 'in-house-secret',
};

export const testSources = (): SourceConfig[] => [
  {
    id: 'github',
    verification: { scheme: 'github', secrets: [SECRETS.github] },
    eventType: { header: 'X-GitHub-Event', prefix: 'github.' },
    idempotencyKey: { header: 'X-GitHub-Delivery' },
    partitionKey: { pointer: '/repository/full_name' },
    schemas: [
      { type: 'github.push', schema: 'github/push' },
      { type: 'github.issues', schema: 'github/issues' },
      { type: 'github.pull_request', schema: 'github/pull_request' },
    ],
    unknownTypes: 'accept',
  },
  {
    id: 'stripe',
    verification: { scheme: 'stripe', secrets: [SECRETS.stripe] },
    eventType: { pointer: '/type', prefix: 'stripe.' },
    idempotencyKey: { pointer: '/id' },
    partitionKey: { pointer: '/data/object/id' },
    schemas: [{ type: 'stripe.*', schema: 'stripe/event' }],
    unknownTypes: 'accept',
  },
  {
    id: 'partner',
    verification: { scheme: 'standard-webhooks', secrets: [SECRETS.partner, SECRETS.partnerOld] },
    eventType: { pointer: '/type' },
    idempotencyKey: { header: 'webhook-id' },
    partitionKey: { pointer: '/agent' },
    schemas: [{ type: 'agent.task.requested', schema: 'hookhub/agent.task.requested' }],
    unknownTypes: 'reject',
    // The agents the tests' partner asks for; any other name is refused (and archived with the refusal).
    agents: ['echo', 'copywriter', 'flaky', 'sync-http'],
  },
  {
    id: 'inhouse',
    verification: { scheme: 'hmac-sha256', secrets: [SECRETS.hmac], header: 'X-Signature', encoding: 'base64', prefix: 'hmac=' },
    eventType: { fixed: 'inhouse.note' },
    bodyLimitBytes: 2048,
  },
  {
    id: 'internal',
    verification: { scheme: 'none', allowUnsigned: true },
    eventType: { pointer: '/kind', prefix: 'internal.' },
    rateLimit: { perSecond: 1, burst: 2 },
  },
];

export const sha = (c: string): string => c.repeat(40).slice(0, 40);

/**
 * A push of a new commit each call, as GitHub sends them: two pushes never have the same body (ingest
 * deduplicates GitHub deliveries on the body too, because GitHub signs only the body).
 */
export function pushPayload(repo = 'acme/widgets'): Record<string, unknown> {
  const after = randomBytes(20).toString('hex');
  return {
    ref: 'refs/heads/main',
    before: sha('a'),
    after,
    repository: { id: 42, name: repo.split('/')[1], full_name: repo, private: false },
    sender: { login: 'octocat', id: 1 },
    pusher: { name: 'octocat', email: 'octo@example.com' },
    head_commit: { id: after, message: 'Fix the widget', timestamp: '2026-01-01T00:00:00Z' },
    commits: [{ id: after, message: 'Fix the widget', added: [], removed: [], modified: ['README.md'] }],
  };
}

export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

export async function githubRequest(event: string, payload: unknown, delivery = randomUUID(), secret = SECRETS.github): Promise<SignedRequest> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': delivery,
      'x-hub-signature-256': await githubSign({ secret, algorithm: 'sha256' }, body),
    },
  };
}

export function stripeRequest(payload: unknown, options: { secret?: string; timestamp?: number } = {}): SignedRequest {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const stripe = new Stripe('sk_test_unused');
  const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret: options.secret ?? SECRETS.stripe, ...(options.timestamp ? { timestamp: options.timestamp } : {}) });
  return { body, headers: { 'content-type': 'application/json', 'stripe-signature': header } };
}

export function stripeEvent(id = `evt_${randomUUID().replace(/-/g, '')}`, type = 'invoice.paid'): Record<string, unknown> {
  return { id, object: 'event', type, created: 1767225600, livemode: false, api_version: '2024-06-20', data: { object: { id: 'in_123', object: 'invoice', amount_paid: 4200 } } };
}

export function partnerRequest(payload: unknown, options: { id?: string; secret?: string; at?: Date; branded?: 'svix' | 'webhook' } = {}): SignedRequest {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const id = options.id ?? `msg_${randomUUID()}`;
  const at = options.at ?? new Date();
  const signature = new Webhook(options.secret ?? SECRETS.partner).sign(id, at, body);
  const p = options.branded === 'svix' ? 'svix' : 'webhook';
  return {
    body,
    headers: { 'content-type': 'application/json', [`${p}-id`]: id, [`${p}-timestamp`]: String(Math.floor(at.getTime() / 1000)), [`${p}-signature`]: signature },
  };
}

export const taskPayload = (agent = 'triage'): Record<string, unknown> => ({
  type: 'agent.task.requested',
  agent,
  task: 'Summarise the open incidents',
  parameters: { severity: 'high' },
  callback: { url: 'https://example.com/callbacks/1' },
});

export async function post(url: string, req: SignedRequest): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: req.headers, body: req.body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
