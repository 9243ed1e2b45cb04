import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { packageRoot } from '../../platform/paths';
import { cliReference } from './cli';
import { configurationReference } from './configuration';
import { errorsReference } from './errors';

interface GeneratedDoc {
  name: string;
  file: string;
  source: string;
  render: (program: Command) => string;
}

const GENERATED: GeneratedDoc[] = [
  { name: 'config', file: 'docs/reference/configuration.md', source: 'src/config/settings.ts', render: () => configurationReference() },
  { name: 'errors', file: 'docs/reference/errors.md', source: 'src/platform/errors.ts', render: () => errorsReference() },
  { name: 'cli', file: 'docs/reference/cli.md', source: 'the CLI program', render: (program) => cliReference(program) },
];

interface Flags {
  check?: boolean;
  write?: boolean;
}

/** Prints, writes or checks one generated document; the `--check` mode is what `npm test` runs. */
function apply(doc: GeneratedDoc, program: Command, flags: Flags): void {
  const text = doc.render(program);
  if (!flags.check && !flags.write) {
    process.stdout.write(text);
    return;
  }
  const file = path.join(packageRoot(), doc.file);
  if (flags.write) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    process.stdout.write(`${doc.file} written\n`);
    return;
  }
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (current !== text) throw new Error(`${doc.file} is out of date with ${doc.source}: run \`npm run docs\``);
}

export function registerDocsCommands(program: Command): void {
  const docs = program.command('docs').description('generated reference documents under docs/reference/');
  for (const doc of GENERATED) {
    docs
      .command(doc.name)
      .description(`print ${doc.file} (generated from ${doc.source}), or check or rewrite it`)
      .option('--check', `fail when ${doc.file} differs from what would be generated`)
      .option('--write', `rewrite ${doc.file}`)
      .action((flags: Flags) => apply(doc, program, flags));
  }
  docs
    .command('all')
    .description('check or rewrite every generated document')
    .option('--check', 'fail when any generated document is out of date')
    .option('--write', 'rewrite every generated document')
    .action((flags: Flags) => {
      if (!flags.check && !flags.write) throw new Error('docs all needs --check or --write');
      for (const doc of GENERATED) apply(doc, program, flags);
    });
}
