import type { Execution, ExecutionStatus, StoredExecution } from '../domain/model';
import type { ExecutionDoc } from './models';

/**
 * An execution entity as a MongoDB document and back. Free-form values (input, output) are stored as JSON
 * strings: FerretDB rejects keys with `.` or `$`, and an event body may have any keys.
 */
export function toExecutionDoc(e: StoredExecution): ExecutionDoc {
  return {
    _id: e.id,
    agent: e.agent,
    ...(e.team !== undefined ? { team: e.team } : {}),
    status: e.status,
    attempts: e.attempts,
    eventId: e.eventId,
    eventType: e.eventType,
    event: e.event,
    ...(e.task !== undefined ? { task: e.task } : {}),
    ...(e.route !== undefined ? { route: e.route } : {}),
    ...(e.input !== undefined ? { inputJson: JSON.stringify(e.input) } : {}),
    ...(e.output !== undefined ? { outputJson: JSON.stringify(e.output) } : {}),
    ...(e.error ? { error: e.error } : {}),
    ...(e.usage ? { usage: e.usage } : {}),
    ...(e.exitCode !== undefined ? { exitCode: e.exitCode } : {}),
    ...(e.stderr !== undefined ? { stderr: e.stderr } : {}),
    documents: e.documents,
    ...(e.traceId !== undefined ? { traceId: e.traceId } : {}),
    ...(e.replay !== undefined ? { replay: e.replay } : {}),
    ...(e.replayOf !== undefined ? { replayOf: e.replayOf } : {}),
    resultPublished: e.resultPublished,
    ...(e.owner !== undefined ? { owner: e.owner } : {}),
    ...(e.leaseUntil ? { leaseUntil: e.leaseUntil } : {}),
    queuedAt: e.queuedAt,
    ...(e.startedAt ? { startedAt: e.startedAt } : {}),
    ...(e.finishedAt ? { finishedAt: e.finishedAt } : {}),
    ...(e.durationMs !== undefined ? { durationMs: e.durationMs } : {}),
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

export function toExecution(d: ExecutionDoc): Execution {
  return {
    id: d._id,
    agent: d.agent,
    ...(d.team !== undefined ? { team: d.team } : {}),
    status: d.status as ExecutionStatus,
    attempts: d.attempts,
    eventId: d.eventId,
    eventType: d.eventType,
    event: d.event,
    ...(d.task !== undefined ? { task: d.task } : {}),
    ...(d.route !== undefined ? { route: d.route } : {}),
    ...(d.inputJson !== undefined ? { input: JSON.parse(d.inputJson) as unknown } : {}),
    ...(d.outputJson !== undefined ? { output: JSON.parse(d.outputJson) as unknown } : {}),
    ...(d.error ? { error: { code: d.error.code, message: d.error.message } } : {}),
    ...(d.usage ? { usage: d.usage } : {}),
    ...(d.exitCode !== undefined && d.exitCode !== null ? { exitCode: d.exitCode } : {}),
    ...(d.stderr !== undefined ? { stderr: d.stderr } : {}),
    documents: d.documents ?? [],
    ...(d.traceId !== undefined ? { traceId: d.traceId } : {}),
    ...(d.replay !== undefined ? { replay: d.replay } : {}),
    ...(d.replayOf !== undefined ? { replayOf: d.replayOf } : {}),
    resultPublished: d.resultPublished,
    queuedAt: d.queuedAt,
    ...(d.startedAt ? { startedAt: d.startedAt } : {}),
    ...(d.finishedAt ? { finishedAt: d.finishedAt } : {}),
    ...(d.durationMs !== undefined ? { durationMs: d.durationMs } : {}),
    ...(d.leaseUntil ? { leaseUntil: d.leaseUntil } : {}),
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

/** As the agents stage reads it back: with the process holding its lease. */
export function toStoredExecution(d: ExecutionDoc): StoredExecution {
  return { ...toExecution(d), ...(d.owner !== undefined ? { owner: d.owner } : {}) };
}
