/**
 * Place-based audit of patrol guidance. Police patrol places, not people, so the audit asks who
 * LIVES where the patrols go: patrol exposure (forecast hotspots, missions, measured dosage minutes)
 * is attributed to an area's residents in proportion to its population, and compared across groups
 * with three yardsticks:
 *
 *  - exposure per resident by group (population-weighted): Σ_a residents_g,a · exposure_a / pop_a ÷ Σ_a residents_g,a;
 *  - exposure share vs each group's share of citizen-reported victimization (attributed the same way):
 *    patrols should follow where people ask for help, not where people of one group live;
 *  - share gaps (exposure share − population share, exposure share − victimization share).
 *
 * Plus concentration (Gini of exposure across areas or cells; how often the same cells are chosen
 * across plans) and hit-rate parity across areas (is the forecast equally accurate everywhere?).
 *
 * Residential attribution is an assumption (people are patrolled where they live); it is stated in
 * every result. Groups may overlap (e.g. Hispanic of any race): each group is computed on its own.
 */
import { InputError, type Where } from '../domain/errors';
import { compareProportions, gini, wilson, type Interval, type ProportionTest } from './stats';

/** Residents of one area by group (e.g. a Chicago community area's Wht14, Blk14, … counts). */
export interface AreaDemographics {
  area: string;
  /** Total residents (denominator of the residential attribution). */
  population: number;
  /** Residents by group; groups may overlap. */
  residents: Record<string, number>;
}

/** One row of the place audit: an area, its residents, and what happened there in the period. */
export interface AreaInput extends AreaDemographics {
  /** Patrol exposure in the audited period: dosage minutes, hotspot-days, missions … (≥ 0). */
  exposure: number;
  /** Citizen-reported victimization (incidents reported by the public, not found by patrols). */
  victimization?: number;
  /** Hit rate = hits / trials, e.g. selected cell-windows that had a reported incident / selected cell-windows. */
  hits?: number;
  trials?: number;
}

export interface PlaceAuditOptions {
  /** Ratio band for a pass (group vs reference); default [0.8, 1.25]. */
  band?: [number, number];
  /** Reference for exposure ratios: 'all' residents (default) or a named group. */
  reference?: 'all' | string;
  /** Areas with fewer trials get no hit-rate verdict; default 30. */
  minTrials?: number;
  /** Groups with fewer residents in total get no verdict; default 100. */
  minResidents?: number;
}

export interface GroupExposure {
  group: string;
  residents: number;
  /** Exposure attributed to the group's residents, and per resident. */
  exposure: number;
  exposurePerResident: number;
  /** exposurePerResident ÷ the reference's. */
  ratioToReference: number | null;
  populationShare: number;
  exposureShare: number;
  /** Share of citizen-reported victimization attributed to the group (null without victimization data). */
  victimizationShare: number | null;
  /** exposureShare ÷ victimizationShare: > 1 = patrolled beyond the group's share of reported harm. */
  exposureToVictimization: number | null;
  /** exposureShare − populationShare and exposureShare − victimizationShare. */
  gapToPopulation: number;
  gapToVictimization: number | null;
  /** Population-weighted hit rate experienced by the group's residents. */
  hitRate: number | null;
  verdict: 'pass' | 'fail' | 'insufficient-data';
  reason: string;
}

export interface AreaHitRate { area: string; hits: number; trials: number; rate: number | null; interval: Interval; estimable: boolean }

export interface PlaceAuditResult {
  assumption: string;
  band: [number, number];
  reference: string;
  areas: number;
  totalExposure: number;
  /** Exposure in areas with no recorded residents: cannot be attributed to anyone, reported not hidden. */
  unattributedExposure: number;
  totalPopulation: number;
  totalVictimization: number | null;
  groupsOverlap: boolean;
  groups: GroupExposure[];
  /** max ÷ min exposure per resident across groups with enough residents. */
  exposureDisparity: { max: string; min: string; ratio: number | null } | null;
  concentration: { giniAcrossAreas: number; giniPerResidentWeighted: number; topDecileShare: number };
  hitRates: {
    areas: AreaHitRate[];
    /** Highest vs lowest estimable area. */
    parity: { highest: string; lowest: string; ratio: number | null; test: ProportionTest } | null;
    overall: number | null;
  } | null;
  warnings: string[];
}

