/**
 * Issue 22 item 4: the planner is at or near the exact efficient frontier. Reference: the exact 0-1 optimum of
 * the same instances (Chicago demo, 220 candidate cells, 20 cells, band 0.8–1.25, our definition), solved and
 * proven optimal by HiGHS (bench/fair-milp-check.py → bench/results/fair-milp-check-200.json).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { chicagoDemo, planDate, type BacktestCity } from '../../support/fair-backtest';

const exact = (
  JSON.parse(readFileSync('bench/results/fair-milp-check-200.json', 'utf8')) as {
    rows: { variant: string; asOf: string; budget: number; optimal: boolean; exactKept: number | null }[];
  }
).rows.filter((r) => r.variant === 'ours' && r.budget === 20 && r.optimal && r.asOf < '2019-09-01');

describe('the fair planner against the exact integer optimum', () => {
  let chicago: BacktestCity;
  beforeAll(async () => {
    chicago = await chicagoDemo();
  }, 240_000);

  it('keeps within 0.5% of the exact optimum where the band is reachable, never above it', () => {
    expect(exact.map((r) => r.asOf)).toEqual(['2018-01-01', '2018-04-01', '2018-07-01', '2018-10-01']);
    for (const e of exact) {
      const [r] = planDate(chicago, e.asOf, [20], [0.8, 1.25], 200);
      expect(r.candidates).toBe(220);
      expect(r.fair.feasible).toBe(true);
      // The exact value is rounded to 4 decimals in the record.
      expect(r.fair.expectedHitsKept, e.asOf).toBeLessThanOrEqual(e.exactKept! + 1e-4);
      expect(r.fair.expectedHitsKept, e.asOf).toBeGreaterThanOrEqual(e.exactKept! * 0.995);
    }
  }, 240_000);
});
