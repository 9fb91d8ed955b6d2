/**
 * The feedback-loop stress test (Ensign et al. 2018) run on Counterweight's own forecaster before a
 * model version may be approved: the pure test (src/fairness/forecaster-stress.ts) drives the real
 * forecasting model on a synthetic city of regions laid out as grid cells, learning from citizen
 * reports only and from reports plus discovered incidents. The verdict is stored as an audit of kind
 * 'forecaster-stress' with its configuration's hash and logged; the register's approval gate reads it.
 */
import { createHash } from 'node:crypto';
import type { Principal } from '../accounts/accounts';
import { InputError } from '../domain/errors';
import { stressTestForecaster, type IncidentHistory, type RiskModel } from '../fairness';
import { DAY_MS, fitModel, parseModel, prepare, type ForecastIncident, type ModelParams } from '../forecast';
import { buildGrid } from '../geo';
import { userRef } from '../ledger-service/events';
import type { Ledger } from '../ledger-service/ledger';
import { getVersion, systemRef } from '../registry/service';
import { nowIso, type Store } from '../store/db';

const CELL = 1000;

/**
 * A forecasting model as a risk model over regions: region r is grid cell r of a 1 × R strip, each
 * day's recorded incidents sit at their cell's centre, and the model is refitted on the whole record
 * every day. O(days × (n log n + model fit)) for n recorded incidents.
 */
export function forecasterRiskModel(params: ModelParams, regions: number): RiskModel {
  const grid = buildGrid([[[[0, 0], [regions * CELL, 0], [regions * CELL, CELL], [0, CELL], [0, 0]]]], { cellSize: CELL });
  const cellOfRegion = Array.from({ length: regions }, (_, r) => grid.ids.indexOf(r));
  return (h: IncidentHistory) => {
    const incidents: ForecastIncident[] = [];
    h.daily.forEach((day, d) => {
      for (let r = 0; r < regions; r++) for (let i = 0; i < day[r]; i++) incidents.push({ id: `${d}-${r}-${i}`, type: 'synthetic', origin: 'citizen', t: d * DAY_MS, timePrecision: 'day', x: r * CELL + CELL / 2, y: CELL / 2 });
    });
    const risk = fitModel(prepare(grid, incidents), h.daily.length * DAY_MS, params).risk(1);
    return cellOfRegion.map((k) => risk[k]);
  };
}

export interface StressRequest { model: string; trueRates: number[]; days: number; seeds: number[]; tolerance: number }

export const DEFAULT_STRESS: StressRequest = { model: 'counts:56', trueRates: [1, 1, 2, 4], days: 240, seeds: [1, 2, 3], tolerance: 0.1 };

/** Run the test for a system version and store the verdict as an audit. */
export async function runStressTest(store: Store, ledger: Ledger, p: Principal, systemId: string, version: number, req: StressRequest) {
  await getVersion(store.db, systemId, version);
  const params = parseModel(req.model, 1);
  if (params === 'auto') throw new InputError('the stress test runs one concrete model', [{ field: 'model', expected: 'the model the version deploys, e.g. counts:56 or kde:gaussian:1000:365' }]);
  const verdict = stressTestForecaster(forecasterRiskModel(params, req.trueRates.length), { trueRates: req.trueRates }, { days: req.days, seeds: req.seeds, tolerance: req.tolerance, deployedWith: 'reported' });
  const report = { kind: 'forecaster-stress', model: req.model, params, ...verdict, failures: verdict.passes ? [] : verdict.reasons };
  const sha = createHash('sha256').update(JSON.stringify({ model: req.model, city: verdict.config })).digest('hex');
  const entry = await ledger.append({ type: 'audit.forecaster-stress', actor: userRef(p.id), subjects: [systemRef(systemId)], payload: { systemId, version, model: req.model, passes: verdict.passes, amplification: verdict.amplification, configSha256: sha } });
  const r = await store.db.insertInto('audits').values({ system_id: systemId, version, kind: 'forecaster-stress', passed: verdict.passes ? 1 : 0, report: JSON.stringify(report), inputs_sha256: sha, run_by: p.id!, run_at: nowIso(), published: 0, log_index: entry.index }).returning('id').executeTakeFirstOrThrow();
  return { id: Number(r.id), passed: verdict.passes, runawayWhenDiscovered: verdict.runawayWhenDiscovered, amplification: verdict.amplification, reportedOnly: verdict.reportedOnly.meanDistance, withDiscovered: verdict.withDiscovered.meanDistance, reasons: verdict.reasons, logIndex: entry.index };
}
