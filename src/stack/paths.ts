import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../platform/paths';

export const KAFKA_VERSION = '3.9.1';
export const FERRETDB_VERSION = 'v1.24.2';

/** Downloads and builds that survive between runs (jars, the FerretDB binary). */
export function cacheDir(): string {
  return process.env.HOOKHUB_CACHE_DIR || path.join(os.homedir(), '.cache', 'hookhub');
}

/** Project-local, git-ignored: data, logs and pid files of the stack this checkout started. */
export function stateDir(): string {
  return process.env.HOOKHUB_STATE_DIR || path.join(packageRoot(), '.hookhub');
}

export const DEFAULT_PORTS = {
  kafka: Number(process.env.HOOKHUB_STACK_KAFKA_PORT || 19092),
  kafkaController: Number(process.env.HOOKHUB_STACK_KAFKA_CONTROLLER_PORT || 19093),
  mongo: Number(process.env.HOOKHUB_STACK_MONGO_PORT || 27018),
};
