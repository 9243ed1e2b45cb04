import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  values: (number | null)[];
  color: string;
}

/**
 * A small time-series line chart (uPlot on a canvas). `times` are ISO bucket starts; the chart resizes with
 * its box. The caption names the chart for screen readers; the numbers are in the tables beside it.
 */
export function LineChart({ title, times, series, height = 180, yMax }: { title: string; times: string[]; series: Series[]; height?: number; yMax?: number }): JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const data: uPlot.AlignedData = [times.map((t) => new Date(t).getTime() / 1000), ...series.map((s) => s.values)];
    const plot = new uPlot(
      {
        width: Math.max(240, el.clientWidth),
        height,
        legend: { show: true },
        scales: { x: { time: true }, ...(yMax !== undefined ? { y: { range: [0, yMax] as uPlot.Range.MinMax } } : {}) },
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, spanGaps: true, points: { show: times.length < 40 } }))],
        axes: [{}, { size: 56 }],
      },
      data,
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(240, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [times, series, height, yMax]);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      {times.length === 0 ? <p class="empty">No data in this range.</p> : <div ref={box} role="img" aria-label={title} />}
    </figure>
  );
}
