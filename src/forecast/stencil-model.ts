/** The fit shared by hotspotting and KDE: a space kernel and a time kernel are its parameters. */
import { spread, stencil } from '../geo';
import { DAY_MS, type Prepared } from './data';
import type { FittedRisk } from './model-family';

/**
 * Per-incident time weight wt(i), per-offset space weight ws(d).
 * Risk = Σ_i wt(i) ws(|cell(i) − k|). Hot path: time weights summed per cell first, then each
 * occupied cell spreads once through the truncated stencil: O(n + occupied cells × stencil).
 */
export function stencilModel(
  d: Prepared,
  asOf: number,
  radius: number,
  ws: (dist: number) => number,
  wt: (ageDays: number) => number,
  diagnostics: Record<string, number>,
): FittedRisk {
  const g = d.grid;
  const st = stencil(g, radius);
  const w = st.d.map(ws);
  const T = asOf / DAY_MS;
  const mass = new Float64Array(g.n);
  for (let i = 0; i < d.n; i++) {
    const v = wt(T - d.t[i]);
    if (v > 0) mass[d.cell[i]] += v;
  }
  const risk = spread(g, mass, st, w);
  return {
    asOf,
    diagnostics: { ...diagnostics, stencilCells: st.d.length },
    risk: () => risk.slice(),
    explain: (k) => {
      // O(stencil × incidents per nearby cell)
      const id = g.ids[k];
      const c0 = id % g.cols,
        r0 = (id - c0) / g.cols;
      const contributions: { i: number; value: number }[] = [];
      for (let s = 0; s < st.dc.length; s++) {
        const c = c0 - st.dc[s],
          r = r0 - st.dr[s];
        if (c < 0 || r < 0 || c >= g.cols || r >= g.rows) continue;
        const j = g.index[r * g.cols + c];
        if (j < 0) continue;
        for (let q = d.cellStart[j]; q < d.cellStart[j + 1]; q++) {
          const i = d.cellOrder[q];
          const v = wt(T - d.t[i]) * w[s];
          if (v > 0) contributions.push({ i, value: v });
        }
      }
      return { background: 0, contributions };
    },
  };
}
