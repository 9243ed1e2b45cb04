/**
 * Running an agent now through the API: the API publishes the same inbound CloudEvent ingest would for an
 * `agent.task.requested` webhook, on its own topic `<prefix>.in.api` (source `api`), which the agents stage
 * reads like every inbound topic. The execution id is known up front: the agents stage derives it from
 * (event id, agent) with `executionIdFor`, so the API answers with it before the stage has even seen the event.
 */
import { randomUUID } from 'node:crypto';
import type { HubContext } from '../../app/context';
import { executionIdFor, isFinal, type ExecutionsRepository, type Execution } from '../../agents';
import { nextTraceparent, toKafkaHeaders } from '../../platform/cloudevents';
import { AppError } from '../../platform/errors';
import { API_SOURCE_ID, TASK_REQUESTED } from '../../platform/task-requests';
import { sleep } from '../../platform/timeout';

export { API_SOURCE_ID, TASK_REQUESTED };

export interface RunRequest {
  agent: string;
  task: string;
  parameters?: Record<string, unknown>;
  callback?: { url: string };
}

export interface RunTicket {
  eventId: string;
  executionId: string;
}

export async function publishTaskRequest(ctx: HubContext, req: RunRequest): Promise<RunTicket> {
  const eventId = randomUUID();
  const body = { type: TASK_REQUESTED, agent: req.agent, task: req.task, ...(req.parameters ? { parameters: req.parameters } : {}), ...(req.callback ? { callback: req.callback } : {}) };
  const problems = ctx.schemas.validate('hookhub/agent.task.requested', body);
  if (problems.length > 0) throw new AppError('validation_failed', 'the task is not a valid agent.task.requested event', { errors: problems.map((p) => ({ path: `/body${p.path}`, message: p.message })) });
  const topic = ctx.topics.inbound(API_SOURCE_ID);
  const headers = toKafkaHeaders({
    id: eventId,
    source: `/sources/${API_SOURCE_ID}`,
    type: TASK_REQUESTED,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    traceparent: nextTraceparent(),
    extensions: { hookhubsource: API_SOURCE_ID },
  });
  try {
    await ctx.kafka.ensureTopics([topic]);
    const producer = await ctx.kafka.producer();
    await producer.send({ topic, acks: -1, messages: [{ key: eventId, value: Buffer.from(JSON.stringify(body)), headers }] });
  } catch (err) {
    ctx.logger.warn('publishing a task request failed', { err: (err as Error).message, eventId });
    throw new AppError('kafka_unavailable', 'the task request was not stored: the event log did not acknowledge it; retry later', { retryAfterSeconds: 5 });
  }
  return { eventId, executionId: executionIdFor(eventId, req.agent) };
}

/** Polls the execution until it is final or `seconds` have passed; undefined when it has not been stored yet. */
export async function awaitExecution(executions: Pick<ExecutionsRepository, 'get'>, id: string, seconds: number, intervalMs = 200): Promise<Execution | undefined> {
  const deadline = Date.now() + seconds * 1000;
  let current = await executions.get(id);
  while (!(current && isFinal(current.status)) && Date.now() < deadline) {
    await sleep(Math.min(intervalMs, Math.max(1, deadline - Date.now())));
    current = await executions.get(id);
  }
  return current;
}
