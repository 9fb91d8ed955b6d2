import { describe, expect, it } from 'vitest';
import { collect, compasAuditColumns, readCompas } from '../../../src/fairness/compas';
import { auditColumns, personAudit, type AuditRow } from '../../../src/fairness/person-audit';
import { placeAudit } from '../../../src/fairness/place-audit';
import { personAuditReport, placeAuditReport, REPORT_SCHEMA, type Block } from '../../../src/fairness/report';

const tables = (blocks: Block[]) => blocks.filter((b): b is Extract<Block, { type: 'table' }> => b.type === 'table');

describe('report model', () => {
  it('COMPAS, punitive use: fails on FPR with the numbers and intervals in the tables', async () => {
    const records = await collect(readCompas('test/fixtures/compas/compas-scores-two-years.csv'));
    const a = auditColumns(compasAuditColumns(records, { attributes: ['race'] }), {
      reference: { mode: 'named', group: 'Caucasian' },
    });
    const r = personAuditReport(a, { intervention: 'punitive', provenance: { inputsSha256: 'abc', seed: 0 } });
    expect(r.schema).toBe(REPORT_SCHEMA);
    expect(r.verdict).toBe('fail');
    expect(
      r.failures.some((f) => f.startsWith('race: African-American FPR 44.8% vs Caucasian 23.5% — ratio 1.91')),
    ).toBe(true);
    const race = r.sections.find((s) => s.id === 'dimension-race')!;
    const groups = tables(race.blocks).find((t) => t.id === 'groups-race')!;
    const aa = groups.rows.find((row) => row[0].value === 'African-American')!;
    const fprCol = groups.columns.findIndex((c) => c.key === 'FPR');
    expect(aa[fprCol].value).toBeCloseTo(805 / 1795, 12);
    expect(aa[fprCol].display).toBe('44.8% [42.6%, 47.2%]');
    const native = groups.rows.find((row) => row[0].value === 'Native American')!;
    expect(native[0].flag).toBe('small');
    expect(r.sections.find((s) => s.id === 'warnings')!.blocks[0]).toMatchObject({ type: 'warnings' });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r); // plain JSON, renderable anywhere
  });

  it('no verdict anywhere → insufficient-data, never a pass', () => {
    const rows: AuditRow[] = Array.from({ length: 10 }, (_, i) => ({
      predicted: (i % 2) as 0 | 1,
      label: (i % 3 ? 1 : 0) as 0 | 1,
      groups: { g: i < 5 ? 'a' : 'b' },
    }));
    const r = personAuditReport(personAudit(rows, { attributes: ['g'] }));
    expect(r.verdict).toBe('insufficient-data');
  });

  it('place audit report carries the assumption and the verdicts', () => {
    const p = placeAudit(
      [
        { area: 'A', population: 100, residents: { X: 80, Y: 20 }, exposure: 50 },
        { area: 'B', population: 200, residents: { X: 100, Y: 100 }, exposure: 100 },
        { area: 'C', population: 100, residents: { X: 10, Y: 90 }, exposure: 150 },
      ],
      { minResidents: 10 },
    );
    const r = placeAuditReport(p, { exposureUnit: 'dosage minutes' });
    expect(r.verdict).toBe('fail');
    expect(r.sections[0].blocks[0]).toMatchObject({
      type: 'paragraph',
      text: expect.stringMatching(/attributed to its residents/),
    });
    expect(tables(r.sections[1].blocks)[0].columns[2].label).toBe('dosage minutes per resident');
  });
});