const ASSUMPTION = 'Exposure and citizen-reported victimization in an area are attributed to its residents in proportion to their numbers (people are patrolled, and victimized, where they live).';

function checkAreas(areas: AreaInput[]): void {
  const where: Where[] = [];
  const seen = new Set<string>();
  areas.forEach((a, i) => {
    const f = (field: string, expected: string, got: unknown) => where.push({ row: i + 1, field: `areas[${i}].${field}`, expected, got: String(got).slice(0, 40) });
    if (seen.has(a.area)) f('area', 'a unique area id', a.area);
    seen.add(a.area);
    if (!(a.population >= 0)) f('population', 'a number ≥ 0', a.population);
    if (!(a.exposure >= 0)) f('exposure', 'a number ≥ 0', a.exposure);
    if (a.victimization !== undefined && !(a.victimization >= 0)) f('victimization', 'a number ≥ 0', a.victimization);
    if ((a.hits === undefined) !== (a.trials === undefined)) f('hits', 'hits and trials together', `${a.hits}/${a.trials}`);
    if (a.hits !== undefined && !(a.hits >= 0 && a.hits <= a.trials!)) f('hits', '0 ≤ hits ≤ trials', `${a.hits}/${a.trials}`);
    for (const [g, r] of Object.entries(a.residents)) if (!(r >= 0)) f(`residents.${g}`, 'a number ≥ 0', r);
  });
  if (where.length) throw new InputError(`place audit: ${where.length} bad value(s) in the area table`, where.slice(0, 100));
}

