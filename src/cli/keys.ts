/**
 * `hookhub keys …`: manage API keys straight in the database named by MONGODB_URI. This is how the first
 * admin key is made (the API itself needs a key); afterwards `POST /api/v1/keys` does the same.
 */
import type { Command } from 'commander';
import { MongoKeyStore } from '../api/data-access/keys-repository';
import { createKey, revokeKey, toKeyView, type ApiKeyRecord } from '../api/domain/keys';
import { API_ROLES, type ApiRole } from '../api/framework/route';
import { loadEnv } from '../config/env';
import { connectMongo } from '../platform/mongo';
import { createLogger, silentLogger } from '../platform/logger';
import { retryStore } from '../platform/store-retry';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/**
 * Runs `fn` against the key store, waiting out transient store errors (a busy local store answers SQLITE_BUSY)
 * instead of exiting: each try either writes its one document or nothing, so a retry never acts twice.
 */
async function withStore<T>(fn: (store: MongoKeyStore) => Promise<T>): Promise<T> {
  const env = loadEnv(process.env);
  const logger = createLogger(process.env.HOOKHUB_LOG_LEVEL ?? 'warn');
  const conn = await retryStore(() => connectMongo({ uri: env.mongodbUri, logger: silentLogger() }), { what: 'connect to MongoDB', logger });
  try {
    const store = new MongoKeyStore(conn);
    await retryStore(() => store.init(), { what: 'prepare the key store', logger });
    return await retryStore(() => fn(store), { what: 'write the key store', logger });
  } finally {
    await conn.close();
  }
}

function parseRole(role: string): ApiRole {
  if (!(API_ROLES as readonly string[]).includes(role)) throw new Error(`unknown role "${role}"; roles are ${API_ROLES.join(', ')}`);
  return role as ApiRole;
}

const describeKey = (r: ApiKeyRecord): string =>
  [r.id, r.role.padEnd(8), `${r.prefix}…`, r.revokedAt ? `revoked ${r.revokedAt.toISOString()}` : 'live', `last used ${r.lastUsedAt ? r.lastUsedAt.toISOString() : 'never'}`, r.name].join('  ');

export function registerKeysCommands(program: Command): void {
  const keys = program.command('keys').description('API keys, straight in the database named by MONGODB_URI');

  keys
    .command('create')
    .description('create an API key and print it (it is shown only once)')
    .requiredOption('--role <role>', `role: ${API_ROLES.join(', ')}`)
    .option('--name <name>', 'label shown in listings')
    .option('--json', 'print {key, apiKey} as JSON')
    .option('--quiet', 'print only the key')
    .action(async (opts: { role: string; name?: string; json?: boolean; quiet?: boolean }) => {
      const role = parseRole(opts.role);
      const { record, secret } = await withStore((store) => createKey(store, { role, ...(opts.name ? { name: opts.name } : {}), createdBy: 'cli' }));
      if (opts.json) out(JSON.stringify({ key: secret, apiKey: toKeyView(record) }, null, 2));
      else if (opts.quiet) out(secret);
      else {
        out(`created ${record.id} (role ${record.role}, name ${record.name})`);
        out(secret);
        out('store the key now: it is not shown again');
      }
    });

  keys
    .command('list')
    .description('list API keys, newest first (prefix only)')
    .option('--role <role>', 'only keys with this role')
    .option('--live', 'only keys that are not revoked')
    .option('--json', 'print JSON lines')
    .action(async (opts: { role?: string; live?: boolean; json?: boolean }) => {
      const role = opts.role ? parseRole(opts.role) : undefined;
      await withStore(async (store) => {
        let cursor: string | undefined;
        do {
          const page = await store.list({ limit: 200, ...(role ? { role } : {}), ...(opts.live ? { revoked: false } : {}), ...(cursor ? { cursor } : {}) });
          for (const r of page.items) out(opts.json ? JSON.stringify(toKeyView(r)) : describeKey(r));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
      });
    });

  keys
    .command('revoke')
    .description('revoke an API key: it stops working at once')
    .argument('<id>', 'key id (key_…)')
    .action(async (id: string) => {
      const r = await withStore((store) => revokeKey(store, id));
      out(`revoked ${r.id} at ${r.revokedAt?.toISOString() ?? ''}`);
    });
}
