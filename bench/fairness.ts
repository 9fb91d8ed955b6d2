/**
 * Fairness benchmark. Prints one JSON object; never asserts timings.
 *   npx tsx bench/fairness.ts [rows=10000000]
 *
 * 1. Person-level audit of N synthetic rows with 3 protected attributes (6 × 2 × 3 levels, 0.2%
 *    missing labels) through the columnar entry point: single attributes, then with the 3-way
 *    intersection as well. Target < 2 s for 10M rows.
 * 2. Place-based audit over a year of daily forecasts: 365 plans × 40 of 800 cells over the 77
 *    Chicago community areas (real 2014 demographics from the test fixture), dosage minutes per cell.
 * 3. The fairness-aware mission trade-off curve for one day (800 cells, budget 40, 6 bounds).
 * 4. Reading and auditing the COMPAS file (7,214 rows) from disk.
 * 5. Proxy detection (5-fold cross-validated logistic regression, 200 epochs, per group): 100k rows of one
 *    categorical and one numeric feature, and 20k rows of 20 categorical features with ~31 levels each.
 *    2026-12-04, before/after the sparse design (one entry per categorical feature per row instead of one
 *    per level; same results bit for bit, test/unit/fairness/proxy-sparse.test.ts), quiet machine:
 *    narrow 16.9 s -> 9.7 s, wide 144.4 s -> 5.6 s.
 */
import { readFileSync } from 'node:fs';
import { collect, compasAuditColumns, readCompas } from '../src/fairness/compas';
import { areaDemographics, loadDemographicsDeclaration } from '../src/fairness/demographics';
import { exposureBasis } from '../src/fairness/exposure';
import { fairnessTradeoff } from '../src/fairness/fair-missions';
import { auditColumns } from '../src/fairness/person-audit';
import { detectProxies, type ProxyRow } from '../src/fairness/proxy-detection';
import { placeAuditFromPlans, type PlanInput } from '../src/fairness/place-audit';
import { seededRandom } from '../src/fairness/stats';

const n = Number(process.argv[2] ?? 10_000_000);
const rnd = seededRandom(42);

// ---- 1. person-level ----
const levels = [
  ['A', 'B', 'C', 'D', 'E', 'F'],
  ['female', 'male'],
  ['<25', '25-45', '>45'],
];
const codes = levels.map(() => new Uint8Array(n));
const predicted = new Uint8Array(n);
const label = new Uint8Array(n);
for (let i = 0; i < n; i++) {
  for (let a = 0; a < 3; a++) codes[a][i] = rnd() < 0.002 ? 255 : Math.floor(rnd() * levels[a].length);
  const risk = 0.3 + (0.1 * (codes[0][i] % 6)) / 6;
  label[i] = rnd() < risk ? 1 : 0;
  predicted[i] = rnd() < risk + (label[i] ? 0.3 : 0.05) ? 1 : 0;
}
const cols = {
  predicted,
  label,
  attributes: ['race', 'sex', 'age'].map((name, a) => ({ name, levels: levels[a], codes: codes[a] })),
};
let t0 = performance.now();
const single = auditColumns(cols, { reference: { mode: 'largest' } });
const singleMs = performance.now() - t0;
t0 = performance.now();
const inter = auditColumns(cols, { reference: { mode: 'best' }, intersections: true });
const interMs = performance.now() - t0;

// ---- 2. place-based over a year of daily plans ----
const declaration = loadDemographicsDeclaration('chicago-community-areas-2014');
const areas = areaDemographics(
  (
    JSON.parse(readFileSync('test/fixtures/chicago-areas/community-areas-demographics.json', 'utf8')) as Record<
      string,
      unknown
    >[]
  ).map((p) => ({ properties: p })),
  declaration,
);
const cellCount = 800;
const cellArea = Int32Array.from({ length: cellCount }, (_, c) => c % areas.length);
// Risk correlated with the area's share of Black residents, as recorded crime often is: the trade-off is real.
const baseRisk = Float64Array.from({ length: cellCount }, (_, c) => {
  const a = areas[cellArea[c]];
  return rnd() ** 3 * (0.5 + (2 * a.residents.black) / Math.max(1, a.population));
});
const days = 365;
const plans: PlanInput[] = [];
for (let d = 0; d < days; d++) {
  const score = baseRisk.map((r) => r * (0.7 + 0.6 * rnd()));
  const order = Array.from({ length: cellCount }, (_, i) => i)
    .sort((a, b) => score[b] - score[a])
    .slice(0, 40);
  plans.push({ cells: order, dosage: order.map(() => 15 + Math.floor(rnd() * 30)) });
}
const victimization = areas.map((a) => Math.round((a.population / 200) * (0.5 + rnd())));
const trials = areas.map(() => 100 + Math.floor(rnd() * 200));
const hits = trials.map((t) => Math.floor(t * (0.2 + 0.2 * rnd())));
t0 = performance.now();
const place = placeAuditFromPlans({ plans, cellCount, cellArea, areas, victimization, hits, trials });
const placeMs = performance.now() - t0;

