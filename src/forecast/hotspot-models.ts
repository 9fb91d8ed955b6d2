/**
 * Baseline hotspot models on a square grid. Each maps training events (cell, time in ms, strictly
 * before the forecast origin) to a risk per kept cell. Citizen-reported events only, unless the
 * caller's data policy says otherwise (the policy lives with the run, see run-config.ts).
 */
import type { Grid } from '../geo/square-grid';

export interface GridEvent { cell: number; t: number; id?: string }
export type ModelName = 'naive' | 'recent' | 'bjp' | 'kde';
export interface ModelParams { name: ModelName; days?: number; bandwidthCells?: number; weeks?: number; halfLifeDays?: number }

const DAY = 86_400_000;

/** Naive counts over all history, or the last `days` ('recent'). O(events + cells). */
function counts(g: Grid, ev: GridEvent[], origin: number, days?: number): Float64Array {
  const risk = new Float64Array(g.ids.length);
  const since = days ? origin - days * DAY : -Infinity;
  for (const e of ev) if (e.cell >= 0 && e.t < origin && e.t >= since) risk[e.cell] += 1;
  return risk;
}

/**
 * Prospective hotspotting (Bowers, Johnson & Pease 2004): each event within the last `weeks` adds
 * 1/(1 + distance in cells) × 1/(1 + age in weeks) to every cell within `bandwidthCells`.
 * O(recent events × (2b+1)²).
 */
function bjp(g: Grid, ev: GridEvent[], origin: number, b: number, weeks: number): Float64Array {
  const risk = new Float64Array(g.ids.length);
  const since = origin - weeks * 7 * DAY;
  for (const e of ev) {
    if (e.cell < 0 || e.t >= origin || e.t < since) continue;
    const ageW = Math.floor((origin - e.t) / (7 * DAY));
    const id = g.ids[e.cell];
    const r0 = Math.floor(id / g.cols);
    const c0 = id % g.cols;
    for (let dr = -b; dr <= b; dr++) for (let dc = -b; dc <= b; dc++) {
      const r = r0 + dr;
      const c = c0 + dc;
      if (r < 0 || c < 0 || r >= g.rows || c >= g.cols) continue;
      const k = g.index[r * g.cols + c];
      const d = Math.hypot(dr, dc);
      if (k >= 0 && d <= b) risk[k] += 1 / (1 + d) / (1 + ageW);
    }
  }
  return risk;
}

/**
 * Time-weighted kernel density: Gaussian in space (bandwidth in cells, truncated where the weight is
 * below 1e-4) × exponential decay in time. The decayed weights are first summed per cell, then each
 * occupied cell spreads its kernel once: O(events + occupied cells × stencil), the same result as
 * spreading every event.
 */
function kde(g: Grid, ev: GridEvent[], origin: number, sigma: number, halfLifeDays: number): Float64Array {
  const reach = Math.ceil(3 * sigma);
  const lambda = Math.LN2 / (halfLifeDays * DAY);
  const stencil: [number, number, number][] = [];
  for (let dr = -reach; dr <= reach; dr++) for (let dc = -reach; dc <= reach; dc++) {
    const w = Math.exp(-(dr * dr + dc * dc) / (2 * sigma * sigma));
    if (w > 1e-4) stencil.push([dr, dc, w]);
  }
  const mass = new Float64Array(g.ids.length);
  for (const e of ev) {
    if (e.cell < 0 || e.t >= origin) continue;
    mass[e.cell] += Math.exp(-lambda * (origin - e.t));
  }
  const risk = new Float64Array(g.ids.length);
  for (let k = 0; k < mass.length; k++) {
    const m = mass[k];
    if (m < 1e-9) continue;
    const id = g.ids[k];
    const r0 = Math.floor(id / g.cols);
    const c0 = id % g.cols;
    for (const [dr, dc, w] of stencil) {
      const r = r0 + dr;
      const c = c0 + dc;
      if (r < 0 || c < 0 || r >= g.rows || c >= g.cols) continue;
      const j = g.index[r * g.cols + c];
      if (j >= 0) risk[j] += w * m;
    }
  }
  return risk;
}

export function runModel(g: Grid, ev: GridEvent[], origin: number, p: ModelParams): Float64Array {
  switch (p.name) {
    case 'naive': return counts(g, ev, origin);
    case 'recent': return counts(g, ev, origin, p.days ?? 365);
    case 'bjp': return bjp(g, ev, origin, p.bandwidthCells ?? 2, p.weeks ?? 8);
    case 'kde': return kde(g, ev, origin, p.bandwidthCells ?? 1.5, p.halfLifeDays ?? 180);
  }
}

export function describeModel(p: ModelParams): string {
  switch (p.name) {
    case 'naive': return 'all-history counts';
    case 'recent': return `counts over the last ${p.days ?? 365} days`;
    case 'bjp': return `prospective hotspotting (bandwidth ${p.bandwidthCells ?? 2} cells, ${p.weeks ?? 8} weeks)`;
    case 'kde': return `time-weighted KDE (σ ${p.bandwidthCells ?? 1.5} cells, half-life ${p.halfLifeDays ?? 180} days)`;
  }
}

/** The default candidates `auto` chooses among by backtest. */
export const CANDIDATES: ModelParams[] = [
  { name: 'naive' },
  { name: 'recent', days: 365 },
  { name: 'recent', days: 730 },
  { name: 'bjp', bandwidthCells: 2, weeks: 8 },
  { name: 'kde', bandwidthCells: 1, halfLifeDays: 365 },
  { name: 'kde', bandwidthCells: 2, halfLifeDays: 365 },
  { name: 'kde', bandwidthCells: 1, halfLifeDays: 730 },
];
