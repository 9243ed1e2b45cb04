import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startKafka, stopKafka, type KafkaInstance } from '../../src/stack/kafka';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.once('error', reject);
  });
}

/**
 * A Kafka broker of the test's own (free ports, temp dir), for tests that must stop and restart a broker
 * without disturbing the shared one.
 */
export async function startOwnBroker(): Promise<KafkaInstance> {
  const kafka = { dir: fs.mkdtempSync(path.join(os.tmpdir(), 'hh-kafka-')), port: await freePort(), controllerPort: await freePort() };
  await startKafka(kafka, () => undefined);
  return kafka;
}

export async function removeOwnBroker(kafka: KafkaInstance | undefined): Promise<void> {
  if (!kafka) return;
  await stopKafka(kafka);
  fs.rmSync(kafka.dir, { recursive: true, force: true });
}
