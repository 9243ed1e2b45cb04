import fs from 'node:fs';
import path from 'node:path';
import type { Hub } from '../app/hub';
import { newSecretsKey } from '../platform/secrets/secret-box';
import { signedCurlExample } from '../ingest/dev-example';

/** Dev defaults for the secrets the sample hookhub.yaml references, so `npm start` works on a fresh machine. */
export const DEV_SECRETS: Record<string, string> = {
  GITHUB_WEBHOOK_SECRET: 'dev-github-secret',
  STRIPE_WEBHOOK_SECRET: 'whsec_dev_stripe_secret',
  PARTNER_WEBHOOK_SECRET: 'whsec_ZGV2LXBhcnRuZXItc2VjcmV0LWZvci1ob29raHVi',
};

/** Fills unset secrets with dev defaults and returns lines saying so. */
export function ensureDevSecrets(env: NodeJS.ProcessEnv): string[] {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(DEV_SECRETS)) {
    if (!env[name]) {
      env[name] = value;
      lines.push(`dev secret ${name}=${value} (set it to override)`);
    }
  }
  return lines;
}

/**
 * A dev HOOKHUB_SECRETS_KEY when none is set: generated once into `.hookhub/dev-secrets.key` (beside the dev
 * exports) and reused, so the local database stays readable across restarts. Returns the line saying so.
 */
export function ensureDevSecretsKey(env: NodeJS.ProcessEnv, dir = path.resolve('.hookhub')): string | undefined {
  if (env.HOOKHUB_SECRETS_KEY) return undefined;
  const file = path.join(dir, 'dev-secrets.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, `${newSecretsKey()}\n`, { mode: 0o600 });
  }
  env.HOOKHUB_SECRETS_KEY = fs.readFileSync(file, 'utf8').trim();
  return `dev secrets key HOOKHUB_SECRETS_KEY=${env.HOOKHUB_SECRETS_KEY} (from ${file}; set your own outside development)`;
}

/** The URLs a person wants after `npm start`. */
export function devBanner(hub: Hub): string[] {
  return [
    `  health    ${hub.url}/healthz`,
    `  ready     ${hub.url}/readyz`,
    `  metrics   ${hub.url}/metrics`,
    `  webhooks  ${hub.url}/webhooks/<source>`,
    `  api       ${hub.url}/api/v1`,
    `  docs      ${hub.url}/docs`,
    ...(hub.roles.includes('ingest') ? signedCurlExample(hub.url, hub.ctx.config.sources) : []),
  ];
}
