import fs from 'node:fs';
import path from 'node:path';
import { ferretdbPid, mongoAnswers, startFerretdb, stopFerretdb, type MongoInstance } from './ferretdb';
import { kafkaAnswers, kafkaPid, startKafka, stopKafka, type KafkaInstance } from './kafka';
import { DEFAULT_PORTS, stateDir } from './paths';

export interface StackEndpoints {
  kafkaBrokers: string[];
  mongodbUri: string;
}

export const defaultKafka = (): KafkaInstance => ({ dir: path.join(stateDir(), 'kafka'), port: DEFAULT_PORTS.kafka, controllerPort: DEFAULT_PORTS.kafkaController });
export const defaultMongo = (): MongoInstance => ({ dir: path.join(stateDir(), 'ferretdb'), port: DEFAULT_PORTS.mongo });

export function stackEndpoints(): StackEndpoints {
  return { kafkaBrokers: [`127.0.0.1:${DEFAULT_PORTS.kafka}`], mongodbUri: `mongodb://127.0.0.1:${DEFAULT_PORTS.mongo}/hookhub` };
}

/** Starts the local Kafka and FerretDB (or reuses running ones) and waits until both answer. */
export async function stackUp(log: (msg: string) => void = () => undefined): Promise<StackEndpoints> {
  const [kafka, mongo] = await Promise.all([startKafka(defaultKafka(), log), startFerretdb(defaultMongo(), log)]);
  log(`kafka    127.0.0.1:${DEFAULT_PORTS.kafka} ${kafka.reused ? '(already running)' : `(started, pid ${kafka.pid})`}`);
  log(`ferretdb 127.0.0.1:${DEFAULT_PORTS.mongo} ${mongo.reused ? '(already running)' : `(started, pid ${mongo.pid})`}`);
  return stackEndpoints();
}

/** Stops only the processes this checkout started (by pid file). */
export async function stackDown(log: (msg: string) => void = () => undefined): Promise<void> {
  const [k, m] = await Promise.all([stopKafka(defaultKafka()), stopFerretdb(defaultMongo())]);
  log(`kafka    ${k ? 'stopped' : 'was not running (from this checkout)'}`);
  log(`ferretdb ${m ? 'stopped' : 'was not running (from this checkout)'}`);
}

/**
 * Stops this checkout's stack, deletes its data (every topic and database, such as the uniquely named ones each
 * test run leaves behind: a broker carrying thousands of partitions gets slower) and starts it again, empty.
 * Refuses when something else still answers on the stack's ports after the stop: its data is not ours to delete.
 */
export async function stackReset(log: (msg: string) => void = () => undefined): Promise<StackEndpoints> {
  await stackDown(log);
  const { kafka, ferretdb } = await stackStatus();
  if (kafka.answering || ferretdb.answering) {
    throw new Error(`a ${kafka.answering ? 'Kafka' : 'MongoDB'} server not started by this checkout answers on the stack's port; stop it first, nothing was deleted`);
  }
  for (const dir of [defaultKafka().dir, defaultMongo().dir]) {
    fs.rmSync(path.join(dir, 'data'), { recursive: true, force: true });
    log(`deleted ${path.join(dir, 'data')}`);
  }
  return stackUp(log);
}

export interface StackStatus {
  kafka: { pid?: number; answering: boolean; address: string };
  ferretdb: { pid?: number; answering: boolean; address: string };
}

export async function stackStatus(): Promise<StackStatus> {
  const ep = stackEndpoints();
  const [ka, ma] = await Promise.all([kafkaAnswers(ep.kafkaBrokers), mongoAnswers(ep.mongodbUri)]);
  return {
    kafka: { pid: kafkaPid(defaultKafka()), answering: ka, address: ep.kafkaBrokers[0] ?? '' },
    ferretdb: { pid: ferretdbPid(defaultMongo()), answering: ma, address: `127.0.0.1:${DEFAULT_PORTS.mongo}` },
  };
}
