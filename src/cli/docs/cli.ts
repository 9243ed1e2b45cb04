import type { Command, Help } from 'commander';

const cell = (text: string): string => text.replace(/\|/g, '\\|');

function section(cmd: Command, help: Help, path: string[]): string[] {
  const name = [...path, cmd.name()].join(' ');
  const out: string[] = [];
  const args = help.visibleArguments(cmd);
  const options = help.visibleOptions(cmd).filter((o) => o.long !== '--help');
  const children = help.visibleCommands(cmd).filter((c) => c.name() !== 'help');
  const runnable = children.length === 0 || args.length > 0 || options.length > 0;
  if (path.length > 0) {
    out.push(`${'#'.repeat(Math.min(path.length + 1, 4))} \`${name}\``, '', help.commandDescription(cmd), '');
    const usage = options.length > 0 ? help.commandUsage(cmd) : help.commandUsage(cmd).replace(' [options]', '');
    if (runnable) out.push('```', usage, '```', '');
    if (args.length > 0) {
      out.push('| Argument | Meaning |', '|---|---|', ...args.map((a) => `| \`${help.argumentTerm(a)}\` | ${cell(help.argumentDescription(a))} |`), '');
    }
    if (options.length > 0) {
      out.push('| Option | Meaning |', '|---|---|', ...options.map((o) => `| \`${help.optionTerm(o)}\` | ${cell(help.optionDescription(o))} |`), '');
    }
  }
  for (const child of children) out.push(...section(child, help, [...path, cmd.name()]));
  return out;
}

/** docs/reference/cli.md, generated from the commander program itself. */
export function cliReference(program: Command): string {
  const help = program.createHelp();
  return [
    '# CLI reference',
    '',
    '<!-- generated from the commander program (src/cli/) by `hookhub docs cli --write`; do not edit -->',
    '',
    '`npx hookhub …` (the `bin` of this package). Verbs that call the Management API use `HOOKHUB_URL` and',
    '`HOOKHUB_API_KEY`; verbs that work on the stores directly use `KAFKA_BROKERS` and `MONGODB_URI` (see the',
    '[configuration reference](configuration.md)). A command fails with exit code 1 and the reason on stderr.',
    '',
    ...section(program, help, []),
  ].join('\n').replace(/\n+$/, '\n');
}
