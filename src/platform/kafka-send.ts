import type { Message, Producer } from 'kafkajs';

/** Keeps each produce request under the broker's default 1 MiB record-batch limit. */
const MAX_REQUEST_BYTES = 512 * 1024;

function sizeOf(m: Message): number {
  let n = 64;
  n += m.key ? Buffer.byteLength(m.key) : 0;
  n += m.value ? Buffer.byteLength(m.value) : 0;
  for (const [k, v] of Object.entries(m.headers ?? {})) n += k.length + (v ? Buffer.byteLength(Array.isArray(v) ? String(v[0]) : v) : 0);
  return n;
}

/** Sends messages in order with acks=all, split into requests of bounded size (a big batch is many requests). */
export async function sendInChunks(producer: Producer, topic: string, messages: Message[], maxBytes = MAX_REQUEST_BYTES): Promise<void> {
  let chunk: Message[] = [];
  let size = 0;
  for (const m of messages) {
    const s = sizeOf(m);
    if (chunk.length > 0 && size + s > maxBytes) {
      await producer.send({ topic, acks: -1, messages: chunk });
      chunk = [];
      size = 0;
    }
    chunk.push(m);
    size += s;
  }
  if (chunk.length > 0) await producer.send({ topic, acks: -1, messages: chunk });
}
