import { describe, expect, it } from 'vitest';
import {
  disparityCheck,
  driftCheck,
  evaluateMonitors,
  monitorSeries,
  overrideCheck,
  psiCheck,
} from '../../../src/fairness/monitor-checks';
import { wilson } from '../../../src/fairness/stats';

describe('monitor primitives (hand-computed)', () => {
  it('disparity: an effect beyond the ratio AND a significant test', () => {
    // A 60/200 = 0.30, B 30/200 = 0.15: ratio 2; pooled 0.225, se = √(0.225·0.775·0.01) = 0.041758, z = 3.592.
    const d = disparityCheck([
      { group: 'A', events: 60, trials: 200 },
      { group: 'B', events: 30, trials: 200 },
    ]);
    expect(d.status).toBe('breach');
    expect(d.statistic).toBeCloseTo(2, 12);
    expect(d.test!.statistic!).toBeCloseTo(3.592, 3);
    expect(d.summary).toMatch(/A 30.0% vs B 15.0%: ratio 2.00/);
    // The same ratio on 20 people each: too few for a verdict at 30, and not significant (Fisher) at 10.
    const small = [
      { group: 'A', events: 6, trials: 20 },
      { group: 'B', events: 3, trials: 20 },
    ];
    expect(disparityCheck(small).status).toBe('insufficient-data');
    const s10 = disparityCheck(small, { minTrials: 10 });
    expect(s10.test!.method).toBe('fisher');
    expect(s10.status).toBe('ok');
    // Rows of the same group are pooled; a named reference compares everyone with it.
    const pooled = disparityCheck(
      [
        { group: 'A', events: 30, trials: 100 },
        { group: 'A', events: 30, trials: 100 },
        { group: 'B', events: 30, trials: 200 },
        { group: 'C', events: 31, trials: 200 },
      ],
      { reference: 'C' },
    );
    expect(pooled.evidence.find((e) => e.group === 'A')!.trials).toBe(200);
    expect(pooled.status).toBe('breach');
    expect(pooled.summary).toMatch(/^A .* vs C/);
  });

  it('drift against the approved backtest hit rate', () => {
    // 40/200 = 0.20 vs 300/1000 = 0.30: −33.3%; pooled 0.28333, se = 0.034905, z = −2.865.
    const d = driftCheck({ events: 40, trials: 200 }, { events: 300, trials: 1000 });
    expect(d.statistic).toBeCloseTo(-1 / 3, 12);
    expect(d.test!.statistic!).toBeCloseTo(-2.865, 3);
    expect(d.status).toBe('breach');
    // A rise is not a breach unless two-sided.
    expect(driftCheck({ events: 80, trials: 200 }, { events: 300, trials: 1000 }).status).toBe('ok');
    expect(driftCheck({ events: 80, trials: 200 }, { events: 300, trials: 1000 }, { twoSided: true }).status).toBe(
      'breach',
    );
    expect(driftCheck({ events: 2, trials: 10 }, { events: 300, trials: 1000 }).status).toBe('insufficient-data');
  });

  it('PSI and override rate', () => {
    const p = psiCheck({ a: 100, b: 100 }, { a: 50, b: 150 });
    expect(p.statistic).toBeCloseTo(0.274653, 6); // (−¼)·ln ½ + ¼·ln 1.5
    expect(p.status).toBe('breach');
    expect(psiCheck({ a: 10 }, { a: 10 }).status).toBe('insufficient-data');
    // 40/50 overridden: Wilson lower bound 0.6696 > 0.5 → breach; 18/30: lower bound 0.423 → ok.
    expect(wilson(40, 50)[0]).toBeCloseTo(0.6696, 3);
    expect(overrideCheck(40, 50).status).toBe('breach');
    expect(overrideCheck(18, 30).status).toBe('ok');
    expect(overrideCheck(5, 6).status).toBe('insufficient-data');
    expect(() => overrideCheck(7, 6)).toThrow(/0 ≤ events ≤ trials/);
  });

  it('series: a breach needs the configured number of consecutive windows', () => {
    const w = (window: string, a: number) => [
      { window, group: 'A', events: a, trials: 200 },
      { window, group: 'B', events: 30, trials: 200 },
    ];
    const rows = [...w('2026-01', 60), ...w('2026-02', 31), ...w('2026-03', 60), ...w('2026-04', 60)];
    expect(monitorSeries(rows).breachWindows).toEqual(['2026-03', '2026-04']);
    expect(monitorSeries(rows, { consecutive: 2 }).breached).toBe(true);
    expect(monitorSeries(rows, { consecutive: 3 }).breached).toBe(false);
  });

  it('evaluateMonitors writes an incident note with the evidence and no personal data', () => {
    const e = evaluateMonitors({
      system: 'sys-1',
      window: '2026-W05',
      disparity: {
        counts: [
          { group: 'area 25', events: 60, trials: 200 },
          { group: 'area 8', events: 30, trials: 200 },
        ],
        what: 'arrest rate per stop by area',
      },
      overrides: { overrides: 3, decisions: 40 },
    });
    expect(e.breached).toBe(true);
    expect(e.note.split('\n')[0]).toBe('BREACH: system sys-1, window 2026-W05.');
    expect(e.note).toMatch(/arrest rate per stop by area \[breach\]: area 25 30.0% vs area 8 15.0%/);
    expect(e.note).toMatch(/reviewer override rate \[ok\]/);
  });
});
