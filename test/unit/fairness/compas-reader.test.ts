import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  collect,
  compasAuditColumns,
  parseCompas,
  propublicaFilter,
  readCompas,
  type CompasRecord,
} from '../../../src/fairness/compas';
import { auditColumns, findComparison, findGroup } from '../../../src/fairness/person-audit';
import { InputError } from '../../../src/domain/errors';

const FILE = 'test/fixtures/compas/compas-scores-two-years.csv';
let records: CompasRecord[];
beforeAll(async () => {
  records = await collect(readCompas(FILE));
});

describe('COMPAS streaming reader', () => {
  it('reads all 7,214 rows, the empty days_b_screening_arrest as null (not 0)', () => {
    expect(records).toHaveLength(7214);
    const empty = records.filter((r) => r.daysBScreeningArrest === null);
    expect(empty).toHaveLength(307);
    expect(records.filter((r) => r.daysBScreeningArrest === 0).length).toBeGreaterThan(0);
    expect(records[0]).toMatchObject({
      line: 2,
      id: 1,
      race: 'Other',
      sex: 'Male',
      decileScore: 1,
      scoreText: 'Low',
      priorsCount: 0,
      twoYearRecid: 0,
    });
    expect(Object.keys(records[0])).not.toContain('name'); // identities are not carried
  });

  it('streams and parses in memory identically', () => {
    expect(parseCompas(readFileSync(FILE, 'utf8'))).toEqual(records);
  });

  it('names the row when the two decile_score columns disagree, and the missing columns of a wrong file', () => {
    const text = readFileSync(FILE, 'utf8').split('\n').slice(0, 4);
    const f = text[2].split(',');
    f[39] = String((Number(f[39]) % 10) + 1); // the second decile_score
    text[2] = f.join(',');
    try {
      parseCompas(text.join('\n'));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).where[0]).toMatchObject({ row: 3, field: 'decile_score' });
    }
    expect(() => parseCompas('id,race\n1,Other\n')).toThrow(/missing column\(s\) sex, age/);
  });
});

