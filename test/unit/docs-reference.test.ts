import fs from 'node:fs';
import path from 'node:path';
import { buildProgram } from '../../src/cli/main';
import { cliReference } from '../../src/cli/docs/cli';
import { configurationReference } from '../../src/cli/docs/configuration';
import { errorsReference, UNDOCUMENTED } from '../../src/cli/docs/errors';
import { catalogue } from '../../src/platform/errors';
import { settings } from '../../src/config/settings';

const root = path.join(__dirname, '..', '..');
const read = (file: string): string => fs.readFileSync(path.join(root, file), 'utf8');

describe('generated reference documents', () => {
  const errorsDoc = read('docs/reference/errors.md');

  it.each(Object.entries(catalogue))('documents error code %s with its status and when it is answered', (code, entry) => {
    const row = errorsDoc.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
    expect(row).toBeDefined();
    expect(row).toContain(`| ${entry.status} |`);
    expect(row).not.toContain(UNDOCUMENTED);
  });

  it('has no error row for a code that is no longer in the catalogue', () => {
    const documented = [...errorsDoc.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(catalogue).sort());
  });

  it('documents every setting by its environment variable', () => {
    const configDoc = read('docs/reference/configuration.md');
    for (const s of Object.values(settings)) expect(configDoc).toContain(`| \`${s.env}\` |`);
  });

  it.each([
    ['docs/reference/errors.md', (): string => errorsReference()],
    ['docs/reference/configuration.md', (): string => configurationReference()],
    ['docs/reference/cli.md', (): string => cliReference(buildProgram())],
  ])('%s is what `npm run docs` generates today', (file, render) => {
    expect(read(file)).toBe(render());
  });

  it('lists every CLI command in the CLI reference', () => {
    const cliDoc = read('docs/reference/cli.md');
    for (const cmd of buildProgram().commands) expect(cliDoc).toContain(`\`hookhub ${cmd.name()}`);
  });
});
