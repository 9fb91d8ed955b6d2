/** Load the NIJ Portland fixtures as forecaster incidents (date-only, citizen-reported calls). */
import { readFileSync } from 'node:fs';
import type { ForecastIncident } from '../../../src/forecast/data';
import { jurisdictionFromGeoJson } from '../../../src/geo/polygon';

export const PORTLAND_DIR = 'test/fixtures/portland-nij';

export function loadPortland(kind: 'bur' | 'veh'): ForecastIncident[] {
  const text = readFileSync(`${PORTLAND_DIR}/crimes_${kind}_to_2017-02-28.csv`, 'utf8');
  const lines = text.split(/\r?\n/);
  const head = lines[0].split(',');
  const [iDate, iX, iY] = ['occ_date', 'x_coordina', 'y_coordina'].map((c) => head.indexOf(c));
  const out: ForecastIncident[] = [];
  for (let r = 1; r < lines.length; r++) {
    if (!lines[r]) continue;
    const f = lines[r].split(',');
    out.push({
      id: `${kind}-${r}`,
      type: kind === 'bur' ? 'burglary' : 'motor-vehicle theft',
      origin: 'citizen',
      t: Date.parse(`${f[iDate]}T00:00:00Z`),
      timePrecision: 'day',
      x: Number(f[iX]),
      y: Number(f[iY]),
    });
  }
  return out;
}

export function portlandJurisdiction() {
  return jurisdictionFromGeoJson(
    JSON.parse(readFileSync(`${PORTLAND_DIR}/portland_police_districts.epsg2913.geojson`, 'utf8')),
  );
}
