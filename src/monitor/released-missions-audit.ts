/**
 * The place-based audit of Counterweight's own patrol guidance, from what was actually released: the
 * missions of a period (planned minutes, or minutes measured from officers' pings), the cells they
 * sent patrols to, the area demographics of the layer the cells fall in, and citizen-reported
 * victimization by area. Hit rate: a mission cell-shift is a hit when a citizen reported an incident
 * inside the cell during the shift. The pure audit is src/fairness/place-audit.ts; this composes it
 * with the store, keeps the report with its inputs' hash, and logs it.
 * O(mission cells × areas + incidents in the period × cells of their shift's missions).
 */
import { createHash } from 'node:crypto';
import type { Principal } from '../accounts/accounts';
import { InputError } from '../domain/errors';
import { placeAuditFromPlans, type PlanInput, placeAuditReport } from '../fairness';
import { cellAreas, loadPlaceModel, victimizationByArea } from '../forecast-service/fairness';
import { userRef } from '../ledger-service/events';
import type { Ledger } from '../ledger-service/ledger';
import { cellAt, measureDosage, type DosageCell } from '../patrol/dosage';
import { getVersion, systemRef } from '../registry/register';
import { requirePurpose } from '../privacy/sources';
import { nowIso, type Store } from '../store/db';
import { msg } from '../domain/messages';

/** `areasLayer` defaults to the forecaster's (`forecast.areasLayer`); it must carry a demographics declaration. */
export interface PlaceAuditRequest {
  from: string;
  to: string;
  exposure: 'planned' | 'measured';
  areasLayer?: string;
  band?: [number, number];
}

interface MissionRow {
  alertId: string;
  shift: { start: string; end: string };
  unit: string;
  cells: DosageCell[];
}

