/** Parses `0`, `250` (ms), `200ms`, `5s`, `5m`, `2h`, `1d` into milliseconds; throws on anything else. */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(text);
  if (!m) throw new Error(`"${text}" is not a duration (use 0, 200ms, 5s, 5m, 2h or 1d)`);
  const n = Number(m[1]);
  const unit = (m[2] ?? 'ms').toLowerCase();
  const factor = { ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000 }[unit] ?? 1;
  return Math.round(n * factor);
}

export function parseSchedule(items: readonly string[]): number[] {
  if (items.length === 0) throw new Error('a retry schedule needs at least one entry');
  return items.map(parseDuration);
}
