import mongoose from 'mongoose';
import type { Hub } from '../../src/app/hub';
import { emptyHubConfig } from '../../src/app/hub';
import { parseSecretsKey, secretsKeyId } from '../../src/platform/secrets/secret-box';
import { apiClient, keyFor } from '../support/api';
import { hookhub } from '../support/cli';
import { stackEnv, startTestHub, uniqueNames } from '../support/hub';
import { githubRequest, post, pushPayload } from '../support/webhooks';

const OLD_KEY = Buffer.alloc(32, 1).toString('base64');
const NEW_KEY = Buffer.alloc(32, 2).toString('base64');
const kid = (key: string): string => secretsKeyId(parseSecretsKey(key, 'test'));

const LEGACY = {
  source: 'legacy-github-secret-value',
  sub: 'whsec_' + Buffer.from('legacy-subscription-secret-0001').toString('base64'),
  subRotated: 'whsec_' + Buffer.from('legacy-subscription-secret-0000').toString('base64'),
  agent: 'whsec_' + Buffer.from('legacy-agent-runner-secret-0001').toString('base64'),
  header: 'Bearer legacy-agent-header-token',
};
const FRESH = {
  source: 'fresh-github-secret-through-the-api',
  sub: 'whsec_' + Buffer.from('fresh-subscription-secret-00001').toString('base64'),
  agent: 'whsec_' + Buffer.from('fresh-agent-runner-secret-00001').toString('base64'),
  header: 'fresh-header-token-9876',
};
const PLAIN = [...Object.values(LEGACY), ...Object.values(FRESH)];

