import path from 'node:path';
import type { Command } from 'commander';
import type { KafkaEntryPoints } from '../app/entry-points';
import { parseRoles, startHub } from '../app/hub';
import { packageRoot } from '../platform/paths';
import { stackUp } from '../stack/stack';
import { devBanner, ensureDevSecrets, ensureDevSecretsKey } from './dev';

interface StartOptions {
  roles?: string;
  dev?: boolean;
}

const say = (msg: string): void => {
  process.stdout.write(`${msg}\n`);
};

/** `entryPoints`: the Kafka entry points (`consumers/`), given by the launcher (bin/hookhub.js). */
export function registerStartCommand(program: Command, entryPoints?: KafkaEntryPoints): void {
  program
    .command('start')
    .description('run the hub: every role in one process unless --roles says otherwise')
    .option('--roles <roles>', 'comma-separated roles: ingest,api,archiver,agents,delivery (or all)')
    .option('--dev', 'local development: start the local stack when KAFKA_BROKERS and MONGODB_URI are unset, use the sample hookhub.yaml and dev secrets')
    .action(async (opts: StartOptions) => {
      const env = process.env;
      if (opts.dev) {
        if (!env.KAFKA_BROKERS && !env.MONGODB_URI) {
          say('starting the local stack (Kafka + FerretDB) …');
          const ep = await stackUp(say);
          env.KAFKA_BROKERS = ep.kafkaBrokers.join(',');
          env.MONGODB_URI = ep.mongodbUri;
        }
        env.HOOKHUB_CONFIG ??= path.join(packageRoot(), 'hookhub.yaml');
        for (const line of ensureDevSecrets(env)) say(line);
        const keyLine = ensureDevSecretsKey(env);
        if (keyLine) say(keyLine);
      }
      const hub = await startHub({ ...(entryPoints ? { entryPoints } : {}), ...(opts.roles ? { roles: parseRoles(opts.roles.split(',').map((r) => r.trim())) } : {}) });
      say(`hookhub is up (roles: ${hub.roles.join(', ')})`);
      for (const line of devBanner(hub)) say(line);

      let signals = 0;
      const shutdown = (signal: string): void => {
        signals += 1;
        if (signals > 1) {
          say(`${signal} again: exiting now`);
          process.exit(130);
        }
        say(`${signal}: shutting down (drain, commit, disconnect) …`);
        hub.stop().then(
          () => {
            say('stopped cleanly');
            process.exit(0);
          },
          (err: unknown) => {
            process.stderr.write(`shutdown failed: ${(err as Error).message}\n`);
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', () => shutdown('SIGINT'));
      process.on('SIGTERM', () => shutdown('SIGTERM'));
    });
}
