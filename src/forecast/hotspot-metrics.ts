/**
 * NIJ-style evaluation: choose hotspot cells by risk until the hotspot area reaches the minimum (never
 * above the maximum), then PAI = (n/N)/(a/A) and PEI = n/n*, n* being the most events any cells of the
 * same area could have caught (cells by observed count). Ties are broken by a seeded random order, so a
 * run is reproducible. O(cells log cells).
 */
import type { Grid } from '../geo/square-grid';
import { prng } from './random';

// One seeded PRNG and one bootstrap for the whole forecaster (random.ts, evaluation.ts).
export { prng } from './random';
export { bootstrapMean } from './evaluation';

export function selectHotspots(g: Grid, score: Float64Array, areaMin: number, areaMax: number, seed: number): { cells: number[]; area: number } {
  const rnd = prng(seed);
  const tie = new Float64Array(score.length).map(() => rnd());
  const order = Array.from(score.keys()).sort((a, b) => score[b] - score[a] || tie[a] - tie[b]);
  const cells: number[] = [];
  let area = 0;
  for (const k of order) {
    if (area >= areaMin) break;
    if (area + g.areas[k] > areaMax) continue;
    cells.push(k);
    area += g.areas[k];
  }
  return { cells, area };
}

export interface Evaluation { n: number; N: number; a: number; A: number; pai: number; nStar: number; pei: number; hitRate: number }

export function evaluate(g: Grid, selected: { cells: number[]; area: number }, observed: Float64Array, areaMax: number, seed: number): Evaluation {
  const N = observed.reduce((s, x) => s + x, 0);
  const n = selected.cells.reduce((s, k) => s + observed[k], 0);
  const best = selectHotspots(g, observed, selected.area, Math.min(areaMax, selected.area + 1e-9), seed + 1);
  const nStar = best.cells.reduce((s, k) => s + observed[k], 0);
  const A = g.totalArea;
  return { n, N, a: selected.area, A, pai: N ? n / N / (selected.area / A) : 0, nStar, pei: nStar ? n / nStar : 0, hitRate: N ? n / N : 0 };
}

export function observedCounts(g: Grid, cells: number[]): Float64Array {
  const o = new Float64Array(g.ids.length);
  for (const c of cells) if (c >= 0) o[c] += 1;
  return o;
}
