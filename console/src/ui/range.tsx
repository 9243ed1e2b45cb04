import type { JSX } from 'preact';
import { href } from '../router';

export type RangeName = 'hour' | 'day' | 'week';

const RANGES: Record<RangeName, { label: string; ms: number; bucket: 'minute' | 'hour' | 'day' }> = {
  hour: { label: 'Last hour', ms: 3600_000, bucket: 'minute' },
  day: { label: 'Last day', ms: 86_400_000, bucket: 'hour' },
  week: { label: 'Last week', ms: 7 * 86_400_000, bucket: 'hour' },
};

export const isRange = (v: string | null): v is RangeName => v === 'hour' || v === 'day' || v === 'week';

/** The analytics query for a range ending now (bucket sized to give a readable number of points). */
export function rangeQuery(range: RangeName): { from: string; to: string; bucket: 'minute' | 'hour' | 'day' } {
  const r = RANGES[range];
  const to = new Date();
  return { from: new Date(to.getTime() - r.ms).toISOString(), to: to.toISOString(), bucket: r.bucket };
}

export function RangePicker({ page, current }: { page: string; current: RangeName }): JSX.Element {
  return (
    <nav class="range" aria-label="Time range">
      {(Object.keys(RANGES) as RangeName[]).map((k) => (
        <a key={k} class="button" href={href(page, { range: k })} aria-current={k === current ? 'true' : undefined}>
          {RANGES[k].label}
        </a>
      ))}
    </nav>
  );
}
