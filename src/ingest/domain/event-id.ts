import { randomBytesPooled } from '../../platform/random';

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix milliseconds then random bits, so ids sort by arrival time, which keeps
 * MongoDB indexes on event ids append-mostly.
 */
export function newEventId(nowMs = Date.now()): string {
  const b = randomBytesPooled(16);
  b.writeUIntBE(nowMs, 0, 6);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x70;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
