/**
 * Operator verbs over the Management API (HOOKHUB_URL + HOOKHUB_API_KEY): thin calls of `ApiClient`, so they
 * see and may do exactly what the key's role allows. Lists print one tab-separated line per item (all pages),
 * or JSON with --json; single objects print as JSON.
 */
import type { Command } from 'commander';
import { ApiClient } from './client';

const say = (msg: string): void => void process.stdout.write(`${msg}\n`);
const json = (v: unknown): void => say(JSON.stringify(v, null, 2));

type Row = Record<string, unknown>;
const str = (v: unknown): string => (v === undefined || v === null || v === '' ? '-' : String(v));

function parseJson(flag: string, text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`${flag} is not valid JSON: ${(err as Error).message}`);
  }
}

/** Query parameters from the options that are set (commander leaves the others undefined). */
function query(opts: Record<string, string | undefined>, names: string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((n) => (opts[n] !== undefined ? [[n, String(opts[n])]] : [])));
}

async function printList(client: ApiClient, path: string, q: Record<string, string>, asJson: boolean | undefined, line: (r: Row) => string, max?: number): Promise<void> {
  const items: Row[] = [];
  for await (const item of client.items<Row>(path, q)) {
    items.push(item);
    if (max !== undefined && items.length >= max) break;
  }
  if (asJson) json(items);
  else for (const r of items) say(line(r));
}

export function agentLine(a: Row): string {
  const s = (a.status ?? {}) as Row;
  return [a.name, str(a.team), (a.runner as Row | undefined)?.kind, a.enabled === false ? 'disabled' : 'enabled', `running=${str(s.running)}`, `last=${str(s.lastOutcome)}`, str(s.lastRunAt)].join('\t');
}

const executionLine = (e: Row): string => [e.id, e.agent, e.status, str(e.createdAt), str(e.durationMs)].join('\t');

/** `hookhub agents list` through the API (used when HOOKHUB_API_KEY is set). */
export async function listAgentsViaApi(client: ApiClient, opts: { json?: boolean; team?: string }): Promise<void> {
  await printList(client, '/agents', query(opts as Record<string, string | undefined>, ['team']), opts.json, agentLine);
}

export function registerAgentRunCommand(agents: Command): void {
  agents
    .command('run')
    .description('run an agent now through the API (agent.task.requested); prints the execution (needs HOOKHUB_URL, HOOKHUB_API_KEY)')
    .argument('<name>', 'agent name')
    .requiredOption('--task <text>', 'what the agent should do')
    .option('--input <json>', 'the agent input (parameters) as a JSON object')
    .option('--wait <seconds>', 'wait up to this many seconds (≤ 60) for the result', '0')
    .action(async (name: string, opts: { task: string; input?: string; wait: string }) => {
      const parameters = parseJson('--input', opts.input);
      const wait = Number(opts.wait);
      if (!Number.isInteger(wait) || wait < 0 || wait > 60) throw new Error('--wait must be a whole number of seconds from 0 to 60');
      const client = ApiClient.fromEnv();
      const reply = await client.call<Row>('POST', `/agents/${encodeURIComponent(name)}/executions${wait > 0 ? `?wait=${wait}` : ''}`, { body: { task: opts.task, ...(parameters !== undefined ? { parameters } : {}) } });
      json(reply);
      if (reply.status === 'failed' || reply.status === 'timed_out' || reply.status === 'cancelled') process.exitCode = 1;
    });
}

export function registerOperateCommands(program: Command): void {
  const executions = program.command('executions').description('agent executions, through the Management API');
  executions
    .command('list')
    .description('list executions, newest first')
    .option('--agent <name>')
    .option('--team <team>')
    .option('--status <status>', 'queued, running, succeeded, failed, timed_out or cancelled')
    .option('--from <iso>', 'created at or after')
    .option('--to <iso>', 'created before')
    .option('--max <n>', 'print at most this many', '50')
    .option('--json', 'machine-readable output')
    .action(async (opts: Record<string, string | undefined> & { json?: boolean }) => {
      await printList(ApiClient.fromEnv(), '/executions', query(opts, ['agent', 'team', 'status', 'from', 'to']), opts.json, executionLine, Number(opts.max));
    });
  executions
    .command('get')
    .description('an execution with its documents (JSON)')
    .argument('<id>')
    .action(async (id: string) => json(await ApiClient.fromEnv().call('GET', `/executions/${encodeURIComponent(id)}`)));

  const documents = program.command('documents').description('documents agents produced, through the Management API');
  documents
    .command('list')
    .description('list documents, newest first')
    .option('--kind <kind>')
    .option('--agent <name>')
    .option('--tag <tag>')
    .option('--q <text>', 'text in the title (case-insensitive, literal)')
    .option('--max <n>', 'print at most this many', '50')
    .option('--json', 'machine-readable output')
    .action(async (opts: Record<string, string | undefined> & { json?: boolean }) => {
      await printList(ApiClient.fromEnv(), '/documents', query(opts, ['kind', 'agent', 'tag', 'q']), opts.json, (d) => [d.id, d.kind, d.agent, `v${str(d.version)}`, d.title].join('\t'), Number(opts.max));
    });
  documents
    .command('get')
    .description('one document (JSON)')
    .argument('<id>')
    .action(async (id: string) => json(await ApiClient.fromEnv().call('GET', `/documents/${encodeURIComponent(id)}`)));

  const sources = program.command('sources').description('webhook sources, through the Management API');
  sources
    .command('list')
    .description('list sources (secrets masked)')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      await printList(ApiClient.fromEnv(), '/sources', {}, opts.json, (s) => [s.id, s.enabled === false ? 'disabled' : 'enabled', (s.verification as Row | undefined)?.scheme, s.url, s.origin].join('\t'));
    });
}
