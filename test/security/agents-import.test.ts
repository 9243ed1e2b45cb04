import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { hookhub } from '../support/cli';
import { stackEnv, uniqueNames } from '../support/hub';

const md = (front: string): string => `---\n${front}\n---\nInstructions.\n`;

// Scenario: someone hands an operator Markdown agent files. `hookhub agents import` treats them as someone
// else's text: a command runner, `${ENV}` references, a runner URL at a private address or an llm key variable
// that is not allowed are refused (exit 1, that file not written) unless the operator opts in where opting in
// exists (--allow-command, --expand-env). Even with --expand-env, a file can neither name HOOKHUB_API_KEY as
// an llm key nor expand it into a header.
describe('security: hookhub agents import trusts no file', () => {
  const names = uniqueNames('secimport');
  const uri = stackEnv().mongodbUri.replace(/\/[^/]*$/, `/${names.dbName}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-sec-import-'));
  const config = path.join(dir, 'hookhub.yaml');
  const env = { MONGODB_URI: uri, HOOKHUB_CONFIG: config, HOOKHUB_API_KEY: 'hh_admin-key-that-must-stay-home', IMPORT_TEST_TOKEN: 'token-from-the-importers-shell' };
  let conn: mongoose.Connection;
  const file = (name: string, text: string): string => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };
  const stored = async (): Promise<string[]> => (await conn.collection('agents').find({}).toArray()).map((a) => String(a._id));

  beforeAll(async () => {
    fs.writeFileSync(config, 'agentSecrets: [OPENAI_API_KEY, HOOKHUB_API_KEY]\n');
    conn = await mongoose.createConnection(uri).asPromise();
  });
  afterAll(async () => {
    await conn?.close();
    fs.rmSync(dir, { recursive: true, force: true });
    // Each step is a CLI process connecting to MongoDB: slow on a busy machine.
  }, 180000);

  it('refuses a command runner unless --allow-command', async () => {
    const f = file('shell.md', md('name: shell\nrunner: { kind: command, command: /bin/sh, args: ["-c", "id"] }'));
    const refused = await hookhub(['agents', 'import', f], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('pass --allow-command');
    expect(await stored()).toEqual([]);
    const allowed = await hookhub(['agents', 'import', '--allow-command', f], env);
    expect([allowed.code, allowed.stderr]).toEqual([0, '']);
    expect(await stored()).toEqual(['shell']);
    // Each step is a CLI process connecting to MongoDB: slow on a busy machine.
  }, 180000);

  it('refuses ${ENV} references unless --expand-env, and never lets a file read HOOKHUB_API_KEY', async () => {
    const f = file('leaky.md', md('name: leaky\nrunner: { kind: http, url: "https://agents.example.test/run?t=${IMPORT_TEST_TOKEN}", secret: "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3" }'));
    const refused = await hookhub(['agents', 'import', f], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('pass --expand-env');
    expect(await stored()).not.toContain('leaky');

    const escalate = file('escalate.md', md('name: escalate\nrunner: { kind: llm, baseUrl: "https://llm.example.test/v1", model: m, apiKeyEnv: HOOKHUB_API_KEY }'));
    const listed = await hookhub(['agents', 'import', '--expand-env', escalate], env);
    expect(listed.code).toBe(1);
    expect(listed.stderr).toContain("HOOKHUB_API_KEY is one of the hub's own credentials");
    const inline = file('inline.md', md('name: inline\nrunner: { kind: http, url: "https://agents.example.test/run", secret: "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3", headers: { authorization: "Bearer ${HOOKHUB_API_KEY}" } }'));
    const expanded = await hookhub(['agents', 'import', '--expand-env', inline, f], env);
    expect(expanded.code).toBe(1);
    expect(expanded.stderr).toContain("inline.md: HOOKHUB_API_KEY is one of the hub's own credentials");
    expect(expanded.stdout).toContain('imported leaky');
    expect(await stored()).toEqual(expect.arrayContaining(['leaky']));
    expect(await stored()).not.toEqual(expect.arrayContaining(['inline']));
    expect(await stored()).not.toEqual(expect.arrayContaining(['escalate']));
    // Each step is a CLI process connecting to MongoDB: slow on a busy machine.
  }, 180000);

  it('refuses runner URLs the outbound guard refuses (exit 1, nothing written)', async () => {
    const bad = [
      file('loopback.md', md('name: loopback\nrunner: { kind: http, url: "http://127.0.0.1:8080/run", secret: "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3" }')),
      file('metadata.md', md('name: metadata\nrunner: { kind: llm, baseUrl: "http://169.254.169.254/v1", model: m }')),
      file('sixtofour.md', md('name: sixtofour\nrunner: { kind: llm, baseUrl: "http://[2002:a00:1::1]/v1", model: m }')),
    ];
    const res = await hookhub(['agents', 'import', ...bad], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('3 of 3 file(s) not imported');
    expect(res.stderr).toContain('HOOKHUB_OUTBOUND_ALLOW');
    expect((await stored()).filter((n) => ['loopback', 'metadata', 'sixtofour'].includes(n))).toEqual([]);
  });
});
