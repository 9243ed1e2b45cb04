import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.join(__dirname, '..', '..');
const run = promisify(execFile);

const refusedInternals: [string, string][] = [
  ['src/api/resources/a.ts', "import { AgentsRepository } from '../../agents/data-access/registry';\nexport const x = AgentsRepository;\n"],
  ['src/api/resources/b.ts', "import type { Delivery } from '../../delivery/data-access/deliveries-repository';\nexport type X = Delivery;\n"],
  ['src/ingest/c.ts', "import { AnalyticsStore } from '../analysts/analytics/data-access/rollups';\nexport const x = AnalyticsStore;\n"],
  ['src/analysts/replay/d.ts', "import { EventsRepository } from '../../ingest/data-access/events-repository';\nexport const x = EventsRepository;\n"],
];
const allowed: [string, string][] = [
  ['src/api/resources/e.ts', "import { AgentsRepository } from '../../agents';\nexport const x = AgentsRepository;\n"],
  ['src/ingest/f.ts', "import { AnalyticsStore } from '../analysts';\nexport const x = AnalyticsStore;\n"],
  ['src/agents/domain/g.ts', "import { isFinal } from './model';\nimport { AppError } from '../../platform/errors';\nexport const x = [isFinal, AppError];\n"],
  ['src/app/h.ts', "import { createAgentsComponent } from '../agents/component';\nexport const x = createAgentsComponent;\n"],
];
const refusedConsumers: [string, string][] = ['src/platform/i.ts', 'src/api/j.ts', 'src/delivery/domain/k.ts'].map((file) => [
  file,
  `import { x } from '${'../'.repeat(file.split('/').length - 1)}consumers/delivery';\nexport const y = x;\n`,
]);

// Scenario: `npm run lint` (and so `npm test`) fails when src/ reaches into consumers/, or when a component (or the
// api) imports a path inside another component instead of that component's index.ts. The cases are written as
// files of a scratch tree and linted with the project's config by the eslint CLI, once (jest cannot load the
// ES-module config in process).
describe('import rules of src/', () => {
  const problems = new Map<string, string[]>();

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-imports-'));
    try {
      for (const [file, code] of [...refusedInternals, ...allowed, ...refusedConsumers]) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), code);
      }
      const eslint = path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js');
      const args = [eslint, '--config', path.join(root, 'eslint.config.mjs'), '--format', 'json', 'src'];
      // eslint exits 1 when it reports errors, which is what most cases expect.
      const { stdout } = await run(process.execPath, args, { cwd: dir, maxBuffer: 16 * 1024 * 1024 }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
      for (const r of JSON.parse(stdout) as { filePath: string; messages: { ruleId: string | null; message: string }[] }[]) {
        problems.set(path.relative(dir, r.filePath), r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it.each(refusedInternals)('refuses %s reaching into another component', (file) => {
    expect(problems.get(file)).toEqual([expect.stringContaining('through its index.ts')]);
  });

  it.each(allowed)('allows %s importing through an index, inside its component, or from the composition root', (file) => {
    expect(problems.get(file)).toEqual([]);
  });

  it.each(refusedConsumers)('refuses %s importing from consumers/', (file) => {
    expect(problems.get(file)).toEqual([expect.stringContaining('consumers/')]);
  });
});
