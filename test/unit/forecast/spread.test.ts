// Kernel spreading is the forecaster's hot loop (KDE, hotspotting, the learned model's risk map). Its
// padded-lattice form must give, bit for bit, what a direct scatter onto the kept cells gives.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildGrid, spread, stencil, type Grid } from '../../../src/geo/grid';

// Irregular jurisdiction (a notched pentagon) of unit cells: kept cells, trimmed cells and holes in the lattice.
const grid = buildGrid(
  [
    [
      [
        [0, 0],
        [40, 0],
        [40, 18],
        [22, 30],
        [20, 12],
        [14, 30],
        [0, 25],
        [0, 0],
      ],
    ],
  ],
  { cellSize: 1 },
);

function scatter(g: Grid, mass: Float64Array, st: ReturnType<typeof stencil>, w: Float64Array): Float64Array {
  const out = new Float64Array(g.n);
  for (let k = 0; k < g.n; k++) {
    if (mass[k] === 0) continue;
    const c0 = g.ids[k] % g.cols,
      r0 = Math.floor(g.ids[k] / g.cols);
    for (let i = 0; i < st.dc.length; i++) {
      const c = c0 + st.dc[i],
        r = r0 + st.dr[i];
      if (c < 0 || r < 0 || c >= g.cols || r >= g.rows) continue;
      const j = g.index[r * g.cols + c];
      if (j >= 0) out[j] += mass[k] * w[i];
    }
  }
  return out;
}

describe('spread', () => {
  it('equals a direct scatter bit for bit (random sparse masses, radii 0–9 cells)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(grid.n - 1), fc.double({ min: 1e-6, max: 50, noNaN: true })), { maxLength: 120 }),
        fc.double({ min: 0, max: 9, noNaN: true }),
        (points, radius) => {
          const mass = new Float64Array(grid.n);
          for (const [k, v] of points) mass[k] += v;
          const st = stencil(grid, radius);
          const w = st.d.map((r) => Math.exp(-r * r * 0.3));
          expect(Array.from(spread(grid, mass, st, w))).toEqual(Array.from(scatter(grid, mass, st, w)));
        },
      ),
      { numRuns: 200, seed: 3 },
    );
  });

  it('adds to the array it is given', () => {
    const mass = new Float64Array(grid.n);
    mass[5] = 2;
    const st = stencil(grid, 1.5);
    const w = st.d.map(() => 1);
    const base = new Float64Array(grid.n).fill(1);
    const out = spread(grid, mass, st, w, base);
    expect(out).toBe(base);
    expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(grid.n + 2 * st.dc.length - 2 * missing(5, st), 9);
  });
});

/** Stencil offsets from cell k that fall off the kept cells. */
function missing(k: number, st: ReturnType<typeof stencil>): number {
  const c0 = grid.ids[k] % grid.cols,
    r0 = Math.floor(grid.ids[k] / grid.cols);
  let m = 0;
  for (let i = 0; i < st.dc.length; i++) {
    const c = c0 + st.dc[i],
      r = r0 + st.dr[i];
    if (c < 0 || r < 0 || c >= grid.cols || r >= grid.rows || grid.index[r * grid.cols + c] < 0) m++;
  }
  return m;
}
