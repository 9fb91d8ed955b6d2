/**
 * The person-level audit as three stages (issue 21, item 4): counts → rates → disparities, each tested
 * alone on hand-computed tables, and auditColumns = their composition with today's output unchanged.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  auditColumns,
  auditCounts,
  auditDisparities,
  auditRates,
  type AuditColumns,
  type AuditCounts,
} from '../../../src/fairness/person-audit';
import { wilson, zFor } from '../../../src/fairness/stats';
import { AUDIT_SEEDS, auditCase } from './person-audit-cases';

// 8 people. cell = TP / FP / TN / FN from (predicted, label); race -1 and sex 9 are missing labels.
//   row:      0   1   2   3   4   5   6   7
//   outcome:  TP  FP  TN  FN  TP  TN  FP  FN
//   race:     A   A   A   A   B   B   ·   B
//   sex:      F   M   F   M   F   M   M   ·
const small: AuditColumns = {
  predicted: Uint8Array.from([1, 1, 0, 0, 1, 0, 1, 0]),
  label: Uint8Array.from([1, 0, 0, 1, 1, 0, 0, 1]),
  attributes: [
    { name: 'race', levels: ['A', 'B'], codes: Int32Array.from([0, 0, 0, 0, 1, 1, -1, 1]) },
    { name: 'sex', levels: ['F', 'M'], codes: Int32Array.from([0, 1, 0, 1, 0, 1, 1, 9]) },
  ],
};
const c = (TP: number, FP: number, TN: number, FN: number) => ({ TP, FP, TN, FN });
const groupsOf = (t: AuditCounts, key: string) =>
  t.dimensions.find((d) => d.key === key)!.groups.map((g) => [g.group, g.missing, g.counts]);

describe('stage 1: counts (one pass)', () => {
  it('fills each group of each dimension and intersection with TP/FP/TN/FN, missing labels as their own group', () => {
    const t = auditCounts(small, { intersections: true });
    expect(t.total).toBe(8);
    expect(t.flagged).toBe(4);
    expect(t.dimensions.map((d) => d.key)).toEqual(['race', 'sex', 'race×sex']);
    expect(groupsOf(t, 'race')).toEqual([
      ['A', false, c(1, 1, 1, 1)],
      ['B', false, c(1, 0, 1, 1)],
      ['(missing)', true, c(0, 1, 0, 0)],
    ]);
    expect(groupsOf(t, 'sex')).toEqual([
      ['F', false, c(2, 0, 1, 0)],
      ['M', false, c(0, 2, 1, 1)],
      ['(missing)', true, c(0, 0, 0, 1)],
    ]);
    expect(groupsOf(t, 'race×sex')).toEqual([
      ['A × F', false, c(1, 0, 1, 0)],
      ['A × M', false, c(0, 1, 0, 1)],
      ['B × F', false, c(1, 0, 0, 0)],
      ['B × M', false, c(0, 0, 1, 0)],
      ['B × (missing)', true, c(0, 0, 0, 1)],
      ['(missing) × M', true, c(0, 1, 0, 0)],
    ]);
    const rs = t.dimensions[2];
    expect([rs.missingLabels, rs.included, rs.flagged, rs.missingPolicy]).toEqual([2, 8, 4, 'report']);
    expect(rs.groups.find((g) => g.group === '(missing) × M')!.parts).toEqual({ race: null, sex: 'M' });
  });

  it("policy 'exclude' leaves missing labels out of the tables but counts them", () => {
    const t = auditCounts(small, { missing: 'exclude', attributes: ['race'] });
    expect(t.dimensions).toHaveLength(1);
    expect(groupsOf(t, 'race')).toEqual([
      ['A', false, c(1, 1, 1, 1)],
      ['B', false, c(1, 0, 1, 1)],
    ]);
    expect([t.dimensions[0].missingLabels, t.dimensions[0].included, t.dimensions[0].flagged]).toEqual([1, 7, 3]);
  });
});

// Hand-made counts (not from stage 1): x TP 3 FP 1 TN 4 FN 2 (n 10); y TP 1 FP 2 TN 3 FN 0 (n 6), listed smallest first.
const handCounts: AuditCounts = {
  total: 16,
  flagged: 7,
  dimensions: [
    {
      key: 'g',
      attributes: ['g'],
      missingLabels: 0,
      missingPolicy: 'report',
      included: 16,
      flagged: 7,
      groups: [
        { group: 'y', parts: { g: 'y' }, missing: false, counts: c(1, 2, 3, 0) },
        { group: 'x', parts: { g: 'x' }, missing: false, counts: c(3, 1, 4, 2) },
      ],
    },
  ],
};

describe('stage 2: rates from counts', () => {
  it('every rate is its numerator over its own population, with a Wilson interval; groups largest first', () => {
    const r = auditRates(handCounts, { minGroupSize: 8 });
    const [x, y] = r.dimensions[0].groups;
    expect([x.group, y.group]).toEqual(['x', 'y']);
    const value = (g: typeof x) => Object.fromEntries(Object.entries(g.rates).map(([m, e]) => [m, e.value]));
    expect(value(x)).toEqual({
      TPR: 3 / 5,
      TNR: 4 / 5,
      FPR: 1 / 5,
      FNR: 2 / 5,
      FDR: 1 / 4,
      FOR: 2 / 6,
      PPV: 3 / 4,
      NPV: 4 / 6,
      prevalence: 5 / 10,
      PPR: 4 / 10,
    });
    expect(value(y)).toEqual({
      TPR: 1,
      TNR: 3 / 5,
      FPR: 2 / 5,
      FNR: 0,
      FDR: 2 / 3,
      FOR: 0,
      PPV: 1 / 3,
      NPV: 1,
      prevalence: 1 / 6,
      PPR: 3 / 6,
    });
    expect(x.rates.FPR).toMatchObject({ numerator: 1, population: 5 });
    expect(x.rates.FPR.interval).toEqual(wilson(1, 5, zFor(0.95)));
    expect([x.n, x.shareOfFlagged, x.shareOfPopulation, x.estimable]).toEqual([10, 4 / 7, 10 / 16, true]);
    expect([y.n, y.shareOfFlagged, y.shareOfPopulation, y.estimable]).toEqual([6, 3 / 7, 6 / 16, false]);
    expect(
      auditRates({
        ...handCounts,
        dimensions: [
          { ...handCounts.dimensions[0], groups: [{ ...handCounts.dimensions[0].groups[0], counts: c(0, 0, 3, 0) }] },
        ],
      }).dimensions[0].groups[0].rates.TPR.value,
    ).toBeNull();
  });
});

describe('stage 3: disparities from rates', () => {
  it('ratios and differences against the reference, verdicts within the band, Fairlearn ranges', () => {
    const a = auditDisparities(auditRates(handCounts, { minGroupSize: 1 }), {
      reference: { mode: 'named', group: 'x' },
    });
    const d = a.dimensions[0];
    const cmp = (m: string) => d.disparities.find((z) => z.metric === m)!.groups[0];
    expect(d.disparities.every((z) => z.reference === 'x' && z.referenceRule === 'named')).toBe(true);
    expect(cmp('FPR')).toMatchObject({ group: 'y', value: 2 / 5, verdict: 'fail' });
    expect(cmp('FPR').ratio).toBeCloseTo(2, 12);
    expect(cmp('FPR').difference).toBeCloseTo(0.2, 12);
    expect(cmp('PPR').ratio).toBeCloseTo(1.25, 12); // (3/6) / (4/10): on the band's edge
    expect(cmp('PPR').verdict).toBe('pass');
    expect(cmp('FNR')).toMatchObject({ ratio: 0, verdict: 'fail' });
    expect(d.summary.demographicParity).toMatchObject({
      min: { group: 'x', value: 0.4 },
      max: { group: 'y', value: 0.5 },
    });
    expect(d.summary.demographicParity.ratio).toBeCloseTo(0.8, 12);
    expect([a.total, a.flagged, a.minGroupSize, a.confidence, a.band]).toEqual([16, 7, 1, 0.95, [0.8, 1.25]]);
    expect(a.warnings).toEqual([]);
  });
});

describe('auditColumns = counts → rates → disparities', () => {
  it("today's output, byte for byte, on 300 seeded cases (hashes made before the split)", () => {
    const golden = JSON.parse(readFileSync('test/fixtures/person-audit-golden.json', 'utf8')).hashes as Record<
      string,
      string
    >;
    const differing: number[] = [];
    for (const s of AUDIT_SEEDS) {
      const { cols, opts } = auditCase(s);
      let text: string;
      try {
        text = JSON.stringify(auditColumns(cols, opts));
      } catch (e) {
        text = `error: ${(e as Error).message}`;
      }
      if (createHash('sha256').update(text).digest('hex').slice(0, 16) !== golden[s]) differing.push(s);
    }
    expect(differing).toEqual([]);
  });

  it('is the composition of the three exported stages on random data', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const { cols, opts } = auditCase(seed);
        let direct: unknown, composed: unknown;
        try {
          direct = auditColumns(cols, opts);
        } catch (e) {
          direct = (e as Error).message;
        }
        try {
          composed = auditDisparities(auditRates(auditCounts(cols, opts), opts), opts);
        } catch (e) {
          composed = (e as Error).message;
        }
        expect(JSON.stringify(composed)).toBe(JSON.stringify(direct));
      }),
      { numRuns: 150 },
    );
  });
});
