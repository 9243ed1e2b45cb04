import type { Hub } from '../../src/app/hub';
import { hookhub } from '../support/cli';
import { stackEnv, startTestHub, uniqueNames } from '../support/hub';

// Scenario: an operator bootstraps the first admin key with `hookhub keys create` straight against MongoDB,
// then uses it through `hookhub api` against a running hub: reads who they are, creates a second key over
// HTTP, lists keys from the CLI (prefix only) and revokes one, after which that key is refused (exit 1 with
// the problem on stderr). Bad input fails with a clear message.
describe('hookhub keys and hookhub api', () => {
  const names = uniqueNames('clikeys');
  let hub: Hub;
  let dbEnv: Record<string, string>;

  beforeAll(async () => {
    hub = await startTestHub('clikeys', { roles: ['api'], names });
    dbEnv = { MONGODB_URI: stackEnv().mongodbUri.replace(/\/[^/]*$/, `/${names.dbName}`), HOOKHUB_URL: hub.url };
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('bootstraps a key, calls the API with it, lists and revokes keys', async () => {
    const created = await hookhub(['keys', 'create', '--role', 'admin', '--name', 'ops', '--quiet'], dbEnv);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    const key = created.stdout.trim();
    expect(key).toMatch(/^hh_[A-Za-z0-9_-]{43}$/);

    const me = await hookhub(['api', 'get', '/me'], { ...dbEnv, HOOKHUB_API_KEY: key });
    expect(me.code).toBe(0);
    expect(JSON.parse(me.stdout)).toMatchObject({ name: 'ops', role: 'admin' });

    const second = await hookhub(['api', 'post', '/keys', '--data', '{"role":"analyst","name":"dashboards"}'], { ...dbEnv, HOOKHUB_API_KEY: key });
    expect(second.code).toBe(0);
    const { key: analystKey, apiKey } = JSON.parse(second.stdout) as { key: string; apiKey: { id: string } };

    const listed = await hookhub(['keys', 'list', '--json'], dbEnv);
    expect(listed.code).toBe(0);
    const rows = listed.stdout.trim().split('\n').map((l) => JSON.parse(l) as { name: string; hash?: string });
    expect(rows.map((r) => r.name).sort()).toEqual(['dashboards', 'ops']);
    expect(listed.stdout).not.toContain(analystKey);
    expect(rows.every((r) => r.hash === undefined)).toBe(true);

    const revoked = await hookhub(['keys', 'revoke', apiKey.id], dbEnv);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`revoked ${apiKey.id}`);
    const refused = await hookhub(['api', 'get', '/me'], { ...dbEnv, HOOKHUB_API_KEY: analystKey });
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stderr)).toMatchObject({ status: 401, code: 'unauthorized' });

    const withEtag = await hookhub(['api', 'patch', `/keys/${apiKey.id}`, '--data', '{"name":"old dashboards"}', '--if-match', '"2"', '-i'], { ...dbEnv, HOOKHUB_API_KEY: key });
    expect(withEtag.code).toBe(0);
    expect(withEtag.stdout).toContain('HTTP 200\nETag: "3"');
  });

  it('fails clearly on bad input', async () => {
    const role = await hookhub(['keys', 'create', '--role', 'root'], dbEnv);
    expect(role.code).not.toBe(0);
    expect(role.stderr).toContain('unknown role "root"');
    const noKey = await hookhub(['api', 'get', '/me'], dbEnv);
    expect(noKey.code).not.toBe(0);
    expect(noKey.stderr).toContain('set HOOKHUB_API_KEY');
    const badJson = await hookhub(['api', 'post', '/keys', '--data', '{role'], { ...dbEnv, HOOKHUB_API_KEY: `hh_${'A'.repeat(43)}` });
    expect(badJson.stderr).toContain('--data is not valid JSON');
  });
});
