import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Hub } from '../../src/app/hub';
import { keyFor } from '../support/api';
import { ensureConsoleBuilt, horizontalOverflow, launchChromium, screenshot, seriousViolations, signIn } from '../support/browser';
import { startTestHub } from '../support/hub';
import { TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';
import { partnerRequest, post, testSources } from '../support/webhooks';

// Scenario: an operator and an analyst use the web console in a real headless Chromium against a real hub on
// the real stack (Kafka, FerretDB), with local HTTP servers standing in for subscribers. Each test drives the
// pages as a person would (paste a key, click, fill forms) and checks what the page shows and what happened.
const UI_WAIT = 45_000;

describe('web console in a real browser', () => {
  let hub: Hub;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let results: TestReceiver;
  let subscriber: TestReceiver;
  let admin: string;
  let analyst: string;
  /** Pages visited along the way (detail pages need ids the tests create), checked with axe at the end. */
  const visited = new Map<string, string>();

  const open = async (hash: string): Promise<void> => {
    await page.goto(`${hub.url}/console/#/${hash}`);
  };
  /** Reloads (or clicks Refresh) until `selector` shows: the pipeline behind the page is asynchronous. */
  const until = async (what: string, check: () => Promise<boolean>, refresh: () => Promise<void>): Promise<void> => {
    await waitFor(what, async () => {
      if (await check()) return true;
      await refresh();
      return false;
    }, UI_WAIT, 1000);
  };

  beforeAll(async () => {
    await ensureConsoleBuilt();
    results = await new TestReceiver().start();
    subscriber = await new TestReceiver().start();
    hub = await startTestHub('console', {
      env: { deliveryAllowPrivate: ['127.0.0.1/32'], deliveryRefreshMs: 200, agentsRefreshMs: 500, archiverRefreshMs: 500 },
      config: {
        sources: testSources(),
        agents: [
          { name: 'echo', team: 'PLATFORM', runner: { kind: 'builtin', name: 'echo' } },
          {
            name: 'story-writer',
            team: 'USER_STORY_AGENT',
            inputSchema: 'agents/user-story-input',
            runner: { kind: 'builtin', name: 'template', document: { kind: 'user-story', title: '{{input.title}}', key: '{{input.repository}}#{{input.number}}', tags: ['console'], body: '**As a** user of {{input.repository}} **I want** {{input.title}}' } },
          },
        ],
        routes: [],
        subscriptions: [{ id: 'results', url: `${results.url}/hooks`, eventTypes: ['hookhub.execution.*'] }],
      },
    });
    admin = (await keyFor(hub, 'admin', 'console-admin')).secret;
    analyst = (await keyFor(hub, 'analyst', 'console-analyst')).secret;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    page.setDefaultTimeout(UI_WAIT);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await results?.stop();
    await subscriber?.stop();
  });

  it('signs in with a pasted key kept in sessionStorage (never in the URL), then finds a signed webhook under Events with its execution and delivery', async () => {
    await signIn(page, hub.url, admin);
    expect(page.url()).not.toContain(admin);
    expect(await page.evaluate<string[]>('Object.values(window.sessionStorage)')).toContain(admin);
    await page.getByText('admin', { exact: true }).waitFor();

    const signed = partnerRequest({ type: 'agent.task.requested', agent: 'echo', task: 'say hello', parameters: { greeting: 'hello from the console test' } });
    const accepted = await post(`${hub.url}/webhooks/partner`, signed);
    expect(accepted.status).toBe(202);
    const eventId = accepted.json.id as string;

    await open('events?source=partner');
    const row = page.getByRole('link', { name: eventId });
    await until('the webhook in the events list', () => row.isVisible(), () => page.reload().then(() => undefined));
    await row.click();
    await page.getByRole('heading', { name: 'CloudEvent' }).waitFor();
    await page.getByText('agent.task.requested').first().waitFor();
    expect(await page.getByRole('region', { name: 'Event body' }).textContent()).toContain('"greeting": "hello from the console test"');
    visited.set('event', `events/${eventId}`);

    const executions = page.getByRole('region', { name: 'Executions of this event' });
    await until('the execution succeeded with its delivery', async () => (await executions.isVisible()) && (await executions.getByText('succeeded').count()) >= 2, () => page.reload().then(() => undefined));
    expect(await executions.getByRole('link', { name: 'echo' }).count()).toBe(1);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download exact bytes' }).click()]);
    expect(fs.readFileSync(await download.path()).toString()).toBe(signed.body);

    const executionLink = executions.getByRole('link', { name: /^[0-9a-f-]{36}$/ }).first();
    visited.set('execution', `executions/${await executionLink.textContent()}`);
    await executions.getByRole('link', { name: 'results' }).click();
    await page.getByRole('heading', { name: 'Attempts' }).waitFor();
    expect(await page.locator('.timeline li').first().textContent()).toContain('HTTP 200');
    visited.set('delivery', page.url().split('#/')[1] as string);
    expect(results.requests.some((r) => JSON.parse(r.body.toString()).execution?.eventId === eventId)).toBe(true);
  }, 120_000);

  it('runs an agent from its page with a form generated from its inputSchema and follows the execution until it succeeds', async () => {
    await open('agents');
    await page.getByRole('heading', { name: 'USER_STORY_AGENT' }).waitFor();
    await page.getByRole('link', { name: 'story-writer' }).click();
    await page.getByRole('heading', { name: 'Run now' }).waitFor();
    visited.set('agent', 'agents/story-writer');
    await page.getByLabel('repository *').fill('acme/widgets');
    await page.getByLabel('number *').fill('42');
    await page.getByLabel('title *').fill('Export reports as PDF');
    await page.getByLabel('author').fill('octocat');
    await page.getByRole('button', { name: 'Run story-writer' }).click();
    const result = page.locator('.run-result');
    await result.locator('.status-line .badge', { hasText: 'succeeded' }).waitFor();
    expect(await result.getByRole('region', { name: 'Input' }).textContent()).toContain('"number": 42');

    await result.getByRole('link', { name: 'Export reports as PDF' }).click();
    await page.getByRole('heading', { name: 'Export reports as PDF' }).waitFor();
    expect(await page.locator('.markdown strong').first().textContent()).toBe('As a');
    visited.set('document', page.url().split('#/')[1] as string);
    await page.getByLabel('Tags (comma-separated)').fill('console, reviewed');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('console, reviewed').waitFor();
  }, 120_000);

  it('creates a subscription to a local receiver (secret shown once), sees its delivery and attempts, and resends it', async () => {
    await open('subscriptions');
    await page.getByRole('link', { name: 'New subscription' }).click();
    await page.getByLabel('Id (optional)').fill('console-sub');
    await page.getByLabel('Endpoint URL *').fill(`${subscriber.url}/in`);
    await page.getByLabel(/Event types/).fill('hookhub.execution.*');
    await page.getByLabel(/Filter/).fill('{"/execution/agent": "echo"}');
    await page.getByRole('button', { name: 'Create subscription' }).click();
    const secret = await page.locator('.secret-value').textContent();
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'Copy signing secret' }).waitFor();
    await page.getByRole('link', { name: 'Open subscription console-sub' }).click();
    await page.getByRole('heading', { name: 'Manage' }).waitFor();
    visited.set('subscription', 'subscriptions/console-sub');
    expect(await page.locator('.secret-value').count()).toBe(0);

    await waitFor('the subscription in the delivery role', async () => {
      const run = await fetch(`${hub.url}/api/v1/agents/echo/executions?wait=20`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ task: 'for the new subscription', parameters: { n: 1 } }) });
      expect(run.status).toBe(200);
      return waitFor('a request at the receiver', () => subscriber.requests.length > 0, 5000).catch(() => false);
    }, UI_WAIT, 0);
    const deliveries = page.getByRole('region', { name: 'Deliveries of this subscription' });
    await until('the delivery listed', async () => (await deliveries.isVisible()) && (await deliveries.getByText('succeeded').count()) > 0, () => page.getByRole('button', { name: 'Refresh' }).click());
    const deliveryLink = deliveries.getByRole('link', { name: /^msg_/ }).first();
    const deliveryId = (await deliveryLink.textContent()) as string;
    await deliveryLink.click();
    await page.getByRole('heading', { name: 'Attempts' }).waitFor();
    expect(await page.locator('.timeline li').count()).toBe(1);
    expect(subscriber.of(deliveryId)).toHaveLength(1);
    await page.getByRole('button', { name: 'Resend' }).click();
    await until('a second attempt on the timeline', async () => (await page.locator('.timeline li').count()) >= 2, () => page.getByRole('button', { name: 'Refresh' }).click());
    expect(await page.locator('.timeline li').nth(1).textContent()).toContain('resend');
    // The resend reaches the receiver with the same webhook-id (the delivery's id) as the first attempt.
    await waitFor('the resent request', () => subscriber.of(deliveryId).length >= 2, UI_WAIT);
  }, 150_000);

  it('starts an export replay, watches its progress reach 100% and downloads the export', async () => {
    await open('replays');
    await page.getByRole('heading', { name: 'Start a replay' }).waitFor();
    await page.getByLabel('Source').selectOption('partner');
    await page.getByRole('button', { name: 'Start export' }).click();
    await page.getByLabel('Progress').waitFor();
    visited.set('replay', page.url().split('#/')[1] as string);
    await page.locator('.pct', { hasText: '100%' }).waitFor({ timeout: 90_000 });
    await page.locator('.progress-line .badge', { hasText: 'succeeded' }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Download export/ }).click()]);
    const lines = fs.readFileSync(await download.path(), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(lines)).toContain('hello from the console test');
  }, 150_000);

  it('shows an analyst the charts and consumer lag but no write action; a forced write shows the API 403 problem', async () => {
    const analystContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const a = await analystContext.newPage();
    a.setDefaultTimeout(UI_WAIT);
    try {
      await signIn(a, hub.url, analyst);
      expect(await a.getByRole('link', { name: 'Keys' }).count()).toBe(0);
      await a.getByText('Webhooks per bucket').waitFor();
      const lag = a.getByRole('region', { name: 'Consumer lag per group' });
      await until('the agents group in the consumer lag table', () => lag.getByText(`${hub.ctx.env.kafkaClientId}-agents`).isVisible(), () => a.reload().then(() => undefined));
      const writes = /^(New subscription|Run |Rotate secret|Resend|Save|Delete|Disable|Enable|Edit|Cancel|Revoke|Create|Recover)/;
      for (const name of ['subscription', 'delivery', 'agent', 'document', 'execution', 'event']) {
        await a.goto(`${hub.url}/console/#/${visited.get(name)}`);
        await a.locator('main h1').waitFor();
        await a.locator('main .facts').first().waitFor();
        expect({ page: name, writes: await a.getByRole('button', { name: writes }).count() }).toEqual({ page: name, writes: 0 });
      }
      for (const list of ['subscriptions', 'sources', 'routes', 'documents']) {
        await a.goto(`${hub.url}/console/#/${list}`);
        await a.locator('main table, main .empty').first().waitFor();
        expect({ page: list, writes: (await a.getByRole('button', { name: writes }).count()) + (await a.getByRole('link', { name: writes }).count()) }).toEqual({ page: list, writes: 0 });
      }
      await a.goto(`${hub.url}/console/#/replays`);
      expect(await a.getByLabel('Mode').locator('option').allTextContents()).toEqual(['export']);
      await a.goto(`${hub.url}/console/#/subscriptions/new`);
      await a.getByLabel('Endpoint URL *').fill(`${subscriber.url}/forced`);
      await a.getByRole('button', { name: 'Create subscription' }).click();
      const alert = a.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(/^403 .*forbidden/i);
    } finally {
      await analystContext.close();
    }
  }, 120_000);

  it('passes axe (no serious or critical violation) on every page, at 1280 px (screenshots) and 390 px (no sideways scrolling)', async () => {
    const pages: [string, string][] = [
      ['overview', 'overview?range=hour'],
      ['events', 'events'],
      ...[...visited.entries()].map(([name, hash]): [string, string] => [name, hash]),
      ['agents', 'agents'],
      ['executions', 'executions'],
      ['documents', 'documents'],
      ['subscriptions', 'subscriptions'],
      ['subscription-new', 'subscriptions/new'],
      ['replays', 'replays'],
      ['sources', 'sources'],
      ['routes', 'routes'],
      ['keys', 'keys'],
    ];
    const failures: unknown[] = [];
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      for (const [name, hash] of pages) {
        await open(hash);
        await page.locator('main h1').waitFor();
        await page.locator('main .loading').first().waitFor({ state: 'detached' });
        if (width === 1280) await screenshot(page, name);
        const violations = await seriousViolations(page);
        if (violations.length > 0) failures.push({ page: name, width, violations });
        const overflow = await horizontalOverflow(page);
        if (overflow > 1) failures.push({ page: name, width, overflow });
      }
    }
    await page.setViewportSize({ width: 390, height: 900 });
    await open('overview?range=hour');
    await page.locator('main h1').waitFor();
    await screenshot(page, 'overview-390');
    expect(failures).toEqual([]);
  }, 240_000);
});

