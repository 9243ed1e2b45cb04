/** Rollup resolutions and the query-time bucket sizes; all buckets are UTC-aligned. */
export type Resolution = 'minute' | 'hour' | 'day';

export const RESOLUTIONS: readonly Resolution[] = ['minute', 'hour', 'day'];

export const SIZE_MS: Record<Resolution, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export const floorTo = (ms: number, size: number): number => Math.floor(ms / size) * size;
export const ceilTo = (ms: number, size: number): number => Math.ceil(ms / size) * size;

export interface CoverPiece {
  resolution: Resolution;
  from: number;
  to: number;
}

/**
 * Splits `[from, to)` (minute-aligned) into pieces read from the coarsest rollups that fit, never coarser than
 * `max` (the requested output bucket): the aligned interior from `max`, the ragged edges from finer ones.
 * Day and hour pieces read the hour tier (24 slots per day), minute pieces the minute tier (see data-access/rollup-layout.ts).
 */
export function cover(from: number, to: number, max: Resolution): CoverPiece[] {
  const order = RESOLUTIONS.slice(0, RESOLUTIONS.indexOf(max) + 1).reverse();
  const pieces: CoverPiece[] = [];
  const walk = (a: number, b: number, level: number): void => {
    if (a >= b) return;
    const res = order[level];
    if (!res) return;
    if (level === order.length - 1) {
      pieces.push({ resolution: res, from: a, to: b });
      return;
    }
    const size = SIZE_MS[res];
    const inA = ceilTo(a, size);
    const inB = floorTo(b, size);
    if (inA < inB) {
      walk(a, inA, level + 1);
      pieces.push({ resolution: res, from: inA, to: inB });
      walk(inB, b, level + 1);
    } else walk(a, b, level + 1);
  };
  walk(from, to, 0);
  return pieces;
}
