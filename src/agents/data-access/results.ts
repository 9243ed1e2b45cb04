import { randomBytes } from 'node:crypto';
import type { Message } from 'kafkajs';
import { toKafkaHeaders } from '../../platform/cloudevents';
import type { KafkaPort } from '../../platform/kafka';
import { executionIdFor, resultEventIdFor } from '../domain/ids';
import type { ResultPublisher } from '../domain/ports';
import type { Execution } from '../domain/model';
import { sendInChunks } from '../../platform/kafka-send';

export const RESULT_TYPES = {
  succeeded: 'hookhub.execution.succeeded',
  failed: 'hookhub.execution.failed',
  timed_out: 'hookhub.execution.timed_out',
} as const;

/** The result message value (the contract with delivery): the execution summary and document refs. */
export function resultValue(d: Execution): Record<string, unknown> {
  return {
    execution: {
      id: d.id,
      agent: d.agent,
      ...(d.team ? { team: d.team } : {}),
      status: d.status,
      eventId: d.eventId,
      eventType: d.eventType,
      attempts: d.attempts,
      durationMs: d.durationMs ?? 0,
      ...(d.error ? { error: { code: d.error.code, message: d.error.message } } : {}),
      ...(d.output !== undefined ? { output: d.output } : {}),
      startedAt: (d.startedAt ?? d.queuedAt)?.toISOString(),
      finishedAt: d.finishedAt?.toISOString(),
      ...(d.replay ? { replay: true } : {}),
      ...(d.replayOf ? { replayOf: d.replayOf } : {}),
    },
    documents: (d.documents ?? []).map((x) => ({ id: x.id, kind: x.kind, title: x.title, version: x.version })),
  };
}

export function resultMessage(d: Execution): Message {
  const type = RESULT_TYPES[d.status as keyof typeof RESULT_TYPES];
  const traceparent = d.traceId ? `00-${d.traceId}-${randomBytes(8).toString('hex')}-01` : undefined;
  return {
    key: d.event?.key ?? d.eventId,
    value: JSON.stringify(resultValue(d)),
    headers: toKafkaHeaders({
      id: resultEventIdFor(d.id, d.status),
      source: `/agents/${d.agent}`,
      type,
      time: (d.finishedAt ?? new Date()).toISOString(),
      subject: d.id,
      datacontenttype: 'application/json',
      ...(traceparent ? { traceparent } : {}),
      // A reprocessed execution's result names the result the original execution had (or would have had) with
      // this status: delivery derives its delivery ids, and so the webhook-id, from that one (no second webhook).
      extensions: { hookhubeventid: d.eventId, ...(d.replayOf ? { replayof: resultEventIdFor(executionIdFor(d.replayOf, d.agent), d.status) } : {}) },
    }),
  };
}

/** Publishes results to `<prefix>.results` with acks=all, in the order given (one send per batch). */
export class KafkaResultPublisher implements ResultPublisher {
  constructor(
    private readonly kafka: KafkaPort,
    private readonly topic: string,
  ) {}

  async publish(executions: Execution[]): Promise<void> {
    const messages = executions.filter((d) => d.status in RESULT_TYPES).map(resultMessage);
    if (messages.length === 0) return;
    await sendInChunks(await this.kafka.producer(), this.topic, messages);
  }
}
