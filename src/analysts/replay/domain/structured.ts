import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { HAS_LINE_BREAK, NON_ASCII, scanJson } from './json-scan';
import type { ReplayEvent } from './types';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b|^text\/json\b/i;

/** Whether `data` goes out as JSON (when it parses) rather than base64: a JSON media type, or it looks like JSON. */
const jsonCandidate = (e: ReplayEvent): boolean => e.data[0] === 0x7b || e.data[0] === 0x5b || JSON_TYPE.test(e.datacontenttype);

/**
 * The line up to the data member: `{"specversion":"1.0","id":…,` with the attributes in a fixed order, then the
 * extensions as top-level attributes, as the JSON format defines (an extension that repeats an attribute already
 * written, or is named data/data_base64, is left out).
 */
function attributesPrefix(e: ReplayEvent): string {
  let s = `{"specversion":"1.0","id":${quote(e.id)},"source":${quote(e.source)},"type":${quote(e.type)},"time":${quote(e.time)},"datacontenttype":${quote(e.datacontenttype)}`;
  if (e.subject) s += `,"subject":${quote(e.subject)}`;
  if (e.traceparent) s += `,"traceparent":${quote(e.traceparent)}`;
  for (const k in e.extensions) {
    if (written(k, e)) continue;
    s += `,${quote(k)}:${quote(e.extensions[k] ?? '')}`;
  }
  return `${s},`;
}

/** What JSON.stringify escapes in a string: quote, backslash, control characters, (lone) surrogates. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify of a string, without its per-call cost for the usual string that needs no escaping. */
const quote = (s: string): string => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`);

function written(k: string, e: ReplayEvent): boolean {
  switch (k) {
    case 'specversion':
    case 'id':
    case 'source':
    case 'type':
    case 'time':
    case 'datacontenttype':
    case 'data':
    case 'data_base64':
      return true;
    case 'subject':
      return !!e.subject;
    case 'traceparent':
      return !!e.traceparent;
    default:
      return false;
  }
}

/**
 * NDJSON lines of structured-mode CloudEvents, appended into one growing byte buffer. `data` is the original body
 * when it is JSON — the original bytes, with line breaks turned to spaces so the line stays one line (outside
 * strings they are only whitespace, inside strings raw ones are invalid) — else `data_base64`. Bodies that are
 * JSON but not valid UTF-8 go out as JSON.parse would read them (invalid sequences as U+FFFD).
 */
export class NdjsonLines {
  private buf: Buffer;
  /** Bytes of complete lines in `buf`. */
  length = 0;

  constructor(capacity = 1 << 16) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  append(e: ReplayEvent): void {
    const prefix = attributesPrefix(e);
    const data = e.data;
    const flags = jsonCandidate(e) ? scanJson(data) : -1;
    if (flags >= 0 && (!(flags & NON_ASCII) || isUtf8(data))) {
      this.reserve(prefix.length * 3 + data.length + 10);
      let at = this.length + this.buf.write(prefix, this.length);
      at += this.buf.write('"data":', at, 'latin1');
      const dataAt = at;
      this.buf.set(data, at);
      at += data.length;
      if (flags & HAS_LINE_BREAK) for (let i = dataAt; i < at; i++) if (this.buf[i] === 0x0a || this.buf[i] === 0x0d) this.buf[i] = 0x20;
      this.length = at + this.buf.write('}\n', at, 'latin1');
    } else if (flags >= 0) {
      this.text(`${prefix}"data":${data.toString('utf8').replace(/[\r\n]/g, ' ')}}\n`);
    } else {
      this.text(`${prefix}"data_base64":"${data.toString('base64')}"}\n`);
    }
  }

  /** The lines appended so far (a view, valid until the next `append` or `clear`). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }

  /** Hands over the lines appended so far and starts a fresh buffer (the old one may still be being written). */
  take(): Buffer {
    const out = this.bytes();
    this.buf = Buffer.allocUnsafe(this.buf.length);
    this.length = 0;
    return out;
  }

  private text(s: string): void {
    this.reserve(s.length * 3);
    this.length += this.buf.write(s, this.length);
  }

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(bigger, 0, 0, this.length);
    this.buf = bigger;
  }
}

/** One NDJSON line (see `NdjsonLines`). */
export function toStructuredLine(e: ReplayEvent): string {
  const lines = new NdjsonLines(256);
  lines.append(e);
  return lines.bytes().toString('utf8');
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
