import { beforeAll, describe, expect, it } from 'vitest';
import { collect, compasAuditColumns, readCompas, type CompasRecord } from '../../../src/fairness/compas';
import { auditColumns } from '../../../src/fairness/person-audit';

/** Rows for one group from its confusion counts. */
function rowsOf(code: number, c: { TP: number; FN: number; FP: number; TN: number }) {
  const out: [number, number, number][] = [];
  for (let i = 0; i < c.TP; i++) out.push([1, 1, code]);
  for (let i = 0; i < c.FN; i++) out.push([0, 1, code]);
  for (let i = 0; i < c.FP; i++) out.push([1, 0, code]);
  for (let i = 0; i < c.TN; i++) out.push([0, 0, code]);
  return out;
}

// A: PPR 40/100, TPR 30/50, FPR 10/50. B: PPR 25/100, TPR 20/50, FPR 5/50. C (5 people): PPR 4/5, TPR 2/2, FPR 2/3.
const rows = [
  ...rowsOf(0, { TP: 30, FN: 20, FP: 10, TN: 40 }),
  ...rowsOf(1, { TP: 20, FN: 30, FP: 5, TN: 45 }),
  ...rowsOf(2, { TP: 2, FN: 0, FP: 2, TN: 1 }),
];
const cols = {
  predicted: rows.map((r) => r[0]),
  label: rows.map((r) => r[1]),
  attributes: [{ name: 'g', codes: rows.map((r) => r[2]), levels: ['A', 'B', 'C'] }],
};

describe('summary disparities as Fairlearn defines them: over ALL groups', () => {
  it('attack: a small group with the most extreme rates is not silently dropped (hand-computed, 3 groups)', () => {
    const s = auditColumns(cols, { minGroupSize: 30 }).dimensions[0].summary;
    // demographic_parity_difference = max PPR − min PPR = 0.8 − 0.25; ratio = 0.25 / 0.8.
    expect(s.demographicParity.difference).toBeCloseTo(0.55, 12);
    expect(s.demographicParity.ratio).toBeCloseTo(0.3125, 12);
    expect(s.demographicParity.max).toEqual({ group: 'C', value: 0.8 });
    // equalized_odds_difference = max(TPR gap 1 − 0.4, FPR gap 2/3 − 0.1) = 0.6; ratio = min(0.4 / 1, 0.1 / (2/3)) = 0.15.
    expect(s.equalizedOdds.tpr.difference).toBeCloseTo(0.6, 12);
    expect(s.equalizedOdds.fpr.difference).toBeCloseTo(2 / 3 - 0.1, 12);
    expect(s.equalizedOdds.difference).toBeCloseTo(0.6, 12);
    expect(s.equalizedOdds.ratio).toBeCloseTo(0.15, 12);
    expect(s.groupsCompared).toEqual(['A', 'B', 'C']);
    // …and the small group is flagged, not hidden.
    expect(s.smallGroups).toEqual([{ group: 'C', n: 5 }]);
  });

  it('a separate, clearly named figure leaves out the groups too small for a verdict', () => {
    const e = auditColumns(cols, { minGroupSize: 30 }).dimensions[0].summary.estimableGroupsOnly;
    expect(e.minGroupSize).toBe(30);
    expect(e.groupsCompared).toEqual(['A', 'B']);
    expect(e.demographicParity.difference).toBeCloseTo(0.15, 12);
    expect(e.demographicParity.ratio).toBeCloseTo(0.625, 12);
    expect(e.equalizedOdds.difference).toBeCloseTo(0.2, 12); // TPR 0.6 − 0.4 vs FPR 0.2 − 0.1
    expect(e.equalizedOdds.ratio).toBeCloseTo(0.5, 12); // min(0.4/0.6, 0.1/0.2)
  });

  it('a group with no actual positives has an undefined TPR: listed, and left out of the TPR range only', () => {
    const r2 = [...rows, ...rowsOf(3, { TP: 0, FN: 0, FP: 1, TN: 3 })];
    const c2 = {
      predicted: r2.map((r) => r[0]),
      label: r2.map((r) => r[1]),
      attributes: [{ name: 'g', codes: r2.map((r) => r[2]), levels: ['A', 'B', 'C', 'D'] }],
    };
    const s = auditColumns(c2, { minGroupSize: 30 }).dimensions[0].summary;
    expect(s.undefinedRates).toEqual([
      { metric: 'TPR', group: 'D' },
      { metric: 'FNR', group: 'D' },
    ]); // PPV 0/1 is defined
    expect(s.demographicParity.difference).toBeCloseTo(0.8 - 0.25, 12); // D: PPR 1/4 ties B's minimum
    expect(s.equalizedOdds.fpr.min).toEqual({ group: 'B', value: 0.1 });
  });
});

describe('COMPAS, all races (counts checked independently from the CSV)', () => {
  let records: CompasRecord[];
  beforeAll(async () => {
    records = await collect(readCompas('test/fixtures/compas/compas-scores-two-years.csv'));
  });

  it('over all six groups, Native American (18 people, PPR 12/18, TPR 9/10) sets the maxima; Asian FPR 2/23 the FPR minimum', () => {
    const s = auditColumns(compasAuditColumns(records, { attributes: ['race'] }), { reference: { mode: 'largest' } })
      .dimensions[0].summary;
    // PPR: max Native American 12/18 = 0.666667, min Other 79/377 = 0.209549.
    expect(s.demographicParity.max).toEqual({ group: 'Native American', value: 12 / 18 });
    expect(s.demographicParity.min).toEqual({ group: 'Other', value: 79 / 377 });
    expect(s.demographicParity.difference!.toFixed(4)).toBe('0.4571');
    expect(s.demographicParity.ratio!.toFixed(4)).toBe('0.3143');
    // TPR: max Native American 9/10, min Other 43/133 → gap 0.5767, ratio 0.3592.
    // FPR: max African-American 805/1795 = 0.448468, min Asian 2/23 = 0.086957 → gap 0.3615, ratio 0.1939.
    expect(s.equalizedOdds.tpr.difference).toBeCloseTo(9 / 10 - 43 / 133, 12);
    expect(s.equalizedOdds.fpr.difference).toBeCloseTo(805 / 1795 - 2 / 23, 12);
    expect(s.equalizedOdds.difference!.toFixed(4)).toBe('0.5767');
    expect(s.equalizedOdds.ratio!.toFixed(4)).toBe('0.1939');
    expect(s.groupsCompared).toHaveLength(6);
    expect(s.smallGroups).toEqual([{ group: 'Native American', n: 18 }]);
    // The estimable-only figure (≥ 30 people, ≥ 30 in the metric's population) is the one the old summary gave.
    const e = s.estimableGroupsOnly;
    expect(e.demographicParity.difference).toBeCloseTo(2174 / 3696 - 79 / 377, 12);
    expect(e.equalizedOdds.fpr.min!.group).toBe('Other'); // Asian FPR population 23 < 30
    expect(e.equalizedOdds.difference).toBeCloseTo(1369 / 1901 - 43 / 133, 12);
  });
});
