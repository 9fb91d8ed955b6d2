import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fairnessTradeoff, planFairMissions } from '../../../src/fairness/fair-missions';

/**
 * 4 cells, budget 2. risk [10, 9, 2, 1]; residents X [100, 100, 0, 100] (300), Y [0, 0, 100, 100] (200).
 * Pairs by hand (hits; exposure X, Y; disparity):
 *   {0,1} 19; 2/3, 0   ; ∞        {0,2} 12; 1/3, 1/2; 1.5     {0,3} 11; 2/3, 1/2; 1.333
 *   {1,2} 11; 1/3, 1/2; 1.5       {1,3} 10; 2/3, 1/2; 1.333   {2,3}  3; 1/3, 1  ; 3
 */
const toy = { risk: [10, 9, 2, 1], residents: { X: [100, 100, 0, 100], Y: [0, 0, 100, 100] }, budget: 2 };

describe('fairness-aware missions', () => {
  it('finds the best plan within each bound of the hand-worked example', () => {
    const free = planFairMissions(toy, Infinity);
    expect(free.cells).toEqual([0, 1]);
    expect(free.disparity).toBe(Infinity);
    expect(free.pai).toBeCloseTo((19 / 22) / (2 / 4), 12);
    const b2 = planFairMissions(toy, 2);
    expect(b2.cells).toEqual([0, 2]);
    expect(b2.expectedHits).toBe(12);
    expect(b2.disparity).toBeCloseTo(1.5, 12);
    expect(b2.paiKept).toBeCloseTo(12 / 19, 12);
    const b14 = planFairMissions(toy, 1.4);
    expect(b14.cells).toEqual([0, 3]);
    expect(b14.disparity).toBeCloseTo(4 / 3, 12);
    const b12 = planFairMissions(toy, 1.2);
    expect(b12.feasible).toBe(false); // no pair reaches 1.2: the best possible is 4/3, reported honestly
    expect(b12.disparity).toBeCloseTo(4 / 3, 12);
  });

  it('the trade-off curve: PAI given up for each bound, loose to tight', () => {
    const c = fairnessTradeoff(toy, [Infinity, 2, 1.4, 1.2]);
    expect(c.points.map((p) => p.bound)).toEqual([Infinity, 2, 1.4, 1.2]);
    expect(c.points.map((p) => p.expectedHits)).toEqual([19, 12, 11, 11]);
    expect(c.points.map((p) => p.feasible)).toEqual([true, true, true, false]);
    expect(c.definition).toMatch(/share of its residents/);
  });

  it('every feasible plan respects its bound and has exactly the budget of distinct cells (random cities)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), (seed) => {
      let s = seed;
      const r = () => ((s = (s * 16807) % 2147483647) / 2147483647);
      const n = 40;
      const risk = Array.from({ length: n }, () => r() * 10);
      const A = Array.from({ length: n }, () => Math.floor(r() * 100));
      const B = Array.from({ length: n }, (_, i) => Math.floor(r() * 100) + (i % 3 === 0 ? 200 : 0));
      const curve = fairnessTradeoff({ risk, residents: { A, B }, budget: 8 }, [Infinity, 2, 1.25]);
      for (const p of curve.points) {
        expect(new Set(p.cells).size).toBe(8);
        if (p.feasible) expect(p.disparity).toBeLessThanOrEqual(p.bound * (1 + 1e-9));
        expect(p.expectedHits).toBeLessThanOrEqual(curve.unconstrained.expectedHits + 1e-9);
      }
    }), { numRuns: 25 });
  });

  it('against brute force on 300 small random cities: optimal in ≥ 95% of them, never below 95% of the optimum', () => {
    let s = 7;
    const r = () => ((s = (s * 16807) % 2147483647) / 2147483647);
    let optimal = 0, cases = 0, worst = 1;
    for (let t = 0; t < 300; t++) {
      const n = 10;
      const risk = Array.from({ length: n }, () => r() * 10);
      const A = Array.from({ length: n }, () => Math.floor(r() * 100));
      const B = Array.from({ length: n }, (_, i) => Math.floor(r() * 100) + (i < 3 ? 200 : 0));
      const tA = A.reduce((a, b) => a + b, 0);
      const tB = B.reduce((a, b) => a + b, 0);
      let best = -1;
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) for (let l = j + 1; l < n; l++) {
        const ea = (A[i] + A[j] + A[l]) / tA;
        const eb = (B[i] + B[j] + B[l]) / tB;
        if (Math.max(ea, eb) / Math.min(ea, eb) <= 1.3) best = Math.max(best, risk[i] + risk[j] + risk[l]);
      }
      if (best < 0) continue;
      const p = planFairMissions({ risk, residents: { A, B }, budget: 3 }, 1.3);
      cases++;
      expect(p.feasible).toBe(true);
      worst = Math.min(worst, p.expectedHits / best);
      if (p.expectedHits >= best - 1e-9) optimal++;
    }
    expect(cases).toBe(300);
    expect(optimal / cases).toBeGreaterThanOrEqual(0.95); // 289 of 300 when written
    expect(worst).toBeGreaterThan(0.95); // 0.956 when written
  });

  it('rejects bad input with the field named', () => {
    expect(() => planFairMissions({ ...toy, budget: 5 }, 2)).toThrow(/bad input/);
    expect(() => planFairMissions({ ...toy, residents: { X: [1, 1, 1, 1] } }, 2)).toThrow(/at least two groups/);
    expect(() => planFairMissions(toy, 0.5)).toThrow(/bound must be ≥ 1/);
  });
});
