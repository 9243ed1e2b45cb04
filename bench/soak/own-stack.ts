/**
 * A Kafka broker and a FerretDB of the soak's own (own folder, own free ports), so that `kill -9` hits nothing
 * anyone else uses. Data survives a kill: the restart reopens the same folder, as a real restart would.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ferretdbPid, startFerretdb, stopFerretdb, type MongoInstance } from '../../src/stack/ferretdb';
import { kafkaPid, startKafka, stopKafka, type KafkaInstance } from '../../src/stack/kafka';
import { sleep } from '../../src/platform/timeout';

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

/** Sends SIGKILL and waits until the pid is gone (a zombie of a detached child counts as gone). */
export async function killHard(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  for (let i = 0; i < 200; i++) {
    try {
      const state = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
      if (state === 'Z') return;
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(50);
  }
}

export class OwnStack {
  readonly kafka: KafkaInstance;
  readonly mongo: MongoInstance;

  private constructor(
    readonly dir: string,
    kafkaPort: number,
    controllerPort: number,
    mongoPort: number,
    private readonly log: (msg: string) => void,
  ) {
    this.kafka = { dir: path.join(dir, 'kafka'), port: kafkaPort, controllerPort };
    this.mongo = { dir: path.join(dir, 'ferretdb'), port: mongoPort };
  }

  static async create(dir: string, log: (msg: string) => void): Promise<OwnStack> {
    fs.mkdirSync(dir, { recursive: true });
    return new OwnStack(dir, await freePort(), await freePort(), await freePort(), log);
  }

  get brokers(): string[] {
    return [`127.0.0.1:${this.kafka.port}`];
  }

  mongodbUri(db: string): string {
    return `mongodb://127.0.0.1:${this.mongo.port}/${db}`;
  }

  async up(): Promise<void> {
    fs.mkdirSync(this.mongo.dir, { recursive: true });
    await Promise.all([this.startKafka(), this.startFerretdb()]);
  }

  async startKafka(): Promise<void> {
    const r = await startKafka(this.kafka, this.log, 180000);
    this.log(`kafka on 127.0.0.1:${this.kafka.port} ${r.reused ? 'reused' : `started (pid ${r.pid})`}`);
  }

  async startFerretdb(): Promise<void> {
    const r = await startFerretdb(this.mongo, this.log, 120000);
    this.log(`ferretdb on 127.0.0.1:${this.mongo.port} ${r.reused ? 'reused' : `started (pid ${r.pid})`}`);
  }

  async killKafka(): Promise<void> {
    const pid = kafkaPid(this.kafka);
    if (pid === undefined) throw new Error('the soak broker is not running');
    await killHard(pid);
    fs.rmSync(path.join(this.kafka.dir, 'kafka.pid'), { force: true });
  }

  async killFerretdb(): Promise<void> {
    const pid = ferretdbPid(this.mongo);
    if (pid === undefined) throw new Error('the soak FerretDB is not running');
    await killHard(pid);
    fs.rmSync(path.join(this.mongo.dir, 'ferretdb.pid'), { force: true });
  }

  async down(): Promise<void> {
    await Promise.all([stopKafka(this.kafka), stopFerretdb(this.mongo)]);
  }

  /** Deletes the data (logs stay, for a post-mortem). */
  removeData(): void {
    for (const d of [this.kafka.dir, this.mongo.dir]) fs.rmSync(path.join(d, 'data'), { recursive: true, force: true });
  }
}
