import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { loadEnv } from '../config/env';
import { emptyHubConfig, loadHubConfig } from '../config/file';
import { ROLES, type Env, type Role } from '../config/settings';
import type { HubConfig } from '../config/types';
import { createHttpApp } from '../platform/http';
import { KafkaPort } from '../platform/kafka';
import { createLogger, type Logger } from '../platform/logger';
import { createMetricsRegistry } from '../platform/metrics';
import { connectMongo, pingMongo } from '../platform/mongo';
import { SchemaRegistry } from '../platform/schemas';
import { StoreHealth, retryStore } from '../platform/store-retry';
import { withTimeout } from '../platform/timeout';
import { topicNames, type Component, type ComponentFactory, type HubContext } from './context';
import type { KafkaEntryPoints } from './entry-points';
import { roleComponents } from './roles';
import { attachSecretBox, secretBoxFromSettings } from '../platform/secrets/secret-box';
import { resealStoredSecrets } from './stored-secrets';

export interface HubOptions {
  /** Settings overrides on top of the environment (tests set ports, prefixes, databases). */
  env?: Partial<Env>;
  processEnv?: NodeJS.ProcessEnv;
  roles?: Role[];
  /** Use this config instead of reading HOOKHUB_CONFIG. */
  config?: HubConfig;
  /** Database name overriding the one in MONGODB_URI. */
  dbName?: string;
  logger?: Logger;
  /** The Kafka entry points (`consumers/`): the composition root passes them; a hub without them runs no consumer role. */
  entryPoints?: KafkaEntryPoints;
  /** Extra components (tests, embedding). */
  components?: ComponentFactory[];
}

export interface Hub {
  ctx: HubContext;
  app: Express;
  server: http.Server;
  url: string;
  roles: Role[];
  stop(): Promise<void>;
}

export function parseRoles(list: string[]): Role[] {
  const roles = list.includes('all') ? [...ROLES] : list;
  for (const r of roles) {
    if (!(ROLES as readonly string[]).includes(r)) throw new Error(`unknown role "${r}"; roles are ${ROLES.join(', ')}`);
  }
  return [...new Set(roles)] as Role[];
}

/**
 * Builds and starts a hub: connections, schemas and config first (fail fast), then the components of the
 * requested roles, then the HTTP server. `stop` shuts down in the reverse order within a bounded time.
 */
export async function startHub(options: HubOptions = {}): Promise<Hub> {
  const processEnv = options.processEnv ?? process.env;
  const env = loadEnv(processEnv, options.env);
  const logger = options.logger ?? createLogger(env.logLevel);
  const roles = options.roles ?? parseRoles(env.roles);
  const schemas = SchemaRegistry.load(env.schemasDir);
  const config = options.config ?? loadHubConfig(env.configFile, schemas, processEnv, !('HOOKHUB_CONFIG' in processEnv));
  const kafka = new KafkaPort({ brokers: env.kafkaBrokers, clientId: env.kafkaClientId, logger, partitions: env.topicPartitions, replication: env.topicReplication });
  const secrets = secretBoxFromSettings(env);
  // A boot never dies of a transient store error (a busy local store, FerretDB restarting): it waits it out.
  const storeHealth = new StoreHealth();
  const mongo = await retryStore(() => connectMongo({ uri: env.mongodbUri, ...(options.dbName ? { dbName: options.dbName } : {}), logger }), { what: 'connect to MongoDB', logger, health: storeHealth });
  try {
    attachSecretBox(mongo, secrets);
    const resealed = await retryStore(() => resealStoredSecrets(mongo), { what: 'seal stored secrets', logger, health: storeHealth });
    if (resealed.sources + resealed.subscriptions + resealed.agents > 0) logger.info('stored secrets sealed with the current HOOKHUB_SECRETS_KEY', { ...resealed });
  } catch (err) {
    await mongo.close();
    throw err;
  }
  const metrics = createMetricsRegistry();
  const ctx: HubContext = { env, logger, kafka, mongo, schemas, config, metrics, topics: topicNames(env.topicPrefix), ...(options.entryPoints ? { entryPoints: options.entryPoints } : {}) };

  const { app, finish } = createHttpApp({
    logger,
    metrics,
    ...(env.metricsToken ? { metricsToken: env.metricsToken } : {}),
    readiness: [
      { name: 'kafka', check: () => kafka.ping(env.readyTimeoutMs) },
      {
        name: 'mongodb',
        check: async () => {
          const busy = storeHealth.busy;
          if (busy) throw new Error(busy);
          await pingMongo(mongo, env.readyTimeoutMs);
        },
      },
    ],
  });

  const components: Component[] = [];
  const stopComponents = async (): Promise<void> => {
    for (const c of [...components].reverse()) {
      try {
        await c.stop?.();
      } catch (err) {
        logger.error('component failed to stop cleanly', { component: c.name, err });
      }
    }
  };
  const teardown = async (): Promise<void> => {
    await stopComponents();
    await kafka.disconnect();
    mongo.removeAllListeners('disconnected');
    await mongo.close();
  };
  try {
    for (const factory of [...roles.flatMap((r) => roleComponents[r]), ...(options.components ?? [])]) {
      // Factories create indexes and upsert the config file's objects: idempotent, so safe to run again.
      const component = await retryStore(async () => factory(ctx), { what: 'prepare a component', logger, health: storeHealth });
      components.push(component);
      component.mount?.(app);
    }
    finish();
    for (const c of components) await c.start?.();
  } catch (err) {
    await teardown();
    throw err;
  }

  // Hot paths (the webhook endpoint) are answered from node's request event; everything else is express.
  const raw = components.flatMap((c) => (c.serve ? [c.serve] : []));
  const server = http.createServer(raw.length === 0 ? app : (req, res) => void (raw.some((serve) => serve(req, res)) || app(req, res)));
  server.keepAliveTimeout = 65000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(env.port, env.host, () => resolve());
    });
  } catch (err) {
    // e.g. EADDRINUSE: do not leave consumers running in a process that cannot serve.
    await teardown();
    throw err;
  }
  const addr = server.address() as AddressInfo;
  const host = env.host === '0.0.0.0' || env.host === '::' ? '127.0.0.1' : env.host;
  const url = `http://${host}:${addr.port}`;
  logger.info('hub started', { roles, url });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= withTimeout(
      (async () => {
        // Stop accepting, let in-flight requests finish, then drain consumers (they commit), then disconnect.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await closed;
        await teardown();
        logger.info('hub stopped');
      })(),
      env.shutdownTimeoutMs,
      `shutdown took longer than ${env.shutdownTimeoutMs} ms`,
    ).finally(() => server.closeAllConnections());
    return stopping;
  };

  return { ctx, app, server, url, roles, stop };
}

export { emptyHubConfig };
