import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Hub } from '../../src/app/hub';
import { consoleDir } from '../../src/api/console';
import { startTestHub } from '../support/hub';

const run = promisify(execFile);
const root = path.join(__dirname, '..', '..');

// Scenario: the api role serves the built console at /console (and sends / there) with a policy that lets the
// page load nothing from elsewhere; the console's API types, generated from the OpenAPI document, still match
// the document this hub serves (so a change to the API that the console does not follow fails here).
describe('web console: served by the api role, typed by the served OpenAPI document', () => {
  let hub: Hub;

  beforeAll(async () => {
    hub = await startTestHub('console', { roles: ['api'] });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('redirects / to /console/ and serves the built page with a self-only content security policy', async () => {
    const root = await fetch(`${hub.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/console/');
    expect(fs.existsSync(path.join(consoleDir(), 'index.html'))).toBe(true);
    const page = await fetch(`${hub.url}/console/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const html = await page.text();
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${hub.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${hub.url}/console/assets/missing.js`)).status).toBe(404);
  });

  it('has API types generated from the OpenAPI document this hub serves', async () => {
    const doc = await (await fetch(`${hub.url}/api/v1/openapi.json`)).text();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hh-openapi-')), 'openapi.json');
    fs.writeFileSync(file, doc);
    const checked = await run(process.execPath, ['console/scripts/openapi-types.mjs', '--check', '--from', file], { cwd: root }).catch((err: { stderr?: string }) => ({ stdout: '', stderr: err.stderr ?? String(err) }));
    expect(checked.stderr).toBe('');
    expect(checked.stdout).toContain('match');
  });
});
