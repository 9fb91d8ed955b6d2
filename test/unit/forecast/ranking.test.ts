// The hotspot selection ranks only the cells it needs (issue 18 item 5): its result must be the one a
// full seeded sort of every cell gives, ties and trimmed boundary cells included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rankCells, selectHotspots, topCells, type AreaConstraint } from '../../../src/forecast/evaluation';
import { prng } from '../../../src/forecast/random';
import { buildGrid, type Grid } from '../../../src/geo/grid';

// A triangle over a 120 × 80 lattice of unit cells (4,840 kept): full cells inside, ~200 trimmed along the
// slope; large enough that the selection reads a prefix of the ranking, not all of it.
const grid = buildGrid(
  [
    [
      [
        [0, 0],
        [120, 0],
        [0, 80],
        [0, 0],
      ],
    ],
  ],
  { cellSize: 1 },
);

/** The selection as it was written before: every cell sorted by (risk desc, seeded tie, index). */
function referenceOrder(risk: Float64Array, seed: number): number[] {
  const rnd = prng(seed);
  const tie = Array.from(risk, () => rnd());
  return Array.from(risk.keys()).sort((a, b) => risk[b] - risk[a] || tie[a] - tie[b] || a - b);
}

function referenceSelect(g: Grid, risk: Float64Array, c: AreaConstraint, seed: number): number[] {
  const order = referenceOrder(risk, seed);
  if (c.exact) {
    const full = g.cellSize * g.cellHeight;
    const eps = 1e-9 * c.minArea;
    const cells: number[] = [];
    let area = 0;
    for (const k of order) {
      if (area >= c.minArea - eps) break;
      if (Math.abs(g.areas[k] - full) > 1e-9 * full || area + full > c.minArea + eps) continue;
      cells.push(k);
      area += full;
    }
    if (Math.abs(area - c.minArea) <= eps && area <= c.maxArea + eps) return cells;
  }
  const cells: number[] = [];
  let area = 0;
  for (const k of order) {
    if (area >= c.minArea) break;
    if (area + g.areas[k] > c.maxArea) continue;
    cells.push(k);
    area += g.areas[k];
  }
  return cells;
}

// Risks with many ties (a few levels, zeros of both signs) so that the seeded tie-break decides.
const risks = fc
  .array(fc.constantFrom(0, -0, 0.5, 1, 1, 2, 3, 1e-300, 7.25), { minLength: grid.n, maxLength: grid.n })
  .map((a) => Float64Array.from(a));

describe('ranking only the top cells gives the full sort’s answer', () => {
  it('topCells(k) is the first k of rankCells, for every k, with ties', () => {
    fc.assert(
      fc.property(risks, fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 1500 }), (r, seed, k) => {
        const full = Array.from(rankCells(r, seed));
        expect(full).toEqual(referenceOrder(r, seed));
        expect(Array.from(topCells(r, seed, k))).toEqual(full.slice(0, k));
      }),
      { numRuns: 150, seed: 11 },
    );
  });

  it('selectHotspots equals the full-sort selection: area bounds, trimmed cells, exact areas', () => {
    fc.assert(
      fc.property(
        risks,
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.double({ min: 0.5, max: 290, noNaN: true }),
        fc.double({ min: 0, max: 20, noNaN: true }),
        fc.boolean(),
        (r, seed, minArea, extra, exact) => {
          const c = { minArea, maxArea: minArea + extra, exact };
          const hot = selectHotspots(grid, r, c, seed);
          expect(hot.cells).toEqual(referenceSelect(grid, r, c, seed));
          expect(hot.area).toBeCloseTo(
            hot.cells.reduce((s, k) => s + grid.areas[k], 0),
            9,
          );
        },
      ),
      { numRuns: 300, seed: 12 },
    );
  });

  it('exact whole-cell areas reach deep into the ranking when the top cells are trimmed', () => {
    // every trimmed boundary cell outranks every full cell: the selection must skip all of them
    const r = Float64Array.from(grid.areas, (a) => (a < 1 ? 10 : 1));
    for (const seed of [1, 2, 3]) {
      const c = { minArea: 150, maxArea: 150, exact: true };
      expect(selectHotspots(grid, r, c, seed).cells).toEqual(referenceSelect(grid, r, c, seed));
    }
  });

  it('non-finite risks (NaN) still give the full sort’s order', () => {
    const r = Float64Array.from({ length: grid.n }, (_, k) => (k % 7 === 0 ? NaN : k % 5));
    expect(Array.from(topCells(r, 3, 40))).toEqual(Array.from(rankCells(r, 3)).slice(0, 40));
  });
});