// ---- 3. trade-off curve for one day ----
const basis = exposureBasis({ areas, groups: declaration.groups, victimization });
t0 = performance.now();
const curve = fairnessTradeoff({ risk: baseRisk, cellArea, basis, budget: 40 });
const curveMs = performance.now() - t0;

// ---- 4. COMPAS ----
const run = async () => {
  t0 = performance.now();
  const records = await collect(readCompas('test/fixtures/compas/compas-scores-two-years.csv'));
  const compas = auditColumns(compasAuditColumns(records), {
    intersections: true,
    reference: { mode: 'named', group: { race: 'Caucasian' } },
  });
  const compasMs = performance.now() - t0;

  // ---- 5. proxy detection ----
  const prnd = seededRandom(9);
  const pick = <T>(xs: T[]) => xs[Math.floor(prnd() * xs.length)];
  const narrow: ProxyRow[] = Array.from({ length: 100_000 }, () => {
    const g = pick(['A', 'B', 'C']);
    return {
      protected: g,
      features: {
        area: prnd() < 0.8 ? `area-${g}` : pick(['area-A', 'area-B', 'area-C']),
        age: 18 + Math.floor(prnd() * 60),
      },
    };
  });
  const wideFeatures = Array.from({ length: 20 }, (_, j) => `f${j}`);
  const wide: ProxyRow[] = Array.from({ length: 20_000 }, () => {
    const g = pick(['A', 'B', 'C']);
    return {
      protected: g,
      features: Object.fromEntries(
        wideFeatures.map((f) => [f, prnd() < 0.3 ? `${f}-${g}` : `${f}-${Math.floor(prnd() * 30)}`]),
      ),
    };
  });
  t0 = performance.now();
  const narrowReport = detectProxies(narrow, ['area', 'age']);
  const narrowMs = performance.now() - t0;
  t0 = performance.now();
  const wideReport = detectProxies(wide, wideFeatures);
  const wideMs = performance.now() - t0;
  console.log(
    JSON.stringify(
      {
        bench: 'fairness',
        proxyDetection: {
          complexity: 'O(groups × folds × epochs × rows × features) for the joint model (sparse rows)',
          narrow: {
            rows: narrow.length,
            features: 2,
            ms: +narrowMs.toFixed(0),
            jointAucMax: +narrowReport.jointAucMax.toFixed(3),
          },
          wide: {
            rows: wide.length,
            features: wideFeatures.length,
            ms: +wideMs.toFixed(0),
            jointAucMax: +wideReport.jointAucMax.toFixed(3),
          },
        },
        personLevel: {
          rows: n,
          attributes: 3,
          complexity: 'O(n × (attributes + Σ dimension sizes)), one pass',
          singleAttributesMs: +singleMs.toFixed(0),
          withIntersectionMs: +interMs.toFixed(0),
          targetMs: 2000,
          groups: single.dimensions.map((d) => d.groups.length),
          intersectionGroups: inter.dimensions[3].groups.length,
          missingLabels: single.missing.map((m) => m.count),
        },
        placeBased: {
          days,
          cells: cellCount,
          areas: areas.length,
          selections: place.cells.selections,
          ms: +placeMs.toFixed(1),
          giniAcrossCells: +place.giniAcrossCells.toFixed(3),
          meanConsecutiveOverlap: +place.cells.meanConsecutiveOverlap.toFixed(3),
          exposureDisparity: place.exposureDisparity && {
            ...place.exposureDisparity,
            ratio: +(place.exposureDisparity.ratio ?? NaN).toFixed(3),
          },
        },
        missionTradeoff: {
          cells: cellCount,
          budget: 40,
          bounds: curve.points.length,
          ms: +curveMs.toFixed(1),
          points: curve.points.map((p) => ({
            band: p.band,
            feasible: p.feasible,
            worstDeviation: +p.exposure.worstDeviation.toFixed(3),
            expectedHitsKept: +p.expectedHitsKept.toFixed(3),
            gap: p.gap === null ? null : +p.gap.toFixed(4),
          })),
        },
        compas: { rows: records.length, readAndAuditMs: +compasMs.toFixed(0), dimensions: compas.dimensions.length },
        peakRssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
      },
      null,
      2,
    ),
  );
};
void run();