/** The place audit over one table of areas. O(areas × groups + areas log areas). */
export function placeAudit(areas: AreaInput[], opts: PlaceAuditOptions = {}): PlaceAuditResult {
  if (!areas.length) throw new InputError('place audit: no areas', [{ field: 'areas', expected: 'at least one area' }]);
  checkAreas(areas);
  const band = opts.band ?? [0.8, 1.25];
  const minTrials = opts.minTrials ?? 30;
  const minResidents = opts.minResidents ?? 100;
  const groupNames = [...new Set(areas.flatMap((a) => Object.keys(a.residents)))];
  const warnings: string[] = [];
  const hasVict = areas.some((a) => a.victimization !== undefined);
  const hasHits = areas.some((a) => a.trials !== undefined);

  let totalExposure = 0, unattributed = 0, totalPop = 0, totalVict = 0, overlap = false;
  for (const a of areas) {
    totalExposure += a.exposure;
    totalPop += a.population;
    totalVict += a.victimization ?? 0;
    if (a.population === 0 && a.exposure > 0) unattributed += a.exposure;
    const sum = Object.values(a.residents).reduce((s, r) => s + r, 0);
    if (sum > a.population * 1.02 + 1) overlap = true;
  }
  if (unattributed > 0) warnings.push(`${unattributed} of ${totalExposure} exposure fell in areas with no recorded residents and is not attributed to any group`);
  if (overlap) warnings.push('group counts overlap within areas (e.g. Hispanic of any race); each group is computed on its own and shares need not sum to 1');

  // Attribution: area → groups in proportion to residents.
  const rows = groupNames.map((g) => {
    let residents = 0, exposure = 0, vict = 0, hitW = 0, hitPop = 0;
    for (const a of areas) {
      const r = a.residents[g] ?? 0;
      if (r === 0 || a.population === 0) continue;
      const share = Math.min(1, r / a.population);
      residents += r;
      exposure += a.exposure * share;
      vict += (a.victimization ?? 0) * share;
      if (a.trials) { hitW += r * (a.hits! / a.trials); hitPop += r; }
    }
    return { group: g, residents, exposure, vict, hitRate: hitPop ? hitW / hitPop : null };
  });
  const allPerResident = totalPop ? (totalExposure - unattributed) / totalPop : 0;
  const ref = opts.reference && opts.reference !== 'all' ? rows.find((r) => r.group === opts.reference) : undefined;
  if (opts.reference && opts.reference !== 'all' && !ref) throw new InputError(`reference group "${opts.reference}" has no residents in the area table`, [{ field: 'reference', expected: `all or one of ${groupNames.join(', ')}`, got: opts.reference }]);
  const refPerResident = ref ? (ref.residents ? ref.exposure / ref.residents : 0) : allPerResident;

  const groups: GroupExposure[] = rows.map((r) => {
    const perRes = r.residents ? r.exposure / r.residents : 0;
    const ratio = refPerResident > 0 ? perRes / refPerResident : null;
    const exposureShare = totalExposure - unattributed > 0 ? r.exposure / (totalExposure - unattributed) : 0;
    const populationShare = totalPop ? r.residents / totalPop : 0;
    const victimizationShare = hasVict && totalVict > 0 ? r.vict / totalVict : null;
    const e2v = victimizationShare ? exposureShare / victimizationShare : null;
    let verdict: GroupExposure['verdict'];
    let reason: string;
    if (r.residents < minResidents) { verdict = 'insufficient-data'; reason = `only ${Math.round(r.residents)} residents (< ${minResidents})`; }
    else if (ratio === null) { verdict = 'insufficient-data'; reason = 'the reference has no exposure'; }
    else if (ratio < band[0] || ratio > band[1]) { verdict = 'fail'; reason = `exposure per resident ${ratio.toFixed(3)}× the reference, outside [${band[0]}, ${band[1]}]`; }
    else if (e2v !== null && (e2v < band[0] || e2v > band[1])) { verdict = 'fail'; reason = `exposure share ${e2v.toFixed(3)}× its share of citizen-reported victimization, outside [${band[0]}, ${band[1]}]`; }
    else { verdict = 'pass'; reason = `within [${band[0]}, ${band[1]}]`; }
    return {
      group: r.group, residents: r.residents, exposure: r.exposure, exposurePerResident: perRes, ratioToReference: ratio,
      populationShare, exposureShare, victimizationShare, exposureToVictimization: e2v,
      gapToPopulation: exposureShare - populationShare, gapToVictimization: victimizationShare === null ? null : exposureShare - victimizationShare,
      hitRate: r.hitRate, verdict, reason,
    };
  });
  for (const g of groups) if (g.verdict === 'insufficient-data') warnings.push(`group ${g.group}: ${g.reason}; no verdict`);

  const est = groups.filter((g) => g.residents >= minResidents);
  let exposureDisparity: PlaceAuditResult['exposureDisparity'] = null;
  if (est.length >= 2) {
    const hi = est.reduce((a, b) => (b.exposurePerResident > a.exposurePerResident ? b : a));
    const lo = est.reduce((a, b) => (b.exposurePerResident < a.exposurePerResident ? b : a));
    exposureDisparity = { max: hi.group, min: lo.group, ratio: lo.exposurePerResident > 0 ? hi.exposurePerResident / lo.exposurePerResident : null };
  }

  const exp = areas.map((a) => a.exposure);
  const populated = areas.filter((a) => a.population > 0);
  const sorted = [...exp].sort((a, b) => b - a);
  const top = sorted.slice(0, Math.max(1, Math.ceil(areas.length / 10))).reduce((s, v) => s + v, 0);
  const concentration = {
    giniAcrossAreas: gini(exp),
    giniPerResidentWeighted: gini(populated.map((a) => a.exposure / a.population), populated.map((a) => a.population)),
    topDecileShare: totalExposure ? top / totalExposure : 0,
  };

  let hitRates: PlaceAuditResult['hitRates'] = null;
  if (hasHits) {
    const list: AreaHitRate[] = areas.filter((a) => a.trials !== undefined).map((a) => ({ area: a.area, hits: a.hits!, trials: a.trials!, rate: a.trials ? a.hits! / a.trials : null, interval: wilson(a.hits!, a.trials!), estimable: a.trials! >= minTrials }));
    const e = list.filter((x) => x.estimable && x.rate !== null);
    const small = list.length - e.length;
    if (small) warnings.push(`${small} area(s) have fewer than ${minTrials} hit-rate trials; no hit-rate verdict for them`);
    let parity = null;
    if (e.length >= 2) {
      const hi = e.reduce((a, b) => (b.rate! > a.rate! ? b : a));
      const lo = e.reduce((a, b) => (b.rate! < a.rate! ? b : a));
      parity = { highest: hi.area, lowest: lo.area, ratio: lo.rate! > 0 ? hi.rate! / lo.rate! : null, test: compareProportions(hi.hits, hi.trials, lo.hits, lo.trials) };
    }
    const H = list.reduce((s, x) => s + x.hits, 0);
    const T = list.reduce((s, x) => s + x.trials, 0);
    hitRates = { areas: list, parity, overall: T ? H / T : null };
  }

  return {
    assumption: ASSUMPTION, band, reference: opts.reference ?? 'all', areas: areas.length, totalExposure, unattributedExposure: unattributed,
    totalPopulation: totalPop, totalVictimization: hasVict ? totalVict : null, groupsOverlap: overlap,
    groups: groups.sort((a, b) => b.residents - a.residents), exposureDisparity, concentration, hitRates, warnings,
  };
}

