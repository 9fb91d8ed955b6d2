/**
 * Rolling backtests of fair patrol guidance on bundled data, shared by the suite test (a few dates) and
 * bench/fair-backtest.ts (every month). For each as-of date: the forecaster's risk for a 7-day window
 * (the model and candidate cells of a stored forecast: hotspots plus the next 200 cells), victimization
 * over the year before from citizen reports, the unconstrained plan and the plan within the band, the
 * place audit of each plan, and what happened in the window (realised hits).
 */
import { readFileSync } from 'node:fs';
import polygonClipping from 'polygon-clipping';
import {
  areaDemographics,
  loadDemographicsDeclaration,
  type DemographicsDeclaration,
} from '../../src/fairness/demographics';
import { exposureBasis, type ExposureBasis } from '../../src/fairness/exposure';
import {
  planFairMissions,
  planUnconstrained,
  type FairMissionInput,
  type MissionPlan,
} from '../../src/fairness/fair-missions';
import { placeAuditFromPlans, type PlaceAuditResult } from '../../src/fairness/place-audit';
import { seededRandom } from '../../src/fairness/stats';
import { DAY_MS, fitModel, prepare, type ForecastIncident } from '../../src/forecast';
import { observedCounts, type Prepared } from '../../src/forecast/data';
import { selectHotspots } from '../../src/forecast/evaluation';
import { placeModel, type PlaceModel } from '../../src/forecast-service/fairness';
import {
  buildGrid,
  cellPolygon,
  projector,
  readGeoJsonPolygons,
  toWgs84,
  type Grid,
  type MultiPolygon,
} from '../../src/geo';
import { resolveProfile } from '../../src/ingest/profiles';
import { readIncidents } from '../../src/ingest/read-incidents';
import { loadTaxonomy } from '../../src/ingest/taxonomy';

export interface BacktestCity {
  name: string;
  model: PlaceModel;
  grid: Grid;
  data: Prepared;
  /** Citizen-reported incidents (WGS84 and time) for victimization. */
  incidents: { t: number; lon: number; lat: number }[];
  crs: string;
  cellSize: number;
  hotspotArea: { minArea: number; maxArea: number };
  lastIncident: number;
}

/** The Chicago demo: its incidents (citizen-reported only), community areas and their declared demographics. */
export async function chicagoDemo(): Promise<BacktestCity> {
  const crs = 'EPSG:3435';
  const rows: { t: number; lon: number; lat: number; id: string; type: string }[] = [];
  await readIncidents(
    'demo/chicago/chicago_crimes_sample_2017_2019.csv',
    resolveProfile('chicago'),
    loadTaxonomy('config/taxonomy.json'),
    (batch) => {
      for (const r of batch)
        if (r.origin === 'citizen')
          rows.push({ t: Date.parse(r.occurred_at), lon: r.lon, lat: r.lat, id: r.source_id, type: r.type });
    },
  );
  const layer = JSON.parse(readFileSync('demo/chicago/chicago_community_areas.geojson', 'utf8')) as {
    features: { geometry: unknown; properties: Record<string, unknown> }[];
  };
  return city(
    'chicago-demo',
    layer.features,
    loadDemographicsDeclaration('chicago-community-areas-2014'),
    rows,
    crs,
    600,
    0.25 * 5280 ** 2,
  );
}

/** A city from area features, a declaration and citizen-reported incidents (WGS84). */
export function city(
  name: string,
  features: { geometry: unknown; properties: Record<string, unknown> }[],
  declaration: DemographicsDeclaration,
  rows: { t: number; lon: number; lat: number; id: string; type: string }[],
  crs: string,
  cellSize: number,
  minHotspotArea: number,
): BacktestCity {
  const project = projector('EPSG:4326', crs);
  // The jurisdiction is the union of the areas (as the demo loader makes it): one outline grids fast.
  const parts = features.map((f, i) =>
    readGeoJsonPolygons(f.geometry, `${name} feature ${i}`),
  ) as unknown as polygonClipping.MultiPolygon[];
  const union = polygonClipping.union(parts[0], ...parts.slice(1)) as unknown as MultiPolygon;
  const jurisdiction: MultiPolygon = union.map((poly) => poly.map((ring) => ring.map(([x, y]) => project(x, y))));
  const grid = buildGrid(jurisdiction, { cellSize });
  const incidents: ForecastIncident[] = rows.map((r) => {
    const [x, y] = project(r.lon, r.lat);
    return { id: r.id, type: r.type, origin: 'citizen', t: r.t, timePrecision: 'minute', x, y };
  });
  return {
    name,
    model: placeModel(name, features, declaration),
    grid,
    data: prepare(grid, incidents),
    incidents: rows,
    crs,
    cellSize,
    hotspotArea: { minArea: minHotspotArea, maxArea: 3 * minHotspotArea },
    lastIncident: Math.max(...rows.map((r) => r.t)),
  };
}

