import { settings, type Setting } from '../../config/settings';

function formatDefault(s: Setting<unknown>): string {
  if (s.defaultDoc) return s.defaultDoc;
  const d = s.default;
  if (Array.isArray(d)) return d.length ? `\`${d.join(',')}\`` : '(empty)';
  if (d === '') return '(empty)';
  return `\`${String(d)}\``;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** docs/reference/configuration.md, generated from the settings table. */
export function configurationReference(): string {
  const rows = Object.entries(settings).map(
    ([key, s]: [string, Setting<unknown>]) =>
      `| \`${s.env}\` | ${s.kind}${s.choices ? ` (${s.choices.join(' \\| ')})` : ''} | ${formatDefault(s)} | ${cell(s.doc)} (\`${key}\`) |`,
  );
  return [
    '# Configuration reference',
    '',
    '<!-- generated from src/config/settings.ts by `hookhub docs config --write`; do not edit -->',
    '',
    'Process settings come from the environment and are validated at boot: a bad value stops the process',
    'naming the variable. Sources, agents, routes and subscriptions are not settings: they live in the YAML',
    'file named by `HOOKHUB_CONFIG` and in MongoDB (see [the guides](../README.md)).',
    '',
    '| Variable | Type | Default | Meaning |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
