import fs from 'node:fs';
import type { Command } from 'commander';
import { loadEnv } from '../config/env';
import { expandEnv } from '../config/file';
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

/** Parses, expands `${ENV}` in the front matter and validates Markdown agent files; returns the good ones and prints why the others are not. */
export function readAgentFiles(files: string[], schemas: SchemaRegistry, env: NodeJS.ProcessEnv = process.env): { agents: { file: string; agent: AgentConfig }[]; failed: number } {
  const agents: { file: string; agent: AgentConfig }[] = [];
  let failed = 0;
  for (const file of files) {
    try {
      const parsed = parseAgentMarkdown(fs.readFileSync(file, 'utf8'), file);
      const { ignored } = parsed;
      // ${ENV} references in the front matter are expanded like in hookhub.yaml (secrets stay out of the file).
      const agent = { ...(expandEnv({ ...parsed.agent, instructions: undefined }, env) as AgentConfig), ...(parsed.agent.instructions ? { instructions: parsed.agent.instructions } : {}) };
      if (agent.instructions === undefined) delete agent.instructions;
      const errors = schemas.validate('config/agent', agent);
      if (agent.inputSchema && !schemas.has(agent.inputSchema)) errors.push({ path: '/inputSchema', message: `no schema named ${agent.inputSchema}` });
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
    .action(async (files: string[], opts: { dryRun?: boolean }) => {
      const env = loadEnv(process.env);
      const schemas = SchemaRegistry.load(env.schemasDir);
      const { agents: parsed, failed } = readAgentFiles(files, schemas);
      if (!opts.dryRun && parsed.length > 0) {
        const conn = await retryStore(() => connectMongo({ uri: env.mongodbUri, logger: silentLogger() }), { what: 'connect to MongoDB' });
        try {
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
