/**
 * "The same test on a forecaster": the runaway feedback loop of Ensign et al. (2018), run against
 * ANY risk model on a synthetic city. Each day the model reads the incident record so far and returns
 * a risk per region; patrols are sent in proportion to risk; crimes happen at the true rates; citizens
 * report some of them wherever patrols are, and patrols discover some of the rest only where they go.
 *
 * The record the model learns from is either citizen-reported incidents only, or reported plus
 * discovered (what most police records hold). A model whose allocation drifts away from the true
 * crime share when it learns from discovered incidents is feeding on its own patrols. The verdict
 * object is what the model-approval gate reads. Seeded and deterministic: same inputs, same verdict.
 * O(seeds × days × (regions + model cost)).
 */
import { InputError } from '../domain/errors';
import { msg, type Message } from '../domain/messages';
import { DEFAULT_BAND, groupExposure, type ExposureBasis, type ExposureResult } from './exposure';
import { poisson, seededRandom } from './stats';

/** The incident record a model may learn from. */
export interface IncidentHistory {
  regions: number;
  /** Recorded incidents per day, oldest first; each array has one entry per region. */
  daily: readonly Float64Array[];
  /** Running totals per region over all days. */
  total: Float64Array;
}

/** Any forecaster: history in, non-negative risk per region out. */
export type RiskModel = (history: IncidentHistory) => ArrayLike<number>;

export interface SyntheticCity {
  /** Expected crimes per day in each region (the truth the allocation should follow). */
  trueRates: number[];
  /** Probability a crime is reported by a citizen, per region or one for all (default 0.3). */
  reportingProb?: number | number[];
  /** Probability a crime not reported is discovered by a patrol, per unit of patrol share (default 0.6). */
  discoveryPerShare?: number;
  /** Days of history recorded before the model takes over (allocation uniform meanwhile); default 28. */
  burnInDays?: number;
  /**
   * The one exposure model (./exposure.ts) with region r = area r of the basis: the verdict judges each
   * arm's allocation exactly as the planner and the place audit judge a plan (same declared groups,
   * same victimization yardstick and period, same small-group rule), within `band`. See layerCity.
   */
  exposure?: { basis: ExposureBasis; band?: [number, number] };
}

export interface StressOptions {
  days?: number;
  seeds?: number[];
  /** Largest acceptable total-variation distance between allocation and true crime share; default 0.1. */
  tolerance?: number;
  /** The last `window` days' allocation is compared with the truth; default 90. */
  window?: number;
  /** Which record the model will be trained on when deployed; decides `passes`. Default 'reported'. */
  deployedWith?: 'reported' | 'reported+discovered';
}

export interface StressRun {
  seed: number;
  /** Mean allocation share over the final window. */
  allocation: number[];
  /** ½ Σ |allocation − true share|. */
  distance: number;
}

export interface StressArm {
  runs: StressRun[];
  meanDistance: number;
  maxDistance: number;
  meanAllocation: number[];
}

export interface FeedbackVerdict {
  test: 'ensign-feedback-loop';
  trueShares: number[];
  tolerance: number;
  deployedWith: 'reported' | 'reported+discovered';
  reportedOnly: StressArm;
  withDiscovered: StressArm;
  /** How much further from the truth learning from discovered incidents takes the allocation. */
  amplification: number;
  /** The deployed arm stays within tolerance in every seed and, with an exposure model, keeps every estimable group within the band. */
  passes: boolean;
  /** Learning from discovered incidents moves the allocation beyond tolerance (a live feedback loop). */
  runawayWhenDiscovered: boolean;
  /** Why it passes or fails, as messages (`stress.*`), shown in the reader's language. */
  reasons: Message[];
  /** With demographics: each arm's mean allocation judged by the shared exposure model (exposure ÷ victimization share). */
  groupExposure: { reportedOnly: ExposureResult; withDiscovered: ExposureResult } | null;
  config: {
    days: number;
    seeds: number[];
    window: number;
    city: Required<Omit<SyntheticCity, 'reportingProb' | 'exposure'>> & { reportingProb: number[] };
  };
}

function binomial(n: number, p: number, rnd: () => number): number {
  if (p <= 0 || n <= 0) return 0;
  if (p >= 1) return n;
  let k = 0;
  for (let i = 0; i < n; i++) if (rnd() < p) k++;
  return k;
}

