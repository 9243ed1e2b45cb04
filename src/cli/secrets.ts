/**
 * `hookhub secrets rotate-key`: reseals every stored secret with the current HOOKHUB_SECRETS_KEY, straight in
 * the database named by MONGODB_URI. Rotation: set the new key as HOOKHUB_SECRETS_KEY and the old one in
 * HOOKHUB_SECRETS_PREVIOUS_KEYS (for this command and every running hub), run this, then drop the old key.
 */
import type { Command } from 'commander';
import { resealStoredSecrets, useSecretsKey } from '../app/stored-secrets';
import { loadEnv } from '../config/env';
import { silentLogger } from '../platform/logger';
import { connectMongo } from '../platform/mongo';

export function registerSecretsCommands(program: Command): void {
  const secrets = program.command('secrets').description('secrets stored in the database named by MONGODB_URI (encrypted with HOOKHUB_SECRETS_KEY)');
  secrets
    .command('rotate-key')
    .description('reseal every stored secret with HOOKHUB_SECRETS_KEY; secrets sealed with HOOKHUB_SECRETS_PREVIOUS_KEYS (or plain ones) are read and sealed again')
    .action(async () => {
      const env = loadEnv(process.env);
      const conn = await connectMongo({ uri: env.mongodbUri, logger: silentLogger() });
      try {
        useSecretsKey(conn, env);
        const n = await resealStoredSecrets(conn);
        process.stdout.write(`resealed with the current key: ${n.sources} source(s), ${n.subscriptions} subscription(s), ${n.agents} agent(s)\n`);
      } finally {
        await conn.close();
      }
    });
}
