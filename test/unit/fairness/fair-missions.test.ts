import { describe, expect, it } from 'vitest';
import { cellsToAreaExposure, exposureBasis, groupExposure, type ExposureBasis } from '../../../src/fairness/exposure';
import { fairnessTradeoff, planFairMissions, planUnconstrained } from '../../../src/fairness/fair-missions';
import { seededRandom } from '../../../src/fairness/stats';

// Three areas: A only X residents, B only Y, C half and half. Victimization 10, 30, 20 → X is attributed
// 10 + 10 = 20 of 60 (share 1/3), Y 30 + 10 = 40 (2/3).
const basis = exposureBasis({
  areas: [
    { area: 'A', population: 100, residents: { X: 100, Y: 0 } },
    { area: 'B', population: 100, residents: { X: 0, Y: 100 } },
    { area: 'C', population: 100, residents: { X: 50, Y: 50 } },
  ],
  victimization: [10, 30, 20],
  rule: { minResidents: 10, minVictimization: 5 },
});
const toy = { risk: [5, 4, 3, 1, 2, 0.5], cellArea: [0, 0, 0, 1, 2, 1], basis, budget: 3 };

describe('fair missions: every estimable group within the audit band', () => {
  it('finds the hand-computed optimum of a toy city and judges it as the audit does', () => {
    const free = planUnconstrained(toy);
    expect(free.cells).toEqual([0, 1, 2]);
    // All three cells in A: X gets all exposure, ratio (3/3) ÷ (1/3) = 3; Y gets none.
    expect(free.exposure.groups.find((g) => g.group === 'X')!.ratio).toBeCloseTo(3, 12);
    expect(free.exposure.groups.find((g) => g.group === 'Y')!.ratio).toBe(0);
    expect(free.feasible).toBe(false);
    // Within [0.8, 1.25] X's exposure share must lie in [0.267, 0.417]: with 3 cells only one A cell and two B
    // cells do it (share 1/3, ratio exactly 1). Best: cells 0, 3, 5 with 5 + 1 + 0.5 = 6.5 of 12 expected hits.
    const p = planFairMissions(toy, 1.25);
    expect(p.band).toEqual([0.8, 1.25]);
    expect(p.cells).toEqual([0, 3, 5]);
    expect(p.feasible).toBe(true);
    expect(p.expectedHits).toBeCloseTo(6.5, 12);
    expect(p.expectedHitsKept).toBeCloseTo(6.5 / 12, 12);
    for (const g of p.exposure.groups) {
      expect(g.ratio).toBeCloseTo(1, 12);
      expect(g.verdict).toBe('pass');
    }
    expect(p.upperBound!).toBeGreaterThanOrEqual(6.5 - 1e-9);
    // Cell 3 ruled out (dosage cap): no plan of 3 reaches the band; the closest is returned and says so.
    const capped = planFairMissions({ ...toy, excluded: [3] }, 1.25);
    expect(capped.cells).not.toContain(3);
    expect(capped.feasible).toBe(false);
    expect(capped.exposure.worstDeviation).toBeGreaterThan(0);
  });

  it('reports realised hits kept from what happened, and never more expected hits than the top cells', () => {
    const p = planFairMissions({ ...toy, observed: [2, 0, 1, 1, 0, 1] }, 1.25);
    // Top cells 0, 1, 2 caught 3 incidents; cells 0, 3, 5 caught 4.
    expect(p.realisedHits).toBe(4);
    expect(p.realisedHitsKept).toBeCloseTo(4 / 3, 12);
    expect(p.expectedHitsKept).toBeLessThanOrEqual(1);
  });

  it('a small group is reported but does not bind; an overlapping group binds and is reported apart', () => {
    const b = exposureBasis({
      areas: [
        { area: 'A', population: 100, residents: { X: 95, Y: 0, Z: 5, O: 60 } },
        { area: 'B', population: 100, residents: { X: 0, Y: 100, Z: 0, O: 0 } },
      ],
      groups: [
        { id: 'X', label: { en: 'X', ko: 'X' }, overlapsOthers: false },
        { id: 'Y', label: { en: 'Y', ko: 'Y' }, overlapsOthers: false },
        { id: 'Z', label: { en: 'Z', ko: 'Z' }, overlapsOthers: false },
        { id: 'O', label: { en: 'O', ko: 'O' }, overlapsOthers: true },
      ],
      victimization: [50, 50],
      rule: { minResidents: 10, minVictimization: 5 },
    });
    expect(b.estimable).toEqual([true, true, false, true]);
    const p = planFairMissions({ risk: [3, 2.9, 1, 0.9], cellArea: [0, 0, 1, 1], basis: b, budget: 2 }, 1.25);
    expect(p.cells).toEqual([0, 2]); // one A cell, one B cell: O's ratio (0.6 / 2) ÷ (30 / 100) = 1
    expect(p.exposure.overlappingGroups.map((g) => g.group)).toEqual(['O']);
    expect(p.exposure.groups.find((g) => g.group === 'Z')!.verdict).toBe('insufficient-data');
    expect(p.exposure.groups.find((g) => g.group === 'Z')!.reason).toMatch(/small group: 5 residents/);
  });

  it('is at or near the exact optimum (brute force over every plan) on random cities, and its bound is a true upper bound', () => {
    const rnd = seededRandom(7);
    let exactFeasible = 0,
      foundFeasible = 0,
      keptSum = 0;
    for (let trial = 0; trial < 40; trial++) {
      const areas = Array.from({ length: 5 }, (_, a) => {
        const x = Math.round(rnd() * 900),
          y = Math.round(rnd() * 900),
          z = Math.round(rnd() * 300);
        return { area: String(a), population: x + y + z, residents: { x, y, z } };
      });
      const b: ExposureBasis = exposureBasis({
        areas,
        victimization: areas.map(() => Math.round(20 + rnd() * 80)),
        rule: { minResidents: 10, minVictimization: 5 },
      });
      const n = 12,
        budget = 4;
      const risk = Array.from({ length: n }, () => rnd() ** 2);
      const cellArea = Array.from({ length: n }, () => Math.floor(rnd() * 5));
      const p = planFairMissions({ risk, cellArea, basis: b, budget }, 1.25);
      let best = -Infinity;
      for (let m = 0; m < 1 << n; m++) {
        let bits = 0;
        for (let c = 0; c < n; c++) if (m & (1 << c)) bits++;
        if (bits !== budget) continue;
        const cells = Array.from({ length: n }, (_, c) => c).filter((c) => m & (1 << c));
        if (groupExposure(b, cellsToAreaExposure(cellArea, 5, cells).byArea).withinBand)
          best = Math.max(
            best,
            cells.reduce((s, c) => s + risk[c], 0),
          );
      }
      if (best > -Infinity) {
        exactFeasible++;
        if (p.feasible) {
          foundFeasible++;
          keptSum += p.expectedHits / best;
          expect(p.upperBound!).toBeGreaterThanOrEqual(best - 1e-9);
        }
      } else expect(p.feasible).toBe(false);
    }
    expect(exactFeasible).toBeGreaterThan(10);
    expect(foundFeasible).toBe(exactFeasible);
    expect(keptSum / foundFeasible).toBeGreaterThan(0.99);
  });

  it('the trade-off curve plans each bound exactly as a mission at that bound', () => {
    const c = fairnessTradeoff(toy, [2, 1.25]);
    expect(c.points.map((p) => p.band)).toEqual([
      [0.5, 2],
      [0.8, 1.25],
    ]);
    expect(c.points[1].cells).toEqual(planFairMissions(toy, 1.25).cells);
    expect(c.unconstrained.cells).toEqual([0, 1, 2]);
    expect(c.rule).toEqual({ minResidents: 10, minVictimization: 5 });
  });

  it('refuses bad input naming the field', () => {
    expect(() => planFairMissions({ ...toy, budget: 7 }, 1.25)).toThrow(/bad input/);
    expect(() => planFairMissions({ ...toy, cellArea: [0] }, 1.25)).toThrow(/bad input/);
    expect(() => planFairMissions(toy, 0.5)).toThrow(/≥ 1/);
    expect(() => planFairMissions(toy, [1.1, 2])).toThrow(/must contain 1/);
  });
});