/** One simulated deployment; returns the final-window mean allocation. */
function simulate(
  model: RiskModel,
  city: FeedbackVerdict['config']['city'],
  days: number,
  window: number,
  seed: number,
  learnDiscovered: boolean,
): number[] {
  const R = city.trueRates.length;
  const rnd = seededRandom(seed);
  const daily: Float64Array[] = [];
  const total = new Float64Array(R);
  const history: IncidentHistory = { regions: R, daily, total };
  const mean = new Float64Array(R);
  let counted = 0;
  for (let day = 0; day < city.burnInDays + days; day++) {
    let share: Float64Array;
    if (day < city.burnInDays) share = new Float64Array(R).fill(1 / R);
    else {
      const risk = model(history);
      if (risk.length !== R)
        throw new InputError(msg('fairness.stressRiskCount', { count: risk.length, regions: R }), [
          { field: 'model', expected: `${R} risks`, got: String(risk.length) },
        ]);
      let s = 0;
      for (let r = 0; r < R; r++) {
        if (!(risk[r] >= 0))
          throw new InputError(msg('fairness.stressBadRisk', { value: risk[r], region: r }), [
            { field: `risk[${r}]`, expected: 'a number ≥ 0' },
          ]);
        s += risk[r];
      }
      share = new Float64Array(R);
      for (let r = 0; r < R; r++) share[r] = s > 0 ? risk[r] / s : 1 / R;
    }
    const rec = new Float64Array(R);
    for (let r = 0; r < R; r++) {
      const crimes = poisson(city.trueRates[r], rnd);
      const reported = binomial(crimes, city.reportingProb[r], rnd);
      const discovered = binomial(crimes - reported, Math.min(1, city.discoveryPerShare * share[r] * R), rnd);
      rec[r] = reported + (learnDiscovered ? discovered : 0);
      total[r] += rec[r];
    }
    daily.push(rec);
    if (day >= city.burnInDays + days - window) {
      for (let r = 0; r < R; r++) mean[r] += share[r];
      counted++;
    }
  }
  return Array.from(mean, (m) => m / counted);
}

/**
 * Run the feedback-loop test on a model: the same city and seeds, learning from citizen reports only
 * vs from reports plus discovered incidents. The model must be a pure function of the history.
 */
export function stressTestForecaster(model: RiskModel, city: SyntheticCity, opts: StressOptions = {}): FeedbackVerdict {
  const R = city.trueRates.length;
  if (R < 2)
    throw new InputError(msg('fairness.stressTwoRegions'), [{ field: 'city.trueRates', expected: '≥ 2 regions' }]);
  city.trueRates.forEach((r, i) => {
    if (!(r >= 0))
      throw new InputError(msg('fairness.stressBadRate', { rate: r, region: i }), [
        { field: `city.trueRates[${i}]`, expected: 'a rate ≥ 0' },
      ]);
  });
  const rp = city.reportingProb ?? 0.3;
  const reportingProb = Array.isArray(rp) ? rp : Array(R).fill(rp);
  if (reportingProb.length !== R || reportingProb.some((p) => !(p >= 0 && p <= 1)))
    throw new InputError(msg('fairness.stressReportingProb'), [
      { field: 'city.reportingProb', expected: `a number in [0, 1] or ${R} of them` },
    ]);
  const cfg = {
    trueRates: city.trueRates,
    reportingProb,
    discoveryPerShare: city.discoveryPerShare ?? 0.6,
    burnInDays: city.burnInDays ?? 28,
  };
  if (city.exposure && city.exposure.basis.areaCount !== R)
    throw new InputError(msg('stress.areasMismatch', { areas: city.exposure.basis.areaCount, regions: R }), [
      {
        field: 'city.exposure.basis',
        expected: `${R} areas, one per region`,
        got: String(city.exposure.basis.areaCount),
      },
    ]);
  const days = opts.days ?? 365;
  const window = Math.min(opts.window ?? 90, days);
  const seeds = opts.seeds ?? [1, 2, 3, 4, 5];
  const tolerance = opts.tolerance ?? 0.1;
  const deployedWith = opts.deployedWith ?? 'reported';
  const sum = city.trueRates.reduce((a, b) => a + b, 0);
  const trueShares = city.trueRates.map((r) => r / sum);
  const arm = (learn: boolean): StressArm => {
    const runs = seeds.map((seed) => {
      const allocation = simulate(model, cfg, days, window, seed, learn);
      return { seed, allocation, distance: allocation.reduce((s, a, i) => s + Math.abs(a - trueShares[i]), 0) / 2 };
    });
    return {
      runs,
      meanDistance: runs.reduce((s, r) => s + r.distance, 0) / runs.length,
      maxDistance: Math.max(...runs.map((r) => r.distance)),
      meanAllocation: trueShares.map((_, i) => runs.reduce((s, r) => s + r.allocation[i], 0) / runs.length),
    };
  };
  const reportedOnly = arm(false);
  const withDiscovered = arm(true);
  const deployed = deployedWith === 'reported' ? reportedOnly : withDiscovered;
  const runaway = withDiscovered.maxDistance > tolerance;
  const within = { distance: deployed.maxDistance.toFixed(3), seeds: seeds.length, tolerance };
  const reasons: Message[] = [
    deployedWith === 'reported' ? msg('stress.withinReported', within) : msg('stress.withinDiscovered', within),
    runaway
      ? msg('stress.runaway', { distance: withDiscovered.maxDistance.toFixed(3) })
      : msg('stress.discoveredWithin', { distance: withDiscovered.maxDistance.toFixed(3) }),
  ];
  let groups: FeedbackVerdict['groupExposure'] = null;
  let groupsPass = true;
  if (city.exposure) {
    const { basis } = city.exposure;
    const band = city.exposure.band ?? DEFAULT_BAND;
    groups = {
      reportedOnly: groupExposure(basis, reportedOnly.meanAllocation, band),
      withDiscovered: groupExposure(basis, withDiscovered.meanAllocation, band),
    };
    const out = (e: ExposureResult) =>
      [...e.groups, ...e.overlappingGroups]
        .filter((g) => g.verdict === 'fail')
        .map((g) => `${g.group} ${g.ratio?.toFixed(2)}`)
        .join(', ');
    const small = [...groups.reportedOnly.groups, ...groups.reportedOnly.overlappingGroups]
      .filter((g) => !g.estimable)
      .map((g) => g.group);
    groupsPass = (deployedWith === 'reported' ? groups.reportedOnly : groups.withDiscovered).withinBand;
    reasons.push(
      groups.reportedOnly.withinBand
        ? msg('stress.groupsWithin', { lo: band[0], hi: band[1] })
        : msg('stress.groupsOutside', { lo: band[0], hi: band[1], groups: out(groups.reportedOnly) }),
    );
    if (!groups.withDiscovered.withinBand)
      reasons.push(msg('stress.discoveredGroupsOutside', { groups: out(groups.withDiscovered) }));
    const rule = { residents: basis.rule.minResidents, reports: basis.rule.minVictimization };
    reasons.push(
      small.length
        ? msg('stress.smallGroupRuleNoVerdict', { ...rule, groups: small.join(', ') })
        : msg('stress.smallGroupRule', rule),
    );
  }
  const passes = deployed.maxDistance <= tolerance && groupsPass;
  return {
    test: 'ensign-feedback-loop',
    trueShares,
    tolerance,
    deployedWith,
    reportedOnly,
    withDiscovered,
    amplification: withDiscovered.meanDistance - reportedOnly.meanDistance,
    passes,
    runawayWhenDiscovered: runaway,
    reasons,
    groupExposure: groups,
    config: { days, seeds, window, city: cfg },
  };
}

