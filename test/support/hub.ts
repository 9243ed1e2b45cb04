import { randomBytes } from 'node:crypto';
import { kafkaEntryPoints } from '../../consumers';
import { emptyHubConfig, startHub, type Hub, type HubOptions } from '../../src/app/hub';
import type { Env } from '../../src/config/settings';
import { silentLogger } from '../../src/platform/logger';
import { stackEndpoints } from '../../src/stack/stack';
import { TEST_SECRETS_KEY } from './secrets-key';

/** Unique names per test file, so files running in parallel never share topics, groups or databases. */
export function uniqueNames(label: string): { topicPrefix: string; dbName: string; clientId: string } {
  const id = `${label.replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 20)}${randomBytes(3).toString('hex')}`;
  return { topicPrefix: `t-${id}`, dbName: `t_${id}`, clientId: `hh-${id}` };
}

export function stackEnv(): Pick<Env, 'kafkaBrokers' | 'mongodbUri'> {
  const ep = stackEndpoints();
  return {
    kafkaBrokers: process.env.KAFKA_BROKERS ? process.env.KAFKA_BROKERS.split(',') : ep.kafkaBrokers,
    mongodbUri: process.env.MONGODB_URI ?? ep.mongodbUri,
  };
}

export interface TestHubOptions extends Omit<HubOptions, 'env'> {
  env?: Partial<Env>;
  names?: { topicPrefix: string; dbName: string; clientId: string };
}

/** A real hub on the real stack, listening on a free loopback port, with its own topics and database. */
export async function startTestHub(label: string, options: TestHubOptions = {}): Promise<Hub> {
  const names = options.names ?? uniqueNames(label);
  const { env, names: _n, ...rest } = options;
  return startHub({
    logger: silentLogger(),
    processEnv: {},
    dbName: names.dbName,
    config: emptyHubConfig(),
    entryPoints: kafkaEntryPoints,
    ...rest,
    env: { ...stackEnv(), secretsKey: process.env.HOOKHUB_SECRETS_KEY ?? TEST_SECRETS_KEY, port: 0, host: '127.0.0.1', topicPrefix: names.topicPrefix, kafkaClientId: names.clientId, topicPartitions: 2, ...env },
  });
}
