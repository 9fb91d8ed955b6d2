/**
 * The feedback-loop stress test (Ensign et al. 2018) run on Counterweight's own forecaster before a
 * model version may be approved: the pure test (src/fairness/forecaster-stress.ts) drives the real
 * forecasting model on a synthetic city of regions laid out as grid cells, learning from citizen
 * reports only and from reports plus discovered incidents. The verdict is stored as an audit of kind
 * 'forecaster-stress' with its configuration's hash and logged; the register's approval gate reads it.
 *
 * With an areas layer (named, or the forecaster's `forecast.areasLayer`) the city IS the layer: one region
 * per area, crime in proportion to the citizen-reported victimization of the year before `asOf`, and each
 * arm judged by the one exposure model with the layer's declared groups, the planner's basis
 * (basisForForecast) and its small-group rule; a layer without a demographics declaration is refused.
 * Only an installation with no areas layer at all runs the bare synthetic strip (`trueRates`), and the
 * verdict says that no group was assessed.
 */
import { createHash } from 'node:crypto';
import type { Principal } from '../accounts/accounts';
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import { layerCity, type IncidentHistory, type RiskModel, type SyntheticCity } from '../fairness';
import { basisForForecast, loadPlaceModel } from '../forecast-service/fairness';
import { getSetting } from '../store/settings';
import { DAY_MS, fitModel, parseModel, prepare, type ForecastIncident, type ModelParams } from '../forecast';
import { buildGrid } from '../geo';
import { userRef } from '../ledger-service/events';
import type { Ledger } from '../ledger-service/ledger';
import { getVersion, systemRef } from '../registry/register';
import { nowIso, type Store } from '../store/db';
import { stressTestOnThread } from './stress-thread';

const CELL = 1000;

/**
 * A forecasting model as a risk model over regions: region r is grid cell r of a 1 × R strip, each
 * day's recorded incidents sit at their cell's centre, and the model is refitted on the whole record
 * every day. O(days × (n log n + model fit)) for n recorded incidents.
 */
export function forecasterRiskModel(params: ModelParams, regions: number): RiskModel {
  const grid = buildGrid(
    [
      [
        [
          [0, 0],
          [regions * CELL, 0],
          [regions * CELL, CELL],
          [0, CELL],
          [0, 0],
        ],
      ],
    ],
    { cellSize: CELL },
  );
  const cellOfRegion = Array.from({ length: regions }, (_, r) => grid.ids.indexOf(r));
  return (h: IncidentHistory) => {
    const incidents: ForecastIncident[] = [];
    h.daily.forEach((day, d) => {
      for (let r = 0; r < regions; r++)
        for (let i = 0; i < day[r]; i++)
          incidents.push({
            id: `${d}-${r}-${i}`,
            type: 'synthetic',
            origin: 'citizen',
            t: d * DAY_MS,
            timePrecision: 'day',
            x: r * CELL + CELL / 2,
            y: CELL / 2,
          });
    });
    const risk = fitModel(prepare(grid, incidents), h.daily.length * DAY_MS, params).risk(1);
    return cellOfRegion.map((k) => risk[k]);
  };
}

export interface StressRequest {
  model: string;
  /** The synthetic strip's crime rates: only for an installation without an areas layer. */
  trueRates?: number[];
  days: number;
  seeds: number[];
  tolerance: number;
  /** The areas layer whose declared residents judge the forecaster (default: forecast.areasLayer). */
  areasLayer?: string;
  /** Victimization is the year (fairness.victimizationDays) before this date; default: the day after the last citizen report. */
  asOf?: string;
  /** Citizen reports a day in the layer city (sets the test's noise and cost, not its shares). */
  reportsPerDay?: number;
  band?: [number, number];
}

export const DEFAULT_STRESS = {
  model: 'counts:56',
  trueRates: [1, 1, 2, 4],
  days: 240,
  seeds: [1, 2, 3],
  tolerance: 0.1,
  reportsPerDay: 20,
};

