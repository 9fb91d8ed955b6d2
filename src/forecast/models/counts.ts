/** Naive counts: all history (days omitted) or the last `days` days. */
import { DAY_MS } from '../data';
import type { ModelFamily } from '../model-family';
import { msg } from '../../domain/messages';

export interface CountsParams {
  model: 'counts';
  days?: number;
}

export const counts: ModelFamily<CountsParams> = {
  names: ['counts'],
  syntax: ['counts[:DAYS]'],
  parse: (_name, a, h) => (a[0] ? { model: 'counts', days: h.num(a[0], 'days') } : { model: 'counts' }),
  describe: (p) => (p.days ? msg('model.countsDays', { days: p.days }) : msg('model.countsAll')),
  validate: (p, h) => h.positive(p.days, 'days', true),
  autoCandidates: () => [
    { params: { model: 'counts' } },
    { params: { model: 'counts', days: 365 } },
    { params: { model: 'counts', days: 730 } },
  ],
  /** O(n + cells). */
  fit(d, asOf, p) {
    const since = p.days ? asOf / DAY_MS - p.days : -Infinity;
    const risk = new Float64Array(d.grid.n);
    for (let i = 0; i < d.n; i++) if (d.t[i] >= since) risk[d.cell[i]] += 1;
    return {
      asOf,
      diagnostics: { incidents: d.n },
      risk: () => risk.slice(),
      explain: (k) => {
        const contributions: { i: number; value: number }[] = [];
        for (let q = d.cellStart[k]; q < d.cellStart[k + 1]; q++) {
          const i = d.cellOrder[q];
          if (d.t[i] >= since) contributions.push({ i, value: 1 });
        }
        return { background: 0, contributions };
      },
    };
  },
};
