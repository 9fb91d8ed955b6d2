import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { auditColumns, personAudit, type AuditRow } from '../../../src/fairness/person-audit';

/** Read the COMPAS file by column INDEX: `decile_score` and `priors_count` appear twice in its header. */
function compas(): { rows: AuditRow[]; raw: string[][]; header: string[] } {
  const parsed = Papa.parse<string[]>(readFileSync('test/fixtures/compas/compas-scores-two-years.csv', 'utf8'), {
    skipEmptyLines: true,
  });
  const [header, ...raw] = parsed.data;
  const col = (name: string) => header.indexOf(name); // first occurrence
  const [race, sex, score, recid] = [col('race'), col('sex'), col('score_text'), col('two_year_recid')];
  const rows = raw.map((r) => ({
    predicted: (r[score] === 'Medium' || r[score] === 'High' ? 1 : 0) as 0 | 1,
    label: (r[recid] === '1' ? 1 : 0) as 0 | 1,
    groups: { race: r[race], sex: r[sex] },
  }));
  return { rows, raw, header };
}

describe('person-level audit', () => {
  it("reproduces ProPublica's published COMPAS table exactly (all 7,214 rows)", () => {
    const { rows } = compas();
    expect(rows).toHaveLength(7214);
    const a = personAudit(rows, { attributes: ['race'], reference: { mode: 'named', group: 'Caucasian' } });
    const g = (name: string) => a.dimensions[0].groups.find((x) => x.group === name)!;
    expect(g('African-American').counts).toEqual({ TN: 990, FP: 805, FN: 532, TP: 1369 });
    expect(g('Caucasian').counts).toEqual({ TN: 1139, FP: 349, FN: 461, TP: 505 });
    expect((g('African-American').rates.FPR.value! * 100).toFixed(2)).toBe('44.85');
    expect((g('African-American').rates.FNR.value! * 100).toFixed(2)).toBe('27.99');
    expect((g('Caucasian').rates.FPR.value! * 100).toFixed(2)).toBe('23.45');
    expect((g('Caucasian').rates.FNR.value! * 100).toFixed(2)).toBe('47.72');
  });

  it('demographic parity and equalized odds figures for the same data (hand-computed from the table)', () => {
    const a = personAudit(compas().rows, { attributes: ['race'], reference: { mode: 'named', group: 'Caucasian' } });
    const d = (m: string) =>
      a.dimensions[0].disparities.find((x) => x.metric === m)!.groups.find((x) => x.group === 'African-American')!;
    // Flagged: AA (805+1369)/3696 = 58.82%; Caucasian (349+505)/2454 = 34.80%; ratio 1.690.
    expect(d('PPR').ratio).toBeCloseTo(2174 / 3696 / (854 / 2454), 10);
    expect(d('PPR').ratio!.toFixed(3)).toBe('1.690');
    expect(d('PPR').verdict).toBe('fail');
    // Equalized odds: FPR gap 805/1795 − 349/1488 = 0.44847 − 0.23454 = 21.39 points (21.40 from the rounded
    // percentages); TPR 1369/1901 − 505/966 = 0.72015 − 0.52277 = 19.74 points.
    expect((d('FPR').difference! * 100).toFixed(2)).toBe('21.39');
    expect((d('TPR').difference! * 100).toFixed(2)).toBe('19.74');
    expect(d('FPR').pValue!).toBeLessThan(1e-10); // tested among actual negatives only
    // Asian defendants: 32 people, 23 of them actual negatives (< 30): no FPR verdict.
    const asian = a.dimensions[0].disparities.find((x) => x.metric === 'FPR')!.groups.find((x) => x.group === 'Asian')!;
    expect(a.dimensions[0].groups.find((x) => x.group === 'Asian')!.rates.FPR.population).toBe(23);
    expect(asian.verdict).toBe('insufficient-data');
  });

  it("the 6,172-row population of ProPublica's regression filter", () => {
    const { raw, header } = compas();
    const c = (n: string) => header.indexOf(n);
    const kept = raw.filter((r) => {
      const d = r[c('days_b_screening_arrest')];
      return (
        d !== '' &&
        Number(d) <= 30 &&
        Number(d) >= -30 &&
        r[c('is_recid')] !== '-1' &&
        r[c('c_charge_degree')] !== 'O' &&
        r[c('score_text')] !== 'N/A' &&
        r[c('score_text')] !== ''
      );
    });
    expect(kept).toHaveLength(6172);
  });

  it('small groups get a warning and no verdict; missing labels are reported, not dropped', () => {
    const rows: AuditRow[] = [
      ...Array.from({ length: 40 }, (_, i) => ({
        predicted: (i % 2) as 0 | 1,
        label: (i % 3 === 0 ? 1 : 0) as 0 | 1,
        groups: { g: 'big' },
      })),
      ...Array.from({ length: 5 }, () => ({ predicted: 1 as const, label: 0 as const, groups: { g: 'tiny' } })),
      { predicted: 1, label: 1, groups: { g: null } },
    ];
    const a = personAudit(rows, { attributes: ['g'], reference: { mode: 'largest' } });
    const tiny = a.dimensions[0].disparities.find((x) => x.metric === 'FPR')!.groups.find((x) => x.group === 'tiny')!;
    expect(tiny.verdict).toBe('insufficient-data');
    expect(a.warnings.join('\n')).toMatch(/tiny: only 5 people/);
    expect(a.dimensions[0].missingLabels).toBe(1);
    expect(a.dimensions[0].groups.map((x) => x.group)).toContain('(missing)');
    const ex = personAudit(rows, { attributes: ['g'], reference: { mode: 'largest' }, missing: 'exclude' });
    expect(ex.dimensions[0].groups.map((x) => x.group)).not.toContain('(missing)');
    expect(ex.warnings.join()).toMatch(/1 row\(s\) have no g label; excluded/);
  });

  it('hand-computed 2×2 case, Katz interval and intersections', () => {
    // Group A: TP 8, FP 2, TN 6, FN 4 → FPR 2/8 = 0.25, TPR 8/12; group B: TP 3, FP 6, TN 6, FN 5 → FPR 0.5.
    const mk = (g: string, tp: number, fp: number, tn: number, fn: number, sex: string): AuditRow[] => [
      ...Array.from({ length: tp }, () => ({ predicted: 1 as const, label: 1 as const, groups: { g, sex } })),
      ...Array.from({ length: fp }, () => ({ predicted: 1 as const, label: 0 as const, groups: { g, sex } })),
      ...Array.from({ length: tn }, () => ({ predicted: 0 as const, label: 0 as const, groups: { g, sex } })),
      ...Array.from({ length: fn }, () => ({ predicted: 0 as const, label: 1 as const, groups: { g, sex } })),
    ];
    const rows = [...mk('A', 8, 2, 6, 4, 'f'), ...mk('B', 3, 6, 6, 5, 'm')];
    const a = personAudit(rows, {
      attributes: ['g', 'sex'],
      intersections: true,
      reference: { mode: 'named', group: 'A' },
      minGroupSize: 10,
    });
    const fpr = a.dimensions[0].disparities.find((x) => x.metric === 'FPR')!.groups[0];
    expect(fpr.ratio).toBeCloseTo(0.5 / 0.25, 12);
    // Katz: se = sqrt(1/6 − 1/12 + 1/2 − 1/8) = sqrt(0.458333) = 0.677003; CI = 2 · e^(±1.96·0.677)
    const [lo, hi] = fpr.ratioInterval!; // B 6/12 against A 2/8
    expect(lo).toBeCloseTo(2 * Math.exp(-1.959964 * 0.677003), 4);
    expect(hi).toBeCloseTo(2 * Math.exp(1.959964 * 0.677003), 4);
    expect(a.dimensions.map((d) => d.attributes.join('×'))).toEqual(['g', 'sex', 'g×sex']);
    expect(a.dimensions[2].groups.map((x) => x.group).sort()).toEqual(['A × f', 'B × m']);
  });
});

describe('columnar audit', () => {
  it('gives exactly the same report as the row audit on COMPAS', async () => {
    const { rows } = compas();
    const labels = [...new Set(rows.map((r) => r.groups.race as string))];
    const codes = Uint16Array.from(rows.map((r) => labels.indexOf(r.groups.race as string)));
    const col = auditColumns(
      {
        predicted: Uint8Array.from(rows.map((r) => r.predicted)),
        label: Uint8Array.from(rows.map((r) => r.label)),
        attributes: [{ name: 'race', codes, levels: labels }],
      },
      { reference: { mode: 'named', group: 'Caucasian' } },
    );
    const row = personAudit(rows, { attributes: ['race'], reference: { mode: 'named', group: 'Caucasian' } });
    expect(col.dimensions[0].groups).toEqual(row.dimensions[0].groups);
    expect(col.dimensions[0].disparities).toEqual(row.dimensions[0].disparities);
  });
});
