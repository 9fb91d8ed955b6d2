import { describe, expect, it } from 'vitest';
import { planMissions } from '../../../src/forecast/missions';

describe('mission planning with a dosage cap', () => {
  const risk = Float64Array.from([9, 8, 7, 6, 5, 0]);
  it('takes the top cells within capacity', () => {
    expect(planMissions({ risk, capacity: 3, history: [], dosageCap: { maxTimes: 2, window: 3 }, seed: 1 }).cells).toEqual([0, 1, 2]);
  });
  it('skips cells chosen maxTimes in the last window shifts, and frees them once the window moves on', () => {
    const history = [[0, 1], [0, 2], [3]];
    const p = planMissions({ risk, capacity: 3, history, dosageCap: { maxTimes: 2, window: 3 }, seed: 1 });
    expect(p.skippedForDosage).toEqual([0]);
    expect(p.cells).toEqual([1, 2, 3]);
    // Two shifts later, the shifts that chose cell 0 have left the window.
    const later = planMissions({ risk, capacity: 3, history: [...history, [4], [4]], dosageCap: { maxTimes: 2, window: 3 }, seed: 1 });
    expect(later.cells).toEqual([0, 1, 2]);
  });
  it('never picks a zero-risk cell, and over many shifts no cell exceeds the cap in any window', () => {
    const history: number[][] = [];
    for (let s = 0; s < 20; s++) history.push(planMissions({ risk, capacity: 2, history, dosageCap: { maxTimes: 1, window: 2 }, seed: s }).cells);
    for (let s = 1; s < history.length; s++) for (const c of history[s]) expect(history[s - 1]).not.toContain(c);
    expect(history.flat()).not.toContain(5);
  });
});
