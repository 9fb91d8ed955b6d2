/** Time-weighted KDE: spatial kernel (Gaussian σ = bandwidth, or quartic radius = bandwidth) × 2^(−age/halfLife). */
import { InputError } from '../../domain/errors';
import { msg } from '../../domain/messages';
import type { ModelFamily } from '../model-family';
import { stencilModel } from '../stencil-model';

export interface KdeParams {
  model: 'kde';
  kernel?: 'gaussian' | 'quartic';
  bandwidth: number;
  halfLifeDays: number;
}

export const kde: ModelFamily<KdeParams> = {
  names: ['kde'],
  syntax: ['kde:gaussian|quartic:BANDWIDTH:HALFLIFE'],
  parse(_name, a, h) {
    if (a[0] !== 'gaussian' && a[0] !== 'quartic') return h.bad('kernel', 'gaussian or quartic', String(a[0]));
    return {
      model: 'kde',
      kernel: a[0],
      bandwidth: h.len(a[1], 'bandwidth'),
      halfLifeDays: h.num(a[2], 'halfLifeDays', 365),
    };
  },
  describe: (p) =>
    msg(p.kernel === 'quartic' ? 'model.kdeQuartic' : 'model.kdeGaussian', {
      bandwidth: p.bandwidth,
      halfLife: p.halfLifeDays,
    }),
  validate(p, h) {
    h.positive(p.bandwidth, 'bandwidth');
    h.positive(p.halfLifeDays, 'halfLifeDays');
    if (p.kernel !== undefined && p.kernel !== 'gaussian' && p.kernel !== 'quartic')
      throw new InputError(msg('forecast.kdeKernel'), [
        { field: 'params.kernel', expected: "'gaussian' | 'quartic'", got: String(p.kernel) },
      ]);
  },
  autoCandidates: (cellSize) => [
    { params: { model: 'kde', kernel: 'gaussian', bandwidth: cellSize, halfLifeDays: 365 } },
    { params: { model: 'kde', kernel: 'gaussian', bandwidth: cellSize, halfLifeDays: 1000 } },
    { params: { model: 'kde', kernel: 'gaussian', bandwidth: 0.5 * cellSize, halfLifeDays: 730 } },
    { params: { model: 'kde', kernel: 'quartic', bandwidth: 3 * cellSize, halfLifeDays: 730 } },
  ],
  fit(d, asOf, p) {
    const h = p.bandwidth;
    const quartic = p.kernel === 'quartic';
    const radius = quartic ? h : 3 * h;
    const ws = quartic
      ? (r: number) => (r < h ? (1 - (r * r) / (h * h)) ** 2 : 0)
      : (r: number) => Math.exp(-(r * r) / (2 * h * h));
    const lambda = Math.LN2 / p.halfLifeDays;
    return stencilModel(d, asOf, radius, ws, (age) => Math.exp(-lambda * age), {});
  },
};