export async function runPlaceAudit(
  store: Store,
  ledger: Ledger,
  p: Principal,
  systemId: string,
  version: number,
  req: PlaceAuditRequest,
) {
  await getVersion(store.db, systemId, version);
  if (!(req.from < req.to))
    throw new InputError(msg('monitor.emptyPeriod'), [
      { field: 'to', expected: `a date after ${req.from}`, got: req.to },
    ]);
  const model = await loadPlaceModel(store.db, req.areasLayer);
  const demographics = model.areas;

  const alerts = await store.db
    .selectFrom('alerts')
    .select(['id', 'unit', 'output'])
    .where('system_id', '=', systemId)
    .where('kind', '=', 'patrol-mission')
    .where('occurred_at', '>=', `${req.from}T00:00:00Z`)
    .where('occurred_at', '<', `${req.to}T00:00:00Z`)
    .orderBy('occurred_at')
    .execute();
  const missions: MissionRow[] = alerts.flatMap((a) => {
    const o = JSON.parse(a.output) as { shift?: { start: string; end: string }; cells?: DosageCell[] };
    return o.shift && Array.isArray(o.cells) ? [{ alertId: a.id, unit: a.unit, shift: o.shift, cells: o.cells }] : [];
  });
  if (!missions.length)
    throw new InputError(msg('monitor.noReleasedMissions'), [
      { field: 'from', expected: 'a period with missions released through review' },
    ]);
  // Purpose limitation: every source whose incidents the audit reads (hits and victimization) must allow
  // fairness audits; a refusal is logged before it is thrown.
  const used = await store.db
    .selectFrom('incidents')
    .select('source')
    .distinct()
    .where('origin', '=', 'citizen')
    .where('occurred_at', '>=', `${req.from}T00:00:00Z`)
    .where('occurred_at', '<', `${req.to}T00:00:00Z`)
    .execute();
  for (const { source } of used)
    await requirePurpose(
      store,
      ledger,
      userRef(p.id),
      source,
      'fairness-audit',
      `place audit of ${systemId} v${version}`,
    );

  // Cells (by lattice id) → dense index and the area holding each cell's centre.
  const index = new Map<number, number>();
  const cellArea: number[] = [];
  for (const m of missions)
    for (const c of m.cells) {
      if (index.has(c.cellId)) continue;
      index.set(c.cellId, cellArea.length);
      cellArea.push(cellAreas(model, [c.ring])[0]); // the planner's placement of a cell
    }
  const plans: PlanInput[] = [];
  const hits = new Float64Array(demographics.length);
  const trials = new Float64Array(demographics.length);
  for (const m of missions) {
    let minutes: number[];
    if (req.exposure === 'measured') {
      const pings = await store.db
        .selectFrom('location_pings')
        .select(['device_ref', 't', 'lon', 'lat'])
        .where('unit', '=', m.unit)
        .where('t', '>=', m.shift.start)
        .where('t', '<=', m.shift.end)
        .execute();
      minutes = measureDosage(
        m.cells,
        pings.map((x) => ({ device: x.device_ref, t: Date.parse(x.t), lon: x.lon, lat: x.lat })),
        { start: Date.parse(m.shift.start), end: Date.parse(m.shift.end) },
      ).cells.map((c) => c.measuredMinutes);
    } else minutes = m.cells.map((c) => c.plannedMinutes);
    plans.push({ cells: m.cells.map((c) => index.get(c.cellId)!), dosage: minutes });
    // Hits: citizen-reported incidents inside a mission cell during the shift.
    const reported = await store.db
      .selectFrom('incidents')
      .select(['lon', 'lat'])
      .where('origin', '=', 'citizen')
      .where('occurred_at', '>=', m.shift.start)
      .where('occurred_at', '<', m.shift.end)
      .execute();
    const hitCells = new Set(
      reported.map((r) => cellAt(m.cells, r.lon, r.lat)).filter((c): c is number => c !== undefined),
    );
    for (const c of m.cells) {
      const a = cellArea[index.get(c.cellId)!];
      if (a < 0) continue;
      trials[a]++;
      if (hitCells.has(c.cellId)) hits[a]++;
    }
  }
  // Citizen-reported victimization by area over the period, placed by coordinates as the planner does (an empty period is refused).
  const period = { from: `${req.from}T00:00:00Z`, to: `${req.to}T00:00:00Z` };
  const { counts: victimization } = await victimizationByArea(store, model, period.from, period.to);

  const result = {
    ...placeAuditFromPlans(
      { plans, cellCount: cellArea.length, cellArea, areas: demographics, victimization, hits, trials },
      { band: req.band, groups: model.groups, period },
    ),
    layer: model.layer,
    demographics: model.declaration.id,
  };
  const unit = req.exposure === 'measured' ? 'measured patrol minutes' : 'planned patrol minutes';
  const inputs = createHash('sha256')
    .update(JSON.stringify({ req, missions: missions.map((m) => m.alertId) }))
    .digest('hex');
  const report = placeAuditReport(result, {
    title: `Place-based audit of patrol guidance, ${req.from} … ${req.to}`,
    exposureUnit: unit,
    provenance: { systemId, version, missions: missions.length, inputsSha256: inputs, exposure: req.exposure },
  });
  const passed = report.verdict !== 'fail';
  const entry = await ledger.append({
    type: 'audit.place-based',
    actor: userRef(p.id),
    subjects: [systemRef(systemId)],
    payload: {
      systemId,
      version,
      period: [req.from, req.to],
      exposure: req.exposure,
      missions: missions.length,
      verdict: report.verdict,
      failures: report.failures,
      inputsSha256: inputs,
    },
  });
  const row = await store.db
    .insertInto('audits')
    .values({
      system_id: systemId,
      version,
      kind: 'place-based',
      passed: passed ? 1 : 0,
      report: JSON.stringify({ kind: 'place-based', report, result, failures: report.failures }),
      inputs_sha256: inputs,
      run_by: p.id!,
      run_at: nowIso(),
      published: 0,
      log_index: entry.index,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    id: Number(row.id),
    passed,
    verdict: report.verdict,
    failures: report.failures,
    missions: missions.length,
    logIndex: entry.index,
  };
}