describe('ProPublica COMPAS table, reproduced exactly', () => {
  it('all 7,214 rows, higher risk = Medium or High, outcome two_year_recid', () => {
    const a = auditColumns(compasAuditColumns(records, { attributes: ['race'] }), {
      reference: { mode: 'named', group: 'Caucasian' },
    });
    const aa = findGroup(a, 'race', 'African-American')!;
    const w = findGroup(a, 'race', 'Caucasian')!;
    expect(aa.counts).toEqual({ TN: 990, FP: 805, FN: 532, TP: 1369 });
    expect(w.counts).toEqual({ TN: 1139, FP: 349, FN: 461, TP: 505 });
    expect((aa.rates.FPR.value! * 100).toFixed(2)).toBe('44.85');
    expect((aa.rates.FNR.value! * 100).toFixed(2)).toBe('27.99');
    expect((w.rates.FPR.value! * 100).toFixed(2)).toBe('23.45');
    expect((w.rates.FNR.value! * 100).toFixed(2)).toBe('47.72');
    // The FPR is tested among actual negatives only: 1,795 and 1,488 people.
    expect(aa.rates.FPR.population).toBe(1795);
    expect(w.rates.FPR.population).toBe(1488);
    const fpr = findComparison(a, 'race', 'FPR', 'African-American')!;
    // Hand: pooled (805+349)/(1795+1488) = 0.351508; se = √(p(1−p)(1/1795+1/1488)) = 0.016766; z = 0.213925/0.016766 = 12.76.
    expect(fpr.test!.method).toBe('z');
    expect(fpr.test!.statistic!).toBeCloseTo(12.76, 1);
    expect(fpr.ratio!).toBeCloseTo(805 / 1795 / (349 / 1488), 12);
    expect(fpr.verdict).toBe('fail');
  });

  it('demographic parity and equalized odds, African-American vs Caucasian (hand-computed from the counts)', () => {
    const two = records.filter((r) => r.race === 'African-American' || r.race === 'Caucasian');
    const a = auditColumns(compasAuditColumns(two, { attributes: ['race'] }), {
      reference: { mode: 'named', group: 'Caucasian' },
    });
    const s = a.dimensions[0].summary;
    // PPR: AA 2174/3696 = 0.588203, Caucasian 854/2454 = 0.348003.
    expect(s.demographicParity.difference!).toBeCloseTo(2174 / 3696 - 854 / 2454, 12);
    expect(s.demographicParity.difference!.toFixed(4)).toBe('0.2402');
    expect(s.demographicParity.ratio!.toFixed(4)).toBe('0.5916');
    expect(findComparison(a, 'race', 'PPR', 'African-American')!.ratio!.toFixed(3)).toBe('1.690');
    // Equalized odds: FPR gap 0.448468 − 0.234543 = 0.213925; TPR gap 0.720147 − 0.522774 = 0.197373; max = FPR gap.
    expect(s.equalizedOdds.fpr.difference!).toBeCloseTo(805 / 1795 - 349 / 1488, 12);
    expect(s.equalizedOdds.tpr.difference!).toBeCloseTo(1369 / 1901 - 505 / 966, 12);
    expect(s.equalizedOdds.difference!.toFixed(4)).toBe('0.2139');
    // Ratio form: min(0.234543/0.448468, 0.522774/0.720147) = min(0.5230, 0.7259).
    expect(s.equalizedOdds.ratio!.toFixed(4)).toBe('0.5230');
  });

  it('across all races, the estimable-only figure counts groups with ≥ 30 people in the metric population (Asian FPR: 23 → left out)', () => {
    const a = auditColumns(compasAuditColumns(records, { attributes: ['race'] }), { reference: { mode: 'largest' } });
    // The Fairlearn figure over all groups is in fairlearn-summary.test.ts; this is the separately named one.
    const s = a.dimensions[0].summary.estimableGroupsOnly;
    // PPR: max African-American 0.588203, min Other 79/377 = 0.209549 (Asian 8/32 = 0.25 counts; Native American 18 does not).
    expect(s.demographicParity.min).toEqual({ group: 'Other', value: 79 / 377 });
    expect(s.demographicParity.difference!).toBeCloseTo(2174 / 3696 - 79 / 377, 12);
    // TPR: Other 43/133 = 0.323308 … AA 0.720147; FPR: Other 36/244 = 0.147541 … AA 0.448468.
    expect(s.equalizedOdds.tpr.difference!).toBeCloseTo(1369 / 1901 - 43 / 133, 12);
    expect(s.equalizedOdds.fpr.min!.group).toBe('Other');
    expect(s.equalizedOdds.difference!).toBeCloseTo(1369 / 1901 - 43 / 133, 12);
    expect(a.smallGroups).toEqual([{ dimension: 'race', group: 'Native American', n: 18 }]);
    expect(findComparison(a, 'race', 'FPR', 'Asian')!.verdict).toBe('insufficient-data');
    // Expected cells: Asian FPR 2/23 vs AA 805/1795: 23·807/1818 = 10.2 ≥ 5 → z test; Native American
    // 3/8: 8·808/1803 = 3.6 < 5 → Fisher's exact test.
    expect(findComparison(a, 'race', 'FPR', 'Asian')!.test!.method).toBe('z');
    expect(findComparison(a, 'race', 'FPR', 'Native American')!.test!.method).toBe('fisher');
  });

  it("the 6,172-row regression population (ProPublica's filter) and its table", () => {
    const kept = records.filter(propublicaFilter);
    expect(kept).toHaveLength(6172);
    const a = auditColumns(compasAuditColumns(kept, { attributes: ['race'] }), {
      reference: { mode: 'named', group: 'Caucasian' },
    });
    expect(findGroup(a, 'race', 'African-American')!.counts).toEqual({ TN: 873, FP: 641, FN: 473, TP: 1188 });
    expect(findGroup(a, 'race', 'Caucasian')!.counts).toEqual({ TN: 999, FP: 282, FN: 408, TP: 414 });
    expect(findComparison(a, 'race', 'FPR', 'African-American')!.difference!).toBeCloseTo(641 / 1514 - 282 / 1281, 12);
  });

  it('race × sex × age intersections cover every row once', () => {
    const a = auditColumns(compasAuditColumns(records), { intersections: true, reference: { mode: 'largest' } });
    expect(a.dimensions.map((d) => d.key)).toEqual(['race', 'sex', 'ageCat', 'race×sex×ageCat']);
    for (const d of a.dimensions) expect(d.groups.reduce((s, g) => s + g.n, 0)).toBe(7214);
    const inter = a.dimensions[3];
    expect(inter.groups.find((g) => g.group === 'African-American × Male × Less than 25')!.n).toBe(
      records.filter((r) => r.race === 'African-American' && r.sex === 'Male' && r.ageCat === 'Less than 25').length,
    );
  });
});
