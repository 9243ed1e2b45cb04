import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Consumer, IHeaders, KafkaMessage } from 'kafkajs';
import type { Hub } from '../../src/app/hub';
import { toKafkaHeaders } from '../../src/platform/cloudevents';

/** Produces an inbound CloudEvent exactly as the ingest role does (the agents stage's public door). */
export async function produceInbound(
  hub: Hub,
  e: { source: string; type: string; data: unknown; key?: string; id?: string; raw?: Buffer; headers?: IHeaders; extensions?: Record<string, string> },
): Promise<string> {
  const id = e.id ?? randomUUID();
  const producer = await hub.ctx.kafka.producer();
  const headers = e.headers ?? toKafkaHeaders({
    id,
    source: `/sources/${e.source}`,
    type: e.type,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    traceparent: `00-${randomUUID().replace(/-/g, '')}-${randomUUID().replace(/-/g, '').slice(0, 16)}-01`,
    extensions: { hookhubsource: e.source, idempotencykey: id, ...e.extensions },
  });
  await producer.send({
    topic: hub.ctx.topics.inbound(e.source),
    acks: -1,
    messages: [{ key: e.key ?? id, value: e.raw ?? Buffer.from(JSON.stringify(e.data)), headers }],
  });
  return id;
}

export interface Collected {
  value: unknown;
  raw: Buffer | null;
  headers: Record<string, string>;
  key: string | undefined;
}

/** Reads a topic from the beginning into an array (its own consumer group). */
export async function collectTopic(hub: Hub, topic: string): Promise<{ messages: Collected[]; stop: () => Promise<void> }> {
  await hub.ctx.kafka.ensureTopics([topic]);
  const consumer: Consumer = hub.ctx.kafka.kafka.consumer({ groupId: `${hub.ctx.env.kafkaClientId}-collect-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const messages: Collected[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }: { message: KafkaMessage }) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = Array.isArray(v) ? String(v[0]) : v.toString();
      let value: unknown = undefined;
      try {
        value = message.value ? JSON.parse(message.value.toString('utf8')) : undefined;
      } catch {
        value = undefined;
      }
      messages.push({ value, raw: message.value, headers, key: message.key?.toString() });
    },
  });
  return { messages, stop: () => consumer.disconnect() };
}

export interface ReceivedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A real local HTTP server standing in for an agent service or an LLM API; the handler decides the reply. */
export async function startServer(
  handler: (req: ReceivedRequest, res: http.ServerResponse) => void | Promise<void>,
  host = '127.0.0.1',
): Promise<{ url: string; requests: ReceivedRequest[]; close: () => Promise<void> }> {
  const requests: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(r);
      Promise.resolve(handler(r, res)).catch(() => {
        res.statusCode = 500;
        res.end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
