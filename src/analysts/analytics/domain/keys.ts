/**
 * Free-form values (error codes, status names) become field names inside rollup documents; the document store
 * rejects `.` and `$` in keys, so anything outside `[A-Za-z0-9_-]` is escaped as `~XX` (hex of each UTF-8 byte).
 */
export function encodeKey(value: string): string {
  let out = '';
  for (const ch of value) {
    if (/[A-Za-z0-9_-]/.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `~${b.toString(16).padStart(2, '0')}`;
  }
  return out || '~';
}

export function decodeKey(key: string): string {
  if (key === '~') return '';
  const bytes: number[] = [];
  for (let i = 0; i < key.length; i++) {
    if (key[i] === '~') {
      bytes.push(parseInt(key.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(key.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}
