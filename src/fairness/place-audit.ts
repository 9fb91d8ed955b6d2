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
 * every result. The verdict of each group is the one exposure model's (./exposure.ts), the same the
 * mission planner applies: its exposure share ÷ its share of citizen-reported victimization within the
 * band, the same small-group rule; groups declared as overlapping are reported apart.
 */
import { InputError, type Where } from '../domain/errors';
import { msg } from '../domain/messages';
import type { AreaDemographics } from './demographics';
import {
  exposureBasis,
  exposurePerResidentByArea,
  groupExposure,
  SMALL_GROUP_RULE,
  type ExposureGroup,
  type ExposureResult,
  type SmallGroupRule,
} from './exposure';
import { compareProportions, gini, wilson, type Interval, type ProportionTest } from './stats';

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
  /** The small-group rule (default SMALL_GROUP_RULE, the planner's); `minResidents` alone overrides its first part. */
  rule?: Partial<SmallGroupRule>;
  minResidents?: number;
  /** The declared groups (labels, which overlap others); default every residents key, none overlapping. */
  groups?: ExposureGroup[];
  /** The period the victimization counts cover, stated in the result. */
  period?: { from: string; to: string };
}

export interface GroupExposure {
  group: string;
  label: ExposureGroup['label'];
  overlapsOthers: boolean;
  estimable: boolean;
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
  /** exposureShare ÷ victimizationShare: > 1 = patrolled beyond the group's share of reported harm (the verdict's yardstick). */
  exposureToVictimization: number | null;
  /** exposureShare − populationShare and exposureShare − victimizationShare. */
  gapToPopulation: number;
  gapToVictimization: number | null;
  /** Population-weighted hit rate experienced by the group's residents. */
  hitRate: number | null;
  verdict: 'pass' | 'fail' | 'insufficient-data';
  reason: string;
}

export interface AreaHitRate {
  area: string;
  hits: number;
  trials: number;
  rate: number | null;
  interval: Interval;
  estimable: boolean;
}

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
  /** Groups that partition the residents, largest first, then the overlapping ones (reported apart, never summed). */
  groups: GroupExposure[];
  overlappingGroups: string[];
  /** The shared exposure model's verdict: definition, yardstick, small-group rule, period, worst deviation. */
  exposureModel: Omit<ExposureResult, 'groups' | 'overlappingGroups'>;
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

const ASSUMPTION =
  'Exposure and citizen-reported victimization in an area are attributed to its residents in proportion to their numbers (people are patrolled, and victimized, where they live).';

function checkAreas(areas: AreaInput[]): void {
  const where: Where[] = [];
  const seen = new Set<string>();
  areas.forEach((a, i) => {
    const f = (field: string, expected: string, got: unknown) =>
      where.push({ row: i + 1, field: `areas[${i}].${field}`, expected, got: String(got).slice(0, 40) });
    if (seen.has(a.area)) f('area', 'a unique area id', a.area);
    seen.add(a.area);
    if (!(a.population >= 0)) f('population', 'a number ≥ 0', a.population);
    if (!(a.exposure >= 0)) f('exposure', 'a number ≥ 0', a.exposure);
    if (a.victimization !== undefined && !(a.victimization >= 0)) f('victimization', 'a number ≥ 0', a.victimization);
    if ((a.hits === undefined) !== (a.trials === undefined))
      f('hits', 'hits and trials together', `${a.hits}/${a.trials}`);
    if (a.hits !== undefined && !(a.hits >= 0 && a.hits <= a.trials!))
      f('hits', '0 ≤ hits ≤ trials', `${a.hits}/${a.trials}`);
    for (const [g, r] of Object.entries(a.residents)) if (!(r >= 0)) f(`residents.${g}`, 'a number ≥ 0', r);
  });
  if (where.length) throw new InputError(msg('fairness.placeBadValues', { count: where.length }), where.slice(0, 100));
}

