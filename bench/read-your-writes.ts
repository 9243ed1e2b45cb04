/**
 * What read-your-writes costs a hot path (`node dist/bench/read-your-writes.js`, with the stack running):
 * (1) the latency of one `config_versions` read, sequentially; (2) 64 concurrent callers of `FreshSnapshot.fresh`
 * for BENCH_DURATION_MS (5000): how many calls one version read serves and how long a caller waits.
 * Uses MONGODB_URI or the local stack's, in a database of its own that it drops at the end.
 */
import os from 'node:os';
import { ConfigVersions } from '../src/platform/config-versions';
import { FreshSnapshot } from '../src/platform/fresh-snapshot';
import { silentLogger } from '../src/platform/logger';
import { connectMongo } from '../src/platform/mongo';
import { stackEndpoints } from '../src/stack/stack';

async function main(): Promise<void> {
  const durationMs = Number(process.env.BENCH_DURATION_MS ?? 5000);
  const conn = await connectMongo({ uri: process.env.MONGODB_URI ?? stackEndpoints().mongodbUri, dbName: `bench_ryw_${process.pid}`, logger: silentLogger() });
  try {
    const versions = new ConfigVersions(conn);
    await versions.bump('subscriptions');
    for (let i = 0; i < 50; i++) await versions.read(['subscriptions']);
    const n = 1000;
    let t = performance.now();
    for (let i = 0; i < n; i++) await versions.read(['subscriptions']);
    const sequentialMs = (performance.now() - t) / n;

    let reads = 0;
    const snapshot = new FreshSnapshot({ version: () => (reads++, versions.read(['subscriptions'])), load: async () => new Map<string, never>() });
    await snapshot.fresh();
    reads = 0;
    let calls = 0;
    const until = Date.now() + durationMs;
    t = performance.now();
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (Date.now() < until) {
          await snapshot.fresh();
          calls++;
        }
      }),
    );
    const secs = (performance.now() - t) / 1000;
    process.stdout.write(
      `RESULT version_read_ms=${sequentialMs.toFixed(2)} calls_per_s=${Math.round(calls / secs)} version_reads_per_s=${Math.round(reads / secs)} calls_per_read=${(calls / reads).toFixed(1)} mean_wait_ms=${((64 * secs * 1000) / calls).toFixed(2)} load1=${os.loadavg()[0]?.toFixed(1)}\n`,
    );
  } finally {
    await conn.db?.dropDatabase();
    await conn.close();
  }
}

void main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
