import type { HubContext } from '../../app/context';
import { agentCheckDeps, agentProblems, fieldErrors, refusalCode, AgentMarkdownError, parseAgentMarkdown, isFinal, type AgentCheckDeps, type AgentProblem, type ExecutionsRepository, type AgentsRepository, type AgentStatusRepository, type Agent } from '../../agents';
import type { AgentConfig } from '../../config/types';
import { AppError } from '../../platform/errors';
import { awaitExecution, publishTaskRequest } from '../domain/agent-runs';
import { decodeIdCursor, toIdPage } from '../framework/id-cursor';
import { access, route, type ApiResource } from '../framework/route';
import { agentView, executionView } from './views';

interface NameParams {
  name: string;
}
interface ListQuery {
  limit?: number;
  cursor?: string;
  team?: string;
  enabled?: boolean;
}
type UpdateBody = Partial<Omit<AgentConfig, 'name'>>;
interface ImportBody {
  documents: { markdown: string; filename?: string }[];
}
interface RunBody {
  task: string;
  parameters?: Record<string, unknown>;
  callback?: { url: string };
}

/** What an API caller may not configure, even as an operator: see agentProblems. */
async function assertAllowed(checks: AgentCheckDeps, agent: AgentConfig): Promise<void> {
  const problems = await agentProblems(checks, agent);
  if (problems.length > 0) throw new AppError(refusalCode(problems), `agent ${agent.name} cannot be stored through the API`, { errors: fieldErrors(problems) });
}

const configOf = (a: Agent): AgentConfig => {
  const { source: _s, version: _v, updatedAt: _u, ...config } = a;
  return config;
};

export interface AgentsDeps {
  ctx: HubContext;
  agents: AgentsRepository;
  status: AgentStatusRepository;
  executions: ExecutionsRepository;
}

