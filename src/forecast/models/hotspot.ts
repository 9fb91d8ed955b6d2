/**
 * Hotspotting. Prospective (Bowers, Johnson & Pease 2004): 1/(1 + distance band) × 1/(1 + age in weeks);
 * retrospective: 1/(1 + distance band) for incidents in the last `weeks` weeks, no time decay.
 */
import type { ModelFamily } from '../model-family';
import { stencilModel } from '../stencil-model';
import { msg } from '../../domain/messages';

export interface HotspotParams {
  model: 'retrospective' | 'prospective';
  bandwidth: number;
  weeks: number;
  band?: number;
}

export const hotspot: ModelFamily<HotspotParams> = {
  names: ['prospective', 'retrospective'],
  syntax: ['prospective:RADIUS:WEEKS', 'retrospective:RADIUS:WEEKS'],
  parse: (name, a, h) => ({
    model: name,
    bandwidth: h.len(a[0], 'radius'),
    weeks: h.num(a[1], 'weeks', name === 'prospective' ? 8 : 52),
  }),
  describe: (p) =>
    msg(p.model === 'prospective' ? 'model.prospective' : 'model.retrospective', {
      radius: p.bandwidth,
      weeks: p.weeks,
    }),
  validate(p, h) {
    h.positive(p.bandwidth, 'bandwidth');
    h.positive(p.weeks, 'weeks');
    h.positive(p.band, 'band', true);
  },
  autoCandidates: (cellSize) => [
    { params: { model: 'prospective', bandwidth: 2 * cellSize, weeks: 8 } },
    { params: { model: 'retrospective', bandwidth: 2 * cellSize, weeks: 52 } },
  ],
  fit(d, asOf, p) {
    const band = p.band ?? d.grid.cellSize;
    const ws = (dist: number) => 1 / (1 + Math.floor(dist / band + 1e-9));
    const wt =
      p.model === 'prospective'
        ? (age: number) => (age <= p.weeks * 7 ? 1 / (1 + Math.floor(age / 7)) : 0)
        : (age: number) => (age <= p.weeks * 7 ? 1 : 0);
    return stencilModel(d, asOf, p.bandwidth, ws, wt, { band });
  },
};
