/**
 * Fair patrol guidance on rolling backtests (issue 22). Prints one JSON object; never asserts timings.
 *   npx tsx bench/fair-backtest.ts [extraCandidates=600] [city=chicago|seoul]
 *
 * Every month of 2018–2019 (as-of the 1st; a window must end by the data's end), 7-day windows, 20 and 40
 * cells, default band 0.8–1.25: for each date the unconstrained plan and the plan within the band, both
 * audited by the place audit's own code path. Reports whether planner and audit agreed on every plan,
 * whether every estimable group was within the band on every date, expected and realised hits kept (mean
 * of per-date ratios with bootstrap 95% intervals over dates, and pooled), and the gap to the LP bound.
 */
import { chicagoDemo, planDate, seoulSynthetic, summariseKept, type DatePlans } from '../test/support/fair-backtest';

const extra = Number(process.argv[2] ?? 600);
const which = process.argv[3] ?? 'chicago';
const t0 = performance.now();
const city = which === 'seoul' ? seoulSynthetic() : await chicagoDemo();
const loadMs = performance.now() - t0;
const dates: string[] = [];
for (let y = 2018; y <= 2019; y++) for (let m = 1; m <= 12; m++) dates.push(`${y}-${String(m).padStart(2, '0')}-01`);
const runs: DatePlans[] = [];
const skipped: string[] = [];
const t1 = performance.now();
for (const d of dates) {
  try {
    runs.push(...planDate(city, d, [20, 40], [0.8, 1.25], extra));
  } catch (e) {
    skipped.push(`${d}: ${(e as Error).message}`);
  }
}
const planMs = performance.now() - t1;
const r3 = (x: number | null | undefined) => (x === null || x === undefined ? null : +x.toFixed(3));
const byBudget = [20, 40].map((budget) => {
  const rs = runs.filter((r) => r.budget === budget);
  const agree = rs.every((r) =>
    [
      [r.unconstrained, r.auditUnconstrained],
      [r.fair, r.auditFair],
    ].every(([p, a]) => {
      const plan = p as DatePlans['fair'],
        audit = a as DatePlans['auditFair'];
      return (
        audit.exposureModel.withinBand === plan.feasible &&
        [...plan.exposure.groups, ...plan.exposure.overlappingGroups].every((g) => {
          const x = audit.groups.find((y) => y.group === g.group)!;
          return x.verdict === g.verdict && Math.abs((x.exposureToVictimization ?? 0) - (g.ratio ?? 0)) < 1e-9;
        })
      );
    }),
  );
  const ratios = (p: 'unconstrained' | 'fair') =>
    Object.fromEntries(
      rs[0][p].exposure.groups.concat(rs[0][p].exposure.overlappingGroups).map((g) => {
        const v = rs.map(
          (r) =>
            [...r[p].exposure.groups, ...r[p].exposure.overlappingGroups].find((x) => x.group === g.group)!.ratio ?? 0,
        );
        const small = rs.filter(
          (r) =>
            ![...r[p].exposure.groups, ...r[p].exposure.overlappingGroups].find((x) => x.group === g.group)!.estimable,
        ).length;
        return [g.group + (small ? ` (small on ${small} dates)` : ''), [r3(Math.min(...v)), r3(Math.max(...v))]];
      }),
    );
  const e = summariseKept(
    rs.map((r) => r.fair.expectedHits),
    rs.map((r) => r.unconstrained.expectedHits),
  );
  const re = summariseKept(
    rs.map((r) => r.fair.realisedHits!),
    rs.map((r) => r.unconstrained.realisedHits!),
  );
  const gaps = rs.map((r) => r.fair.gap ?? NaN).filter(Number.isFinite);
  return {
    budget,
    dates: rs.length,
    plannerAndAuditAgreeOnEveryPlan: agree,
    datesWithinBand: rs.filter((r) => r.fair.feasible).length,
    unconstrainedWithinBand: rs.filter((r) => r.unconstrained.feasible).length,
    ratioRangeUnconstrained: ratios('unconstrained'),
    ratioRangeFair: ratios('fair'),
    expectedHitsKept: e && { mean: r3(e.mean), ci95: e.ci95.map(r3), pooled: r3(e.pooled) },
    realisedHitsKept: re && { mean: r3(re.mean), ci95: re.ci95.map(r3), pooled: r3(re.pooled), dates: re.dates },
    meanCost: { expected: r3(e ? 1 - e.mean : null), realised: r3(re ? 1 - re.mean : null) },
    gapToLpBound: { mean: r3(gaps.reduce((a, b) => a + b, 0) / Math.max(1, gaps.length)), max: r3(Math.max(...gaps)) },
  };
});
console.log(
  JSON.stringify(
    {
      bench: 'fair-backtest',
      city: city.name,
      candidates: `hotspots + ${extra}`,
      window: '7d',
      band: [0.8, 1.25],
      model: `kde:gaussian:${city.cellSize}:365`,
      victimization:
        'citizen-reported incidents in the 365 days before each as-of date, attributed by area composition',
      smallGroupRule: runs[0]?.basis.rule,
      dates: { from: dates[0], to: dates.at(-1), planned: runs.length / 2, skipped },
      byBudget,
      loadMs: Math.round(loadMs),
      planMs: Math.round(planMs),
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    },
    null,
    2,
  ),
);
