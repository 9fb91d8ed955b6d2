/**
 * Issue 22 "done when", on a small but real subset: rolling backtests on the bundled Chicago demo (3 as-of
 * dates, 7-day windows, 20 and 40 cells) and on a Seoul-shaped city (real districts and residents, registered
 * foreigners and residents aged 65+ as groups; synthetic incident points at real district rates). The full
 * run (every month of 2018–2019) is bench/fair-backtest.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  chicagoDemo,
  planDate,
  seoulSynthetic,
  summariseKept,
  type BacktestCity,
  type DatePlans,
} from '../../support/fair-backtest';

const BAND: [number, number] = [0.8, 1.25];

function checkAgreementAndBand(runs: DatePlans[]) {
  for (const r of runs) {
    // (a) planner and audit agree on every plan: same ratio for every group, same verdict, same pass/fail.
    for (const [plan, audit] of [
      [r.unconstrained, r.auditUnconstrained],
      [r.fair, r.auditFair],
    ] as const) {
      for (const g of [...plan.exposure.groups, ...plan.exposure.overlappingGroups]) {
        const a = audit.groups.find((x) => x.group === g.group)!;
        expect(a.exposureToVictimization, `${r.asOf} ${r.budget} ${g.group}`).toBeCloseTo(g.ratio!, 12);
        expect(a.verdict).toBe(g.verdict);
      }
      expect(audit.exposureModel.withinBand).toBe(plan.feasible);
    }
    // (b) with the default band, every estimable group's ratio, as the AUDIT computes it, is within 0.8–1.25.
    expect(r.fair.feasible, `${r.asOf} ${r.budget}: ${r.fair.exposure.worstDeviation}`).toBe(true);
    const estimable = r.auditFair.groups.filter((g) => g.estimable);
    expect(estimable.length).toBeGreaterThanOrEqual(2);
    for (const g of estimable) {
      expect(g.exposureToVictimization!).toBeGreaterThanOrEqual(BAND[0] - 1e-9);
      expect(g.exposureToVictimization!).toBeLessThanOrEqual(BAND[1] + 1e-9);
    }
    // Overlapping groups are reported apart, and the small-group rule is stated.
    expect(r.auditFair.exposureModel.rule).toEqual({ minResidents: 1000, minVictimization: 30 });
    // Cost in hits, never above 1 in expectation; near the exact frontier (LP bound).
    expect(r.fair.expectedHitsKept).toBeLessThanOrEqual(1 + 1e-12);
    expect(r.fair.upperBound!).toBeGreaterThanOrEqual(r.fair.expectedHits - 1e-9);
    expect(r.fair.gap!).toBeLessThan(0.05);
  }
}

function keptReport(runs: DatePlans[]) {
  const out: Record<string, unknown> = {};
  for (const budget of [20, 40]) {
    const rs = runs.filter((r) => r.budget === budget);
    const expected = summariseKept(
      rs.map((r) => r.fair.expectedHits),
      rs.map((r) => r.unconstrained.expectedHits),
    );
    const realised = summariseKept(
      rs.map((r) => r.fair.realisedHits!),
      rs.map((r) => r.unconstrained.realisedHits!),
    );
    // (c) realised hits kept are reported with intervals.
    expect(expected).not.toBeNull();
    expect(expected!.mean).toBeLessThanOrEqual(1);
    for (const s of [expected!, ...(realised ? [realised] : [])]) {
      expect(s.ci95[0]).toBeLessThanOrEqual(s.mean + 1e-12);
      expect(s.ci95[1]).toBeGreaterThanOrEqual(s.mean - 1e-12);
    }
    out[`${budget} cells`] = { expected, realised };
  }
  return out;
}

describe('fair patrol guidance on rolling backtests: one definition for planner and audit', () => {
  let chicago: BacktestCity;
  beforeAll(async () => {
    chicago = await chicagoDemo();
  }, 240_000);

  it('Chicago demo, 3 dates × 20 and 40 cells: planner and audit agree, every estimable group within 0.8–1.25, hits kept with intervals', () => {
    const runs = ['2018-03-01', '2018-09-01', '2019-06-01'].flatMap((d) => planDate(chicago, d, [20, 40], BAND, 600));
    expect(runs).toHaveLength(6);
    // The unconstrained plans are outside the band on these dates (the reason for the bound).
    expect(runs.every((r) => !r.unconstrained.feasible)).toBe(true);
    checkAgreementAndBand(runs);
    // Hispanic (any race) is declared overlapping: reported apart and bound like the others.
    expect(runs[0].auditFair.overlappingGroups).toEqual(['hispanic']);
    console.log(JSON.stringify({ city: 'chicago-demo', kept: keptReport(runs) }));
  }, 240_000);

  it('refuses a window that ends after the data', () => {
    expect(() => planDate(chicago, '2019-12-01', [20])).toThrow(/ends after the data/);
  });

  it('Seoul-shaped city, registered foreigners and residents aged 65+: the same runs hold', () => {
    const seoul = seoulSynthetic();
    const runs = ['2019-03-01', '2019-09-01'].flatMap((d) => planDate(seoul, d, [20, 40], BAND, 600));
    checkAgreementAndBand(runs);
    expect(runs[0].auditFair.overlappingGroups).toEqual(['age65plus']);
    expect(runs[0].auditFair.groups.find((g) => g.group === 'foreign')!.estimable).toBe(true);
    console.log(JSON.stringify({ city: 'seoul-synthetic', kept: keptReport(runs) }));
  }, 240_000);
});
