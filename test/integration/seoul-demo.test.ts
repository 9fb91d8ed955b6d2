/**
 * The Seoul demo from scratch, on SQLite and PostgreSQL: boundaries, the demographics join, the CP949
 * police table, and a place-based audit whose groups are registered foreigners and residents aged 65+.
 *
 * Expected values are computed in this file from the bundled files with its own minimal CSV reading
 * (iconv-lite + a quoted-field regex), not through the product's readers: the audit's per-group exposure
 * is Σ_area exposure × group/population ÷ Σ_area group, as the residential attribution defines it.
 */
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { areaDemographics, loadDemographicsDeclaration } from '../../src/fairness/demographics';
import { placeAudit } from '../../src/fairness/place-audit';
import { getSetting } from '../../src/store/settings';
import { DIALECTS } from '../support/stores';
import { startDemoServer, type DemoServer } from '../support/server';

const DIR = 'demo/seoul';
const csv = (text: string) =>
  text
    .trim()
    .split(/\r?\n/)
    .map((line) =>
      [...line.matchAll(/("([^"]*)"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => (m[2] ?? m[1]).replace(/,/g, '')),
    );
const population = csv(readFileSync(`${DIR}/seoul_population_2017q1_by_gu.csv`, 'utf8'))
  .slice(1)
  .map(([code, , , pop, , foreign, old]) => ({ code, pop: +pop, foreign: +foreign, old: +old }));
const stationDistrict = new Map(
  csv(readFileSync(`${DIR}/police_stations.csv`, 'utf8'))
    .slice(1)
    .map(([st, , code]) => [st, code]),
);
const cleared = new Map<string, number>(),
  reported = new Map<string, number>();
for (const r of csv(iconv.decode(readFileSync(`${DIR}/five_major_crimes_by_police_station.cp949.csv`), 'cp949')).slice(
  1,
)) {
  const code = stationDistrict.get(r[0])!;
  reported.set(code, (reported.get(code) ?? 0) + [1, 3, 5, 7, 9].reduce((s, i) => s + Number(r[i]), 0));
  cleared.set(code, (cleared.get(code) ?? 0) + [2, 4, 6, 8, 10].reduce((s, i) => s + Number(r[i]), 0));
}
const perResident = (group: 'foreign' | 'old' | 'pop') => {
  const exposure = population.reduce((s, a) => s + (cleared.get(a.code) ?? 0) * (a[group] / a.pop), 0);
  return exposure / population.reduce((s, a) => s + a[group], 0);
};

describe.each(DIALECTS)('the Seoul demo on %s', (dialect) => {
  let s: DemoServer;
  beforeAll(async () => {
    s = await startDemoServer({ demo: 'seoul', dialect });
  }, 120_000);
  afterAll(async () => s?.close());

  it('loads the 25 districts, 423 neighbourhoods and the city boundary, in UTM-K and Seoul time', async () => {
    const layers = (await (await fetch(`${s.url}/api/layers`)).json()) as {
      name: string;
      kind: string;
      featureCount: number;
    }[];
    expect(layers.map((l) => [l.name, l.kind, l.featureCount])).toEqual(
      expect.arrayContaining([
        ['seoul', 'jurisdiction', 1],
        ['seoul-districts', 'areas', 25],
        ['seoul-neighbourhoods', 'areas', 423],
      ]),
    );
    expect(await getSetting(s.store.db, 'forecast.crs')).toBe('EPSG:5179');
    expect(await getSetting(s.store.db, 'agency.timeZone')).toBe('Asia/Seoul');
    expect(await getSetting(s.store.db, 'demo.name')).toBe('seoul');
    expect(await (await fetch(`${s.url}/api/agency`)).json()).toEqual({ timeZone: 'Asia/Seoul', demo: 'seoul' });
    // Aggregate data only: no incident is invented.
    const n = await s.store.db
      .selectFrom('incidents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(0);
  });

  it('serves the district map of reported vs cleared crime from the CP949 police table', async () => {
    const fc = (await (await fetch(`${s.url}/api/layers/seoul-districts`)).json()) as {
      features: { properties: Record<string, unknown> }[];
    };
    const p = (code: string) => fc.features.find((f) => f.properties.code === code)!.properties;
    // Jongno-gu (11010) holds Jongno and Hyehwa stations: theft 1,070 + 1,114 reported, 413 + 424 cleared.
    expect(p('11010').theft_reported).toBe(2184);
    expect(p('11010').theft_cleared).toBe(837);
    expect(p('11010').five_major_reported).toBe(reported.get('11010'));
    expect(p('11010').five_major_cleared).toBe(cleared.get('11010'));
    expect(p('11010').cctv_total).toBe(1002);
    // Gangseo-gu has no station standing in it: no figures rather than zeros.
    expect(p('11160').five_major_reported).toBeNull();
    const totalTheft = fc.features.reduce((t, f) => t + Number(f.properties.theft_reported ?? 0), 0);
    expect(totalTheft).toBe(55_307);
  });

  it('runs a place-based audit whose groups are registered foreigners and residents aged 65+', async () => {
    const fc = (await (await fetch(`${s.url}/api/layers/seoul-districts`)).json()) as {
      features: { properties: Record<string, unknown> }[];
    };
    const declaration = loadDemographicsDeclaration('seoul-districts-2017');
    const demo = areaDemographics(fc.features, declaration);
    expect(demo.reduce((t, a) => t + a.population, 0)).toBe(10_197_604);
    expect(demo.reduce((t, a) => t + a.residents.foreign, 0)).toBe(270_636);
    expect(demo.reduce((t, a) => t + a.residents.age65plus, 0)).toBe(1_321_458);
    // A patrol plan that follows clearances (where police found someone), audited against reported crime.
    const byCode = new Map(fc.features.map((f) => [String(f.properties.code), f.properties]));
    const audit = placeAudit(
      demo.map((a) => ({
        ...a,
        exposure: Number(byCode.get(a.area)!.five_major_cleared ?? 0),
        victimization: Number(byCode.get(a.area)!.five_major_reported ?? 0),
      })),
    );
    const g = (id: string) => audit.groups.find((x) => x.group === id)!;
    expect(g('foreign').exposurePerResident).toBeCloseTo(perResident('foreign'), 9);
    expect(g('age65plus').exposurePerResident).toBeCloseTo(perResident('old'), 9);
    expect(g('foreign').ratioToReference).toBeCloseTo(perResident('foreign') / perResident('pop'), 9);
    expect(g('age65plus').ratioToReference).toBeCloseTo(perResident('old') / perResident('pop'), 9);
    expect(g('foreign').residents).toBe(270_636);
    expect(audit.groupsOverlap).toBe(true); // 65+ overlaps the nationality groups
    expect(['pass', 'fail', 'insufficient-data']).toContain(g('foreign').verdict);
  });
});
