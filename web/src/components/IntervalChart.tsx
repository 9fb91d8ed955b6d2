import * as Plot from '@observablehq/plot';
import { useEffect, useRef } from 'react';

/** One estimate per row with its interval, and an optional dashed reference line (a report's interval chart). */
export interface IntervalChartBlock {
  id: string;
  caption: string;
  axis: { label: string; domain: [number, number] | 'auto'; reference?: number };
  points: { label: string; series: string; value: number; lo: number; hi: number }[];
}

export function IntervalChart({ b }: { b: IntervalChartBlock }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const svg = Plot.plot({
      marginLeft: 120,
      width: 640,
      height: 40 + 22 * b.points.length,
      x: { label: b.axis.label, grid: true, ...(b.axis.domain === 'auto' ? {} : { domain: b.axis.domain }) },
      y: { label: null },
      marks: [
        Plot.ruleY(b.points, { y: 'label', x1: 'lo', x2: 'hi' }),
        Plot.dot(b.points, { y: 'label', x: 'value', r: 3, fill: 'series' }),
        ...(b.axis.reference !== undefined
          ? [Plot.ruleX([b.axis.reference], { stroke: '#999', strokeDasharray: '4 3' })]
          : []),
      ],
    });
    // One image named by its caption for assistive technology: Plot's per-mark aria-labels sit on plain <g>
    // elements, where axe reports them as prohibited (aria-prohibited-attr).
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', b.caption);
    for (const g of svg.querySelectorAll('g[aria-label]')) g.removeAttribute('aria-label');
    ref.current.replaceChildren(svg);
  }, [b]);
  return (
    <figure>
      <div ref={ref} data-testid={`chart-${b.id}`} />
      <figcaption className="note">{b.caption}</figcaption>
    </figure>
  );
}
