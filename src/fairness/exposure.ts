/**
 * The one exposure model of Counterweight's own patrol guidance, shared by the mission planner, the
 * trade-off curve, the stress test and the place audit, so that a plan the planner approves is judged
 * the same way by the audit it meets later.
 *
 *  - Residents: from the area layer's declared groups (src/fairness/demographics.ts). Patrol exposure and
 *    citizen-reported victimization in an area are attributed to its groups in proportion to their
 *    residents there (people are patrolled, and victimized, where they live). A cell takes the
 *    composition of the area holding its centre.
 *  - Yardstick: a group's share of all attributed exposure ÷ its share of all citizen-reported
 *    victimization, citywide, over a stated period: ratio_g = (A_g / A) ÷ (V_g / V). Equivalently the
 *    group's exposure per resident ÷ its victimization per resident, normalised citywide. 1 = patrols
 *    follow where this group's residents report harm; < 1 is under-protection, > 1 over-policing.
 *    Without victimization data the yardstick is the group's share of residents (stated).
 *  - Denominators are citywide: every area of the layer, not the candidate cells.
 *  - Overlapping groups (declared `overlapsOthers`) are computed the same way and reported apart.
 *  - Small groups: one rule everywhere (SMALL_GROUP_RULE), stated in every result; a small group gets
 *    no verdict and does not bind the planner.
 */
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import type { AreaDemographics, DeclaredGroup } from './demographics';

export interface ExposureGroup {
  id: string;
  label: DeclaredGroup['label'];
  overlapsOthers: boolean;
}

/** A group is estimable with at least this many residents citywide and this much attributed victimization. */
export const SMALL_GROUP_RULE = { minResidents: 1000, minVictimization: 30 } as const;
export type SmallGroupRule = { minResidents: number; minVictimization: number };

/** The audit's band, which is also the planner's bound. */
export const DEFAULT_BAND: [number, number] = [0.8, 1.25];

export const EXPOSURE_DEFINITION =
  "ratio of a group = (its share of patrol exposure) ÷ (its share of citizen-reported victimization), both attributed to the residents of each area by the area's group composition (cells take the composition of the area holding their centre); citywide denominators; overlapping groups reported separately";

export interface ExposureBasisInput {
  areas: AreaDemographics[];
  /** Declared groups, in order; default: every residents key, none overlapping. */
  groups?: ExposureGroup[];
  /** Citizen-reported victimization per area (aligned with `areas`) over `period`; omit for the population yardstick. */
  victimization?: ArrayLike<number>;
  period?: { from: string; to: string };
  rule?: Partial<SmallGroupRule>;
}

export interface ExposureBasis {
  groups: ExposureGroup[];
  areaCount: number;
  /** composition[g][a] = residents of g in area a ÷ the area's residents (0 for an empty area). */
  composition: Float64Array[];
  populated: Uint8Array;
  residents: Float64Array;
  totalResidents: number;
  /** Attributed victimization by group, its share, and the total in populated areas. */
  victimization: Float64Array;
  yardstickShare: Float64Array;
  totalVictimization: number;
  yardstick: 'victimization' | 'population';
  estimable: boolean[];
  smallReason: (string | null)[];
  rule: SmallGroupRule;
  period: { from: string; to: string } | null;
  /** Victimization that fell in areas with no residents (cannot be attributed). */
  unattributedVictimization: number;
}