/** The agent registry, live status, Markdown import, and running an agent now. */
export function agentsResource({ ctx, agents, status, executions }: AgentsDeps): ApiResource {
  const get = async (name: string): Promise<Agent> => {
    const a = await agents.get(name);
    if (!a) throw new AppError('not_found', `no agent ${name}`);
    return a;
  };
  const view = async (a: Agent) => agentView(a, await status.get(a.name));
  const checks = agentCheckDeps(ctx.env, ctx.config, ctx.schemas);
  return {
    tag: 'agents',
    description: 'Agents: definitions, live status (running, last run, last outcome), Markdown import, and runs on request.',
    routes: [
      route<Record<string, never>, ListQuery>({
        method: 'get',
        path: '/agents',
        operationId: 'listAgents',
        summary: 'List agents in name order, each with its live status',
        tag: 'agents',
        roles: access.read,
        query: 'api/agents/list-query',
        responses: { 200: 'api/agents/list' },
        handler: async ({ query }) => {
          const rows = await agents.page({ afterName: decodeIdCursor(query.cursor), limit: query.limit ?? 50, team: query.team, enabled: query.enabled });
          const page = toIdPage(rows, query.limit, (a) => a.name, (a) => a);
          return { body: { items: await Promise.all(page.items.map(view)), nextCursor: page.nextCursor } };
        },
      }),
      route<NameParams>({
        method: 'get',
        path: '/agents/:name',
        operationId: 'getAgent',
        summary: 'Get an agent with its live status',
        tag: 'agents',
        roles: access.read,
        params: 'api/agents/name-params',
        responses: { 200: 'api/agents/agent' },
        etag: true,
        handler: async ({ params }) => {
          const a = await get(params.name);
          return { body: await view(a), etag: a.version };
        },
      }),
      route<NameParams>({
        method: 'get',
        path: '/agents/:name/input-schema',
        operationId: 'getAgentInputSchema',
        summary: "The JSON Schema an agent's run parameters must match (null when it declares none), e.g. to build a form",
        tag: 'agents',
        roles: access.read,
        params: 'api/agents/name-params',
        responses: { 200: 'api/agents/input-schema' },
        handler: async ({ params }) => {
          const a = await get(params.name);
          const schema = a.inputSchema ? (ctx.schemas.document(a.inputSchema) ?? null) : null;
          return { body: { agent: a.name, inputSchema: a.inputSchema ?? null, schema } };
        },
      }),
      route<Record<string, never>, Record<string, never>, AgentConfig>({
        method: 'post',
        path: '/agents',
        operationId: 'createAgent',
        summary: 'Create an agent (the agents stage picks it up within HOOKHUB_AGENTS_REFRESH_MS)',
        tag: 'agents',
        roles: access.operate,
        body: 'api/agents/create-request',
        responses: { 201: 'api/agents/agent' },
        errors: ['already_exists', 'outbound_url_forbidden', 'agent_secret_forbidden'],
        etag: true,
        handler: async ({ body }) => {
          await assertAllowed(checks, body);
          const a = await agents.insert(body, 'api');
          if (a === 'exists') throw new AppError('already_exists', `agent ${body.name} already exists`);
          return { status: 201, body: await view(a), etag: a.version, headers: { Location: `/api/v1/agents/${a.name}` } };
        },
      }),
      route<NameParams, Record<string, never>, UpdateBody>({
        method: 'patch',
        path: '/agents/:name',
        operationId: 'updateAgent',
        summary: 'Change an agent (honours If-Match)',
        tag: 'agents',
        roles: access.operate,
        params: 'api/agents/name-params',
        body: 'api/agents/update-request',
        responses: { 200: 'api/agents/agent' },
        errors: ['outbound_url_forbidden', 'agent_secret_forbidden'],
        ifMatch: true,
        etag: true,
        handler: async ({ params, body, ifMatch }) => {
          const current = await get(params.name);
          const next: AgentConfig = { ...configOf(current), ...body, name: current.name };
          await assertAllowed(checks, next);
          const a = await agents.replace(next, 'api', ifMatch ?? current.version);
          if (a === 'not_found') throw new AppError('not_found', `no agent ${params.name}`);
          if (a === 'version_mismatch') throw new AppError('precondition_failed', `agent ${params.name} changed since you read it`);
          return { body: await view(a), etag: a.version };
        },
      }),
      route<NameParams>({
        method: 'delete',
        path: '/agents/:name',
        operationId: 'deleteAgent',
        summary: 'Delete an agent (its executions and documents stay; a config-file agent comes back at the next boot)',
        tag: 'agents',
        roles: access.operate,
        params: 'api/agents/name-params',
        responses: { 204: null },
        handler: async ({ params }) => {
          if (!(await agents.delete(params.name))) throw new AppError('not_found', `no agent ${params.name}`);
          return { status: 204 };
        },
      }),
      route<Record<string, never>, Record<string, never>, ImportBody>({
        method: 'post',
        path: '/agents/import',
        operationId: 'importAgents',
        summary: 'Import Markdown agent definitions (all or nothing); an unchanged agent keeps its version',
        tag: 'agents',
        roles: access.operate,
        body: 'api/agents/import-request',
        responses: { 200: 'api/agents/import-result' },
        errors: ['outbound_url_forbidden', 'agent_secret_forbidden'],
        handler: async ({ body }) => {
          const parsed: { agent: AgentConfig; ignored: string[] }[] = [];
          const problems: AgentProblem[] = [];
          for (const [i, d] of body.documents.entries()) {
            const at = `/body/documents/${i}`;
            try {
              const { agent, ignored } = parseAgentMarkdown(d.markdown, d.filename ?? `agent-${i}.md`);
              const invalid = ctx.schemas.validate('config/agent', agent).map((e) => ({ path: `${at}/markdown${e.path}`, message: e.message, code: 'validation_failed' as const }));
              problems.push(...invalid);
              if (invalid.length === 0) {
                problems.push(...(await agentProblems(checks, agent, `${at}/markdown`)));
                parsed.push({ agent, ignored });
              }
            } catch (err) {
              if (!(err instanceof AgentMarkdownError)) throw err;
              problems.push({ path: `${at}/markdown`, message: err.message, code: 'validation_failed' });
            }
          }
          const names = parsed.map((p) => p.agent.name);
          names.forEach((n, i) => {
            if (names.indexOf(n) !== i) problems.push({ path: '/body/documents', message: `agent ${n} is defined twice`, code: 'validation_failed' });
          });
          if (problems.length > 0) throw new AppError(refusalCode(problems), 'no agent was imported', { errors: fieldErrors(problems) });
          const out = [];
          for (const p of parsed) {
            const r = await agents.upsert(p.agent, 'import');
            out.push({ name: r.agent.name, version: r.agent.version, changed: r.changed, ignored: p.ignored });
          }
          return { body: { agents: out } };
        },
      }),
      route<NameParams, { wait?: number }, RunBody>({
        method: 'post',
        path: '/agents/:name/executions',
        operationId: 'runAgent',
        summary: 'Run an agent now: publishes agent.task.requested; 202 with the execution id, or 200 with the finished execution when it ends within ?wait=',
        description:
          'The execution id is derived from the published event id and the agent, so it is known at once; `Location` points at the execution (404 until the agents stage has stored it, usually within a second). With `wait`, the answer is 200 with the execution when it finished within that many seconds (at most 60), else 202.',
        tag: 'agents',
        roles: access.operate,
        params: 'api/agents/name-params',
        query: 'api/agents/run-query',
        body: 'api/agents/run-request',
        responses: { 200: 'api/executions/summary', 202: 'api/agents/run-accepted' },
        errors: ['conflict', 'kafka_unavailable'],
        handler: async ({ params, query, body }) => {
          const agent = await get(params.name);
          if (agent.enabled === false) throw new AppError('conflict', `agent ${agent.name} is disabled`);
          const ticket = await publishTaskRequest(ctx, { agent: agent.name, task: body.task, ...(body.parameters ? { parameters: body.parameters } : {}), ...(body.callback ? { callback: body.callback } : {}) });
          const location = `/api/v1/executions/${ticket.executionId}`;
          const current = query.wait ? await awaitExecution(executions, ticket.executionId, query.wait) : undefined;
          if (current && isFinal(current.status)) return { status: 200, body: executionView(current), headers: { Location: location } };
          return {
            status: 202,
            body: { executionId: ticket.executionId, eventId: ticket.eventId, agent: agent.name, status: current?.status ?? 'requested', location },
            headers: { Location: location },
          };
        },
      }),
    ],
  };
}
