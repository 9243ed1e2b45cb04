import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Hub } from '../../src/app/hub';
import { keyFor } from '../support/api';
import { startTestHub } from '../support/hub';

const run = promisify(execFile);
const BIN = path.join(__dirname, '..', '..', 'bin', 'hookhub.js');

// Scenario: the compiled CLI (`npm test` builds dist/ first) talks to a running hub over HTTP with an operator
// key from HOOKHUB_URL/HOOKHUB_API_KEY: `agents run --wait` runs an agent and prints the finished execution,
// then `executions list`, `executions get`, `agents list` and (after `api post /sources`) `sources list` show what the API shows; an
// unknown agent exits non-zero with the problem code on stderr.
describe('CLI verbs over the Management API', () => {
  let hub: Hub;
  let env: NodeJS.ProcessEnv;
  const hookhub = (...args: string[]) => run(process.execPath, [BIN, ...args], { env, timeout: 60_000 });

  beforeAll(async () => {
    hub = await startTestHub('cliverbs', {
      roles: ['api', 'agents'],
      config: { sources: [], agents: [{ name: 'echo', team: 'core', runner: { kind: 'builtin', name: 'echo' } }], routes: [], subscriptions: [] },
      env: { agentsRefreshMs: 500 },
    });
    const { secret } = await keyFor(hub, 'operator');
    env = { PATH: process.env.PATH, HOOKHUB_URL: hub.url, HOOKHUB_API_KEY: secret };
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('runs an agent and reads back executions, agents and sources', async () => {
    const ran = await hookhub('agents', 'run', 'echo', '--task', 'say hi', '--input', '{"text":"hi"}', '--wait', '30');
    const execution = JSON.parse(ran.stdout) as { id: string; status: string; output: unknown };
    expect(execution).toMatchObject({ status: 'succeeded', output: { text: 'hi' } });

    const listed = await hookhub('executions', 'list', '--agent', 'echo');
    expect(listed.stdout.split('\n')[0]).toMatch(new RegExp(`^${execution.id}\techo\tsucceeded\t`));
    const got = JSON.parse((await hookhub('executions', 'get', execution.id)).stdout) as { id: string; documents: unknown[] };
    expect(got).toMatchObject({ id: execution.id, documents: [] });

    const agents = await hookhub('agents', 'list');
    expect(agents.stdout.trim()).toMatch(/^echo\tcore\tbuiltin\tenabled\trunning=0\tlast=succeeded\t/);
    await hookhub('api', 'post', '/sources', '-d', '{"id":"shop","verification":{"scheme":"hmac-sha256","secrets":["shop-secret"]},"eventType":{"fixed":"shop.ping"}}');
    expect((await hookhub('sources', 'list')).stdout.trim()).toBe('shop\tenabled\thmac-sha256\t/webhooks/shop\tapi');

    await expect(hookhub('agents', 'run', 'ghost', '--task', 'x')).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('404 not_found') });
  });
});
