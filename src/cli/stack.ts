import type { Command } from 'commander';
import { stackDown, stackReset, stackStatus, stackUp, type StackEndpoints } from '../stack/stack';

const say = (msg: string): void => {
  process.stdout.write(`${msg}\n`);
};

const sayEndpoints = (ep: StackEndpoints): void => {
  say(`KAFKA_BROKERS=${ep.kafkaBrokers.join(',')}`);
  say(`MONGODB_URI=${ep.mongodbUri}`);
};

export function registerStackCommands(program: Command): void {
  const stack = program.command('stack').description('the local Kafka + FerretDB stack (real servers, no Docker)');
  stack
    .command('up')
    .description('download once, start (or reuse) and wait until both answer')
    .action(async () => {
      sayEndpoints(await stackUp(say));
    });
  stack
    .command('down')
    .description('stop the processes this checkout started (by pid file)')
    .action(async () => {
      await stackDown(say);
    });
  stack
    .command('reset')
    .description("stop, delete every topic and database of this checkout's stack, start it again empty")
    .action(async () => {
      sayEndpoints(await stackReset(say));
    });
  stack
    .command('status')
    .description('show whether each part runs and answers')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const s = await stackStatus();
      if (opts.json) {
        say(JSON.stringify(s, null, 2));
      } else {
        for (const [name, part] of Object.entries(s)) {
          say(`${name.padEnd(8)} ${part.address.padEnd(16)} ${part.answering ? 'answering' : 'not answering'}${part.pid ? ` (pid ${part.pid})` : ''}`);
        }
      }
      if (!s.kafka.answering || !s.ferretdb.answering) process.exitCode = 3;
    });
}
