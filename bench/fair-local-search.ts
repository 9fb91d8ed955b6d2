/**
 * Issue 22 item 4, reconciled: a plain local search against the planner and its LP bound, on the dates the
 * issue's filer used (every third month of 2018–2019, as-of the 1st, 7-day windows, 20 and 40 cells, Chicago
 * demo, hotspots + 200 candidates ≈ 220 cells), under our definition and under the definitions the filer may
 * have used. Prints one JSON object; never asserts timings.
 *   npx tsx bench/fair-local-search.ts [extraCandidates=200] [restarts=4]
 *
 * Local search (independent of src/fairness/fair-missions.ts): 1-for-1 swaps in/out of the plan; objective
 * expected hits (sum of the forecast's risk); constraint every estimable group's exposure/victimization ratio
 * within 0.8–1.25. From the top cells and from random starts it climbs hits − M·(band deviation) for growing M
 * until the band holds, then takes every swap that raises hits and keeps the band. Its plans are re-judged by
 * the place audit's model (groupExposure) before they count.
 *
 * Definitions compared (each changes only the exposure basis; candidates and risk are the same):
 *   ours                  citywide denominators, citizen reports of the 365 days before, all estimable groups
 *                         bind (Hispanic of any race too), 1,000 residents / 30 attributed reports
 *   no-overlapping-group  as ours, but the overlapping group (Hispanic of any race) does not bind
 *   candidate-areas       denominators over the areas holding a candidate cell only (the pre-issue planner's)
 *   population            the yardstick is each group's share of residents, not of victimization
 *   whole-period          victimization = every citizen report 2017-01-01 … the data's end (not the year before)
 *   candidate-cells       everything over the 220 candidate cells only: each cell carries its area's residents
 *                         split evenly over the area's grid cells, victimization = citizen reports of the year
 *                         before IN the cell (the "divided by the residents of the candidate cells")
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cellsToAreaExposure, exposureBasis, groupExposure, type ExposureBasis } from '../src/fairness/exposure';
import { planFairMissions, type FairMissionInput } from '../src/fairness/fair-missions';
import { seededRandom } from '../src/fairness/stats';
import { DAY_MS } from '../src/forecast';
import { observedCounts } from '../src/forecast/data';
import { cellPolygon, toWgs84 } from '../src/geo';
import { chicagoDemo, planDate, summariseKept, type BacktestCity, type DatePlans } from '../test/support/fair-backtest';

const extra = Number(process.argv[2] ?? 200);
const restarts = Number(process.argv[3] ?? 4);
const only = process.argv[4]?.split(',');
/** CW_MILP_DIR: also write each instance (risk, group rows, budget) for an exact integer check (bench/fair-milp-check.py). */
const milpDir = process.env.CW_MILP_DIR;
if (milpDir) mkdirSync(milpDir, { recursive: true });
const BAND: [number, number] = [0.8, 1.25];
const DATES = [
  '2018-01-01',
  '2018-04-01',
  '2018-07-01',
  '2018-10-01',
  '2019-01-01',
  '2019-04-01',
  '2019-07-01',
  '2019-10-01',
];

interface Search {
  cells: number[];
  hits: number;
  feasible: boolean;
}

/**
 * Plain swap local search. O(restarts × penalties × swaps × budget × candidates × groups).
 */