// Scenario: a database written before secrets were encrypted holds a source, a subscription (live and rotated
// secret) and an http agent (secret and a header) in plain text. A hub starts on it with HOOKHUB_SECRETS_KEY:
// the plain values are sealed at start and keep working (a webhook signed with the old source secret is
// accepted). New secrets given through the API are sealed too. `hookhub secrets rotate-key` reseals everything
// with a new key; afterwards a hub with only the new key still verifies. The raw documents never hold a
// secret in plain text, and a hub without a key does not start.
describe('security: secrets at rest', () => {
  const names = uniqueNames('secsecrets');
  const uri = stackEnv().mongodbUri.replace(/\/[^/]*$/, `/${names.dbName}`);
  const sourceConfig = { eventType: { header: 'X-GitHub-Event', prefix: 'github.' }, idempotencyKey: { header: 'X-GitHub-Delivery' }, unknownTypes: 'accept' as const };
  let conn: mongoose.Connection;
  let hub: Hub | undefined;

  const start = (secretsKey: string): Promise<Hub> => startTestHub('secsecrets', { roles: ['ingest', 'api'], names, config: emptyHubConfig(), env: { secretsKey, sourcesCacheMs: 0 } });
  const rawDocs = async (): Promise<string> => {
    const all = await Promise.all(['sources', 'subscriptions', 'agents'].map((c) => conn.collection(c).find({}).toArray()));
    return JSON.stringify(all);
  };
  const webhook = async (h: Hub, source: string, secret: string): Promise<number> => (await post(`${h.url}/webhooks/${source}`, await githubRequest('push', pushPayload(), undefined, secret))).status;

  beforeAll(async () => {
    conn = await mongoose.createConnection(uri).asPromise();
    const now = new Date();
    await conn.collection('sources').insertOne({ id: 'legacy', verification: { scheme: 'github', secrets: [LEGACY.source] }, ...sourceConfig, origin: 'api', createdAt: now, updatedAt: now, version: 1 });
    await conn.collection('subscriptions').insertOne({
      _id: 'legacy-sub' as never,
      url: 'https://example.test/hook',
      eventTypes: ['github.*'],
      filter: [],
      headers: [],
      secrets: [{ secret: LEGACY.sub }, { secret: LEGACY.subRotated, expiresAt: new Date(Date.now() + 86_400_000) }],
      ordered: false,
      enabled: true,
      origin: 'api',
      createdAt: now,
      updatedAt: now,
    });
    await conn.collection('agents').insertOne({
      _id: 'legacy-agent' as never,
      runnerKind: 'http',
      runnerJson: JSON.stringify({ kind: 'http', url: 'https://agents.example.test/run', secret: LEGACY.agent, headers: { authorization: LEGACY.header } }),
      enabled: true,
      tools: [],
      source: 'api',
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await conn?.close();
  });

  it('seals plain secrets left from before at start, seals new ones given through the API, and keeps both working', async () => {
    expect(await rawDocs()).toContain(LEGACY.source);
    hub = await start(OLD_KEY);
    const raw = await rawDocs();
    for (const plain of Object.values(LEGACY)) expect(raw).not.toContain(plain);
    expect(await webhook(hub, 'legacy', LEGACY.source)).toBe(202);
    expect(await webhook(hub, 'legacy', 'a wrong secret')).toBe(401);

    const call = apiClient(hub);
    const operator = (await keyFor(hub, 'operator')).secret;
    expect((await call('POST', '/sources', { key: operator, body: { id: 'fresh', verification: { scheme: 'github', secrets: [FRESH.source] }, ...sourceConfig } })).status).toBe(201);
    expect((await call('POST', '/subscriptions', { key: operator, body: { id: 'fresh-sub', url: 'https://example.test/fresh', eventTypes: ['github.*'], secret: FRESH.sub } })).status).toBe(201);
    const agent = await call<{ runner: { secret: string } }>('POST', '/agents', { key: operator, body: { name: 'fresh-agent', runner: { kind: 'http', url: 'https://agents.example.test/fresh', secret: FRESH.agent, headers: { 'x-token': FRESH.header } } } });
    expect([agent.status, agent.body.runner.secret]).toEqual([201, `…${FRESH.agent.slice(-4)}`]);
    expect(await webhook(hub, 'fresh', FRESH.source)).toBe(202);

    const after = await rawDocs();
    for (const plain of PLAIN) expect(after).not.toContain(plain);
    expect(new Set([...after.matchAll(/enc:v1:([0-9a-f]{12}):/g)].map((m) => m[1]))).toEqual(new Set([kid(OLD_KEY)]));
    await hub.stop();
    hub = undefined;
  });

  it('hookhub secrets rotate-key reseals every secret with the new key; a hub with only the new key still verifies', async () => {
    const without = await hookhub(['secrets', 'rotate-key'], { MONGODB_URI: uri, HOOKHUB_SECRETS_KEY: NEW_KEY, HOOKHUB_SECRETS_PREVIOUS_KEYS: '' });
    expect(without.code).not.toBe(0);
    expect(without.stderr).toContain('HOOKHUB_SECRETS_PREVIOUS_KEYS');

    const rotated = await hookhub(['secrets', 'rotate-key'], { MONGODB_URI: uri, HOOKHUB_SECRETS_KEY: NEW_KEY, HOOKHUB_SECRETS_PREVIOUS_KEYS: OLD_KEY });
    expect([rotated.code, rotated.stderr]).toEqual([0, '']);
    expect(rotated.stdout).toContain('resealed with the current key: 2 source(s), 2 subscription(s), 2 agent(s)');
    const raw = await rawDocs();
    for (const plain of PLAIN) expect(raw).not.toContain(plain);
    expect(new Set([...raw.matchAll(/enc:v1:([0-9a-f]{12}):/g)].map((m) => m[1]))).toEqual(new Set([kid(NEW_KEY)]));

    hub = await start(NEW_KEY);
    expect(await webhook(hub, 'legacy', LEGACY.source)).toBe(202);
    expect(await webhook(hub, 'fresh', FRESH.source)).toBe(202);
    await hub.stop();
    hub = undefined;
  });

  it('a hub without HOOKHUB_SECRETS_KEY does not start', async () => {
    await expect(start('')).rejects.toThrow(/HOOKHUB_SECRETS_KEY is not set/);
    await expect(start('too-short')).rejects.toThrow(/HOOKHUB_SECRETS_KEY must be 32 random bytes/);
  });
});
