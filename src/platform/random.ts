import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let offset = POOL_SIZE;

/**
 * `n` cryptographically random bytes, copied out of a pool refilled 4 KiB at a time: ids and trace ids are
 * made on every request, and one CSPRNG call per 4 KiB costs far less than one per id.
 */
export function randomBytesPooled(n: number): Buffer {
  if (n > POOL_SIZE) throw new RangeError(`at most ${POOL_SIZE} pooled random bytes at a time`);
  if (offset + n > POOL_SIZE) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_SIZE));
    offset = 0;
  }
  const out = Buffer.from(pool.subarray(offset, offset + n));
  // Never hand out the same bytes twice.
  pool.fill(0, offset, offset + n);
  offset += n;
  return out;
}

export const randomHex = (n: number): string => randomBytesPooled(n).toString('hex');