// ---------------------------------------------------------------------------------------------
// Plans (daily forecasts / missions) → cells → areas

/** One plan: the cells selected (indices 0 … cellCount − 1) and optionally the dosage per selected cell. */
export interface PlanInput { cells: ArrayLike<number>; dosage?: ArrayLike<number> }

export interface PlanConcentration {
  plans: number;
  cells: number;
  selections: number;
  distinctCellsChosen: number;
  /** Gini of selection counts across ALL cells (never-chosen cells included). */
  giniOfSelections: number;
  /** Share of all selections that went to the 10% most-chosen cells. */
  topDecileShare: number;
  /** Mean Jaccard overlap of consecutive plans (1 = the same cells every time). */
  meanConsecutiveOverlap: number;
  /** Cells chosen in every plan, and in at least half of the plans. */
  chosenEveryPlan: number;
  chosenHalfOrMore: number;
  topCells: { cell: number; count: number; share: number }[];
}

export interface PlanAggregate { exposureByCell: Float64Array; selectionsByCell: Uint32Array; concentration: PlanConcentration }

/**
 * Aggregate plans into exposure and selection counts per cell, and measure how concentrated they are.
 * O(total selections + cells log cells).
 */
export function aggregatePlans(plans: PlanInput[], cellCount: number): PlanAggregate {
  const exposure = new Float64Array(cellCount);
  const count = new Uint32Array(cellCount);
  const mark = new Int32Array(cellCount).fill(-1);
  let selections = 0;
  let overlapSum = 0;
  let prevSize = 0;
  plans.forEach((p, t) => {
    if (p.dosage && p.dosage.length !== p.cells.length) throw new InputError(`plan ${t + 1}: ${p.cells.length} cells but ${p.dosage.length} dosage values`, [{ row: t + 1, field: `plans[${t}].dosage`, expected: `${p.cells.length} values` }]);
    let inter = 0;
    let size = 0;
    for (let j = 0; j < p.cells.length; j++) {
      const c = p.cells[j];
      if (!(Number.isInteger(c) && c >= 0 && c < cellCount)) throw new InputError(`plan ${t + 1}: cell ${c} is out of range`, [{ row: t + 1, field: `plans[${t}].cells[${j}]`, expected: `an integer 0…${cellCount - 1}`, got: String(c) }]);
      const d = p.dosage ? p.dosage[j] : 1;
      if (!(d >= 0)) throw new InputError(`plan ${t + 1}: dosage ${d} is not ≥ 0`, [{ row: t + 1, field: `plans[${t}].dosage[${j}]`, expected: 'a number ≥ 0', got: String(d) }]);
      exposure[c] += d;
      if (mark[c] === t) continue; // the same cell twice in one plan counts once
      if (mark[c] === t - 1) inter++;
      mark[c] = t;
      count[c]++;
      size++;
    }
    selections += size;
    if (t > 0) { const union = prevSize + size - inter; overlapSum += union ? inter / union : 1; }
    prevSize = size;
  });
  let distinct = 0, every = 0, half = 0;
  for (let c = 0; c < cellCount; c++) {
    if (count[c] > 0) distinct++;
    if (plans.length && count[c] === plans.length) every++;
    if (plans.length && count[c] * 2 >= plans.length && count[c] > 0) half++;
  }
  const order = Array.from({ length: cellCount }, (_, i) => i).sort((a, b) => count[b] - count[a] || a - b);
  const k = Math.max(1, Math.ceil(cellCount / 10));
  let top = 0;
  for (let i = 0; i < k && i < order.length; i++) top += count[order[i]];
  return {
    exposureByCell: exposure, selectionsByCell: count,
    concentration: {
      plans: plans.length, cells: cellCount, selections, distinctCellsChosen: distinct, giniOfSelections: gini(count),
      topDecileShare: selections ? top / selections : 0, meanConsecutiveOverlap: plans.length > 1 ? overlapSum / (plans.length - 1) : 1,
      chosenEveryPlan: every, chosenHalfOrMore: half,
      topCells: order.slice(0, 10).filter((c) => count[c] > 0).map((c) => ({ cell: c, count: count[c], share: selections ? count[c] / selections : 0 })),
    },
  };
}

