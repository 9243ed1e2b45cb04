import fs from 'node:fs';
import type { Command } from 'commander';
import { useSecretsKey } from '../app/stored-secrets';
import { loadEnv } from '../config/env';
import { expandEnv, loadSecretPolicyInputs } from '../config/file';
import { agentCheckDeps, agentProblems, type AgentCheckDeps } from '../agents/agent-checks';
import { agentsModels, ensureAgentsIndexes } from '../agents/data-access/models';
import { AgentsRepository } from '../agents/data-access/registry';
import { AgentStatusRepository } from '../agents/data-access/status';
import { AgentMarkdownError, parseAgentMarkdown } from '../agents/domain/markdown';
import type { AgentConfig } from '../config/types';
import { silentLogger } from '../platform/logger';
import { connectMongo } from '../platform/mongo';
import { retryStore } from '../platform/store-retry';
import { SchemaRegistry } from '../platform/schemas';
import { ApiClient } from './client';
import { agentLine, listAgentsViaApi, registerAgentRunCommand } from './operate';

const say = (msg: string): void => void process.stdout.write(`${msg}\n`);
const complain = (msg: string): void => void process.stderr.write(`${msg}\n`);

export interface ImportOptions {
  /** Expand `${ENV}` references in the front matter (off: a file that has one is refused). */
  expandEnv?: boolean;
  /** Accept `command` runners (off: refused, as through the API). */
  allowCommand?: boolean;
  env?: NodeJS.ProcessEnv;
}

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}/g;

/**
 * Parses and validates Markdown agent files with the API's checks (agentProblems); returns the good ones and
 * prints why the others are not. A file is someone else's text: it may read the importer's environment
 * (`${ENV}`) or start programs (`command`) only when the importer says so.
 */
export async function readAgentFiles(files: string[], checks: AgentCheckDeps, opts: ImportOptions = {}): Promise<{ agents: { file: string; agent: AgentConfig }[]; failed: number }> {
  const agents: { file: string; agent: AgentConfig }[] = [];
  let failed = 0;
  for (const file of files) {
    try {
      const parsed = parseAgentMarkdown(fs.readFileSync(file, 'utf8'), file);
      const { ignored } = parsed;
      const front = { ...parsed.agent, instructions: undefined };
      const refs = [...JSON.stringify(front).matchAll(ENV_REF)].map((m) => m[1] as string);
      if (!opts.expandEnv && refs.length > 0) throw new AgentMarkdownError(file, 'the front matter has ${ENV} references; pass --expand-env to expand them from your environment');
      const forbidden = refs.map((name) => checks.secrets.forbidden(name)).filter((why): why is string => why !== undefined);
      if (forbidden.length > 0) throw new AgentMarkdownError(file, forbidden.join('; '));
      const agent = { ...((opts.expandEnv ? expandEnv(front, opts.env ?? process.env) : front) as AgentConfig), ...(parsed.agent.instructions ? { instructions: parsed.agent.instructions } : {}) };
      if (agent.instructions === undefined) delete agent.instructions;
      const errors = checks.schemas.validate('config/agent', agent);
      if (errors.length === 0) {
        const problems = await agentProblems(checks, agent, '', { allowCommand: opts.allowCommand === true });
        errors.push(...problems.map((p) => (p.path === '/runner/kind' ? { path: p.path, message: 'is command: pass --allow-command to import a command runner' } : p)));
      }
      if (errors.length > 0) throw new AgentMarkdownError(file, errors.map((e) => `${e.path} ${e.message}`).join('; '));
      if (ignored.length > 0) complain(`${file}: ignoring front matter keys ${ignored.join(', ')}`);
      agents.push({ file, agent });
    } catch (err) {
      failed += 1;
      complain(err instanceof AgentMarkdownError ? err.message : `${file}: ${(err as Error).message}`);
    }
  }
  return { agents, failed };
}

export function registerAgentsCommands(program: Command): void {
  const agents = program.command('agents').description('agents: import Markdown definitions (MONGODB_URI), list them, run one (Management API)');

  agents
    .command('import')
    .description('import Markdown agent definitions (YAML front matter + instructions body) and upsert them')
    .argument('<files...>', 'Markdown files')
    .option('--dry-run', 'validate only; write nothing')
    .option('--expand-env', 'expand ${ENV} references in the front matter from this environment (refused otherwise)')
    .option('--allow-command', 'accept command runners (they start programs on the agents hosts; refused otherwise)')
    .action(async (files: string[], opts: { dryRun?: boolean; expandEnv?: boolean; allowCommand?: boolean }) => {
      const env = loadEnv(process.env);
      const schemas = SchemaRegistry.load(env.schemasDir);
      const checks = agentCheckDeps(env, loadSecretPolicyInputs(env.configFile), schemas);
      const { agents: parsed, failed } = await readAgentFiles(files, checks, { expandEnv: opts.expandEnv === true, allowCommand: opts.allowCommand === true });
      if (!opts.dryRun && parsed.length > 0) {
        const conn = await retryStore(() => connectMongo({ uri: env.mongodbUri, logger: silentLogger() }), { what: 'connect to MongoDB' });
        try {
          useSecretsKey(conn, env);
          await ensureAgentsIndexes(agentsModels(conn));
          const repo = new AgentsRepository(conn);
          for (const { file, agent } of parsed) {
            const r = await repo.upsert(agent, 'import');
            say(`${r.changed ? 'imported' : 'unchanged'} ${r.agent.name} (version ${r.agent.version}) from ${file}`);
          }
        } finally {
          await conn.close();
        }
      } else for (const { file, agent } of parsed) say(`valid ${agent.name} from ${file}`);
      if (failed > 0) {
        complain(`${failed} of ${files.length} file(s) not imported`);
        process.exitCode = 1;
      }
    });

  agents
    .command('list')
    .description('list agents with their status (running, last run, last outcome): through the API when HOOKHUB_API_KEY is set, else straight from MONGODB_URI')
    .option('--team <team>', 'only agents of this team')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean; team?: string }) => {
      const env = loadEnv(process.env);
      if (env.apiKey) {
        await listAgentsViaApi(ApiClient.fromEnv(), opts);
        return;
      }
      const conn = await retryStore(() => connectMongo({ uri: env.mongodbUri, logger: silentLogger() }), { what: 'connect to MongoDB' });
      try {
        if (env.secretsKey) useSecretsKey(conn, env);
        const list = await new AgentsRepository(conn).list(opts.team ? { team: opts.team } : {});
        const status = new AgentStatusRepository(conn);
        const rows = await Promise.all(list.map(async (a) => ({ name: a.name, team: a.team, runner: a.runner.kind, enabled: a.enabled !== false, source: a.source, version: a.version, status: await status.get(a.name) })));
        if (opts.json) say(JSON.stringify(rows, null, 2));
        else for (const r of rows) say(agentLine({ ...r, runner: { kind: r.runner } }));
      } finally {
        await conn.close();
      }
    });

  registerAgentRunCommand(agents);
}