export interface DatePlans {
  asOf: string;
  budget: number;
  candidates: number;
  basis: ExposureBasis;
  /** The planner's input and the citizen-reported victimization per area behind `basis`. */
  input: FairMissionInput;
  victimization: Float64Array;
  /** Grid cell id of each candidate. */
  cellIds: number[];
  unconstrained: MissionPlan;
  fair: MissionPlan;
  /** The place audit of each plan, computed by the audit's own code path (cells → areas → groups). */
  auditUnconstrained: PlaceAuditResult;
  auditFair: PlaceAuditResult;
}

/** Plans for one as-of date and budgets, with their audits. Refuses a window after the data end. */
export function planDate(
  c: BacktestCity,
  asOf: string,
  budgets: number[],
  band: [number, number] = [0.8, 1.25],
  extraCandidates = 200,
  model = `kde:gaussian:${c.cellSize}:365`,
  opts: { allowAfterData?: boolean } = {},
): DatePlans[] {
  const t0 = Date.parse(`${asOf}T00:00:00Z`);
  const t1 = t0 + 7 * DAY_MS;
  // allowAfterData: only to reproduce a run that planned past the data (bench/fair-local-search.ts); never in the product.
  if (!opts.allowAfterData && t1 > c.lastIncident + DAY_MS)
    throw new Error(
      `${asOf}: the 7-day window ends after the data (last incident ${new Date(c.lastIncident).toISOString()})`,
    );
  const [kind, kernel, bw, hl] = model.split(':');
  const fitted = fitModel(c.data, t0, {
    model: kind as 'kde',
    kernel: kernel as 'gaussian',
    bandwidth: Number(bw),
    halfLifeDays: Number(hl),
  } as never);
  const risk = fitted.risk(7);
  const hotspots = selectHotspots(c.grid, risk, c.hotspotArea, 1);
  const order = Array.from(risk.keys())
    .filter((k) => risk[k] > 0)
    .sort((a, b) => risk[b] - risk[a] || a - b);
  const keep = [...new Set([...hotspots.cells, ...order.slice(0, hotspots.cells.length + extraCandidates)])].sort(
    (a, b) => risk[b] - risk[a] || a - b,
  );
  const toLonLat = toWgs84(c.crs);
  const rings = keep.map((k) => cellPolygon(c.grid, k)[0][0].map(([x, y]) => toLonLat(x, y)) as [number, number][]);
  const cellArea = Int32Array.from(rings, (r) => {
    const ring = r.slice(0, -1);
    return c.model.areaOf(
      ring.reduce((s, q) => s + q[0], 0) / ring.length,
      ring.reduce((s, q) => s + q[1], 0) / ring.length,
    );
  });
  const observedAll = observedCounts(c.data, t0, t1);
  const observed = Float64Array.from(keep, (k) => observedAll[k]);
  const victimization = new Float64Array(c.model.areas.length);
  for (const e of c.incidents)
    if (e.t >= t0 - 365 * DAY_MS && e.t < t0) {
      const a = c.model.areaOf(e.lon, e.lat);
      if (a >= 0) victimization[a]++;
    }
  const period = { from: new Date(t0 - 365 * DAY_MS).toISOString(), to: new Date(t0).toISOString() };
  if (!victimization.some((v) => v > 0))
    throw new Error(`${asOf}: no citizen-reported victimization in ${period.from} … ${period.to}`);
  const basis = exposureBasis({ areas: c.model.areas, groups: c.model.groups, victimization, period });
  return budgets.map((budget) => {
    const input = { risk: Float64Array.from(keep, (k) => risk[k]), cellArea, basis, budget, observed };
    const unconstrained = planUnconstrained(input, band);
    const fair = planFairMissions(input, band);
    const audit = (p: MissionPlan) =>
      placeAuditFromPlans(
        { plans: [{ cells: p.cells }], cellCount: keep.length, cellArea, areas: c.model.areas, victimization },
        { band, groups: c.model.groups, period },
      );
    return {
      asOf,
      budget,
      candidates: keep.length,
      basis,
      input,
      victimization,
      cellIds: keep,
      unconstrained,
      fair,
      auditUnconstrained: audit(unconstrained),
      auditFair: audit(fair),
    };
  });
}