/** A simple count forecaster: risk = incidents recorded in the last `windowDays` days (all history if omitted). */
export function recentCountsModel(windowDays?: number): RiskModel {
  return (h) => {
    if (windowDays === undefined || h.daily.length <= windowDays) return h.total;
    const out = new Float64Array(h.regions);
    for (let d = h.daily.length - windowDays; d < h.daily.length; d++)
      for (let r = 0; r < h.regions; r++) out[r] += h.daily[d][r];
    return out;
  };
}

/** Hotspot-style forecaster: all risk on the region(s) with the most recorded incidents (a top-k plan). */
export function topRegionModel(k = 1): RiskModel {
  return (h) => {
    const order = Array.from({ length: h.regions }, (_, i) => i).sort((a, b) => h.total[b] - h.total[a] || a - b);
    const out = new Float64Array(h.regions);
    for (let i = 0; i < k; i++) out[order[i]] = 1;
    return out;
  };
}

/**
 * The synthetic city as an area layer: region a is area a of the exposure basis, and crimes happen in
 * proportion to the citizen-reported victimization per area that the basis was built from (so the
 * allocation that follows crime puts every group at ratio 1), scaled to `reportsPerDay` citizen reports
 * a day in all (the scale sets the test's noise and cost, not its shares). O(areas).
 */
export function layerCity(
  basis: ExposureBasis,
  victimizationByArea: ArrayLike<number>,
  opts: { reportsPerDay: number; reportingProb?: number; band?: [number, number] },
): SyntheticCity {
  if (victimizationByArea.length !== basis.areaCount)
    throw new InputError(msg('stress.areasMismatch', { areas: basis.areaCount, regions: victimizationByArea.length }), [
      {
        field: 'victimizationByArea',
        expected: `${basis.areaCount} values, one per area`,
        got: String(victimizationByArea.length),
      },
    ]);
  const p = opts.reportingProb ?? 0.3;
  let total = 0;
  for (let a = 0; a < victimizationByArea.length; a++) total += victimizationByArea[a];
  if (!(total > 0))
    throw new InputError(msg('stress.noVictimization', {}), [
      { field: 'victimizationByArea', expected: 'citizen-reported incidents in at least one area' },
    ]);
  const trueRates = Array.from(victimizationByArea, (v) => (opts.reportsPerDay * v) / total / p);
  return { trueRates, reportingProb: p, exposure: { basis, band: opts.band } };
}

/** A model that always allocates in proportion to one plan's exposure per region (to judge a plan as the stress test does). */
export function planRiskModel(exposureByRegion: ArrayLike<number>): RiskModel {
  const fixed = Float64Array.from(exposureByRegion);
  return () => fixed;
}
