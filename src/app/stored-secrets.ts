import type { Connection } from 'mongoose';
import { AgentsRepository } from '../agents/data-access/registry';
import { SubscriptionsRepository } from '../delivery/data-access/subscriptions-repository';
import { SourcesRepository } from '../ingest';
import { attachSecretBox, secretBoxFromSettings } from '../platform/secrets/secret-box';

export interface ResealCounts {
  sources: number;
  subscriptions: number;
  agents: number;
}

/**
 * Seals every stored secret that is plain (written before encryption existed) or sealed with a previous key,
 * with the current HOOKHUB_SECRETS_KEY: the migration every hub runs at start, and `hookhub secrets rotate-key`.
 * Idempotent, so processes starting together may all run it.
 */
export async function resealStoredSecrets(conn: Connection): Promise<ResealCounts> {
  return {
    sources: await new SourcesRepository(conn, { cacheMs: 0 }).resealSecrets(),
    subscriptions: await new SubscriptionsRepository(conn).resealSecrets(),
    agents: await new AgentsRepository(conn).resealSecrets(),
  };
}

/** Gives `conn` the process's secrets key (fails naming the setting when it is missing or malformed). */
export function useSecretsKey(conn: Connection, env: { secretsKey: string; secretsPreviousKeys: readonly string[] }): void {
  attachSecretBox(conn, secretBoxFromSettings(env));
}
