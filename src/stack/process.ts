import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { sleep } from '../platform/timeout';

export class StackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackError';
  }
}

/** Fails with a clear message when a tool the stack needs is not on PATH. */
export function requireTool(cmd: string, args: string[], why: string): void {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  if (r.error || r.status !== 0) {
    throw new StackError(`${cmd} is required to ${why} but was not found on PATH (install it, e.g. apt-get install ${cmd === 'go' ? 'golang' : cmd === 'mvn' ? 'maven' : 'default-jre-headless'})`);
  }
}

/** Runs a command to completion, its output appended to `logFile`; rejects with the log's tail on failure. */
export function runLogged(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; logFile: string }): Promise<void> {
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const fd = fs.openSync(opts.logFile, 'a');
  return new Promise<void>((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', fd, fd] });
    const fail = (why: string): void => {
      const tail = fs.readFileSync(opts.logFile, 'utf8').split('\n').slice(-20).join('\n');
      reject(new StackError(`${cmd} ${args.join(' ')} failed (${why}); see ${opts.logFile}:\n${tail}`));
    };
    child.once('error', (err) => fail(err.message));
    child.once('exit', (code, signal) => (code === 0 ? resolve() : fail(signal ? `signal ${signal}` : `exit ${code}`)));
  }).finally(() => fs.closeSync(fd));
}

export interface ManagedProcess {
  name: string;
  pidFile: string;
  /** A string the process's command line contains, so a recycled pid is never mistaken for ours. */
  marker: string;
}

export function readPid(p: ManagedProcess): number | undefined {
  try {
    const pid = Number(fs.readFileSync(p.pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function isOurs(p: ManagedProcess, pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(p.marker);
  } catch {
    return true; // no /proc: trust the live pid
  }
}

/** The pid of our running process, or undefined (a stale pid file is removed). */
export function runningPid(p: ManagedProcess): number | undefined {
  const pid = readPid(p);
  if (pid === undefined) return undefined;
  if (isOurs(p, pid)) return pid;
  fs.rmSync(p.pidFile, { force: true });
  return undefined;
}

/** Starts a detached background process whose output goes to `logFile` and records its pid. */
export function startDetached(p: ManagedProcess, cmd: string, args: string[], opts: { cwd: string; logFile: string; env?: NodeJS.ProcessEnv }): number {
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const fd = fs.openSync(opts.logFile, 'a');
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, detached: true, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  if (child.pid === undefined) throw new StackError(`could not start ${p.name} (${cmd})`);
  child.unref();
  fs.writeFileSync(p.pidFile, String(child.pid));
  return child.pid;
}

/** Stops our process: SIGTERM, then SIGKILL after `graceMs`. Only a pid from our pid file is ever signalled. */
export async function stopManaged(p: ManagedProcess, graceMs = 15000): Promise<boolean> {
  const pid = runningPid(p);
  if (pid === undefined) return false;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && isOurs(p, pid)) await sleep(100);
  if (isOurs(p, pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    while (isOurs(p, pid)) await sleep(50);
  }
  fs.rmSync(p.pidFile, { force: true });
  return true;
}

export function tcpReachable(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Polls `check` until it returns true or the deadline passes; the error names what was waited for. */
export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number, logFile?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(200);
  }
  const tail = logFile && fs.existsSync(logFile) ? `\n${fs.readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n')}` : '';
  throw new StackError(`${what} was not ready within ${timeoutMs} ms${logFile ? ` (log: ${logFile})` : ''}${tail}`);
}
