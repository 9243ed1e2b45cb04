/**
 * Decides whether bytes are one JSON text exactly as `JSON.parse(bytes.toString('utf8'))` would, without building
 * the value: export writes a JSON body verbatim as `data`, and parsing every body only to throw the result away
 * was a tenth of an export's time plus the garbage it made. Bytes ≥ 0x80 are only accepted inside strings (as
 * JSON.parse does after decoding; invalid UTF-8 decodes to U+FFFD there, still a valid string character), so a
 * caller that copies bytes verbatim checks `NON_ASCII` bodies with `isUtf8` first.
 */

/** The text holds a CR or LF byte (necessarily whitespace outside strings, as raw ones are invalid inside). */
export const HAS_LINE_BREAK = 1;
/** The text holds bytes ≥ 0x80 (inside strings). */
export const NON_ASCII = 2;

const OBJECT = 1;
const ARRAY = 2;
let stack = new Uint8Array(64);

let flags = 0;

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);

// Each reader takes the position and returns the one after what it read, or -1 when invalid. Plain top-level
// functions (no closures) so V8 inlines them into the scan loop.

function skipWs(b: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = b[i];
    if (c === 0x20 || c === 0x09) i++;
    else if (c === 0x0a || c === 0x0d) {
      flags |= HAS_LINE_BREAK;
      i++;
    } else break;
  }
  return i;
}

/** i at the opening quote. */
function string(b: Uint8Array, i: number, end: number): number {
  i++;
  while (i < end) {
    const c = b[i] ?? 0;
    if (c === 0x22) return i + 1;
    if (c === 0x5c) {
      const e = b[i + 1] ?? 0;
      if (e === 0x75) {
        if (i + 6 > end || !isHex(b[i + 2] ?? 0) || !isHex(b[i + 3] ?? 0) || !isHex(b[i + 4] ?? 0) || !isHex(b[i + 5] ?? 0)) return -1;
        i += 6;
      } else if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) i += 2;
      else return -1;
    } else if (c < 0x20) return -1;
    else {
      if (c >= 0x80) flags |= NON_ASCII;
      i++;
    }
  }
  return -1;
}

function digits(b: Uint8Array, i: number, end: number): number {
  if (i >= end || !isDigit(b[i] ?? 0)) return -1;
  while (i < end && isDigit(b[i] ?? 0)) i++;
  return i;
}

function number(b: Uint8Array, i: number, end: number): number {
  if (b[i] === 0x2d) i++;
  if (i >= end) return -1;
  if (b[i] === 0x30) i++;
  else if ((i = digits(b, i, end)) < 0) return -1;
  if (i < end && b[i] === 0x2e && (i = digits(b, i + 1, end)) < 0) return -1;
  if (i < end && (b[i] === 0x65 || b[i] === 0x45)) {
    i++;
    if (i < end && (b[i] === 0x2b || b[i] === 0x2d)) i++;
    if ((i = digits(b, i, end)) < 0) return -1;
  }
  return i;
}

function literal(b: Uint8Array, i: number, end: number, word: string): number {
  if (i + word.length > end) return -1;
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word.charCodeAt(k)) return -1;
  return i + word.length;
}

/** After `{` or `,` in an object: a key and a colon; returns the position of the value. */
function key(b: Uint8Array, i: number, end: number): number {
  i = skipWs(b, i, end);
  if (b[i] !== 0x22 || (i = string(b, i, end)) < 0) return -1;
  i = skipWs(b, i, end);
  return b[i] === 0x3a ? i + 1 : -1;
}

function push(depth: number, kind: number): void {
  if (depth === stack.length) {
    const bigger = new Uint8Array(stack.length * 2);
    bigger.set(stack);
    stack = bigger;
  }
  stack[depth] = kind;
}

/** Flags (`HAS_LINE_BREAK`, `NON_ASCII`) when b[start, end) is valid JSON, else -1. */
export function scanJson(b: Uint8Array, start = 0, end = b.length): number {
  let i = start;
  let depth = 0;
  flags = 0;
  for (;;) {
    // a value
    i = skipWs(b, i, end);
    if (i >= end) return -1;
    const c = b[i] ?? 0;
    if (c === 0x7b) {
      i = skipWs(b, i + 1, end);
      if (b[i] === 0x7d) i++;
      else {
        push(depth++, OBJECT);
        if ((i = key(b, i, end)) < 0) return -1;
        continue;
      }
    } else if (c === 0x5b) {
      i = skipWs(b, i + 1, end);
      if (b[i] === 0x5d) i++;
      else {
        push(depth++, ARRAY);
        continue;
      }
    } else if (c === 0x22) i = string(b, i, end);
    else if (c === 0x74) i = literal(b, i, end, 'true');
    else if (c === 0x66) i = literal(b, i, end, 'false');
    else if (c === 0x6e) i = literal(b, i, end, 'null');
    else if (c === 0x2d || isDigit(c)) i = number(b, i, end);
    else return -1;
    if (i < 0) return -1;

    // after a value: close containers until one continues with a comma
    for (;;) {
      i = skipWs(b, i, end);
      if (depth === 0) return i === end ? flags : -1;
      const d = b[i];
      if (d === 0x2c) {
        if (stack[depth - 1] === OBJECT && (i = key(b, i + 1, end)) < 0) return -1;
        if (stack[depth - 1] === ARRAY) i++;
        break;
      }
      if (d === (stack[depth - 1] === OBJECT ? 0x7d : 0x5d)) {
        i++;
        depth--;
        continue;
      }
      return -1;
    }
  }
}
