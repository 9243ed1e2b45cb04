/**
 * Event-type patterns and field filters shared by routes (agents) and subscriptions (delivery).
 * Pattern: dot-separated; `*` as a segment matches exactly one segment, a trailing `*` matches one or more
 * (`github.issues.*` matches `github.issues.opened`; `*` alone matches everything).
 */
export function matchesEventType(pattern: string, type: string): boolean {
  if (pattern === '*' || pattern === type) return true;
  const p = pattern.split('.');
  const t = type.split('.');
  for (let i = 0; i < p.length; i++) {
    const seg = p[i];
    if (seg === '*' && i === p.length - 1) return t.length >= p.length;
    if (i >= t.length) return false;
    if (seg !== '*' && seg !== t[i]) return false;
  }
  return p.length === t.length;
}

/** Reads a JSON pointer (RFC 6901) from a parsed JSON value. */
export function readPointer(value: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return pointer === '' ? value : (value as Record<string, unknown> | null)?.[''];
  let cur: unknown = value;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** A filter is `{ "<json pointer>": expected }`; every entry must equal (strictly) the value at its pointer. */
export function matchesFilter(value: unknown, filter: Record<string, string | number | boolean> | undefined): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([pointer, expected]) => readPointer(value, pointer) === expected);
}
