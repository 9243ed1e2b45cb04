/**
 * `npm run soak`: the multi-process soak with fault injection (see docs/guides/soak.md). Settings:
 * SOAK_EVENTS (20000, up to 100000), SOAK_RATE (200 webhooks/s in the main phase), SOAK_WARMUP_EVENTS (3000),
 * SOAK_WARMUP_RATE (200), SOAK_OUTAGE_MS (5000: how long Kafka and FerretDB stay down), SOAK_DRAIN_TIMEOUT_MS
 * (600000), SOAK_QUIET_MS (180000: a drain without progress for this long ends), SOAK_DIR (a fresh folder under
 * .hookhub/soak/), SOAK_KEEP_DATA=1 (keep the stack's data for a post-mortem; logs are always kept).
 * It always runs on a stack of its own (own folder, own ports), which it starts and stops itself.
 * Last line: `RESULT accepted=… archived=… executions=… delivered=… lost=… dup_deliveries=… e2e_p50_ms=… e2e_p99_ms=…`.
 */
import os from 'node:os';
import path from 'node:path';
import { stateDir } from '../../src/stack/paths';
import { interruptSoak, runSoak } from './harness';
import { describeReport } from './report';

const int = (name: string, def: number, max = Number.MAX_SAFE_INTEGER): number => {
  const raw = process.env[name];
  const v = raw ? Number(raw) : def;
  if (!Number.isInteger(v) || v < 0 || v > max) throw new Error(`${name} must be an integer between 0 and ${max}, got ${raw}`);
  return v;
};

const say = (msg: string): void => {
  process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
};

async function main(): Promise<void> {
  const events = int('SOAK_EVENTS', 20000, 100000);
  const dir = process.env.SOAK_DIR || path.join(stateDir(), 'soak', new Date().toISOString().replace(/[:.]/g, '-'));
  say(`soak: ${events} webhooks, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const report = await runSoak({
    events,
    rate: int('SOAK_RATE', 200),
    warmupEvents: int('SOAK_WARMUP_EVENTS', 3000),
    warmupRate: int('SOAK_WARMUP_RATE', 200),
    outageMs: int('SOAK_OUTAGE_MS', 5000),
    drainTimeoutMs: int('SOAK_DRAIN_TIMEOUT_MS', 600000),
    quietMs: int('SOAK_QUIET_MS', 180000),
    dir,
    keepData: process.env.SOAK_KEEP_DATA === '1',
    log: say,
  });
  for (const line of describeReport(report)) say(line);
  say(`logs: ${path.join(dir, 'logs')}`);
  process.stdout.write(`${report.resultLine}\n`);
  if (report.verdict.lost > 0) process.exitCode = 2;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say(`${signal}: stopping the soak's processes and stack`);
    void interruptSoak().finally(() => process.exit(130));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`soak failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
