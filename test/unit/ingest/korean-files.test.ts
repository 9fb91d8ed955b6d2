/**
 * Korean files: CP949 detection, BOMs, "1,395" numbers, Korean column names in a mapping file, and the
 * boundary + table join. Expected totals are hand-summed from the UTF-8 republication of the same tables
 * (/work/shared/data/seoul, README): 10,197,604 residents, 270,636 registered foreigners, 1,321,458 aged 65+;
 * 55,307 thefts reported and 21,534 cleared at the 31 stations.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/domain/errors';
import { detectEncoding, detectFileEncoding, parseEncoding, parseNumber } from '../../../src/ingest/encoding';
import { joinOntoLayer, loadTableMapping, mapTable, readTable, sumBy } from '../../../src/ingest/area-table';
import { readAreaLayer } from '../../../src/ingest/read-areas';

const SEOUL = 'demo/seoul';
const CRIMES = `${SEOUL}/five_major_crimes_by_police_station.cp949.csv`;
const tmp = mkdtempSync(join(tmpdir(), 'cw-korea-'));

function thrown(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('encodings', () => {
  it('detects the police table as CP949 and the UTF-8 files as UTF-8', () => {
    expect(detectFileEncoding(CRIMES)).toBe('cp949');
    expect(detectFileEncoding(`${SEOUL}/seoul_population_2017q1_by_gu.csv`)).toBe('utf-8');
    expect(detectEncoding(Buffer.from('\uFEFFgu,code\n', 'utf8'))).toBe('utf-8');
    // A Hangul character cut in half at the end of the sample is still UTF-8.
    expect(detectEncoding(Buffer.from('관서명', 'utf8').subarray(0, 7))).toBe('utf-8');
    expect(detectEncoding(iconv.encode('관서명,살인 발생', 'cp949'))).toBe('cp949');
  });

  it('accepts cp949, euc-kr and utf-8 by name and refuses others in both languages', () => {
    expect(parseEncoding('CP949')).toBe('cp949');
    expect(parseEncoding('euc-kr')).toBe('euc-kr');
    expect(parseEncoding('utf8')).toBe('utf-8');
    expect(parseEncoding(undefined)).toBe('auto');
    const e = thrown(() => parseEncoding('latin1'));
    expect(e.where[0].field).toBe('--encoding');
    expect(e.text('ko')).toContain('알 수 없는 문자 인코딩');
  });

  it('reads thousands separators only where they group digits in threes', () => {
    expect(parseNumber('"1,395"'.slice(1, -1))).toBe(1395);
    expect(parseNumber(' 12,345,678.5 ')).toBe(12345678.5);
    expect(parseNumber('1395')).toBe(1395);
    for (const bad of ['1,39', '1,3950', ',395', '1.395,5', '', 'abc']) expect(parseNumber(bad), bad).toBeNaN();
    fc.assert(fc.property(fc.nat(), (n) => parseNumber(n.toLocaleString('en-US')) === n));
  });
});

describe('tables with Korean headers', () => {
  it('reads the CP949 police table through a mapping file written with its Korean column names', () => {
    const mapping = loadTableMapping(`${SEOUL}/knpa-five-major-crimes.mapping.json`);
    const table = readTable(CRIMES, { encoding: mapping.encoding });
    expect(table.encoding).toBe('cp949');
    expect(table.header[0]).toBe('관서명');
    const rows = mapTable(table, mapping);
    expect(rows).toHaveLength(31);
    expect(rows[0]).toEqual({
      key: '중부서',
      row: 2,
      values: expect.objectContaining({
        theft_reported: 1395,
        theft_cleared: 477,
        violence_reported: 1355,
        violence_cleared: 1170,
      }),
    });
    const sum = (k: string) => rows.reduce((s, r) => s + (r.values[k] as number), 0);
    expect(sum('theft_reported')).toBe(55307);
    expect(sum('theft_cleared')).toBe(21534);
    expect(sum('murder_reported')).toBe(163);
    expect(sum('violence_cleared')).toBe(55162);
  });

  it('the same table read as UTF-8 by mistake fails on its headers, naming the missing Korean columns', () => {
    const mapping = loadTableMapping(`${SEOUL}/knpa-five-major-crimes.mapping.json`);
    const e = thrown(() => mapTable(readTable(CRIMES, { encoding: 'utf-8' }), mapping));
    expect(e.where.map((w) => w.field)).toContain('관서명');
    expect(e.where[0]).toMatchObject({ file: CRIMES, row: 1 });
  });

  it('a bad count names file, row and column, and nothing is returned', () => {
    const file = join(tmp, 'bad.csv');
    writeFileSync(file, iconv.encode('관서명,절도 발생\n중부서,"1,395"\n종로서,"1,39"\n', 'cp949'));
    const e = thrown(() =>
      mapTable(readTable(file), { key: '관서명', counts: { theft_reported: '절도 발생' }, texts: {} }),
    );
    expect(e.where).toEqual([expect.objectContaining({ file, row: 3, field: '절도 발생', got: '1,39' })]);
    expect(e.text('ko')).toContain('아무것도 가져오지 않았습니다');
  });

  it('strips a UTF-8 BOM from a table header and from a GeoJSON file', () => {
    const csv = join(tmp, 'bom.csv');
    writeFileSync(csv, '\uFEFFgu_code,population\n11010,"162,820"\n');
    const t = readTable(csv);
    expect(t.header).toEqual(['gu_code', 'population']);
    expect(mapTable(t, { key: 'gu_code', counts: { population: 'population' }, texts: {} })[0].values.population).toBe(
      162820,
    );
    const geo = join(tmp, 'bom.geojson');
    writeFileSync(geo, `\uFEFF${readFileSync(`${SEOUL}/seoul_municipalities_geo_simple.json`, 'utf8')}`);
    expect(readAreaLayer(geo).areas).toHaveLength(25);
  });

  it('a mapping file with a bad attribute name is refused naming the field', () => {
    const file = join(tmp, 'm.json');
    writeFileSync(file, JSON.stringify({ key: '관서명', counts: { 절도: '절도 발생' } }));
    const e = thrown(() => loadTableMapping(file));
    expect(e.where[0]).toMatchObject({ file, field: 'counts.절도' });
  });
});

describe('joining tables onto boundaries', () => {
  const districts = () =>
    readAreaLayer(`${SEOUL}/seoul_municipalities_geo_simple.json`, { codeField: 'code', nameField: 'name' });

  it('residents join the 25 districts by KOSTAT code; totals are the published ones', () => {
    const m = loadTableMapping(`${SEOUL}/population.mapping.json`);
    const layer = joinOntoLayer(districts(), mapTable(readTable(`${SEOUL}/seoul_population_2017q1_by_gu.csv`), m), {
      file: 'population',
    });
    const total = (k: string) => layer.areas.reduce((s, a) => s + (a.attrs[k] as number), 0);
    expect(total('population')).toBe(10_197_604);
    expect(total('registered_foreigners')).toBe(270_636);
    expect(total('age65plus')).toBe(1_321_458);
    const ydp = layer.areas.find((a) => a.name === '영등포구')!;
    expect((ydp.attrs.registered_foreigners as number) / (ydp.attrs.population as number)).toBeCloseTo(0.087, 3);
  });

  it('stations sum into the district that holds them; a station missing from the grouping table is an error', () => {
    const m = loadTableMapping(`${SEOUL}/knpa-five-major-crimes.mapping.json`);
    const stations = mapTable(readTable(CRIMES, { encoding: 'cp949' }), m);
    const districtOf = new Map(
      mapTable(readTable(`${SEOUL}/police_stations.csv`), {
        key: 'police_station',
        counts: {},
        texts: { gu_code: 'gu_code' },
      }).map((r) => [r.key, r.values.gu_code as string]),
    );
    const byGu = sumBy(stations, (k) => districtOf.get(k), CRIMES, '관서명');
    expect(byGu).toHaveLength(24); // Gangseo station stands in Yangcheon-gu: Gangseo-gu has none
    const layer = joinOntoLayer(districts(), byGu, { file: CRIMES, requireAll: false });
    const yangcheon = layer.areas.find((a) => a.code === '11150')!;
    expect(yangcheon.attrs.theft_reported).toBe(3986);
    expect(layer.areas.find((a) => a.code === '11160')!.attrs.theft_reported).toBeUndefined();
    districtOf.delete('수서서');
    const e = thrown(() => sumBy(stations, (k) => districtOf.get(k), CRIMES, '관서명'));
    expect(e.where).toEqual([expect.objectContaining({ file: CRIMES, row: 32, field: '관서명', got: '수서서' })]);
  });

  it('a key that matches no district stops the join and leaves the layer as it was', () => {
    const layer = districts();
    const e = thrown(() =>
      joinOntoLayer(layer, [{ key: '99999', row: 7, values: { population: 1 } }], { file: 'x.csv', requireAll: false }),
    );
    expect(e.where[0]).toMatchObject({ file: 'x.csv', row: 7, field: 'code', got: '99999' });
    expect(layer.areas.every((a) => a.attrs.population === undefined)).toBe(true);
    // By name, with Hangul in decomposed form (NFD), as some exports write it.
    const joined = joinOntoLayer(layer, [{ key: '종로구'.normalize('NFD'), row: 2, values: { population: 162820 } }], {
      file: 'n.csv',
      on: 'name',
      requireAll: false,
    });
    expect(joined.areas.find((a) => a.code === '11010')!.attrs.population).toBe(162820);
    // Every district must be covered unless told otherwise.
    expect(thrown(() => joinOntoLayer(layer, [], { file: 'n.csv' })).where).toHaveLength(25);
  });
});
