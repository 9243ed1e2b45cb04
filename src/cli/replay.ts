import type { Command } from 'commander';
import { NdjsonSink } from '../analysts/replay/data-access/sinks';
import { REPLAY_MODES, type ReplayMode, type ReplayProgress } from '../analysts/replay/domain/types';
import { resolveTarget } from '../analysts/replay/domain/jobs';
import { replayInProcess } from '../analysts/replay/run-local';
import { topicNames } from '../app/context';
import { loadEnv } from '../config/env';
import { AppError } from '../platform/errors';
import { KafkaPort } from '../platform/kafka';
import { silentLogger } from '../platform/logger';
import { connectMongo } from '../platform/mongo';
import { retryStore } from '../platform/store-retry';

interface ReplayOptions {
  source?: string;
  topic?: string;
  from: string;
  to: string;
  type: string[];
  mode: string;
  out?: string;
  subscription?: string;
  rate?: string;
  progress: boolean;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** A progress bar on stderr: redrawn in place on a terminal, a line every few seconds otherwise. */
function progressBar(total: () => number, tty: boolean): { update: (p: ReplayProgress) => void; done: () => void } {
  const started = Date.now();
  let lastLine = 0;
  const render = (p: ReplayProgress, final: boolean): void => {
    const now = Date.now();
    if (!tty && !final && now - lastLine < 5000) return;
    lastLine = now;
    const done = (p.ranges ?? []).reduce((s, r) => s + (r.position - r.start), 0);
    const all = Math.max(total(), done);
    const secs = Math.max((now - started) / 1000, 0.001);
    const eps = p.counts.read / secs;
    const frac = all > 0 ? Math.min(1, done / all) : 1;
    const width = 30;
    const bar = '█'.repeat(Math.round(frac * width)).padEnd(width, '░');
    const eta = frac > 0 && frac < 1 ? `${Math.ceil((secs / frac) * (1 - frac))}s` : final ? 'done' : '?';
    const line = `${bar} ${(frac * 100).toFixed(0).padStart(3)}% ${p.counts.read}/${all} read, ${p.counts.emitted} emitted, ${Math.round(eps)} ev/s, ETA ${eta}`;
    process.stderr.write(tty ? `\r${line}\u001b[K${final ? '\n' : ''}` : `${line}\n`);
  };
  let latest: ReplayProgress | undefined;
  return {
    update: (p) => {
      latest = p;
      render(p, false);
    },
    done: () => {
      if (latest) render(latest, true);
    },
  };
}

export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description('replay a source or topic over [from, to): export NDJSON CloudEvents, redeliver to a subscription, or reprocess through the agents')
    .option('--source <id>', 'source id (topic <prefix>.in.<source>)')
    .option('--topic <name>', 'explicit topic instead of a source')
    .requiredOption('--from <time>', 'start, inclusive (e.g. 2026-11-01T00:00Z)')
    .requiredOption('--to <time>', 'end, exclusive')
    .option('--type <pattern>', 'event-type pattern (repeatable), e.g. github.push or github.issues.*', collect, [])
    .option('--mode <mode>', `one of ${REPLAY_MODES.join(', ')}`, 'export')
    .option('--out <file>', 'export: write NDJSON here instead of stdout (- for stdout)')
    .option('--subscription <id>', 'redeliver: the subscription to re-send to')
    .option('--rate <n>', 'events per second at most (export: unlimited by default; others: HOOKHUB_REPLAY_RATE)')
    .option('--no-progress', 'no progress bar on stderr')
    .action(async (opts: ReplayOptions) => {
      if (!(REPLAY_MODES as readonly string[]).includes(opts.mode)) throw new Error(`--mode must be one of ${REPLAY_MODES.join(', ')}`);
      const env = loadEnv(process.env);
      const topics = topicNames(env.topicPrefix);
      let target;
      try {
        target = resolveTarget(
          {
            ...(opts.source ? { source: opts.source } : {}),
            ...(opts.topic ? { topic: opts.topic } : {}),
            from: opts.from,
            to: opts.to,
            types: opts.type,
            mode: opts.mode as ReplayMode,
            ...(opts.subscription ? { subscriptionId: opts.subscription } : {}),
          },
          topics,
        );
      } catch (err) {
        if (err instanceof AppError) throw new Error(((err.extras.errors ?? []) as { path: string; message: string }[]).map((e) => `${e.path.slice(1).replace('subscriptionId', 'subscription')}: ${e.message}`).join('; '));
        throw err;
      }
      const rate = opts.rate ? Number(opts.rate) : target.mode === 'export' ? Infinity : env.replayRate;
      if (!(rate > 0)) throw new Error('--rate must be a positive number');

      const logger = silentLogger();
      const kafka = new KafkaPort({ brokers: env.kafkaBrokers, clientId: env.kafkaClientId, logger, partitions: env.topicPartitions, replication: env.topicReplication });
      const mongo = await retryStore(() => connectMongo({ uri: env.mongodbUri, logger }), { what: 'connect to MongoDB', logger });
      const abort = new AbortController();
      let interrupts = 0;
      const onSigint = (): void => {
        interrupts += 1;
        if (interrupts > 1) process.exit(130);
        process.stderr.write('\ninterrupted: stopping after the current chunk (Ctrl-C again to quit at once) …\n');
        abort.abort();
      };
      process.on('SIGINT', onSigint);
      process.on('SIGTERM', onSigint);
      const toStdout = target.mode === 'export' && (!opts.out || opts.out === '-');
      const sink = target.mode === 'export' ? (toStdout ? NdjsonSink.toStream(process.stdout) : await NdjsonSink.toFile(opts.out ?? '')) : undefined;
      let total = 0;
      const bar = opts.progress ? progressBar(() => total, process.stderr.isTTY === true) : undefined;
      const started = Date.now();
      try {
        const { outcome, progress, replayId } = await replayInProcess(
          { kafka, mongo, topics, topicPrefix: env.topicPrefix, clientId: env.kafkaClientId },
          target,
          {
            ...(sink ? { sink } : {}),
            ratePerSecond: rate,
            signal: abort.signal,
            onProgress: (p) => {
              total = (p.ranges ?? []).reduce((s, r) => s + (r.end === null ? 0 : r.end - r.start), 0);
              bar?.update(p);
            },
          },
        );
        await sink?.close();
        bar?.done();
        const c = progress.counts;
        const secs = (Date.now() - started) / 1000;
        process.stderr.write(
          `replay ${replayId} ${outcome} (${target.mode} ${target.topic}): read=${c.read} matched=${c.matched} emitted=${c.emitted} skipped=${c.skipped} ` +
            `sources=kafka:${progress.usedSources.kafka},archive:${progress.usedSources.archive} in ${secs.toFixed(1)}s\n`,
        );
        if (outcome === 'stopped') process.exitCode = 130;
      } finally {
        process.off('SIGINT', onSigint);
        process.off('SIGTERM', onSigint);
        await kafka.disconnect();
        await mongo.close();
      }
    });
}
