import { randomUUID } from 'node:crypto';
import type { Hub } from '../../src/app/hub';
import { toKafkaHeaders } from '../../src/platform/cloudevents';
import type { Delivery } from '../../src/delivery/data-access/deliveries-repository';
import { createDeliveryOperations, type DeliveryOperations } from '../../src/delivery/operations';

/** Produces a result CloudEvent to `<prefix>.results` the way the agents component does (the contract). */
export async function produceResult(hub: Hub, opts: { agent: string; type?: string; key?: string; id?: string; status?: string }): Promise<{ id: string; value: Buffer }> {
  const id = opts.id ?? randomUUID();
  const execId = randomUUID();
  const value = Buffer.from(
    JSON.stringify({
      execution: { id: execId, agent: opts.agent, team: 'qa', status: opts.status ?? 'succeeded', eventId: randomUUID(), eventType: 'github.push', attempts: 1, durationMs: 12, output: { text: 'done' }, startedAt: new Date().toISOString(), finishedAt: new Date().toISOString() },
      documents: [],
    }),
  );
  const producer = await hub.ctx.kafka.producer();
  await producer.send({
    topic: hub.ctx.topics.results,
    acks: -1,
    messages: [{ key: opts.key ?? execId, value, headers: toKafkaHeaders({ id, source: `/agents/${opts.agent}`, type: opts.type ?? 'hookhub.execution.succeeded', time: new Date().toISOString(), subject: execId }) }],
  });
  return { id, value };
}

export function operationsOf(hub: Hub): DeliveryOperations {
  return createDeliveryOperations({ mongo: hub.ctx.mongo, schemas: hub.ctx.schemas, env: hub.ctx.env });
}

/** A result's delivery as stored after one failed first attempt: pending, waiting for its retry at `nextAttemptAt`. */
export function pendingRetry(d: Pick<Delivery, 'id' | 'eventId' | 'eventSource' | 'subscriptionId' | 'topic' | 'nextAttemptAt' | 'body' | 'createdAt'>): Delivery {
  return {
    ...d,
    eventType: 'hookhub.execution.succeeded',
    seq: 1,
    status: 'pending',
    bodyEncoding: 'utf8',
    contentType: 'application/json',
    cycleAttempts: 1,
    attemptCount: 1,
    attempts: [],
    trigger: 'event',
  };
}

/** `n` stored-pending retries of one subscription, all due at `due` (ids `<idPrefix><index, 4 digits>`). */
export function dueRetries(n: number, o: { idPrefix: string; subscriptionId: string; topic: string; due: Date; eventSource?: string }): Delivery[] {
  const createdAt = new Date();
  return Array.from({ length: n }, (_v, i) => {
    const id = `${o.idPrefix}${String(i).padStart(4, '0')}`;
    return pendingRetry({ id, eventId: `e-${id}`, eventSource: o.eventSource ?? 'hookhub/agents', subscriptionId: o.subscriptionId, topic: o.topic, nextAttemptAt: o.due, body: '{}', createdAt });
  });
}
