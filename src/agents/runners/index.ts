import type { GuardedHttpClient } from '../../platform/outbound/client';
import type { SchemaRegistry } from '../../platform/schemas';
import type { AgentSecretPolicy } from '../domain/agent-secrets';
import type { Agent } from '../domain/model';
import { BuiltinRunner } from './builtin';
import { CommandRunner } from './command';
import { HttpRunner, type AsyncResultWaiter } from './http';
import { LlmRunner } from './llm';
import type { Runner } from './runner';

export type RunnerSet = Record<Agent['runner']['kind'], Runner>;

export interface RunnerDeps {
  schemas: SchemaRegistry;
  awaitResult: AsyncResultWaiter;
  /** The guarded client every http and llm request goes through. */
  http: GuardedHttpClient;
  secrets: AgentSecretPolicy;
  env?: NodeJS.ProcessEnv;
}

export function createRunners(deps: RunnerDeps): RunnerSet {
  return {
    builtin: new BuiltinRunner(),
    http: new HttpRunner(deps.schemas, deps.awaitResult, deps.http),
    command: new CommandRunner(deps.schemas, deps.secrets, deps.env),
    llm: new LlmRunner(deps.http, deps.secrets, deps.env),
  };
}
