import { randomUUID } from 'node:crypto';
import type { TopicNames } from '../../../app/context';
import { AppError } from '../../../platform/errors';
import type { FieldError } from '../../../platform/schemas';
import { FINISHED, type ReplayJob, type ReplayRepository, type ReplayStatus } from '../data-access/replay-repository';
import { zeroCounts, type ReplayMode } from './types';

export interface ReplayRequest {
  source?: string;
  topic?: string;
  from: string;
  to: string;
  types?: string[];
  mode: ReplayMode;
  subscriptionId?: string;
  ratePerSecond?: number;
}

export interface ReplayTarget {
  source: string | null;
  topic: string;
  fromMs: number;
  toMs: number;
  types: string[];
  mode: ReplayMode;
  subscriptionId: string | null;
}

/** Parses a time such as `2026-11-01T00:00Z` or a full RFC 3339 timestamp (epoch milliseconds also accepted). */
export function parseTime(value: string): number | undefined {
  const v = value.trim();
  if (/^\d{10,}$/.test(v)) return Number(v);
  if (!/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i.test(v)) return undefined;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? ms : undefined;
}

/** Checks what the schema cannot (times, their order, the subscription a redelivery needs) and names the topic. */
export function resolveTarget(req: ReplayRequest, topics: TopicNames): ReplayTarget {
  const errors: FieldError[] = [];
  const fromMs = parseTime(req.from);
  const toMs = parseTime(req.to);
  if (fromMs === undefined) errors.push({ path: '/from', message: 'must be a timestamp such as 2026-11-01T00:00Z' });
  if (toMs === undefined) errors.push({ path: '/to', message: 'must be a timestamp such as 2026-11-02T00:00Z' });
  if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) errors.push({ path: '/to', message: 'must not be before from' });
  if (!req.source === !req.topic) errors.push({ path: '/source', message: 'give exactly one of source or topic' });
  if (req.mode === 'redeliver' && !req.subscriptionId) errors.push({ path: '/subscriptionId', message: 'is required for mode redeliver' });
  if (errors.length) throw new AppError('validation_failed', 'the replay request is invalid', { errors });
  // Replays read what senders sent, never the hub's own topics (results, DLQs, replay deliveries).
  const inbound = topics.inbound('');
  if (req.topic !== undefined && !(req.topic.startsWith(inbound) && req.topic.length > inbound.length)) {
    throw new AppError('replay_topic_forbidden', `a replay reads inbound topics only (${inbound}*)`, { errors: [{ path: '/topic', message: `must start with ${inbound}` }] });
  }
  return {
    source: req.source ?? null,
    topic: req.topic ?? topics.inbound(req.source ?? ''),
    fromMs: fromMs ?? 0,
    toMs: toMs ?? 0,
    types: req.types ?? [],
    mode: req.mode,
    subscriptionId: req.subscriptionId ?? null,
  };
}

