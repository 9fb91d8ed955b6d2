/**
 * The Seoul demo: what Korean aggregate public data supports. Korea publishes no point-level crime data,
 * so there are no incidents here (and none are invented): the 25 districts carry their residents
 * (registered foreigners, people aged 65+), public CCTV cameras and the five major crimes reported and
 * cleared at the police stations that stand in them; the 423 neighbourhoods and the city boundary are
 * layers for maps. Files are in demo/seoul (ORIGIN.md says where each comes from and its licence).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { joinOntoLayer, loadTableMapping, mapTable, readTable, sumBy } from '../ingest/area-table';
import { readAreaLayer, type AreaLayer } from '../ingest/read-areas';

export const SEOUL_DIR = 'demo/seoul';
export const SEOUL_LAYERS = {
  districts: 'seoul-districts',
  neighbourhoods: 'seoul-neighbourhoods',
  city: 'seoul',
} as const;
export const SEOUL_DEMOGRAPHICS = 'seoul-districts-2017';

/** The count attributes of the crime table, reported (발생) and cleared (검거). */
export const FIVE_MAJOR = ['murder', 'robbery', 'rape', 'theft', 'violence'] as const;

export interface SeoulLayers {
  districts: AreaLayer;
  neighbourhoods: AreaLayer;
  /** SHA-256 over every file the district layer was built from, in order: what the log commits to. */
  districtsSha256: string;
  /** Districts with no police station standing in them (their crimes are counted where the station stands). */
  districtsWithoutStation: string[];
}

/**
 * Build the Seoul layers from the bundled files: boundaries joined with residents and CCTV by KOSTAT
 * code, and with the CP949 police table summed from stations into districts. All-or-nothing: any bad
 * value or unmatched key throws, naming file, row and column. O(features + rows).
 */
export function buildSeoulLayers(dir = SEOUL_DIR): SeoulLayers {
  const f = (name: string) => join(dir, name);
  let districts = readAreaLayer(f('seoul_municipalities_geo_simple.json'), { codeField: 'code', nameField: 'name' });
  const hash = createHash('sha256').update(districts.sha256);
  const joinTable = (tableFile: string, mappingFile: string) => {
    const m = loadTableMapping(f(mappingFile));
    const t = readTable(f(tableFile), { encoding: m.encoding });
    hash.update(t.sha256);
    districts = joinOntoLayer(districts, mapTable(t, m), { file: t.file });
  };
  joinTable('seoul_population_2017q1_by_gu.csv', 'population.mapping.json');
  joinTable('seoul_cctv_by_gu.csv', 'cctv.mapping.json');

  const crimeMapping = loadTableMapping(f('knpa-five-major-crimes.mapping.json'));
  const crimes = readTable(f('five_major_crimes_by_police_station.cp949.csv'), { encoding: crimeMapping.encoding });
  const stations = readTable(f('police_stations.csv'));
  hash.update(crimes.sha256).update(stations.sha256);
  const districtOf = new Map(
    mapTable(stations, { key: 'police_station', counts: {}, texts: { gu_code: 'gu_code' } }).map((r) => [
      r.key,
      String(r.values.gu_code),
    ]),
  );
  const byDistrict = sumBy(mapTable(crimes, crimeMapping), (k) => districtOf.get(k), crimes.file, crimeMapping.key);
  districts = joinOntoLayer(districts, byDistrict, { file: crimes.file, requireAll: false });
  const withStation = new Set(byDistrict.map((r) => r.key));
  const districtsWithoutStation = districts.areas.filter((a) => !withStation.has(a.code)).map((a) => a.code);
  // Totals over the five crimes, and the year caveat the source imposes, on every district.
  districts = {
    ...districts,
    areas: districts.areas.map((a) => {
      const sum = (kind: 'reported' | 'cleared') =>
        withStation.has(a.code) ? FIVE_MAJOR.reduce((s, c) => s + Number(a.attrs[`${c}_${kind}`] ?? 0), 0) : null;
      return {
        ...a,
        attrs: {
          ...a.attrs,
          five_major_reported: sum('reported'),
          five_major_cleared: sum('cleared'),
          crime_year: 'unstated (one year; the source used 2015 police statistics)',
        },
      };
    }),
  };

  const neighbourhoods = readAreaLayer(f('seoul_submunicipalities_geo_simple.json'), {
    codeField: 'code',
    nameField: 'name',
  });
  // A neighbourhood's first five code digits are its district's.
  const withDistrict = {
    ...neighbourhoods,
    areas: neighbourhoods.areas.map((a) => ({ ...a, attrs: { ...a.attrs, district_code: a.code.slice(0, 5) } })),
  };
  return { districts, neighbourhoods: withDistrict, districtsSha256: hash.digest('hex'), districtsWithoutStation };
}
