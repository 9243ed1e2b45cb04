import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { packageRoot } from '../platform/paths';
import { KAFKA_VERSION, cacheDir } from './paths';
import { requireTool, runLogged, runningPid, startDetached, stopManaged, tcpReachable, waitUntil, type ManagedProcess } from './process';

export interface KafkaInstance {
  /** Folder of this broker's data, config, log and pid file. */
  dir: string;
  port: number;
  controllerPort: number;
  /** The port clients are told to use (default `port`): a test may put a fault-injecting proxy there. */
  advertisedPort?: number;
}

const libsDir = (): string => path.join(cacheDir(), `kafka-${KAFKA_VERSION}`, 'libs');

const managed = (k: KafkaInstance): ManagedProcess => ({ name: 'kafka', pidFile: path.join(k.dir, 'kafka.pid'), marker: 'kafka.Kafka' });

/** Downloads the broker jars from Maven Central once (stack/pom.xml) into the cache. */
export async function ensureKafkaJars(log: (msg: string) => void): Promise<string> {
  const libs = libsDir();
  const marker = path.join(libs, '.complete');
  if (fs.existsSync(marker)) return libs;
  requireTool('java', ['-version'], 'run the local Kafka broker');
  requireTool('mvn', ['-v'], 'download the Kafka broker from Maven Central');
  log(`downloading Apache Kafka ${KAFKA_VERSION} jars from Maven Central (once) …`);
  await runLogged(
    'mvn',
    ['-q', '-B', '-f', path.join(packageRoot(), 'stack', 'pom.xml'), 'dependency:copy-dependencies', `-DoutputDirectory=${libs}`, '-DincludeScope=runtime', `-Dkafka.version=${KAFKA_VERSION}`],
    { logFile: path.join(cacheDir(), 'mvn.log') },
  );
  fs.writeFileSync(marker, new Date().toISOString());
  return libs;
}

function writeConfig(k: KafkaInstance): string {
  const props = [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${k.controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${k.port},CONTROLLER://127.0.0.1:${k.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${k.advertisedPort ?? k.port}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${path.join(k.dir, 'data')}`,
    'num.partitions=3',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'min.insync.replicas=1',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=true',
    'log.retention.hours=168',
    'log.segment.bytes=67108864',
    'num.network.threads=2',
    'num.io.threads=4',
    // One process is both the broker and its controller, so a broker session that runs out is never a dead broker:
    // it is a starved JVM. With the default 9 s, a busy machine had the controller fence its own broker
    // ("Timed out heartbeat from broker 1"): every partition lost its leader, topic creation failed with "Replication-
    // factor is invalid" (no live broker), ingest answered 503 and consumers saw NOT_COORDINATOR for minutes (the
    // suite and the short soak beside a CPU hog). 30 s rides that out. The cost: after a kill -9 the restarted broker
    // may register only once its old session ran out, so the registration wait is raised well above it (at the
    // default 60 s a 60 s session made the restarted broker give up).
    'broker.session.timeout.ms=30000',
    'initial.broker.registration.timeout.ms=240000',
  ];
  const file = path.join(k.dir, 'server.properties');
  fs.writeFileSync(file, props.join('\n') + '\n');
  fs.writeFileSync(
    path.join(k.dir, 'log4j.properties'),
    ['log4j.rootLogger=WARN, stdout', 'log4j.appender.stdout=org.apache.log4j.ConsoleAppender', 'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout', 'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n', 'log4j.logger.kafka.server.KafkaRaftServer=INFO', ''].join('\n'),
  );
  return file;
}

/** True when the broker answers a metadata request (not merely accepts TCP). */
export async function kafkaAnswers(brokers: string[], timeoutMs = 2000): Promise<boolean> {
  const [host, port] = (brokers[0] ?? '').split(':');
  if (!host || !port || !(await tcpReachable(host, Number(port)))) return false;
  const admin = new Kafka({ brokers, clientId: 'hookhub-stack', logLevel: logLevel.NOTHING, connectionTimeout: timeoutMs, retry: { retries: 0 } }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Starts (or reuses) a single-node KRaft broker on loopback; resolves once it answers. The default wait is long: a
 * restart beside a busy build took 90 s to answer (JVM start, log recovery, controller activation), and a stack
 * that is merely slow must not fail a test run's setup. A quiet machine answers in seconds either way.
 */
export async function startKafka(k: KafkaInstance, log: (msg: string) => void, timeoutMs = 240000): Promise<{ reused: boolean; pid?: number }> {
  const brokers = [`127.0.0.1:${k.port}`];
  const existing = runningPid(managed(k));
  if (existing !== undefined) {
    await waitUntil(`Kafka on 127.0.0.1:${k.port}`, () => kafkaAnswers(brokers), timeoutMs, path.join(k.dir, 'kafka.log'));
    return { reused: true, pid: existing };
  }
  if (await kafkaAnswers(brokers)) return { reused: true };
  const libs = await ensureKafkaJars(log);
  fs.mkdirSync(k.dir, { recursive: true });
  const config = writeConfig(k);
  const logFile = path.join(k.dir, 'kafka.log');
  const java = ['-Xms128m', '-Xmx512m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Djava.awt.headless=true', `-Dlog4j.configuration=file:${path.join(k.dir, 'log4j.properties')}`, '-cp', `${libs}/*`];
  if (!fs.existsSync(path.join(k.dir, 'data', 'meta.properties'))) {
    // A cluster id starting with '-' would be read by the storage tool as an option.
    let clusterId = randomBytes(16).toString('base64url');
    while (clusterId.startsWith('-')) clusterId = randomBytes(16).toString('base64url');
    await runLogged('java', [...java, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', config, '--ignore-formatted'], { logFile });
  }
  const pid = startDetached(managed(k), 'java', [...java, 'kafka.Kafka', config], { cwd: k.dir, logFile });
  await waitUntil(`Kafka on 127.0.0.1:${k.port}`, () => kafkaAnswers(brokers), timeoutMs, logFile);
  return { reused: false, pid };
}

export function stopKafka(k: KafkaInstance): Promise<boolean> {
  return stopManaged(managed(k), 20000);
}

export function kafkaPid(k: KafkaInstance): number | undefined {
  return runningPid(managed(k));
}