/** O(areas × groups). */
export function exposureBasis(input: ExposureBasisInput): ExposureBasis {
  const { areas } = input;
  if (!areas.length)
    throw new InputError(msg('fairness.exposureNoAreas'), [{ field: 'areas', expected: 'at least one area' }]);
  const groups =
    input.groups ??
    [...new Set(areas.flatMap((a) => Object.keys(a.residents)))].map((id) => ({
      id,
      label: { en: id, ko: id },
      overlapsOthers: false,
    }));
  const rule = { ...SMALL_GROUP_RULE, ...input.rule };
  const A = areas.length;
  const v = input.victimization;
  if (v && v.length !== A)
    throw new InputError(msg('fairness.victimizationLength'), [
      { field: 'victimization', expected: `${A} values`, got: String(v.length) },
    ]);
  const populated = new Uint8Array(A);
  let totalResidents = 0,
    totalVict = 0,
    unattributed = 0;
  areas.forEach((a, i) => {
    if (!(a.population >= 0))
      throw new InputError(msg('fairness.badPopulation', { area: a.area, population: a.population }), [
        { row: i + 1, field: `areas[${i}].population`, expected: 'a number ≥ 0' },
      ]);
    if (v && !(v[i] >= 0))
      throw new InputError(msg('fairness.badVictimization', { area: a.area, value: v[i] }), [
        { row: i + 1, field: `victimization[${i}]`, expected: 'a count ≥ 0', got: String(v[i]) },
      ]);
    populated[i] = a.population > 0 ? 1 : 0;
    totalResidents += a.population;
    if (v) {
      if (populated[i]) totalVict += v[i];
      else unattributed += v[i];
    }
  });
  const composition: Float64Array[] = [];
  const residents = new Float64Array(groups.length);
  const vict = new Float64Array(groups.length);
  groups.forEach((g, k) => {
    const c = new Float64Array(A);
    for (let i = 0; i < A; i++) {
      const r = areas[i].residents[g.id] ?? 0;
      if (!(r >= 0))
        throw new InputError(msg('fairness.badResidents', { area: areas[i].area, group: g.id, value: r }), [
          { row: i + 1, field: `areas[${i}].residents.${g.id}`, expected: 'a count ≥ 0', got: String(r) },
        ]);
      residents[k] += r;
      if (populated[i]) c[i] = Math.min(1, r / areas[i].population);
      if (v) vict[k] += v[i] * c[i];
    }
    composition.push(c);
  });
  const yardstick = v ? 'victimization' : 'population';
  const yardstickShare = Float64Array.from(groups, (_, k) =>
    v ? (totalVict > 0 ? vict[k] / totalVict : 0) : totalResidents > 0 ? residents[k] / totalResidents : 0,
  );
  const smallReason = groups.map((_, k) => {
    if (residents[k] < rule.minResidents) return `${Math.round(residents[k])} residents (< ${rule.minResidents})`;
    if (v && vict[k] < rule.minVictimization)
      return `${vict[k].toFixed(1)} citizen-reported incidents attributed (< ${rule.minVictimization})`;
    return null;
  });
  return {
    groups,
    areaCount: A,
    composition,
    populated,
    residents,
    totalResidents,
    victimization: vict,
    yardstickShare,
    totalVictimization: totalVict,
    yardstick,
    estimable: smallReason.map((r) => r === null),
    smallReason,
    rule,
    period: input.period ?? null,
    unattributedVictimization: unattributed,
  };
}

export interface GroupRatio {
  group: string;
  label: ExposureGroup['label'];
  overlapsOthers: boolean;
  residents: number;
  /** Exposure attributed to the group, per resident, and its share of all attributed exposure. */
  exposure: number;
  exposurePerResident: number;
  exposureShare: number;
  /** The group's share of the yardstick (victimization, or residents when there is none). */
  yardstickShare: number;
  victimization: number | null;
  /** exposureShare ÷ yardstickShare; null when the yardstick share is 0. */
  ratio: number | null;
  estimable: boolean;
  verdict: 'pass' | 'fail' | 'insufficient-data';
  reason: string;
}

export interface ExposureResult {
  band: [number, number];
  yardstick: 'victimization' | 'population';
  period: { from: string; to: string } | null;
  rule: SmallGroupRule;
  definition: string;
  /** Groups that partition the residents (declared not overlapping), then the overlapping ones, apart. */
  groups: GroupRatio[];
  overlappingGroups: GroupRatio[];
  attributedExposure: number;
  unattributedExposure: number;
  /** Every estimable group (overlapping ones included) within the band. */
  withinBand: boolean;
  /** Largest distance, in log units, of an estimable group's ratio outside the band (0 = within). */
  worstDeviation: number;
}

/** How far, in log units, a ratio lies outside the band (Infinity for 0 or null). */
export function bandDeviation(ratio: number | null, band: [number, number]): number {
  if (ratio === null || !(ratio > 0)) return Infinity;
  return Math.max(0, Math.log(ratio) - Math.log(band[1]), Math.log(band[0]) - Math.log(ratio));
}

export function checkBand(band: [number, number], field = 'band'): [number, number] {
  if (!(band[0] > 0 && band[0] <= 1 && band[1] >= 1 && band[1] < 100))
    throw new InputError(msg('fairness.bandWithoutOne', { low: band[0], high: band[1] }), [
      { field, expected: 'a band [low, high] with 0 < low ≤ 1 ≤ high', got: JSON.stringify(band) },
    ]);
  return band;
}

