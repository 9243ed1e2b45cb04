import type { Hub } from '../app/hub';
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
