import { randomHex } from './random';
import type { IHeaders, KafkaMessage } from 'kafkajs';

/**
 * CloudEvents 1.0 in Kafka binary mode: attributes in `ce_*` headers, the data as the message value
 * (inbound: the exact bytes received; results: JSON). Every producer and consumer goes through these two
 * functions so the header contract lives in one place.
 */
export interface CloudEvent {
  id: string;
  source: string;
  type: string;
  time: string;
  specversion?: '1.0';
  datacontenttype?: string;
  subject?: string;
  traceparent?: string;
  /** Extension attributes (lower-case alphanumerics), carried as `ce_<name>` headers. */
  extensions?: Record<string, string>;
  data: Buffer;
}

const CORE = new Set(['specversion', 'id', 'source', 'type', 'time', 'subject']);

export function toKafkaHeaders(ce: Omit<CloudEvent, 'data'>): IHeaders {
  const headers: IHeaders = {
    ce_specversion: '1.0',
    ce_id: ce.id,
    ce_source: ce.source,
    ce_type: ce.type,
    ce_time: ce.time,
    'content-type': ce.datacontenttype ?? 'application/json',
  };
  if (ce.subject) headers.ce_subject = ce.subject;
  if (ce.traceparent) headers.traceparent = ce.traceparent;
  for (const [k, v] of Object.entries(ce.extensions ?? {})) headers[`ce_${k}`] = v;
  return headers;
}

export class CloudEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CloudEventError';
  }
}

function header(headers: IHeaders | undefined, name: string): string | undefined {
  const v = headers?.[name];
  if (v === undefined) return undefined;
  const one = Array.isArray(v) ? v[0] : v;
  return one === undefined ? undefined : Buffer.isBuffer(one) ? one.toString('utf8') : String(one);
}

/** Reads a binary-mode CloudEvent from a Kafka message; throws CloudEventError when it is not one (poison). */
export function fromKafkaMessage(message: Pick<KafkaMessage, 'headers' | 'value'>): CloudEvent {
  const h = message.headers;
  const specversion = header(h, 'ce_specversion');
  if (specversion !== '1.0') throw new CloudEventError(`ce_specversion must be 1.0, got ${specversion ?? 'nothing'}`);
  const id = header(h, 'ce_id');
  const source = header(h, 'ce_source');
  const type = header(h, 'ce_type');
  const time = header(h, 'ce_time');
  if (!id || !source || !type || !time) throw new CloudEventError('ce_id, ce_source, ce_type and ce_time are required');
  if (!message.value) throw new CloudEventError('message has no value');
  const extensions: Record<string, string> = {};
  for (const name of Object.keys(h ?? {})) {
    if (name.startsWith('ce_') && !CORE.has(name.slice(3))) {
      const v = header(h, name);
      if (v !== undefined) extensions[name.slice(3)] = v;
    }
  }
  const subject = header(h, 'ce_subject');
  const traceparent = header(h, 'traceparent');
  return {
    specversion: '1.0',
    id,
    source,
    type,
    time,
    datacontenttype: header(h, 'content-type') ?? 'application/json',
    ...(subject ? { subject } : {}),
    ...(traceparent ? { traceparent } : {}),
    extensions,
    data: message.value,
  };
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** Keeps a valid W3C traceparent's trace id with a new span id, or starts a new trace. */
export function nextTraceparent(incoming?: string): string {
  const m = incoming ? TRACEPARENT.exec(incoming.trim()) : null;
  const traceId = m?.[1] && m[1] !== '0'.repeat(32) ? m[1] : randomHex(16);
  return `00-${traceId}-${randomHex(8)}-${m?.[3] ?? '01'}`;
}

export function traceIdOf(traceparent: string | undefined): string | undefined {
  return traceparent ? TRACEPARENT.exec(traceparent)?.[1] : undefined;
}
