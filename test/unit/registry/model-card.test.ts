import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/domain/errors';
import { modelCardFromBacktest, modelCardFromVendor } from '../../../src/registry/model-card';

describe('model cards', () => {
  const sys = { id: 'forecaster', version: '0.3.0' };
  it('from a backtest summary: chosen model metrics with intervals and the baseline', () => {
    const c = modelCardFromBacktest(
      sys,
      {
        models: ['kde', 'all-history counts'],
        baselineModel: 'all-history counts',
        metrics: [
          { model: 'kde', window: 'week', metric: 'PAI', value: 4.2, interval: [3.1, 5.0], origins: 12 },
          { model: 'all-history counts', window: 'week', metric: 'PAI', value: 3.0, interval: [2.2, 3.9] },
        ],
        dataSnapshotHash: 'a'.repeat(64),
        dataDescription: 'NIJ Portland calls for service',
        config: { cellFt: 250 },
        codeVersion: 'abc123',
        seed: 7,
        limitations: ['12 origins only'],
      },
      '2026-06-01T00:00:00Z',
      'time-weighted KDE on a 250-ft grid',
    );
    expect(c.metrics).toEqual([
      {
        name: 'PAI (week)',
        value: 4.2,
        interval: [3.1, 5.0],
        level: 0.95,
        dataset: 'rolling-origin backtest, 12 origins',
        baseline: 3.0,
      },
    ]);
    expect(c.limitations).toContain('no subgroup results yet: run a bias audit before approval');
    expect(c.provenance).toEqual({ config: { cellFt: 250 }, codeVersion: 'abc123', seed: 7 });
  });
  it('from a vendor: validated, and says what is unknown', () => {
    const c = modelCardFromVendor(
      sys,
      {
        model: { name: 'v', version: '1', method: 'CNN' },
        intendedUse: 'x',
        data: { description: 'd' },
        metrics: [{ name: 'recall', value: 0.9 }],
        limitations: ['night'],
      },
      '2026-06-01T00:00:00Z',
    );
    expect(c.limitations).toEqual([
      'night',
      'some metrics were supplied without intervals; their uncertainty is unknown',
      'no subgroup results yet: run a bias audit before approval',
      'supplied by the vendor and not reproduced by Counterweight',
    ]);
    expect(() =>
      modelCardFromVendor(
        sys,
        {
          model: { name: 'v', version: '1', method: 'CNN' },
          intendedUse: 'x',
          data: { description: 'd' },
          metrics: [{ name: 'r', value: 1, interval: [2, 1] }],
          limitations: ['x'],
        },
        'now',
      ),
    ).toThrow(InputError);
  });
});