export interface ReplayView {
  id: string;
  source: string | null;
  topic: string;
  from: string;
  to: string;
  types: string[];
  mode: ReplayMode;
  subscriptionId: string | null;
  ratePerSecond: number;
  status: ReplayStatus;
  cancelRequested: boolean;
  counts: ReplayJob['counts'];
  progress: { store: string; partition: number; start: number; end: number | null; position: number }[];
  rate: number;
  usedSources: ReplayJob['usedSources'];
  error: string | null;
  createdBy: string | null;
  export: { bytes: number; href: string } | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

const isoOrNull = (d: Date | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

export function toView(j: ReplayJob): ReplayView {
  return {
    id: j._id,
    source: j.source ?? null,
    topic: j.topic,
    from: new Date(j.from).toISOString(),
    to: new Date(j.to).toISOString(),
    types: j.types ?? [],
    mode: j.mode,
    subscriptionId: j.subscriptionId ?? null,
    ratePerSecond: j.ratePerSecond,
    status: j.status,
    cancelRequested: j.cancelRequested ?? false,
    counts: j.counts,
    progress: (j.ranges ?? []).map((r) => ({ store: r.store, partition: r.partition, start: r.start, end: r.end, position: r.position })),
    rate: j.rate ?? 0,
    usedSources: j.usedSources,
    error: j.error ?? null,
    createdBy: j.createdBy ?? null,
    export: j.mode === 'export' ? { bytes: j.output?.bytes ?? 0, href: `/api/v1/replays/${j._id}/export` } : null,
    createdAt: new Date(j.createdAt).toISOString(),
    updatedAt: new Date(j.updatedAt).toISOString(),
    startedAt: isoOrNull(j.startedAt),
    finishedAt: isoOrNull(j.finishedAt),
  };
}

export interface ReplayJobDeps {
  repo: ReplayRepository;
  topics: TopicNames;
  /** HOOKHUB_REPLAY_RATE: the ceiling of any job's rate. */
  maxRate: number;
}

/** Replay modes that send something out again (webhooks, agent runs): operators and admins only. */
export const SENDING_MODES: readonly ReplayMode[] = ['redeliver', 'reprocess'];

/**
 * POST /replays: a queued job the worker picks up (at most HOOKHUB_REPLAY_RATE events/s). Analysts may only
 * export: `redeliver` and `reprocess` send webhooks or run agents, which is operating the hub.
 */
export async function createReplay(deps: ReplayJobDeps, req: ReplayRequest, createdBy?: string, role?: string): Promise<ReplayView> {
  if (role === 'analyst' && SENDING_MODES.includes(req.mode)) throw new AppError('forbidden', `mode ${req.mode} needs the operator role; analysts may export`);
  const target = resolveTarget(req, deps.topics);
  const now = new Date();
  const job: ReplayJob = {
    _id: randomUUID(),
    source: target.source,
    topic: target.topic,
    from: new Date(target.fromMs),
    to: new Date(target.toMs),
    types: target.types,
    mode: target.mode,
    subscriptionId: target.subscriptionId,
    ratePerSecond: Math.min(req.ratePerSecond ?? deps.maxRate, deps.maxRate),
    status: 'queued',
    counts: zeroCounts(),
    ranges: null,
    usedSources: { kafka: 0, archive: 0 },
    rate: 0,
    error: null,
    createdBy: createdBy ?? null,
    cancelRequested: false,
    lease: null,
    output: null,
    createdAt: now,
    updatedAt: now,
    // startedAt stays unset until the first claim sets it ($min keeps the first start across resumes).
    finishedAt: null,
  };
  return toView(await deps.repo.create(job));
}

export async function getReplay(repo: ReplayRepository, id: string): Promise<ReplayView> {
  return toView(await assertReplay(repo, id));
}

export async function listReplays(repo: ReplayRepository, q: { status?: ReplayStatus; limit?: number }): Promise<ReplayView[]> {
  return (await repo.list(q, q.limit ?? 50)).map(toView);
}

async function assertReplay(repo: ReplayRepository, id: string): Promise<ReplayJob> {
  const job = await repo.get(id);
  if (!job) throw new AppError('not_found', `no replay ${id}`);
  return job;
}

/** DELETE /replays/:id: a queued job is cancelled at once; a running one is flagged and its worker stops within a second. */
export async function cancelReplay(repo: ReplayRepository, id: string): Promise<ReplayView> {
  const job = await assertReplay(repo, id);
  if (FINISHED.includes(job.status)) throw new AppError('replay_finished', `replay ${id} is already ${job.status}`);
  // The worker writes the same document concurrently; confirm the flag landed (or the job ended) before answering.
  for (let attempt = 0; attempt < 5; attempt++) {
    await repo.requestCancel(id);
    await repo.cancelQueued(id);
    const now = await assertReplay(repo, id);
    if (FINISHED.includes(now.status)) return toView(now);
    // The insert-only marker is what the worker trusts; the flag on the job is for readers.
    if (now.cancelRequested || (await repo.cancelMarked(id))) return { ...toView(now), cancelRequested: true };
  }
  return getReplay(repo, id);
}

/** Where an export job's NDJSON is, for GET /replays/:id/export. */
export async function replayExportFile(repo: ReplayRepository, id: string): Promise<{ path: string; bytes: number; status: ReplayStatus }> {
  const job = await assertReplay(repo, id);
  if (job.mode !== 'export' || !job.output?.path) throw new AppError('export_unavailable', `replay ${id} has no export file (mode ${job.mode}, status ${job.status})`);
  return { path: job.output.path, bytes: job.output.bytes, status: job.status };
}
