/**
 * The hub as the soak runs it: one OS process per `hookhub start --roles …`, each with its own log file, that
 * the fault schedule may `kill -9` and start again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/platform/paths';
import { sleep } from '../../src/platform/timeout';
import { killHard } from './own-stack';

const BIN = path.join(packageRoot(), 'bin', 'hookhub.js');

export interface RoleProcessSpec {
  name: string;
  roles: string;
  env: NodeJS.ProcessEnv;
}

export class RoleProcess {
  private child?: ChildProcess;
  starts = 0;
  /** Exits nobody asked for (a crash rather than our kill). */
  unexpectedExits = 0;
  private killing = false;
  private closed = false;

  constructor(
    readonly spec: RoleProcessSpec,
    private readonly logDir: string,
  ) {}

  get logFile(): string {
    return path.join(this.logDir, `${this.spec.name}.log`);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Boots that failed (the process exited before it was up) and were retried, as a supervisor would. */
  bootFailures = 0;

  /**
   * Starts the process and resolves once it logged that the hub is up; a process that exits while booting is
   * started again after a growing pause (1 s, 2 s, … 10 s) until `timeoutMs` has passed, as systemd
   * (`Restart=always`) or Kubernetes would, and counted in `bootFailures`. Five quick tries were not enough: a
   * process restarted just before the broker was killed failed all five within one Kafka outage.
   */
  async start(timeoutMs = 120000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.boot(Math.max(1000, deadline - Date.now()));
      } catch (err) {
        if (!(err instanceof BootExit) || Date.now() >= deadline || this.closed) throw err;
        this.bootFailures++;
        process.stderr.write(`soak: ${err.message}; starting it again\n`);
        await sleep(Math.min(10000, 1000 * attempt));
      }
    }
  }

  private async boot(timeoutMs: number): Promise<void> {
    const fd = fs.openSync(this.logFile, 'a');
    const offset = fs.fstatSync(fd).size;
    const child = spawn(process.execPath, ['--max-semi-space-size=64', BIN, 'start', '--roles', this.spec.roles], { env: this.spec.env, stdio: ['ignore', fd, fd] });
    fs.closeSync(fd);
    this.child = child;
    this.starts++;
    let booting = true;
    child.once('exit', (code, signal) => {
      if (!this.killing && !booting && this.child === child) {
        this.unexpectedExits++;
        process.stderr.write(`soak: ${this.spec.name} exited by itself (code ${code}, signal ${signal}); see ${this.logFile}\n`);
      }
    });
    const deadline = Date.now() + timeoutMs;
    try {
      while (Date.now() < deadline && !this.closed) {
        if (child.exitCode !== null) {
          const last = readFrom(this.logFile, offset).trim().split('\n').pop() ?? '';
          throw new BootExit(`${this.spec.name} exited while starting (${last.slice(0, 200)}); see ${this.logFile}`);
        }
        const text = readFrom(this.logFile, offset);
        if (text.includes('"hub started"') || text.includes('hookhub is up')) return;
        await sleep(200);
      }
    } finally {
      booting = false;
    }
    throw new Error(`${this.spec.name} did not start within ${timeoutMs} ms; see ${this.logFile}`);
  }

  /** `kill -9`: no shutdown hook runs, nothing is drained or committed. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (!child?.pid || child.exitCode !== null) return;
    this.killing = true;
    await killHard(child.pid);
    await new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
    this.killing = false;
  }

  /** A graceful stop (SIGTERM), SIGKILL after `graceMs`; a boot in progress is not retried afterwards. */
  async stop(graceMs = 20000): Promise<void> {
    this.closed = true;
    const child = this.child;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    this.killing = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

function readFrom(file: string, offset: number): string {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const buf = Buffer.alloc(Math.max(0, size - offset));
      fs.readSync(fd, buf, 0, buf.length, offset);
      return buf.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

class BootExit extends Error {}