function localSearch(input: FairMissionInput, band: [number, number], starts: number, seed: number): Search {
  const { risk, cellArea, basis, budget } = input;
  const n = risk.length;
  const ks = basis.groups.map((_, k) => k).filter((k) => basis.estimable[k] && basis.yardstickShare[k] > 0);
  const w = ks.map((k) => Float64Array.from(cellArea, (a) => (a >= 0 ? basis.composition[k][a] : 0)));
  const s = ks.map((k) => basis.yardstickShare[k]);
  const p = Float64Array.from(cellArea, (a) => (a >= 0 && basis.populated[a] ? 1 : 0));
  const lo = Math.log(band[0]),
    hi = Math.log(band[1]);
  const dev = (W: Float64Array, X: number) => {
    if (X <= 0) return 1e3;
    let t = 0;
    for (let j = 0; j < ks.length; j++) {
      const r = W[j] / X / s[j];
      t += r > 0 ? Math.max(0, Math.log(r) - hi, lo - Math.log(r)) : 20;
    }
    return t;
  };
  const top = Array.from({ length: n }, (_, c) => c).sort((a, b) => risk[b] - risk[a] || a - b);
  let H0 = 0;
  for (let i = 0; i < budget; i++) H0 += risk[top[i]];
  const rnd = seededRandom(seed);
  let best: Search = { cells: [], hits: -Infinity, feasible: false };
  let closest: { cells: number[]; hits: number; d: number } = { cells: top.slice(0, budget), hits: H0, d: Infinity };
  for (let r = 0; r < starts; r++) {
    const chosen = new Uint8Array(n);
    if (r === 0) for (let i = 0; i < budget; i++) chosen[top[i]] = 1;
    else {
      const perm = top.slice(); // Fisher–Yates: a uniform random start
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [perm[i], perm[j]] = [perm[j], perm[i]];
      }
      for (let i = 0; i < budget; i++) chosen[perm[i]] = 1;
    }
    const W = new Float64Array(ks.length);
    let X = 0,
      hits = 0;
    for (let c = 0; c < n; c++)
      if (chosen[c]) {
        X += p[c];
        hits += risk[c];
        for (let j = 0; j < ks.length; j++) W[j] += w[j][c];
      }
    const T = new Float64Array(ks.length);
    const climb = (score: (h: number, d: number) => number, keepFeasible: boolean) => {
      for (let step = 0; step < 2000; step++) {
        const cur = score(hits, dev(W, X));
        let gain = 1e-12,
          bi = -1,
          bj = -1;
        for (let i = 0; i < n; i++) {
          if (!chosen[i]) continue;
          for (let j = 0; j < n; j++) {
            if (chosen[j]) continue;
            for (let q = 0; q < ks.length; q++) T[q] = W[q] - w[q][i] + w[q][j];
            const d = dev(T, X - p[i] + p[j]);
            if (keepFeasible && d > 1e-12) continue;
            const g = score(hits - risk[i] + risk[j], d) - cur;
            if (g > gain) {
              gain = g;
              bi = i;
              bj = j;
            }
          }
        }
        if (bi < 0) return;
        chosen[bi] = 0;
        chosen[bj] = 1;
        for (let q = 0; q < ks.length; q++) W[q] += w[q][bj] - w[q][bi];
        X += p[bj] - p[bi];
        hits += risk[bj] - risk[bi];
      }
    };
    for (const M of [1, 10, 100, 1e4]) {
      if (dev(W, X) <= 1e-12) break;
      climb((h, d) => h / H0 - M * d, false);
    }
    const d = dev(W, X);
    if (d <= 1e-12) climb((h) => h, true);
    const cells = Array.from(chosen.keys()).filter((c) => chosen[c]);
    if (d <= 1e-12 && hits > best.hits) best = { cells, hits, feasible: true };
    if (d < closest.d) closest = { cells, hits, d };
  }
  return best.feasible ? best : { cells: closest.cells, hits: closest.hits, feasible: false };
}

/** The same plan date under another definition of the exposure basis. */
function variant(c: BacktestCity, r: DatePlans, name: string): FairMissionInput {
  const { input, basis } = r;
  const areas = c.model.areas;
  const groups = c.model.groups;
  const period = basis.period ?? undefined;
  const rebuild = (b: ExposureBasis, cellArea: ArrayLike<number> = input.cellArea) => ({
    ...input,
    basis: b,
    cellArea,
  });
  switch (name) {
    case 'ours':
      return input;
    case 'no-overlapping-group':
      return rebuild(
        exposureBasis({
          areas,
          groups: groups.filter((g) => !g.overlapsOthers),
          victimization: r.victimization,
          period,
        }),
      );
    case 'population':
      return rebuild(exposureBasis({ areas, groups }));
    case 'candidate-areas': {
      const held = [...new Set(Array.from(input.cellArea).filter((a) => a >= 0))].sort((a, b) => a - b);
      const at = new Map(held.map((a, i) => [a, i]));
      const b = exposureBasis({
        areas: held.map((a) => areas[a]),
        groups,
        victimization: held.map((a) => r.victimization[a]),
        period,
      });
      return rebuild(
        b,
        Int32Array.from(input.cellArea, (a) => (a >= 0 ? at.get(a)! : -1)),
      );
    }
    case 'whole-period': {
      const v = new Float64Array(areas.length);
      for (const e of c.incidents) {
        const a = c.model.areaOf(e.lon, e.lat);
        if (a >= 0) v[a]++;
      }
      return rebuild(exposureBasis({ areas, groups, victimization: v }));
    }
    case 'candidate-cells': {
      const perArea = gridCellsPerArea(c);
      const t0 = Date.parse(`${r.asOf}T00:00:00Z`);
      const before = observedCounts(c.data, t0 - 365 * DAY_MS, t0);
      const cellAreas = Array.from(input.cellArea);
      const pseudo = cellAreas.map((a, j) =>
        a >= 0
          ? {
              area: `cell-${r.cellIds[j]}`,
              population: areas[a].population / perArea[a],
              residents: Object.fromEntries(Object.entries(areas[a].residents).map(([g, x]) => [g, x / perArea[a]])),
            }
          : { area: `cell-${r.cellIds[j]}`, population: 0, residents: {} },
      );
      const b = exposureBasis({ areas: pseudo, groups, victimization: r.cellIds.map((k) => before[k]), period });
      return rebuild(
        b,
        Int32Array.from(cellAreas, (_, j) => j),
      );
    }
    default:
      throw new Error(name);
  }
}

