import { Webhook } from 'svix';
import type { Hub } from '../../src/app/hub';
import { keyFor } from '../support/api';
import { startTestHub } from '../support/hub';
import { TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';
import { githubRequest, partnerRequest, post, testSources } from '../support/webhooks';

// Scenario, end to end through every role in one hub: a partner signs an `agent.task.requested` webhook
// (Standard Webhooks), and GitHub sends a signed `issues` event; ingest accepts both (202 after the Kafka
// ack), the agents stage runs the named `echo` agent and the routed template agent, publishes results, and
// delivery POSTs signed callbacks that the subscriber verifies with svix's own `Webhook.verify`. Nothing is
// delivered to a subscription whose patterns do not match.
describe('signed webhook in → agent → signed callback out', () => {
  const subscriberSecret = 'whsec_ZTJlLXN1YnNjcmliZXItc2VjcmV0LWZvci1ob29raHViLXRlc3Q=';
  let hub: Hub;
  let receiver: TestReceiver;
  let unrelated: TestReceiver;

  beforeAll(async () => {
    receiver = await new TestReceiver().start();
    unrelated = await new TestReceiver().start();
    hub = await startTestHub('e2eflow', {
      env: { deliveryAllowPrivate: ['127.0.0.1/32'], deliveryRefreshMs: 200, agentsRefreshMs: 500, archiverRefreshMs: 500 },
      config: {
        sources: testSources(),
        agents: [
          { name: 'echo', team: 'PLATFORM', runner: { kind: 'builtin', name: 'echo' } },
          {
            name: 'story-writer',
            team: 'USER_STORY_AGENT',
            runner: { kind: 'builtin', name: 'template', document: { kind: 'user-story', title: '{{input.title}}', key: '{{input.number}}', body: 'As a user I want {{input.title}}' } },
          },
        ],
        routes: [{ id: 'issues-opened', source: 'github', eventType: 'github.issues', filter: { '/action': 'opened' }, agent: 'story-writer', input: { title: '/issue/title', number: '/issue/number' } }],
        subscriptions: [
          { id: 'results', url: `${receiver.url}/hooks`, eventTypes: ['hookhub.execution.*'], secret: subscriberSecret },
          { id: 'unrelated', url: `${unrelated.url}/hooks`, eventTypes: ['stripe.*'] },
        ],
      },
    });
  }, 60000);

  afterAll(async () => {
    await hub?.stop();
    await receiver?.stop();
    await unrelated?.stop();
  });

  it('runs the requested agent and delivers a verifiable callback', async () => {
    const task = partnerRequest({ type: 'agent.task.requested', agent: 'echo', task: 'say hello', parameters: { greeting: 'hello' } });
    const accepted = await post(`${hub.url}/webhooks/partner`, task);
    expect(accepted.status).toBe(202);
    const eventId = accepted.json.id as string;

    const callback = await waitFor(
      'the signed callback for the echo execution',
      () => receiver.requests.find((r) => JSON.parse(r.body.toString()).execution?.eventId === eventId),
      45000,
    );
    const verified = new Webhook(subscriberSecret).verify(callback.body.toString(), {
      'webhook-id': String(callback.headers['webhook-id']),
      'webhook-timestamp': String(callback.headers['webhook-timestamp']),
      'webhook-signature': String(callback.headers['webhook-signature']),
    }) as { execution: { agent: string; status: string; output: unknown } };
    expect(verified.execution).toMatchObject({ agent: 'echo', status: 'succeeded', output: { greeting: 'hello' } });
    expect(callback.headers['svix-id']).toBe(callback.headers['webhook-id']);
  }, 60000);

  it('routes a GitHub issue to the template agent and delivers its document refs', async () => {
    const issue = { action: 'opened', issue: { id: 70, number: 7, title: 'Export reports as PDF', body: 'please', user: { login: 'octocat', id: 1 }, state: 'open' }, repository: { id: 1, name: 'w', full_name: 'acme/w', private: false }, sender: { login: 'octocat', id: 1 } };
    const accepted = await post(`${hub.url}/webhooks/github`, await githubRequest('issues', issue));
    expect(accepted.status).toBe(202);
    const eventId = accepted.json.id as string;

    const callback = await waitFor(
      'the callback for the story-writer execution',
      () => receiver.requests.find((r) => JSON.parse(r.body.toString()).execution?.eventId === eventId),
      45000,
    );
    const body = JSON.parse(callback.body.toString()) as { execution: { agent: string; status: string }; documents: { kind: string; title: string }[] };
    expect(body.execution).toMatchObject({ agent: 'story-writer', status: 'succeeded' });
    expect(body.documents).toEqual([expect.objectContaining({ kind: 'user-story', title: 'Export reports as PDF' })]);
    expect(unrelated.requests).toHaveLength(0);
  }, 60000);

  it('counts rejected webhooks and delivery attempts in the analytics an analyst reads', async () => {
    // Two rejections the ingest role sees: a wrong signature and an unknown partner event type.
    expect((await post(`${hub.url}/webhooks/partner`, partnerRequest({ type: 'agent.task.requested', agent: 'echo', task: 't' }, { secret: 'whsec_d3JvbmctZGV2LXNlY3JldC1mb3ItdGVzdHM=' }))).status).toBe(401);
    expect((await post(`${hub.url}/webhooks/partner`, partnerRequest({ type: 'partner.unknown' }))).status).toBe(422);
    const analyst = await keyFor(hub, 'analyst');
    const range = `from=${new Date(Date.now() - 3600_000).toISOString()}&to=${new Date(Date.now() + 3600_000).toISOString()}&bucket=hour`;
    const read = async (what: string): Promise<Record<string, unknown>> => {
      const res = await fetch(`${hub.url}/api/v1/analytics/${what}?${range}`, { headers: { authorization: `Bearer ${analyst.secret}` } });
      expect(res.status).toBe(200);
      return (await res.json()) as Record<string, unknown>;
    };
    const ingest = await waitFor('the rejections in the ingest rollups', async () => {
      const body = await read('ingest');
      return (body.totals as { rejected: number }).rejected >= 2 ? body : undefined;
    }, 20000, 500);
    expect(JSON.stringify(ingest)).toContain('signature_invalid');
    expect(JSON.stringify(ingest)).toContain('event_type_unknown');
    const deliveries = await waitFor('the attempts in the delivery rollups', async () => {
      const body = await read('deliveries');
      return (body.totals as { attempts: number }).attempts >= 2 ? body : undefined;
    }, 20000, 500);
    expect((deliveries.totals as { succeeded: number }).succeeded).toBeGreaterThanOrEqual(2);
  }, 60000);
});
