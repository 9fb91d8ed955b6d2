import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/domain/errors';
import {
  areaDemographics,
  loadDemographicsDeclaration,
  parseDemographicsDeclaration,
} from '../../../src/fairness/demographics';

const chicagoProps = JSON.parse(
  readFileSync('test/fixtures/chicago-areas/community-areas-demographics.json', 'utf8'),
) as Record<string, unknown>[];

describe('area demographics declared in configuration', () => {
  it('reads the Chicago declaration by id and the 77 areas with the published totals', () => {
    const d = loadDemographicsDeclaration('chicago-community-areas-2014');
    expect(d.population).toBe('Pop2014');
    expect(d.groups.find((g) => g.id === 'hispanic')!.overlapsOthers).toBe(true);
    expect(d.groups.filter((g) => g.overlapsOthers)).toHaveLength(1);
    for (const g of d.groups) {
      expect(g.label.en).toBeTruthy();
      expect(g.label.ko).toMatch(/[\uAC00-\uD7A3]/);
    }
    const areas = areaDemographics(
      chicagoProps.map((p) => ({ properties: p })),
      d,
    );
    expect(areas).toHaveLength(77);
    // Totals summed by hand from the fixture (2014 ACS): 2,733,835 residents, 894,446 Black, 789,598 Hispanic.
    expect(areas.reduce((s, a) => s + a.population, 0)).toBe(2733835);
    expect(areas.reduce((s, a) => s + a.residents.black, 0)).toBe(894446);
    expect(areas.reduce((s, a) => s + a.residents.hispanic, 0)).toBe(789598);
    expect(areas.find((a) => a.area === '35')).toMatchObject({
      name: 'Douglas',
      population: 19430,
      residents: { white: 2752, black: 14005 },
    });
  });

  it('reads a Seoul-shaped layer (registered foreigners, residents aged 65+) with the same code', () => {
    const d = loadDemographicsDeclaration('test/fixtures/seoul/seoul-districts-2017.demographics.json');
    const areas = areaDemographics(
      JSON.parse(readFileSync('test/fixtures/seoul/seoul-districts-2017.geojson', 'utf8')),
      d,
    );
    expect(areas).toHaveLength(25);
    // The Seoul data README: registered foreigners are 270,636 of 10,197,604 residents.
    expect(areas.reduce((s, a) => s + a.population, 0)).toBe(10197604);
    expect(areas.reduce((s, a) => s + a.residents.foreign, 0)).toBe(270636);
    expect(areas.find((a) => a.area === '11010')).toMatchObject({
      name: '종로구',
      population: 162820,
      residents: { foreign: 9231, age65plus: 25425 },
    });
  });

  it('refuses a bad declaration naming the field, in English and Korean', () => {
    const good = JSON.parse(readFileSync('config/demographics/chicago-community-areas-2014.json', 'utf8'));
    const bad = { ...good, groups: [{ ...good.groups[0], label: { en: 'White' } }, good.groups[0]] };
    try {
      parseDemographicsDeclaration(bad, 'x.json');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      const fields = (e as InputError).where.map((w) => w.field);
      expect(fields).toContain('groups.0.label.ko');
      expect((e as InputError).text('ko')).toMatch(/인구 구성 선언 x\.json/);
    }
    expect(() => parseDemographicsDeclaration({ ...good, groups: [good.groups[0], good.groups[0]] }, 'x.json')).toThrow(
      /invalid at: groups/,
    );
    const dir = mkdtempSync(join(tmpdir(), 'demo-'));
    writeFileSync(join(dir, 'other.json'), JSON.stringify(good));
    expect(() => loadDemographicsDeclaration('other', dir)).toThrow(/invalid at: id/);
    expect(() => loadDemographicsDeclaration('missing', dir)).toThrow(/no demographics declaration/);
    expect(() => loadDemographicsDeclaration('../etc', dir)).toThrow(InputError);
  });

  it('refuses a layer that does not fit the declaration, naming feature and property; nothing returned', () => {
    const d = loadDemographicsDeclaration('chicago-community-areas-2014');
    const props = chicagoProps.map((p) => ({ ...p }));
    props[3].Blk14 = -5;
    delete props[10].Pop2014;
    props[20].community_area = props[0].community_area;
    try {
      areaDemographics(
        props.map((p) => ({ properties: p })),
        d,
      );
      expect.unreachable();
    } catch (e) {
      const where = (e as InputError).where;
      expect(where).toContainEqual(
        expect.objectContaining({ row: 4, field: 'features[3].properties.Blk14', got: '-5' }),
      );
      expect(where).toContainEqual(expect.objectContaining({ row: 11, field: 'features[10].properties.Pop2014' }));
      expect(where).toContainEqual(
        expect.objectContaining({
          row: 21,
          field: 'features[20].properties.community_area',
          expected: 'a unique area code',
        }),
      );
    }
  });
});