/** The place audit over one table of areas. O(areas × groups + areas log areas). */
export function placeAudit(areas: AreaInput[], opts: PlaceAuditOptions = {}): PlaceAuditResult {
  if (!areas.length)
    throw new InputError(msg('fairness.placeNoAreas'), [{ field: 'areas', expected: 'at least one area' }]);
  checkAreas(areas);
  const band = opts.band ?? [0.8, 1.25];
  const minTrials = opts.minTrials ?? 30;
  const rule: SmallGroupRule = {
    ...SMALL_GROUP_RULE,
    ...opts.rule,
    ...(opts.minResidents !== undefined ? { minResidents: opts.minResidents } : {}),
  };
  const minResidents = rule.minResidents;
  const warnings: string[] = [];
  const hasVict = areas.some((a) => a.victimization !== undefined);
  const hasHits = areas.some((a) => a.trials !== undefined);

  let totalExposure = 0,
    unattributed = 0,
    totalPop = 0,
    totalVict = 0,
    overlap = false;
  for (const a of areas) {
    totalExposure += a.exposure;
    totalPop += a.population;
    totalVict += a.victimization ?? 0;
    if (a.population === 0 && a.exposure > 0) unattributed += a.exposure;
    const sum = Object.values(a.residents).reduce((s, r) => s + r, 0);
    if (sum > a.population * 1.02 + 1) overlap = true;
  }
  if (unattributed > 0)
    warnings.push(
      `${unattributed} of ${totalExposure} exposure fell in areas with no recorded residents and is not attributed to any group`,
    );
  const declared = opts.groups;
  if (declared?.some((g) => g.overlapsOthers)) overlap = true;
  if (overlap)
    warnings.push(
      declared?.some((g) => g.overlapsOthers)
        ? `groups declared as overlapping the others (${declared
            .filter((g) => g.overlapsOthers)
            .map((g) => g.label.en)
            .join(', ')}) are computed on their own and reported apart, never summed with the rest`
        : 'group counts overlap within areas; each group is computed on its own and shares need not sum to 1',
    );

  // The one exposure model: the verdict the mission planner also applies.
  const basis = exposureBasis({
    areas,
    groups: declared,
    victimization: hasVict ? areas.map((a) => a.victimization ?? 0) : undefined,
    period: opts.period,
    rule,
  });
  const model = groupExposure(
    basis,
    areas.map((a) => a.exposure),
    band,
  );
  const hitRate = (g: string) => {
    let hitW = 0,
      hitPop = 0;
    for (const a of areas) {
      const r = a.residents[g] ?? 0;
      if (a.trials && r > 0) {
        hitW += r * (a.hits! / a.trials);
        hitPop += r;
      }
    }
    return hitPop ? hitW / hitPop : null;
  };
  const allPerResident = totalPop ? (totalExposure - unattributed) / totalPop : 0;
  const all = [...model.groups, ...model.overlappingGroups];
  const ref = opts.reference && opts.reference !== 'all' ? all.find((r) => r.group === opts.reference) : undefined;
  if (opts.reference && opts.reference !== 'all' && !ref)
    throw new InputError(msg('fairness.placeNoReference', { group: opts.reference }), [
      { field: 'reference', expected: `all or one of ${all.map((g) => g.group).join(', ')}`, got: opts.reference },
    ]);
  const refPerResident = ref ? ref.exposurePerResident : allPerResident;

  const groups: GroupExposure[] = all.map((r) => {
    const victimizationShare = hasVict && totalVict > 0 ? r.yardstickShare : null;
    const populationShare = totalPop ? r.residents / totalPop : 0;
    return {
      group: r.group,
      label: r.label,
      overlapsOthers: r.overlapsOthers,
      estimable: r.estimable,
      residents: r.residents,
      exposure: r.exposure,
      exposurePerResident: r.exposurePerResident,
      ratioToReference: refPerResident > 0 ? r.exposurePerResident / refPerResident : null,
      populationShare,
      exposureShare: r.exposureShare,
      victimizationShare,
      exposureToVictimization: hasVict ? r.ratio : null,
      gapToPopulation: r.exposureShare - populationShare,
      gapToVictimization: victimizationShare === null ? null : r.exposureShare - victimizationShare,
      hitRate: hitRate(r.group),
      verdict: r.verdict,
      reason: r.reason,
    };
  });
  for (const g of groups) if (g.verdict === 'insufficient-data') warnings.push(`group ${g.group}: ${g.reason}`);
  const { groups: _g, overlappingGroups: _o, ...exposureModel } = model;

  const est = groups.filter((g) => g.residents >= minResidents);
  let exposureDisparity: PlaceAuditResult['exposureDisparity'] = null;
  if (est.length >= 2) {
    const hi = est.reduce((a, b) => (b.exposurePerResident > a.exposurePerResident ? b : a));
    const lo = est.reduce((a, b) => (b.exposurePerResident < a.exposurePerResident ? b : a));
    exposureDisparity = {
      max: hi.group,
      min: lo.group,
      ratio: lo.exposurePerResident > 0 ? hi.exposurePerResident / lo.exposurePerResident : null,
    };
  }

  const exp = areas.map((a) => a.exposure);
  const perResident = exposurePerResidentByArea(areas, exp);
  const sorted = [...exp].sort((a, b) => b - a);
  const top = sorted.slice(0, Math.max(1, Math.ceil(areas.length / 10))).reduce((s, v) => s + v, 0);
  const concentration = {
    giniAcrossAreas: gini(exp),
    giniPerResidentWeighted: gini(perResident.values, perResident.weights),
    topDecileShare: totalExposure ? top / totalExposure : 0,
  };

  let hitRates: PlaceAuditResult['hitRates'] = null;
  if (hasHits) {
    const list: AreaHitRate[] = areas
      .filter((a) => a.trials !== undefined)
      .map((a) => ({
        area: a.area,
        hits: a.hits!,
        trials: a.trials!,
        rate: a.trials ? a.hits! / a.trials : null,
        interval: wilson(a.hits!, a.trials!),
        estimable: a.trials! >= minTrials,
      }));
    const e = list.filter((x) => x.estimable && x.rate !== null);
    const small = list.length - e.length;
    if (small)
      warnings.push(`${small} area(s) have fewer than ${minTrials} hit-rate trials; no hit-rate verdict for them`);
    let parity = null;
    if (e.length >= 2) {
      const hi = e.reduce((a, b) => (b.rate! > a.rate! ? b : a));
      const lo = e.reduce((a, b) => (b.rate! < a.rate! ? b : a));
      parity = {
        highest: hi.area,
        lowest: lo.area,
        ratio: lo.rate! > 0 ? hi.rate! / lo.rate! : null,
        test: compareProportions(hi.hits, hi.trials, lo.hits, lo.trials),
      };
    }
    const H = list.reduce((s, x) => s + x.hits, 0);
    const T = list.reduce((s, x) => s + x.trials, 0);
    hitRates = { areas: list, parity, overall: T ? H / T : null };
  }

  return {
    assumption: ASSUMPTION,
    band,
    reference: opts.reference ?? 'all',
    areas: areas.length,
    totalExposure,
    unattributedExposure: unattributed,
    totalPopulation: totalPop,
    totalVictimization: hasVict ? totalVict : null,
    groupsOverlap: overlap,
    groups: groups.sort((a, b) => Number(a.overlapsOthers) - Number(b.overlapsOthers) || b.residents - a.residents),
    overlappingGroups: groups.filter((g) => g.overlapsOthers).map((g) => g.group),
    exposureModel,
    exposureDisparity,
    concentration,
    hitRates,
    warnings,
  };
}

