import { Command } from 'commander';
import { registerApiCommand } from './api';
import { registerAgentsCommands } from './agents';
import { registerDocsCommands } from './docs/command';
import { registerKeysCommands } from './keys';
import { registerReplayCommand } from './replay';
import { registerOperateCommands } from './operate';
import { registerStackCommands } from './stack';
import { registerStartCommand } from './start';
import { registerSubscriptionsCommands } from './subscriptions';

export function buildProgram(): Command {
  const program = new Command('hookhub')
    .description('hookhub: verified webhooks into Kafka, AI agents, signed callbacks out')
    .showHelpAfterError()
    .exitOverride();
  registerStartCommand(program);
  registerStackCommands(program);
  registerDocsCommands(program);
  registerKeysCommands(program);
  registerApiCommand(program);
  registerAgentsCommands(program);
  registerReplayCommand(program);
  registerOperateCommands(program);
  registerSubscriptionsCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
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