/** The city the test runs on: the areas layer judged by the one exposure model, or (no layer at all) the bare strip. */
async function stressCity(
  store: Store,
  req: StressRequest,
): Promise<{ city: SyntheticCity; layer: Record<string, unknown> | null }> {
  const name = req.areasLayer ?? (await getSetting(store.db, 'forecast.areasLayer'));
  if (!name) return { city: { trueRates: req.trueRates ?? DEFAULT_STRESS.trueRates }, layer: null };
  if (req.trueRates)
    throw new InputError(msg('stress.trueRatesWithLayer', { layer: name }), [
      { field: 'trueRates', expected: `omitted: the city is areas layer ${name}` },
    ]);
  const model = await loadPlaceModel(store.db, name); // refuses a layer without a demographics declaration
  const asOf = req.asOf ?? (await dayAfterLastReport(store));
  const { basis, period, victimization } = await basisForForecast(store, model, asOf);
  return {
    city: layerCity(basis, victimization, {
      reportsPerDay: req.reportsPerDay ?? DEFAULT_STRESS.reportsPerDay,
      band: req.band,
    }),
    layer: {
      layer: model.layer,
      demographics: model.declaration.id,
      asOf,
      victimizationPeriod: period,
      areas: basis.areaCount,
      rule: basis.rule,
    },
  };
}

async function dayAfterLastReport(store: Store): Promise<string> {
  const r = await store.db
    .selectFrom('incidents')
    .select((e) => e.fn.max('occurred_at').as('last'))
    .where('origin', '=', 'citizen')
    .executeTakeFirst();
  const last = r?.last ? Date.parse(String(r.last)) : Date.now();
  return new Date(Math.floor(last / 86_400_000) * 86_400_000 + 86_400_000).toISOString().slice(0, 10);
}

/** Run the test for a system version and store the verdict as an audit. */
export async function runStressTest(
  store: Store,
  ledger: Ledger,
  p: Principal,
  systemId: string,
  version: number,
  req: StressRequest,
) {
  await getVersion(store.db, systemId, version);
  const params = parseModel(req.model, 1);
  if (params === 'auto')
    throw new InputError(msg('monitor.stressNeedsModel'), [
      { field: 'model', expected: 'the model the version deploys, e.g. counts:56 or kde:gaussian:1000:365' },
    ]);
  const { city, layer } = await stressCity(store, req);
  // On a thread of its own (stress-thread.ts): the simulation grows with days × seeds × reports a day.
  const verdict = await stressTestOnThread({
    params,
    city,
    options: { days: req.days, seeds: req.seeds, tolerance: req.tolerance, deployedWith: 'reported' },
  });
  if (!layer) verdict.reasons.push(msg('stress.noLayer'));
  const report = {
    kind: 'forecaster-stress',
    model: req.model,
    params,
    city: layer ?? 'synthetic strip',
    ...verdict,
    failures: verdict.passes ? [] : verdict.reasons,
  };
  const sha = createHash('sha256')
    .update(JSON.stringify({ model: req.model, city: verdict.config, layer }))
    .digest('hex');
  const entry = await ledger.append({
    type: 'audit.forecaster-stress',
    actor: userRef(p.id),
    subjects: [systemRef(systemId)],
    payload: {
      systemId,
      version,
      model: req.model,
      passes: verdict.passes,
      amplification: verdict.amplification,
      configSha256: sha,
      layer: layer?.layer ?? null,
      groupsWithinBand: verdict.groupExposure?.reportedOnly.withinBand ?? null,
    },
  });
  const r = await store.db
    .insertInto('audits')
    .values({
      system_id: systemId,
      version,
      kind: 'forecaster-stress',
      passed: verdict.passes ? 1 : 0,
      report: JSON.stringify(report),
      inputs_sha256: sha,
      run_by: p.id!,
      run_at: nowIso(),
      published: 0,
      log_index: entry.index,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const groups =
    verdict.groupExposure &&
    [...verdict.groupExposure.reportedOnly.groups, ...verdict.groupExposure.reportedOnly.overlappingGroups].map(
      (g) => ({ group: g.group, ratio: g.ratio, estimable: g.estimable, verdict: g.verdict }),
    );
  return {
    id: Number(r.id),
    passed: verdict.passes,
    runawayWhenDiscovered: verdict.runawayWhenDiscovered,
    amplification: verdict.amplification,
    reportedOnly: verdict.reportedOnly.meanDistance,
    withDiscovered: verdict.withDiscovered.meanDistance,
    reasons: verdict.reasons,
    groups,
    city: layer,
    logIndex: entry.index,
  };
}