// ---------------------------------------------------------------------------------------------
// Plans (daily forecasts / missions) → cells → areas

/** One plan: the cells selected (indices 0 … cellCount − 1) and optionally the dosage per selected cell. */
export interface PlanInput {
  cells: ArrayLike<number>;
  dosage?: ArrayLike<number>;
}

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

export interface PlanAggregate {
  exposureByCell: Float64Array;
  selectionsByCell: Uint32Array;
  concentration: PlanConcentration;
}

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
    if (p.dosage && p.dosage.length !== p.cells.length)
      throw new InputError(
        msg('fairness.planDosageLength', { plan: t + 1, cells: p.cells.length, dosage: p.dosage.length }),
        [{ row: t + 1, field: `plans[${t}].dosage`, expected: `${p.cells.length} values` }],
      );
    let inter = 0;
    let size = 0;
    for (let j = 0; j < p.cells.length; j++) {
      const c = p.cells[j];
      if (!(Number.isInteger(c) && c >= 0 && c < cellCount))
        throw new InputError(msg('fairness.planCellRange', { plan: t + 1, cell: c }), [
          { row: t + 1, field: `plans[${t}].cells[${j}]`, expected: `an integer 0…${cellCount - 1}`, got: String(c) },
        ]);
      const d = p.dosage ? p.dosage[j] : 1;
      if (!(d >= 0))
        throw new InputError(msg('fairness.planBadDosage', { plan: t + 1, dosage: d }), [
          { row: t + 1, field: `plans[${t}].dosage[${j}]`, expected: 'a number ≥ 0', got: String(d) },
        ]);
      exposure[c] += d;
      if (mark[c] === t) continue; // the same cell twice in one plan counts once
      if (mark[c] === t - 1) inter++;
      mark[c] = t;
      count[c]++;
      size++;
    }
    selections += size;
    if (t > 0) {
      const union = prevSize + size - inter;
      overlapSum += union ? inter / union : 1;
    }
    prevSize = size;
  });
  let distinct = 0,
    every = 0,
    half = 0;
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
    exposureByCell: exposure,
    selectionsByCell: count,
    concentration: {
      plans: plans.length,
      cells: cellCount,
      selections,
      distinctCellsChosen: distinct,
      giniOfSelections: gini(count),
      topDecileShare: selections ? top / selections : 0,
      meanConsecutiveOverlap: plans.length > 1 ? overlapSum / (plans.length - 1) : 1,
      chosenEveryPlan: every,
      chosenHalfOrMore: half,
      topCells: order
        .slice(0, 10)
        .filter((c) => count[c] > 0)
        .map((c) => ({ cell: c, count: count[c], share: selections ? count[c] / selections : 0 })),
    },
  };
}

