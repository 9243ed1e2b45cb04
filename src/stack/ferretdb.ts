import fs from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import { ensureFerretdb } from './ferretdb-build';
import { runningPid, startDetached, stopManaged, tcpReachable, waitUntil, type ManagedProcess } from './process';

export interface MongoInstance {
  dir: string;
  port: number;
  /** Extra FerretDB flags, e.g. `--test-disable-pushdown` for the tests that compare against a plain scan. */
  flags?: string[];
}

const managed = (m: MongoInstance): ManagedProcess => ({ name: 'ferretdb', pidFile: path.join(m.dir, 'ferretdb.pid'), marker: 'ferretdb' });

export async function mongoAnswers(uri: string, timeoutMs = 2000): Promise<boolean> {
  const u = new URL(uri);
  if (!(await tcpReachable(u.hostname, Number(u.port || 27017)))) return false;
  const client = new mongoose.mongo.MongoClient(uri, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/**
 * SQLite's `synchronous` for the local store, `normal` unless HOOKHUB_STACK_SQLITE_SYNCHRONOUS says `full`. FerretDB
 * runs SQLite in WAL mode, where `full` (SQLite's default) syncs the disk on every commit: measured, that is about
 * 30% of FerretDB's CPU per batched insert and 40% of its time. `normal` survives any crash of the processes and
 * loses at most the last commits on a power cut, the same class of promise as MongoDB's default write concern
 * (journal flushed every 100 ms). Events themselves are durable in Kafka before any 2xx, whatever this says.
 */
export function sqliteSynchronous(env: NodeJS.ProcessEnv = process.env): 'normal' | 'full' {
  const value = (env.HOOKHUB_STACK_SQLITE_SYNCHRONOUS ?? 'normal').trim().toLowerCase();
  if (value !== 'normal' && value !== 'full') throw new Error(`HOOKHUB_STACK_SQLITE_SYNCHRONOUS must be normal or full, got ${value}`);
  return value;
}

/**
 * The SQLite URL of the local store. Every connection waits up to 30 s for a lock (`busy_timeout`, FerretDB's
 * default is 10 s), and FerretDB's write transactions begin IMMEDIATE (`_txlock`): a deferred transaction that
 * reads and then writes cannot wait for another writer, since SQLite refuses to upgrade its snapshot and answers
 * SQLITE_BUSY at once without calling the busy handler. FerretDB's transactions only write, so taking the write
 * lock at BEGIN costs nothing and turns that failure into a wait.
 */
export function sqliteUrl(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return `file:${dataDir}/?_pragma=busy_timeout(30000)&_pragma=synchronous(${sqliteSynchronous(env)})&_txlock=immediate`;
}

export async function startFerretdb(m: MongoInstance, log: (msg: string) => void, timeoutMs = 120000): Promise<{ reused: boolean; pid?: number }> {
  const uri = `mongodb://127.0.0.1:${m.port}/`;
  const existing = runningPid(managed(m));
  if (existing !== undefined) {
    await waitUntil(`FerretDB on 127.0.0.1:${m.port}`, () => mongoAnswers(uri), timeoutMs, path.join(m.dir, 'ferretdb.log'));
    return { reused: true, pid: existing };
  }
  if (await mongoAnswers(uri)) return { reused: true };
  const bin = await ensureFerretdb(log);
  const data = path.join(m.dir, 'data');
  fs.mkdirSync(data, { recursive: true });
  const logFile = path.join(m.dir, 'ferretdb.log');
  const pid = startDetached(
    managed(m),
    bin,
    ['--handler=sqlite', `--sqlite-url=${sqliteUrl(data)}`, `--listen-addr=127.0.0.1:${m.port}`, '--telemetry=disable', '--debug-addr=-', '--state-dir=-', '--log-level=warn', ...(m.flags ?? [])],
    // FerretDB allocates a lot per document; collecting garbage less often (GOGC 400, the heap stays small) cuts
    // its CPU per write by about a tenth on our write-heavy paths. A GOGC set by the user wins.
    { cwd: m.dir, logFile, env: { GOGC: '400', ...process.env } },
  );
  await waitUntil(`FerretDB on 127.0.0.1:${m.port}`, () => mongoAnswers(uri), timeoutMs, logFile);
  return { reused: false, pid };
}

export function stopFerretdb(m: MongoInstance): Promise<boolean> {
  return stopManaged(managed(m), 10000);
}

export function ferretdbPid(m: MongoInstance): number | undefined {
  return runningPid(managed(m));
}
