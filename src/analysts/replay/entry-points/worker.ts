import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Component, HubContext } from '../../../app/context';
import { parseDuration } from '../../../platform/durations';
import { EventArchive } from '../../data-access/archive';
import { KafkaRedeliverer, KafkaReprocessor, replayDeliveriesTopic } from '../data-access/kafka-replay-ports';
import type { ReplayJob, ReplayRepository } from '../data-access/replay-repository';
import { NdjsonSink, RedeliverSink, ReprocessSink } from '../data-access/sinks';
import { KafkaArchiveSources } from '../data-access/sources';
import { RateLimiter } from '../../../platform/rate-limiter';
import { runReplay } from '../domain/run-replay';
import type { ReplayProgress, ReplayRedeliverer, ReplayReprocessor, ReplaySink } from '../domain/types';

export interface ReplayWorkerPorts {
  redeliverer?: ReplayRedeliverer;
  reprocessor?: ReplayReprocessor;
}

/**
 * Runs replay jobs, one at a time per process: claims the oldest queued job (or a running one whose lease
 * expired: its worker died), resumes it from its checkpoint, renews the lease and watches for cancellation every
 * HOOKHUB_REPLAY_POLL_MS, and on shutdown hands the job back as queued with its progress.
 */
export function replayWorker(ctx: HubContext, repo: ReplayRepository, ports: ReplayWorkerPorts = {}): Component {
  const env = ctx.env;
  const owner = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const log = ctx.logger.child({ component: 'replay-worker' });
  const sources = new KafkaArchiveSources({ kafka: ctx.kafka.kafka, admin: () => ctx.kafka.admin(), archive: new EventArchive(ctx.mongo), groupPrefix: env.kafkaClientId });
  const redeliverer = ports.redeliverer ?? new KafkaRedeliverer(ctx.kafka, replayDeliveriesTopic(env.topicPrefix));
  const reprocessor = ports.reprocessor ?? new KafkaReprocessor(ctx.kafka, ctx.topics);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopping = false;
  const shutdown = new AbortController();
  const exportTtlMs = parseDuration(env.replayExportTtl);
  const pruneEveryMs = Math.max(env.replayPollMs, Math.min(exportTtlMs / 4, 60000));
  let prunedAt = 0;

  /** Deletes export jobs whose retention (HOOKHUB_REPLAY_EXPORT_TTL) is over, file first, then the job. */
  async function pruneExports(): Promise<void> {
    if (exportTtlMs === 0 || Date.now() - prunedAt < pruneEveryMs) return;
    prunedAt = Date.now();
    for (const job of await repo.expiredExports(new Date(Date.now() - exportTtlMs))) {
      const file = job.output?.path ?? path.join(env.replayExportDir, `${job._id}.ndjson`);
      await fs.promises.rm(file, { force: true });
      await repo.delete(job._id);
      log.info('export retention over: job and file deleted', { replayId: job._id });
    }
  }

  async function sinkFor(job: ReplayJob): Promise<{ sink: ReplaySink; close: () => Promise<void>; output?: () => { path: string; bytes: number } }> {
    if (job.mode === 'export') {
      await fs.promises.mkdir(env.replayExportDir, { recursive: true });
      const file = job.output?.path ?? path.join(env.replayExportDir, `${job._id}.ndjson`);
      const sink = await NdjsonSink.toFile(file, job.output?.bytes ?? 0);
      return { sink, close: () => sink.close(), output: () => ({ path: file, bytes: sink.bytes }) };
    }
    if (job.mode === 'redeliver') return { sink: new RedeliverSink(redeliverer, job.subscriptionId ?? '', job._id), close: async () => undefined };
    return { sink: new ReprocessSink(reprocessor, job._id), close: async () => undefined };
  }

  async function runJob(job: ReplayJob): Promise<void> {
    const abort = new AbortController();
    const onShutdown = (): void => abort.abort();
    shutdown.signal.addEventListener('abort', onShutdown);
    let cancelled = false;
    let lost = false;
    // Every write to the job document goes through one chain: overlapping updates of one document make
    // FerretDB's findAndModify miss it now and then, which must not read as "another worker took the job".
    let chain: Promise<unknown> = Promise.resolve();
    const serial = <T>(fn: () => Promise<T>): Promise<T> => {
      const next = chain.then(fn, fn);
      chain = next.catch(() => undefined);
      return next;
    };
    /** Applies an update guarded by our lease; on no match, re-reads to tell a lost lease from a missed write. */
    const guarded = async (update: () => Promise<ReplayJob | null>): Promise<ReplayJob | null> => {
      const doc = await serial(update);
      if (doc) return doc;
      const now = await repo.get(job._id);
      if (!now || now.status !== 'running' || now.lease?.owner !== owner) return null;
      return (await serial(update)) ?? now;
    };
    // The renewal in flight is awaited when the job ends: a stop must not close MongoDB under it.
    let renewing: Promise<void> = Promise.resolve();
    const watch = setInterval(() => {
      renewing = guarded(() => repo.renew(job._id, owner, env.replayLeaseMs)).then(
        async (doc) => {
          if (!doc) lost = true;
          else if (doc.cancelRequested || (await repo.cancelMarked(job._id))) cancelled = true;
          if (lost || cancelled) abort.abort();
        },
        (err: unknown) => void log.warn('replay lease renewal failed', { replayId: job._id, err }),
      );
    }, Math.min(env.replayPollMs, 1000));
    const { sink, close, output } = await sinkFor(job);
    const progress: ReplayProgress = {
      ranges: job.ranges ?? null,
      counts: { ...job.counts },
      usedSources: { kafka: job.usedSources?.kafka ?? 0, archive: job.usedSources?.archive ?? 0 },
    };
    let lastAt = Date.now();
    let lastRead = progress.counts.read;
    const patchOf = (p: ReplayProgress): Partial<ReplayJob> => {
      const now = Date.now();
      const rate = now > lastAt ? Math.round(((p.counts.read - lastRead) * 1000) / (now - lastAt)) : 0;
      lastAt = now;
      lastRead = p.counts.read;
      return { ranges: p.ranges, counts: p.counts, usedSources: p.usedSources, rate, ...(output ? { output: output() } : {}) };
    };
    try {
      if (job.cancelRequested || (await repo.cancelMarked(job._id))) cancelled = true;
      const outcome = cancelled
        ? 'stopped'
        : await runReplay(
            { replayId: job._id, topic: job.topic, fromMs: new Date(job.from).getTime(), toMs: new Date(job.to).getTime(), types: job.types ?? [] },
            progress,
            { sources, sink, limiter: new RateLimiter(), ratePerSecond: Math.min(job.ratePerSecond || env.replayRate, env.replayRate) },
            {
              checkpointEveryMs: env.replayCheckpointMs,
              signal: abort.signal,
              checkpoint: async (p) => {
                const patch = patchOf(p);
                const doc = await guarded(() => repo.checkpoint(job._id, owner, patch, env.replayLeaseMs));
                if (!doc) lost = true;
                else if (doc.cancelRequested || (await repo.cancelMarked(job._id))) cancelled = true;
                return !lost && !cancelled && !abort.signal.aborted;
              },
            },
          );
      await close();
      const patch = { ...patchOf(progress), ...(outcome === 'completed' ? { rate: 0 } : {}) };
      clearInterval(watch);
      if (outcome === 'completed') await serial(() => repo.finish(job._id, owner, 'succeeded', patch));
      else if (cancelled) await serial(() => repo.finish(job._id, owner, 'cancelled', patch));
      else if (!lost) await serial(() => repo.release(job._id, owner, patch));
      log.info('replay job ended', { replayId: job._id, outcome: outcome === 'completed' ? 'succeeded' : cancelled ? 'cancelled' : lost ? 'lease lost' : 'released', counts: progress.counts });
    } catch (err) {
      await close().catch(() => undefined);
      log.error('replay job failed', { replayId: job._id, err });
      clearInterval(watch);
      await serial(() => repo.finish(job._id, owner, 'failed', { error: (err as Error).message ?? String(err), counts: progress.counts, ranges: progress.ranges, usedSources: progress.usedSources }));
    } finally {
      clearInterval(watch);
      await renewing;
      shutdown.signal.removeEventListener('abort', onShutdown);
    }
  }

  const tick = (): void => {
    if (running || stopping) return;
    running = (async () => {
      try {
        await pruneExports().catch((err: unknown) => log.warn('pruning expired exports failed', { err }));
        let job = await repo.claim(owner, env.replayLeaseMs);
        while (job && !stopping) {
          await runJob(job);
          job = stopping ? null : await repo.claim(owner, env.replayLeaseMs);
        }
      } catch (err) {
        log.error('replay worker tick failed', { err });
      }
    })().finally(() => {
      running = undefined;
    });
  };

  return {
    name: 'replay-worker',
    async start() {
      timer = setInterval(tick, env.replayPollMs);
      timer.unref();
      tick();
    },
    async stop() {
      stopping = true;
      if (timer) clearInterval(timer);
      shutdown.abort();
      await running;
    },
  };
}