let perAreaCache: Float64Array | null = null;
/** Grid cells whose centre lies in each area (to split an area's residents over its cells). O(grid cells × areas). */
function gridCellsPerArea(c: BacktestCity): Float64Array {
  if (perAreaCache) return perAreaCache;
  const out = new Float64Array(c.model.areas.length);
  const toLonLat = toWgs84(c.crs);
  for (let k = 0; k < c.grid.n; k++) {
    const ring = cellPolygon(c.grid, k)[0][0]
      .slice(0, -1)
      .map(([x, y]) => toLonLat(x, y));
    const a = c.model.areaOf(
      ring.reduce((s, q) => s + q[0], 0) / ring.length,
      ring.reduce((s, q) => s + q[1], 0) / ring.length,
    );
    if (a >= 0) out[a]++;
  }
  for (let a = 0; a < out.length; a++) out[a] = Math.max(1, out[a]);
  return (perAreaCache = out);
}

const r3 = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? null : +x.toFixed(3);
const city = await chicagoDemo();
const VARIANTS = [
  'ours',
  'no-overlapping-group',
  'candidate-areas',
  'population',
  'whole-period',
  'candidate-cells',
].filter((v) => !only || only.includes(v));
const rows: {
  variant: string;
  asOf: string;
  budget: number;
  afterData: boolean;
  candidates: number;
  planner: number;
  plannerFeasible: boolean;
  bound: number | null;
  ls: number;
  lsFeasible: boolean;
  lsAuditWithinBand: boolean;
  plannerRealised: number | null;
  lsRealised: number | null;
  unconstrainedRealised: number;
  unconstrainedWithinBand: boolean;
}[] = [];
const t0 = performance.now();
for (const asOf of DATES) {
  const afterData = Date.parse(`${asOf}T00:00:00Z`) + 7 * 86_400_000 > city.lastIncident + 86_400_000;
  const plans = planDate(city, asOf, [20, 40], BAND, extra, undefined, { allowAfterData: true });
  for (const r of plans) {
    for (const name of VARIANTS) {
      const input = variant(city, r, name);
      const fair = planFairMissions(input, BAND);
      const top = Array.from({ length: input.risk.length }, (_, c) => c)
        .sort((a, b) => input.risk[b] - input.risk[a] || a - b)
        .slice(0, r.budget);
      const H0 = top.reduce((s, c) => s + input.risk[c], 0);
      const R0 = top.reduce((s, c) => s + r.input.observed![c], 0);
      const ls = localSearch(input, BAND, restarts, 7);
      if (milpDir) {
        const ks = input.basis.groups
          .map((_, k) => k)
          .filter((k) => input.basis.estimable[k] && input.basis.yardstickShare[k] > 0);
        writeFileSync(
          `${milpDir}/${name}-${asOf}-${r.budget}.json`,
          JSON.stringify({
            variant: name,
            asOf,
            budget: r.budget,
            band: BAND,
            risk: Array.from(input.risk),
            unconstrainedHits: H0,
            plannerHits: fair.expectedHits,
            plannerFeasible: fair.feasible,
            localSearchHits: ls.feasible ? ls.hits : null,
            lpBound: fair.upperBound,
            p: Array.from(input.cellArea, (a) => (a >= 0 && input.basis.populated[a] ? 1 : 0)),
            s: ks.map((k) => input.basis.yardstickShare[k]),
            w: ks.map((k) => Array.from(input.cellArea, (a) => (a >= 0 ? input.basis.composition[k][a] : 0))),
            groups: ks.map((k) => input.basis.groups[k].id),
          }),
        );
      }
      const audit = groupExposure(
        input.basis,
        cellsToAreaExposure(input.cellArea, input.basis.areaCount, ls.cells).byArea,
        BAND,
      );
      const realised = (cells: number[]) => (R0 > 0 ? cells.reduce((s, c) => s + r.input.observed![c], 0) / R0 : null);
      const freeAudit = groupExposure(
        input.basis,
        cellsToAreaExposure(input.cellArea, input.basis.areaCount, top).byArea,
        BAND,
      );
      rows.push({
        variant: name,
        asOf,
        budget: r.budget,
        afterData,
        candidates: r.candidates,
        planner: fair.expectedHits / H0,
        plannerFeasible: fair.feasible,
        bound: fair.upperBound === null ? null : fair.upperBound / H0,
        ls: ls.hits / H0,
        lsFeasible: ls.feasible,
        lsAuditWithinBand: audit.withinBand,
        plannerRealised: realised(fair.cells),
        lsRealised: realised(ls.cells),
        unconstrainedRealised: R0,
        unconstrainedWithinBand: freeAudit.withinBand,
      });
    }
  }
}
const summary = VARIANTS.map((name) => ({
  variant: name,
  byBudget: [20, 40].map((budget) => {
    const rs = rows.filter((x) => x.variant === name && x.budget === budget);
    const ok = (f: (x: (typeof rs)[number]) => boolean) => rs.filter(f).length;
    const kept = (key: 'planner' | 'ls', feasibleOnly: boolean) => {
      const xs = rs.filter((x) => !feasibleOnly || (key === 'planner' ? x.plannerFeasible : x.lsFeasible));
      const e = summariseKept(
        xs.map((x) => x[key]),
        xs.map(() => 1),
      );
      return e && { mean: r3(e.mean), ci95: e.ci95.map(r3), dates: e.dates };
    };
    const realised = (key: 'plannerRealised' | 'lsRealised') => {
      const xs = rs.filter((x) => x[key] !== null);
      const e = summariseKept(
        xs.map((x) => x[key]!),
        xs.map(() => 1),
      );
      return e && { mean: r3(e.mean), ci95: e.ci95.map(r3), dates: e.dates };
    };
    return {
      budget,
      dates: rs.length,
      candidates: [Math.min(...rs.map((x) => x.candidates)), Math.max(...rs.map((x) => x.candidates))],
      unconstrainedWithinBand: ok((x) => x.unconstrainedWithinBand),
      planner: {
        datesWithinBand: ok((x) => x.plannerFeasible),
        expectedKept: kept('planner', false),
        expectedKeptWithinBandDates: kept('planner', true),
        realisedKept: realised('plannerRealised'),
      },
      localSearch: {
        datesWithinBand: ok((x) => x.lsFeasible),
        auditAgrees: rs.every((x) => x.lsAuditWithinBand === x.lsFeasible),
        expectedKept: kept('ls', false),
        expectedKeptWithinBandDates: kept('ls', true),
        realisedKept: realised('lsRealised'),
      },
      lpBound: { mean: r3(rs.reduce((s, x) => s + (x.bound ?? 1), 0) / rs.length) },
      localSearchAboveLpBound: ok((x) => x.lsFeasible && x.bound !== null && x.ls > x.bound + 1e-9),
      localSearchBeatsPlanner: ok((x) => x.lsFeasible && (!x.plannerFeasible || x.ls > x.planner + 1e-9)),
      meanPlannerMinusLocalSearch: r3(
        rs
          .filter((x) => x.lsFeasible && x.plannerFeasible)
          .reduce((s, x, _, a) => s + (x.planner - x.ls) / a.length, 0),
      ),
    };
  }),
}));
console.log(
  JSON.stringify(
    {
      bench: 'fair-local-search',
      city: city.name,
      candidates: `hotspots + ${extra}`,
      window: '7d',
      band: BAND,
      model: `kde:gaussian:${city.cellSize}:365`,
      restarts,
      dates: DATES,
      datesAfterData: DATES.filter((d) => rows.find((x) => x.asOf === d)?.afterData),
      summary,
      perDate: rows.map((x) => ({
        ...x,
        planner: r3(x.planner),
        bound: r3(x.bound),
        ls: r3(x.ls),
        plannerRealised: r3(x.plannerRealised),
        lsRealised: r3(x.lsRealised),
      })),
      ms: Math.round(performance.now() - t0),
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    },
    null,
    2,
  ),
);
