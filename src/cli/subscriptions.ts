/**
 * `hookhub subscriptions …` and `hookhub deliveries …`: thin calls of the Management API (HOOKHUB_URL,
 * HOOKHUB_API_KEY), so they obey the same validation and roles as any other client.
 */
import type { Command } from 'commander';
import { ApiClient } from './client';

interface SubscriptionRow {
  id: string;
  url: string;
  eventTypes: string[];
  enabled: boolean;
  secretsLive: number;
  description?: string;
}
interface DeliveryRow {
  id: string;
  subscriptionId: string;
  eventType: string;
  status: string;
  attemptCount: number;
  createdAt: string;
  lastStatus?: number;
}

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const list = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function registerSubscriptionsCommands(program: Command): void {
  const subs = program.command('subscriptions').description('subscriptions, through the Management API (HOOKHUB_URL, HOOKHUB_API_KEY)');
  subs
    .command('create')
    .description('create a subscription; prints its signing secret, which is shown only this once')
    .requiredOption('--url <url>', 'endpoint that receives the signed deliveries')
    .requiredOption('--events <types>', 'comma-separated event-type patterns, e.g. github.push,stripe.*')
    .option('--description <text>', 'free text shown in listings')
    .option('--id <id>', 'subscription id (generated when absent)')
    .option('--json', 'print the whole answer as JSON')
    .action(async (opts: { url: string; events: string; description?: string; id?: string; json?: boolean }) => {
      const created = await ApiClient.fromEnv().call<{ secret: string; subscription: SubscriptionRow }>('POST', '/subscriptions', {
        body: { url: opts.url, eventTypes: list(opts.events), ...(opts.description !== undefined ? { description: opts.description } : {}), ...(opts.id ? { id: opts.id } : {}) },
      });
      if (opts.json) {
        say(JSON.stringify(created, null, 2));
        return;
      }
      say(`created ${created.subscription.id} → ${created.subscription.url} (${created.subscription.eventTypes.join(', ')})`);
      say(`secret: ${created.secret}`);
      say('store the secret now: it is not shown again (rotate it with POST /api/v1/subscriptions/<id>/rotate-secret)');
    });
  subs
    .command('list')
    .description('list subscriptions, newest first (secrets never shown)')
    .option('--json', 'one JSON object per line')
    .action(async (opts: { json?: boolean }) => {
      for await (const s of ApiClient.fromEnv().items<SubscriptionRow>('/subscriptions', { limit: '200' })) {
        say(opts.json ? JSON.stringify(s) : `${s.id}\t${s.enabled ? 'enabled' : 'disabled'}\t${s.url}\t${s.eventTypes.join(',')}\t${s.description ?? ''}`);
      }
    });

  const deliveries = program.command('deliveries').description('deliveries, through the Management API (HOOKHUB_URL, HOOKHUB_API_KEY)');
  deliveries
    .command('list')
    .description('list deliveries, newest first')
    .option('--subscription <id>', 'only deliveries of this subscription')
    .option('--status <status>', 'pending, delivering, succeeded, failed or forwarded')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'one JSON object per line')
    .action(async (opts: { subscription?: string; status?: string; limit: string; json?: boolean }) => {
      const max = Number(opts.limit);
      if (!Number.isInteger(max) || max < 1) throw new Error('--limit must be a positive integer');
      const query = { limit: String(Math.min(max, 200)), ...(opts.subscription ? { subscription: opts.subscription } : {}), ...(opts.status ? { status: opts.status } : {}) };
      let n = 0;
      for await (const d of ApiClient.fromEnv().items<DeliveryRow>('/deliveries', query)) {
        say(opts.json ? JSON.stringify(d) : `${d.id}\t${d.subscriptionId}\t${d.eventType}\t${d.status}\tattempts=${d.attemptCount}\t${d.lastStatus ?? '-'}\t${d.createdAt}`);
        n += 1;
        if (n >= max) break;
      }
    });
  deliveries
    .command('resend')
    .description('send a delivery again now, with a fresh retry schedule and the same webhook-id')
    .argument('<id>', 'delivery id (msg_…)')
    .action(async (id: string) => {
      const d = await ApiClient.fromEnv().call<DeliveryRow>('POST', `/deliveries/${encodeURIComponent(id)}/resend`);
      say(`resending ${d.id} (status ${d.status})`);
    });
}
