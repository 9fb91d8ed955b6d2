import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/domain/errors';
import {
  auditColumns,
  findComparison,
  findGroup,
  personAudit,
  thresholdScores,
  type AuditRow,
} from '../../../src/fairness/person-audit';

const mk = (
  g: string,
  tp: number,
  fp: number,
  tn: number,
  fn: number,
  extra: Record<string, string> = {},
): AuditRow[] => [
  ...Array.from({ length: tp }, () => ({ predicted: 1 as const, label: 1 as const, groups: { g, ...extra } })),
  ...Array.from({ length: fp }, () => ({ predicted: 1 as const, label: 0 as const, groups: { g, ...extra } })),
  ...Array.from({ length: tn }, () => ({ predicted: 0 as const, label: 0 as const, groups: { g, ...extra } })),
  ...Array.from({ length: fn }, () => ({ predicted: 0 as const, label: 1 as const, groups: { g, ...extra } })),
];

describe('person-level audit engine', () => {
  // A: TP 40 FP 10 TN 40 FN 10 (n 100): FPR 10/50 = 0.2, FNR 0.2, PPR 0.5.
  // B: TP 30 FP 25 TN 25 FN 20 (n 100): FPR 25/50 = 0.5, FNR 20/50 = 0.4, PPR 0.55.
  // C: TP 45 FP 5  TN 45 FN 5  (n 100): FPR 0.1, FNR 0.1, PPR 0.5.
  const rows = [...mk('A', 40, 10, 40, 10), ...mk('B', 30, 25, 25, 20), ...mk('C', 45, 5, 45, 5)];

  it('the "best" reference is chosen per metric (lowest error rate, highest TPR)', () => {
    const a = personAudit(rows, { attributes: ['g'], reference: { mode: 'best' } });
    const fpr = a.dimensions[0].disparities.find((x) => x.metric === 'FPR')!;
    expect(fpr.reference).toBe('C');
    expect(fpr.referenceRule).toBe('best (lowest FPR)');
    expect(findComparison(a, 'g', 'FPR', 'B')!.ratio).toBeCloseTo(5, 12);
    expect(a.dimensions[0].disparities.find((x) => x.metric === 'TPR')!.reference).toBe('C');
    // PPR has no better direction: falls back to the largest group and says so.
    expect(a.dimensions[0].disparities.find((x) => x.metric === 'PPR')!.referenceRule).toMatch(/^largest/);
  });

  it('differences with Newcombe intervals; requireSignificance keeps noisy ratios from failing', () => {
    const a = personAudit(rows, { attributes: ['g'], reference: { mode: 'named', group: 'A' } });
    const b = findComparison(a, 'g', 'FPR', 'B')!;
    expect(b.difference).toBeCloseTo(0.3, 12);
    expect(b.differenceInterval![0]).toBeLessThan(0.3);
    expect(b.differenceInterval![1]).toBeGreaterThan(0.3);
    expect(b.verdict).toBe('fail');
    // C vs A on FPR: 5/50 vs 10/50, ratio 0.5 (outside the band) but p ≈ 0.16: not significant.
    expect(findComparison(a, 'g', 'FPR', 'C')!.verdict).toBe('fail');
    const strict = personAudit(rows, {
      attributes: ['g'],
      reference: { mode: 'named', group: 'A' },
      requireSignificance: true,
    });
    expect(findComparison(strict, 'g', 'FPR', 'C')!.verdict).toBe('pass');
    expect(findComparison(strict, 'g', 'FPR', 'C')!.reason).toMatch(/not significant/);
    expect(findComparison(strict, 'g', 'FPR', 'B')!.verdict).toBe('fail');
  });

  it('a named reference per dimension; an unknown reference is an error naming it', () => {
    const r2 = [...mk('A', 40, 10, 40, 10, { s: 'f' }), ...mk('B', 30, 25, 25, 20, { s: 'm' })];
    const a = personAudit(r2, { attributes: ['g', 's'], reference: { mode: 'named', group: { g: 'B', s: 'f' } } });
    expect(a.dimensions[0].disparities[0].reference).toBe('B');
    expect(a.dimensions[1].disparities[0].reference).toBe('f');
    expect(() => personAudit(r2, { attributes: ['g'], reference: { mode: 'named', group: 'Z' } })).toThrow(InputError);
  });

  it('scores are thresholded; bad labels and mismatched columns are named', () => {
    const a = personAudit(
      [
        { score: 7, label: 1, groups: { g: 'x' } },
        { score: 3, label: 0, groups: { g: 'x' } },
      ],
      { attributes: ['g'], threshold: 5 },
    );
    expect(findGroup(a, 'g', 'x')!.counts).toEqual({ TP: 1, FP: 0, TN: 1, FN: 0 });
    expect(Array.from(thresholdScores([0.1, 0.5, 0.9], 0.5))).toEqual([0, 1, 1]);
    try {
      personAudit([{ predicted: 1, label: 2 as 0, groups: { g: 'x' } }], { attributes: ['g'] });
      expect.unreachable();
    } catch (e) {
      expect((e as InputError).where[0]).toMatchObject({ row: 1, field: 'label' });
    }
    expect(() => auditColumns({ predicted: [1, 0], label: [1], attributes: [] })).toThrow(/different lengths/);
  });

  it('property: every dimension accounts for every row once, and counts match a brute-force tally', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            p: fc.integer({ min: 0, max: 1 }),
            y: fc.integer({ min: 0, max: 1 }),
            a: fc.constantFrom('x', 'y', 'z', null),
            b: fc.constantFrom('u', 'v'),
          }),
          { minLength: 1, maxLength: 200 },
        ),
        fc.constantFrom<'report' | 'exclude'>('report', 'exclude'),
        (data, missing) => {
          const rows: AuditRow[] = data.map((d) => ({
            predicted: d.p as 0 | 1,
            label: d.y as 0 | 1,
            groups: { a: d.a, b: d.b },
          }));
          const r = personAudit(rows, { attributes: ['a', 'b'], intersections: true, missing, minGroupSize: 1 });
          const miss = data.filter((d) => d.a === null).length;
          for (const d of r.dimensions) {
            const hasA = d.attributes.includes('a');
            expect(d.missingLabels).toBe(hasA ? miss : 0);
            expect(d.groups.reduce((s, g) => s + g.n, 0)).toBe(
              missing === 'exclude' && hasA ? data.length - miss : data.length,
            );
            for (const g of d.groups) {
              const mine = data.filter((x) =>
                d.attributes.every((attr) => (g.parts[attr] ?? null) === x[attr as 'a' | 'b']),
              );
              expect(g.counts.TP).toBe(mine.filter((x) => x.p && x.y).length);
              expect(g.counts.FP).toBe(mine.filter((x) => x.p && !x.y).length);
              expect(g.counts.FN).toBe(mine.filter((x) => !x.p && x.y).length);
            }
          }
          expect(r.missing.every((m) => m.policy === missing)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});
