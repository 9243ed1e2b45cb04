import fs from 'node:fs';
import path from 'node:path';
import type { Hub } from '../../src/app/hub';
import { API_ROLES } from '../../src/api/framework/route';
import { openApiOf } from '../support/api';
import { startTestHub } from '../support/hub';

const BEGIN = '<!-- roles-table:begin (checked by test/security/roles-table.test.ts against the route table) -->';
const END = '<!-- roles-table:end -->';

type Operations = Record<string, Record<string, { 'x-hookhub-roles'?: string[] }>>;

/** The roles × operations table as the served OpenAPI document (built from the route table) states it. */
function rolesTable(paths: Operations): string {
  const rows: string[] = [];
  for (const [template, item] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(item)) {
      const roles = op['x-hookhub-roles'];
      const cells = API_ROLES.map((r) => (roles === undefined ? 'public' : roles.includes(r) ? 'yes' : '—'));
      rows.push(`| \`${method.toUpperCase()} /api/v1${template}\` | ${cells.join(' | ')} |`);
    }
  }
  rows.sort();
  return [BEGIN, `| Operation | ${API_ROLES.join(' | ')} |`, `|---|${API_ROLES.map(() => '---').join('|')}|`, ...rows, END].join('\n');
}

// Scenario: docs/security.md states who may call what; the table there must be the one the route table
// enforces (the OpenAPI document's `x-hookhub-roles`), so a change to a route's roles fails here until the doc
// says the same.
describe('security: the roles × operations table in docs/security.md', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startTestHub('secroles', { roles: ['api'] });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('matches the roles the route table enforces', async () => {
    const expected = rolesTable((await openApiOf(hub)).paths as Operations);
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'security.md'), 'utf8');
    const start = doc.indexOf(BEGIN);
    const end = doc.indexOf(END);
    const actual = start >= 0 && end > start ? doc.slice(start, end + END.length) : '(no roles table markers)';
    if (actual !== expected) process.stderr.write(`docs/security.md roles table should be:\n${expected}\n`);
    expect(actual).toBe(expected);
  });
});
