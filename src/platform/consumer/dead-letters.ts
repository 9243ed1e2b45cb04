import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import type { KafkaPort } from '../kafka';
import { sendInChunks } from '../kafka-send';

/**
 * The one header scheme of every dead letter (`<prefix>.dlq.<stage>`), documented in docs/reference/dead-letters.md.
 * The dead letter keeps the original key, value and headers; these are added (replacing any of the same name).
 */
export const DEAD_LETTER_HEADERS = {
  stage: 'x-hookhub-stage',
  topic: 'x-hookhub-original-topic',
  partition: 'x-hookhub-original-partition',
  offset: 'x-hookhub-original-offset',
  code: 'x-hookhub-error-code',
  message: 'x-hookhub-error-message',
  attempts: 'x-hookhub-attempts',
  agent: 'x-hookhub-agent',
  executionId: 'x-hookhub-execution-id',
} as const;

/** Error texts are cut to this length so a dead letter never outgrows the broker's record limit because of them. */
const MAX_ERROR_CHARS = 1000;

export interface DeadLetter {
  /** The message as read from Kafka. */
  original: Pick<KafkaMessage, 'key' | 'value' | 'headers' | 'offset'>;
  topic: string;
  partition: number;
  /** Stable error code: a catalogue code or a stage's own (e.g. `cloudevent_invalid`, `runner_http_status`). */
  code: string;
  error: string;
  /** How many times the stage tried the message before giving up (1: refused at once). */
  attempts: number;
  /** The agents stage names the agent and execution that failed. */
  agent?: string;
  executionId?: string;
}

export function deadLetterMessage(stage: string, d: DeadLetter): Message {
  const headers: IHeaders = { ...(d.original.headers ?? {}) };
  headers[DEAD_LETTER_HEADERS.stage] = stage;
  headers[DEAD_LETTER_HEADERS.topic] = d.topic;
  headers[DEAD_LETTER_HEADERS.partition] = String(d.partition);
  headers[DEAD_LETTER_HEADERS.offset] = d.original.offset;
  headers[DEAD_LETTER_HEADERS.code] = d.code;
  headers[DEAD_LETTER_HEADERS.message] = d.error.slice(0, MAX_ERROR_CHARS);
  headers[DEAD_LETTER_HEADERS.attempts] = String(d.attempts);
  if (d.agent) headers[DEAD_LETTER_HEADERS.agent] = d.agent;
  if (d.executionId) headers[DEAD_LETTER_HEADERS.executionId] = d.executionId;
  return { key: d.original.key, value: d.original.value, headers };
}

/**
 * Writes a stage's dead letters to its DLQ topic with acks=all. Callers commit the offsets of the dead-lettered
 * messages only after `write` resolves, so a message is either processed, dead-lettered, or read again.
 */
export class DeadLetterWriter {
  constructor(
    private readonly kafka: KafkaPort,
    readonly topic: string,
    readonly stage: string,
    private readonly onWritten?: (d: DeadLetter) => void,
  ) {}

  async write(letters: DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    await this.kafka.ensureTopics([this.topic]);
    await sendInChunks(await this.kafka.producer(), this.topic, letters.map((d) => deadLetterMessage(this.stage, d)));
    for (const d of letters) this.onWritten?.(d);
  }
}