export interface KeptSummary {
  dates: number;
  mean: number;
  ci95: [number, number];
  pooled: number;
}

/**
 * Hits kept across dates: mean of per-date ratios with a percentile bootstrap 95% interval over dates
 * (seeded), and the pooled ratio Σ kept ÷ Σ unconstrained.
 */
export function summariseKept(num: number[], den: number[], seed = 1, reps = 2000): KeptSummary | null {
  const idx = num.map((_, i) => i).filter((i) => den[i] > 0);
  if (!idx.length) return null;
  const ratio = (is: number[]) => is.reduce((s, i) => s + num[i] / den[i], 0) / is.length;
  const rnd = seededRandom(seed);
  const boots: number[] = [];
  for (let r = 0; r < reps; r++) boots.push(ratio(idx.map(() => idx[Math.floor(rnd() * idx.length)])));
  boots.sort((a, b) => a - b);
  return {
    dates: idx.length,
    mean: ratio(idx),
    ci95: [boots[Math.floor(0.025 * reps)], boots[Math.ceil(0.975 * reps) - 1]],
    pooled: idx.reduce((s, i) => s + num[i], 0) / idx.reduce((s, i) => s + den[i], 0),
  };
}

/**
 * A Seoul-shaped city: the 25 districts with 2017 Q1 residents (registered foreigners, Korean nationals,
 * residents aged 65+ as declared groups) and SYNTHETIC citizen-reported incidents: seeded points drawn
 * uniformly inside each district, at daily rates proportional to the district's reported five major
 * crimes (real per-district totals; Korea publishes no points), over 2018–2019.
 */
export function seoulSynthetic(perYear = 6000, seed = 5): BacktestCity {
  const fc = JSON.parse(readFileSync('test/fixtures/seoul/seoul-districts-2017.geojson', 'utf8')) as {
    features: { geometry: unknown; properties: Record<string, unknown> }[];
  };
  const declaration = loadDemographicsDeclaration('test/fixtures/seoul/seoul-districts-2017.demographics.json');
  const lines = readFileSync('test/fixtures/seoul/seoul_five_major_crimes_by_police_station.csv', 'utf8')
    .trim()
    .split('\n');
  const head = lines[0].split(',');
  const byGu = new Map<string, number>();
  for (const line of lines.slice(1)) {
    const v = line.split(',');
    const reported = head.reduce((s, h, i) => (h.endsWith('_reported') ? s + Number(v[i]) : s), 0);
    byGu.set(v[head.indexOf('gu_code')], (byGu.get(v[head.indexOf('gu_code')]) ?? 0) + reported);
  }
  const total = [...byGu.values()].reduce((a, b) => a + b, 0);
  const rnd = seededRandom(seed);
  const rows: { t: number; lon: number; lat: number; id: string; type: string }[] = [];
  const from = Date.parse('2018-01-01T00:00:00Z'),
    to = Date.parse('2020-01-01T00:00:00Z');
  fc.features.forEach((f, i) => {
    const mp = readGeoJsonPolygons(f.geometry, `seoul feature ${i}`);
    const one = placeModel('one', [f], declaration);
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const poly of mp)
      for (const [x, y] of poly[0]) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
    const n = Math.round(((byGu.get(String(f.properties.code)) ?? 0) / total) * perYear * 2);
    for (let k = 0; k < n;) {
      const lon = x0 + rnd() * (x1 - x0),
        lat = y0 + rnd() * (y1 - y0);
      if (one.areaOf(lon, lat) !== 0) continue;
      rows.push({ t: from + Math.floor(rnd() * (to - from)), lon, lat, id: `syn-${i}-${k}`, type: 'THEFT' });
      k++;
    }
  });
  return city('seoul-synthetic', fc.features, declaration, rows, 'EPSG:32652', 500, 500_000);
}
