import type { Hub } from '../../src/app/hub';
import { hookhub } from '../support/cli';
import { keyFor } from '../support/api';
import { startTestHub } from '../support/hub';
import { openSecret } from '../support/secrets-key';

// Scenario: an operator creates a subscription with `hookhub subscriptions create` against a running hub. The
// secret is printed once and is the one the hub stores; `hookhub subscriptions list` shows the subscription
// without any secret; an analyst key is refused (exit 1, 403 on stderr) and a bad URL fails with the field named.
describe('hookhub subscriptions create', () => {
  let hub: Hub;
  let env: Record<string, string>;

  beforeAll(async () => {
    hub = await startTestHub('clisubs', { roles: ['api'] });
    env = { HOOKHUB_URL: hub.url, HOOKHUB_API_KEY: (await keyFor(hub, 'operator')).secret };
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('creates a subscription, prints its secret once, and lists it without secrets', async () => {
    const created = await hookhub(['subscriptions', 'create', '--url', 'https://example.test/hook', '--events', 'github.push, stripe.*', '--description', 'from the CLI', '--id', 'cli-sub'], env);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toContain('created cli-sub → https://example.test/hook (github.push, stripe.*)');
    const secret = /secret: (whsec_\S+)/.exec(created.stdout)?.[1];
    expect(secret).toBeDefined();
    const stored = await hub.ctx.mongo.collection('subscriptions').findOne({ _id: 'cli-sub' as never });
    expect(JSON.stringify(stored)).not.toContain(secret as string);
    expect(openSecret(stored?.secrets?.[0]?.secret as string)).toBe(secret);
    expect(stored).toMatchObject({ url: 'https://example.test/hook', eventTypes: ['github.push', 'stripe.*'], description: 'from the CLI', origin: 'api' });

    const listed = await hookhub(['subscriptions', 'list', '--json'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain(secret as string);
    expect(listed.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['cli-sub']);

    const analyst = await hookhub(['subscriptions', 'create', '--url', 'https://example.test/x', '--events', 'a'], { ...env, HOOKHUB_API_KEY: (await keyFor(hub, 'analyst')).secret });
    expect(analyst.code).toBe(1);
    expect(analyst.stderr).toContain('403 forbidden');
    const badUrl = await hookhub(['subscriptions', 'create', '--url', 'ftp://example.test', '--events', 'a'], env);
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr).toContain('/body/url');
  });
});
