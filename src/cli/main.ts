import { Command } from 'commander';
import type { KafkaEntryPoints } from '../app/entry-points';
import { registerApiCommand } from './api';
import { registerAgentsCommands } from './agents';
import { registerDocsCommands } from './docs/command';
import { registerKeysCommands } from './keys';
import { registerReplayCommand } from './replay';
import { registerSecretsCommands } from './secrets';
import { registerOperateCommands } from './operate';
import { registerStackCommands } from './stack';
import { registerStartCommand } from './start';
import { registerSubscriptionsCommands } from './subscriptions';

export function buildProgram(entryPoints?: KafkaEntryPoints): Command {
  const program = new Command('hookhub')
    .description('hookhub: verified webhooks into Kafka, AI agents, signed callbacks out')
    .showHelpAfterError()
    .exitOverride();
  registerStartCommand(program, entryPoints);
  registerStackCommands(program);
  registerDocsCommands(program);
  registerKeysCommands(program);
  registerSecretsCommands(program);
  registerApiCommand(program);
  registerAgentsCommands(program);
  registerReplayCommand(program);
  registerOperateCommands(program);
  registerSubscriptionsCommands(program);
  return program;
}

/** `entryPoints`: the Kafka entry points of `consumers/`, which `hookhub start` needs for the consumer roles. */
export async function main(argv: string[], entryPoints?: KafkaEntryPoints): Promise<void> {
  const program = buildProgram(entryPoints);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    const e = err as { code?: string; exitCode?: number };
    if (typeof e.code === 'string' && e.code.startsWith('commander.')) {
      process.exitCode = e.exitCode ?? 1;
      return;
    }
    throw err;
  }
}