/** Sum cell values into areas; cells with an area index outside 0 … areaCount − 1 are returned as `outside`. O(cells). */
export function cellsToAreas(
  values: ArrayLike<number>,
  cellArea: ArrayLike<number>,
  areaCount: number,
): { byArea: Float64Array; outside: number } {
  if (values.length !== cellArea.length)
    throw new InputError(msg('fairness.cellAreaLength'), [
      { field: 'cellArea', expected: `${values.length} entries`, got: String(cellArea.length) },
    ]);
  const out = new Float64Array(areaCount);
  let outside = 0;
  for (let c = 0; c < values.length; c++) {
    const a = cellArea[c];
    if (a >= 0 && a < areaCount) out[a] += values[c];
    else outside += values[c];
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
export function placeAuditFromPlans(
  input: PlanAuditInput,
  opts: PlaceAuditOptions = {},
): PlaceAuditResult & { cells: PlanConcentration; giniAcrossCells: number; exposureOutsideAreas: number } {
  const agg = aggregatePlans(input.plans, input.cellCount);
  const { byArea, outside } = cellsToAreas(agg.exposureByCell, input.cellArea, input.areas.length);
  const rows: AreaInput[] = input.areas.map((a, i) => ({
    ...a,
    exposure: byArea[i],
    ...(input.victimization ? { victimization: input.victimization[i] } : {}),
    ...(input.hits && input.trials ? { hits: input.hits[i], trials: input.trials[i] } : {}),
  }));
  const r = placeAudit(rows, opts);
  if (outside > 0) r.warnings.push(`${outside} exposure fell in cells outside every area`);
  return { ...r, cells: agg.concentration, giniAcrossCells: gini(agg.exposureByCell), exposureOutsideAreas: outside };
}