/**
 * Each group's ratio for one plan or period, from exposure per area (cells already summed into the area
 * holding their centre). O(areas × groups).
 */
export function groupExposure(
  basis: ExposureBasis,
  exposureByArea: ArrayLike<number>,
  band: [number, number] = DEFAULT_BAND,
): ExposureResult {
  checkBand(band);
  if (exposureByArea.length !== basis.areaCount)
    throw new InputError(msg('fairness.exposureLength'), [
      { field: 'exposureByArea', expected: `${basis.areaCount} values`, got: String(exposureByArea.length) },
    ]);
  let attributed = 0,
    unattributed = 0;
  for (let a = 0; a < basis.areaCount; a++) {
    const x = exposureByArea[a];
    if (!(x >= 0))
      throw new InputError(msg('fairness.badExposure', { value: x, area: a }), [
        { field: `exposureByArea[${a}]`, expected: 'a number ≥ 0', got: String(x) },
      ]);
    if (basis.populated[a]) attributed += x;
    else unattributed += x;
  }
  const rows: GroupRatio[] = basis.groups.map((g, k) => {
    let e = 0;
    const c = basis.composition[k];
    for (let a = 0; a < basis.areaCount; a++) e += exposureByArea[a] * c[a];
    const share = attributed > 0 ? e / attributed : 0;
    const ys = basis.yardstickShare[k];
    const ratio = ys > 0 ? share / ys : null;
    const what =
      basis.yardstick === 'victimization' ? 'its share of citizen-reported victimization' : 'its share of residents';
    let verdict: GroupRatio['verdict'];
    let reason: string;
    if (!basis.estimable[k]) {
      verdict = 'insufficient-data';
      reason = `small group: ${basis.smallReason[k]}; no verdict`;
    } else if (ratio === null) {
      verdict = 'insufficient-data';
      reason = `${what} is 0`;
    } else if (bandDeviation(ratio, band) > 1e-9) {
      verdict = 'fail';
      reason = `exposure share ${ratio.toFixed(3)}× ${what}, outside [${band[0]}, ${band[1]}]`;
    } else {
      verdict = 'pass';
      reason = `exposure share ${ratio.toFixed(3)}× ${what}, within [${band[0]}, ${band[1]}]`;
    }
    return {
      group: g.id,
      label: g.label,
      overlapsOthers: g.overlapsOthers,
      residents: basis.residents[k],
      exposure: e,
      exposurePerResident: basis.residents[k] > 0 ? e / basis.residents[k] : 0,
      exposureShare: share,
      yardstickShare: ys,
      victimization: basis.yardstick === 'victimization' ? basis.victimization[k] : null,
      ratio,
      estimable: basis.estimable[k],
      verdict,
      reason,
    };
  });
  let worst = 0;
  rows.forEach((r) => {
    if (r.estimable) worst = Math.max(worst, bandDeviation(r.ratio, band));
  });
  return {
    band,
    yardstick: basis.yardstick,
    period: basis.period,
    rule: basis.rule,
    definition: EXPOSURE_DEFINITION,
    groups: rows.filter((r) => !r.overlapsOthers),
    overlappingGroups: rows.filter((r) => r.overlapsOthers),
    attributedExposure: attributed,
    unattributedExposure: unattributed,
    withinBand: worst <= 1e-9,
    worstDeviation: worst,
  };
}

/** Sum exposure per cell into the area holding each cell (−1 = outside every area, not attributed). O(cells). */
export function cellsToAreaExposure(
  cellArea: ArrayLike<number>,
  areaCount: number,
  cells: ArrayLike<number>,
  weights?: ArrayLike<number>,
): { byArea: Float64Array; outside: number } {
  const out = new Float64Array(areaCount);
  let outside = 0;
  for (let j = 0; j < cells.length; j++) {
    const a = cellArea[cells[j]];
    const w = weights ? weights[j] : 1;
    if (a >= 0 && a < areaCount) out[a] += w;
    else outside += w;
  }
  return { byArea: out, outside };
}

/** Exposure per resident of each populated area, weighted by its residents (for concentration measures). O(areas). */
export function exposurePerResidentByArea(
  areas: { population: number }[],
  exposureByArea: ArrayLike<number>,
): { values: number[]; weights: number[] } {
  const values: number[] = [],
    weights: number[] = [];
  areas.forEach((a, i) => {
    if (a.population > 0) {
      values.push(exposureByArea[i] / a.population);
      weights.push(a.population);
    }
  });
  return { values, weights };
}
