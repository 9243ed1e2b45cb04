import type { SchemaRegistry } from '../../platform/schemas';
import type { Agent } from '../domain/model';
import { BuiltinRunner } from './builtin';
import { CommandRunner } from './command';
import { HttpRunner, type AsyncResultWaiter } from './http';
import { LlmRunner } from './llm';
import type { Runner } from './runner';

export type RunnerSet = Record<Agent['runner']['kind'], Runner>;

export function createRunners(deps: { schemas: SchemaRegistry; awaitResult: AsyncResultWaiter; env?: NodeJS.ProcessEnv }): RunnerSet {
  return {
    builtin: new BuiltinRunner(),
    http: new HttpRunner(deps.schemas, deps.awaitResult),
    command: new CommandRunner(deps.schemas, deps.env),
    llm: new LlmRunner(deps.env),
  };
}
