import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { stackEnv, uniqueNames } from '../support/hub';
import { openSecret } from '../support/secrets-key';

const root = path.join(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'hookhub.js');

// Scenario: `hookhub agents import` reads the shipped Markdown agent definitions (front matter + instructions
// body), expands ${ENV} references (--expand-env), validates them and upserts them into the agents collection of
// MONGODB_URI. Importing the same files again changes nothing (same version); a changed file bumps the
// version; a file that does not validate is reported and makes the command exit 1 without stopping the rest.
describe('hookhub agents import', () => {
  const names = uniqueNames('agentsimport');
  const uri = stackEnv().mongodbUri.replace(/\/[^/]*$/, `/${names.dbName}`);
  const env = { ...process.env, MONGODB_URI: uri, TEST_ORCHESTRATOR_SECRET: 'whsec_' + Buffer.from('orchestrator-secret-value').toString('base64'), TEST_ORCHESTRATOR_URL: 'http://127.0.0.1:9/run', HOOKHUB_OUTBOUND_ALLOW: '127.0.0.1/32' };
  const files = ['copywriter.md', 'test-orchestrator.md', 'user-story-writer.md'].map((f) => path.join(root, 'agents', f));
  const run = (args: string[]) => spawnSync('node', [bin, ...args], { encoding: 'utf8', env });
  let conn: mongoose.Connection;

  beforeAll(async () => {
    conn = await mongoose.createConnection(uri).asPromise();
  });
  afterAll(async () => {
    await conn?.close();
  });

  it('imports, is idempotent, versions changes and reports invalid files', async () => {
    const first = run(['agents', 'import', '--expand-env', ...files]);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('imported copywriter (version 1)');
    expect(first.stdout).toContain('imported test-orchestrator (version 1)');

    const agents = conn.collection<{ _id: string; instructions?: string; runnerJson?: string }>('agents');
    const copywriter = await agents.findOne({ _id: 'copywriter' });
    expect(copywriter).toMatchObject({ team: 'MARKETING_TEAM', source: 'import', runnerKind: 'llm', inputSchema: 'agents/brief-input', tools: ['style-guide', 'brand-voice'], version: 1 });
    expect(String(copywriter?.instructions)).toMatch(/^You are the copywriter of the marketing team\./);
    expect(JSON.parse(String(copywriter?.runnerJson))).toEqual({ kind: 'llm', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', apiKeyEnv: 'OPENAI_API_KEY', temperature: 0.7, documentKind: 'blog' });
    const orchestrator = await agents.findOne({ _id: 'test-orchestrator' });
    const orchestratorRunner = JSON.parse(String(orchestrator?.runnerJson)) as { kind: string; url: string; secret: string };
    expect(orchestratorRunner).toMatchObject({ kind: 'http', url: 'http://127.0.0.1:9/run' });
    expect(openSecret(orchestratorRunner.secret)).toBe(env.TEST_ORCHESTRATOR_SECRET);

    const again = run(['agents', 'import', '--expand-env', ...files]);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('unchanged copywriter (version 1)');

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agents-md-'));
    try {
      const changed = path.join(dir, 'copywriter.md');
      fs.writeFileSync(changed, fs.readFileSync(files[0] as string, 'utf8').replace('maxConcurrency: 4', 'maxConcurrency: 6'));
      const bad = path.join(dir, 'Broken Agent.md');
      fs.writeFileSync(bad, '---\nrunner: { kind: http }\n---\nno url, no secret\n');
      const third = run(['agents', 'import', '--expand-env', changed, bad]);
      expect(third.status).toBe(1);
      expect(third.stdout).toContain('imported copywriter (version 2)');
      expect(third.stderr).toContain('Broken Agent.md');
      expect(third.stderr).toContain('1 of 2 file(s) not imported');
      expect(await agents.findOne({ _id: 'broken-agent' })).toBeNull();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }

    const list = run(['agents', 'list', '--json']);
    expect(list.status).toBe(0);
    const rows = JSON.parse(list.stdout) as { name: string; version: number; status: { running: number } }[];
    expect(rows.map((r) => r.name)).toEqual(['copywriter', 'test-orchestrator', 'user-story-writer']);
    expect(rows[0]).toMatchObject({ version: 2, status: { running: 0 } });
    // Five CLI processes, each connecting to MongoDB: slow on a busy machine.
  }, 180000);
});
