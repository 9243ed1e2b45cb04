import { createHash } from 'node:crypto';
import type { ReplayEvent } from './types';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b|^text\/json\b/i;

/**
 * One NDJSON line: the event as a structured-mode CloudEvent. `data` is the original body when it is JSON (the
 * original text, with its line breaks turned to spaces so the line stays one line: outside strings they are only
 * whitespace), else `data_base64`. Extensions appear as top-level attributes, as the JSON format defines.
 */
export function toStructuredLine(e: ReplayEvent): string {
  const head: Record<string, string> = {
    specversion: '1.0',
    id: e.id,
    source: e.source,
    type: e.type,
    time: e.time,
    datacontenttype: e.datacontenttype,
  };
  if (e.subject) head.subject = e.subject;
  if (e.traceparent) head.traceparent = e.traceparent;
  for (const [k, v] of Object.entries(e.extensions)) if (!(k in head) && k !== 'data' && k !== 'data_base64') head[k] = v;
  const prefix = JSON.stringify(head).slice(0, -1);
  const text = JSON_TYPE.test(e.datacontenttype) || e.data[0] === 0x7b || e.data[0] === 0x5b ? jsonText(e.data) : undefined;
  return text !== undefined ? `${prefix},"data":${text}}\n` : `${prefix},"data_base64":${JSON.stringify(e.data.toString('base64'))}}\n`;
}

function jsonText(data: Buffer): string | undefined {
  const s = data.toString('utf8');
  try {
    JSON.parse(s);
  } catch {
    return undefined;
  }
  return s.includes('\n') || s.includes('\r') ? s.replace(/[\r\n]/g, ' ') : s;
}

/**
 * The id of the copy of `originalId` made by replay `replayId`: derived, not random, so a replay resumed after
 * a crash re-produces the same ids and downstream deduplication (one execution per event and agent, one delivery
 * per event and subscription) absorbs the overlap since the last checkpoint.
 */
export function replayCopyId(replayId: string, originalId: string): string {
  const h = createHash('sha256').update(`${replayId}\u0000${originalId}`).digest('hex');
  const variant = ((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}
