import { describe, expect, it } from 'vitest';
import { buildGrid } from '../../../src/geo/square-grid';
import { bootstrapMean, evaluate, observedCounts, selectHotspots } from '../../../src/forecast/hotspot-metrics';
import { runModel } from '../../../src/forecast/hotspot-models';

// A 4×4 square of side 4 on unit cells: 16 cells of area 1, A = 16.
const g = buildGrid([[[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]]], 1);
const at = (x: number, y: number) => g.index[Math.floor(y) * g.cols + Math.floor(x)];

describe('hotspot selection, PAI and PEI on a hand-computed grid', () => {
  it('PAI = (n/N)/(a/A) and PEI = n/n*', () => {
    const risk = new Float64Array(16);
    risk[at(0.5, 0.5)] = 3;
    risk[at(1.5, 0.5)] = 2;
    const sel = selectHotspots(g, risk, 2, 3, 7);
    expect(sel.cells.sort()).toEqual([at(0.5, 0.5), at(1.5, 0.5)].sort());
    expect(sel.area).toBe(2);
    // Observed: 4 events in (0,0), 0 in (1,0), 6 in (3,3), 2 elsewhere → N = 12, n = 4.
    const obs = observedCounts(g, [...Array(4).fill(at(0.5, 0.5)), ...Array(6).fill(at(3.5, 3.5)), at(2.5, 1.5), at(2.5, 2.5)]);
    const e = evaluate(g, sel, obs, 3, 7);
    expect(e).toMatchObject({ n: 4, N: 12, a: 2, A: 16 });
    expect(e.pai).toBeCloseTo((4 / 12) / (2 / 16), 12); // 2.6667
    expect(e.nStar).toBe(10); // best two cells: 6 + 4
    expect(e.pei).toBeCloseTo(0.4, 12);
  });

  it('ties are broken reproducibly by the seed', () => {
    const flat = new Float64Array(16);
    expect(selectHotspots(g, flat, 3, 3, 1).cells).toEqual(selectHotspots(g, flat, 3, 3, 1).cells);
    expect(selectHotspots(g, flat, 3, 3, 1).cells).not.toEqual(selectHotspots(g, flat, 3, 3, 2).cells);
  });

  it('models on tiny cases: counts, recency window, BJP decay with distance and age', () => {
    const day = 86_400_000;
    const origin = 100 * day;
    const ev = [{ cell: at(0.5, 0.5), t: 99 * day }, { cell: at(0.5, 0.5), t: 10 * day }, { cell: at(3.5, 3.5), t: 95 * day }];
    expect(runModel(g, ev, origin, { name: 'naive' })[at(0.5, 0.5)]).toBe(2);
    expect(runModel(g, ev, origin, { name: 'recent', days: 30 })[at(0.5, 0.5)]).toBe(1);
    const b = runModel(g, ev, origin, { name: 'bjp', bandwidthCells: 1, weeks: 4 });
    // Event 1 day old (age 0 weeks): own cell 1/(1+0)/(1+0) = 1; neighbour 1/(1+1)/1 = 0.5. The 90-day-old event is outside 4 weeks.
    expect(b[at(0.5, 0.5)]).toBeCloseTo(1, 12);
    expect(b[at(1.5, 0.5)]).toBeCloseTo(0.5, 12);
    // Event 5 days old at (3,3): age 0 weeks → 1 in its cell.
    expect(b[at(3.5, 3.5)]).toBeCloseTo(1, 12);
    // Events at or after the origin are never used.
    expect(runModel(g, [{ cell: 0, t: origin }], origin, { name: 'naive' })[0]).toBe(0);
  });

  it('bootstrap interval brackets the mean and is reproducible', () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const b = bootstrapMean(xs, 3);
    expect(b.mean).toBe(5.5);
    expect(b.lo).toBeLessThan(5.5);
    expect(b.hi).toBeGreaterThan(5.5);
    expect(bootstrapMean(xs, 3)).toEqual(b);
  });
});