/** Sum cell values into areas; cells with an area index outside 0 … areaCount − 1 are returned as `outside`. O(cells). */
export function cellsToAreas(values: ArrayLike<number>, cellArea: ArrayLike<number>, areaCount: number): { byArea: Float64Array; outside: number } {
  if (values.length !== cellArea.length) throw new InputError('cell values and cell → area map differ in length', [{ field: 'cellArea', expected: `${values.length} entries`, got: String(cellArea.length) }]);
  const out = new Float64Array(areaCount);
  let outside = 0;
  for (let c = 0; c < values.length; c++) {
    const a = cellArea[c];
    if (a >= 0 && a < areaCount) out[a] += values[c]; else outside += values[c];
  }
  return { byArea: out, outside };
}

export interface PlanAuditInput {
  plans: PlanInput[];
  cellCount: number;
  /** Area index (into `areas`) of each cell; −1 = outside every area. */
  cellArea: ArrayLike<number>;
  areas: AreaDemographics[];
  /** Citizen-reported victimization per area (aligned with `areas`). */
  victimization?: ArrayLike<number>;
  /** Hits and trials per area (aligned with `areas`). */
  hits?: ArrayLike<number>;
  trials?: ArrayLike<number>;
}

/**
 * The whole place audit from a series of plans (e.g. a year of daily forecasts): cell exposure →
 * area exposure → group exposure, plus cell-level concentration. O(selections + cells + areas × groups).
 */
export function placeAuditFromPlans(input: PlanAuditInput, opts: PlaceAuditOptions = {}): PlaceAuditResult & { cells: PlanConcentration; giniAcrossCells: number; exposureOutsideAreas: number } {
  const agg = aggregatePlans(input.plans, input.cellCount);
  const { byArea, outside } = cellsToAreas(agg.exposureByCell, input.cellArea, input.areas.length);
  const rows: AreaInput[] = input.areas.map((a, i) => ({
    ...a, exposure: byArea[i],
    ...(input.victimization ? { victimization: input.victimization[i] } : {}),
    ...(input.hits && input.trials ? { hits: input.hits[i], trials: input.trials[i] } : {}),
  }));
  const r = placeAudit(rows, opts);
  if (outside > 0) r.warnings.push(`${outside} exposure fell in cells outside every area`);
  return { ...r, cells: agg.concentration, giniAcrossCells: gini(agg.exposureByCell), exposureOutsideAreas: outside };
}

/** The race and ethnicity columns of the Chicago community areas file (2014 ACS). */
export const CHICAGO_GROUPS: Record<string, string> = {
  Wht14: 'White', Blk14: 'Black', AI14: 'American Indian', AS14: 'Asian', NHP14: 'Native Hawaiian or Pacific Islander', Oth14: 'Other', Hisp14: 'Hispanic or Latino (any race)',
};

/**
 * Area demographics from the Chicago community areas GeoJSON (or its properties): Pop2014 and the
 * group columns above. Throws naming the feature and field when a count is missing or negative.
 */
export function chicagoDemographics(features: { properties: Record<string, unknown> }[] | { features: { properties: Record<string, unknown> }[] }): AreaDemographics[] {
  const list = Array.isArray(features) ? features : features.features;
  const where: Where[] = [];
  const out = list.map((f, i) => {
    const p = f.properties ?? {};
    const num = (k: string) => {
      const v = Number(p[k]);
      if (p[k] === null || p[k] === undefined || !(v >= 0)) where.push({ row: i + 1, field: `features[${i}].properties.${k}`, expected: 'a count ≥ 0', got: String(p[k]) });
      return v;
    };
    const residents: Record<string, number> = {};
    for (const [k, name] of Object.entries(CHICAGO_GROUPS)) residents[name] = num(k);
    return { area: String(p.community_area ?? p.area_numbe ?? i + 1), population: num('Pop2014'), residents };
  });
  if (where.length) throw new InputError(`Chicago community areas: ${where.length} bad demographic value(s)`, where.slice(0, 100));
  return out;
}
