import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { TopicNames } from '../../app/context';
import type { KafkaPort } from '../../platform/kafka';
import { EventArchive } from '../data-access/archive';
import { KafkaRedeliverer, KafkaReprocessor, replayDeliveriesTopic } from './data-access/kafka-replay-ports';
import { RedeliverSink, ReprocessSink } from './data-access/sinks';
import { KafkaArchiveSources } from './data-access/sources';
import type { ReplayTarget } from './domain/jobs';
import { RateLimiter } from '../../platform/rate-limiter';
import { runReplay, type ReplayOutcome } from './domain/run-replay';
import { freshProgress, type ReplayProgress, type ReplaySink } from './domain/types';

export interface LocalReplayDeps {
  kafka: KafkaPort;
  mongo: Connection;
  topics: TopicNames;
  topicPrefix: string;
  clientId: string;
}

export interface LocalReplayOptions {
  /** Export mode: where lines go. Other modes: built from the Kafka ports. */
  sink?: ReplaySink;
  ratePerSecond: number;
  signal?: AbortSignal;
  /** Called about every `progressEveryMs` with the live progress (the CLI's progress bar). */
  onProgress?: (p: ReplayProgress) => void;
  progressEveryMs?: number;
}

/**
 * One replay run in this process without a job document (the CLI and the benchmark): same planning, reading,
 * filtering and pacing as a job, progress reported instead of checkpointed.
 */
export async function replayInProcess(deps: LocalReplayDeps, target: ReplayTarget, o: LocalReplayOptions): Promise<{ replayId: string; outcome: ReplayOutcome; progress: ReplayProgress }> {
  const replayId = randomUUID();
  const sources = new KafkaArchiveSources({ kafka: deps.kafka.kafka, admin: () => deps.kafka.admin(), archive: new EventArchive(deps.mongo), groupPrefix: deps.clientId });
  let sink = o.sink;
  if (!sink && target.mode === 'redeliver') sink = new RedeliverSink(new KafkaRedeliverer(deps.kafka, replayDeliveriesTopic(deps.topicPrefix)), target.subscriptionId ?? '', replayId);
  if (!sink && target.mode === 'reprocess') sink = new ReprocessSink(new KafkaReprocessor(deps.kafka, deps.topics), replayId);
  if (!sink) throw new Error('export needs an output');
  const progress = freshProgress();
  const outcome = await runReplay(
    { replayId, topic: target.topic, fromMs: target.fromMs, toMs: target.toMs, types: target.types },
    progress,
    { sources, sink, limiter: new RateLimiter(), ratePerSecond: o.ratePerSecond },
    {
      checkpointEveryMs: o.progressEveryMs ?? 250,
      ...(o.signal ? { signal: o.signal } : {}),
      checkpoint: async (p) => {
        o.onProgress?.(p);
        return !o.signal?.aborted;
      },
    },
  );
  return { replayId, outcome, progress };
}
