import type { Env } from '../config/settings';
import type { AgentConfig, HubConfig } from '../config/types';
import { SsrfError } from '../platform/outbound/address-policy';
import { OutboundGuard, outboundAllowEntries, type Resolver } from '../platform/outbound/guard';
import type { ErrorCode } from '../platform/errors';
import type { FieldError, SchemaRegistry } from '../platform/schemas';
import { AgentSecretPolicy } from './domain/agent-secrets';

/** What the checks of an agent definition need, wherever it comes from (API, Markdown import, CLI import). */
export interface AgentCheckDeps {
  schemas: SchemaRegistry;
  guard: OutboundGuard;
  secrets: AgentSecretPolicy;
}

export function agentSecretPolicy(config: Pick<HubConfig, 'agentSecrets' | 'secretVariables'>): AgentSecretPolicy {
  return new AgentSecretPolicy(config.agentSecrets ?? [], config.secretVariables ?? []);
}

export function agentCheckDeps(env: Env, config: Pick<HubConfig, 'agentSecrets' | 'secretVariables'>, schemas: SchemaRegistry, resolver?: Resolver): AgentCheckDeps {
  return { schemas, guard: new OutboundGuard(outboundAllowEntries(env), resolver), secrets: agentSecretPolicy(config) };
}

export interface AgentProblem extends FieldError {
  /** The catalogue code a refusal for this problem carries. */
  code: Extract<ErrorCode, 'validation_failed' | 'outbound_url_forbidden' | 'agent_secret_forbidden'>;
}

/**
 * What an agent definition from outside hookhub.yaml may not be, beyond its JSON Schema: a `command` runner
 * (it starts programs on the agents hosts, so it belongs in hookhub.yaml unless `allowCommand`), a runner URL
 * the outbound guard refuses, an llm `apiKeyEnv` the agentSecrets policy refuses, an unknown input schema.
 */
export async function agentProblems(deps: AgentCheckDeps, agent: AgentConfig, at = '/body', opts: { allowCommand?: boolean } = {}): Promise<AgentProblem[]> {
  const problems: AgentProblem[] = [];
  const r = agent.runner;
  if (r.kind === 'command' && !opts.allowCommand) problems.push({ path: `${at}/runner/kind`, message: 'command runners can only be configured in hookhub.yaml', code: 'validation_failed' });
  if (r.kind === 'command') {
    for (const [i, name] of (r.env ?? []).entries()) {
      const why = deps.secrets.forbidden(name);
      if (why) problems.push({ path: `${at}/runner/env/${i}`, message: why, code: 'agent_secret_forbidden' });
    }
  }
  if (r.kind === 'llm' && r.apiKeyEnv !== undefined) {
    const why = deps.secrets.refusal(r.apiKeyEnv);
    if (why) problems.push({ path: `${at}/runner/apiKeyEnv`, message: why, code: 'agent_secret_forbidden' });
  }
  const url = r.kind === 'http' ? { field: 'url', value: r.url } : r.kind === 'llm' ? { field: 'baseUrl', value: r.baseUrl } : undefined;
  if (url) {
    try {
      await deps.guard.checkUrl(url.value);
    } catch (err) {
      if (!(err instanceof SsrfError)) throw err;
      problems.push({ path: `${at}/runner/${url.field}`, message: `${err.message} (see HOOKHUB_OUTBOUND_ALLOW)`, code: 'outbound_url_forbidden' });
    }
  }
  if (agent.inputSchema && !deps.schemas.has(agent.inputSchema)) problems.push({ path: `${at}/inputSchema`, message: `no schema named ${agent.inputSchema} under schemas/`, code: 'validation_failed' });
  return problems;
}

/** The code a refusal of these problems carries: the most specific one present. */
export function refusalCode(problems: readonly AgentProblem[]): AgentProblem['code'] {
  if (problems.some((p) => p.code === 'agent_secret_forbidden')) return 'agent_secret_forbidden';
  if (problems.some((p) => p.code === 'outbound_url_forbidden')) return 'outbound_url_forbidden';
  return 'validation_failed';
}

/** Only `path` and `message` go to clients (the code is the problem's own). */
export const fieldErrors = (problems: readonly AgentProblem[]): FieldError[] => problems.map(({ path, message }) => ({ path, message }));
