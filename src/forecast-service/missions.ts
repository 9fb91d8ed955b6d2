/**
 * Patrol missions from a stored forecast. An analyst proposes a shift's plan (top cells under a
 * capacity budget and a dosage cap over the unit's earlier shifts); a supervisor who did not propose
 * it approves or rejects it with a reason; an approved plan is released as a `patrol-mission` alert
 * from Counterweight's own registered forecaster, through the same intake as any vendor's AI — so a
 * paused or unapproved forecaster releases nothing, and officers review the mission like any alert.
 */
import { randomBytes } from 'node:crypto';
import type { Principal } from '../accounts/accounts';
import { AccessError, InputError, StateError } from '../domain/errors';
import { planShift, type PatrolBudget } from '../forecast';
import { userRef } from '../ledger-service/events';
import type { Ledger } from '../ledger-service/ledger';
import { intakeAlert } from '../review/alert-review';
import { missionListScope, scopedMission, type Purpose } from '../review/scope';
import { nowIso, type Executor, type Store } from '../store/db';
import { getSetting } from '../store/settings';
import { TACTICS } from '../patrol/field-reports';
import { msg, render, type MessageCode } from '../domain/messages';
import { bandOf, type MissionPlan } from '../fairness';
import { basisForForecast, cellAreas, loadPlaceModel } from './fairness';
import { fairnessTradeoffOnThread, planFairMissionsOnThread } from './plan-thread';
import { forecastRow, requireForecastPurpose, type StoredCell } from './forecasts';

/** Message parameters that are plain values (what an alert's explanation carries). */
type Plain = Record<string, string | number>;

export { TACTICS };

export interface MissionRequest {
  forecastId: string;
  unit: string;
  shiftStart: string;
  shiftEnd: string;
  budget: { cells: number } | { minutes: number; minutesPerCell: number };
  dosage: { maxTimes: number; window: number };
  tactics: (typeof TACTICS)[number][];
  seed: number;
  /**
   * Keep every estimable resident group's exposure/victimization ratio within the audit's band: a bound b
   * means [1/b, b] (1.25 → 0.8–1.25), or give the band itself (cells budget only).
   */
  fairnessBound?: number | [number, number];
}

/** One mission cell, as released (the alert output contract): lattice id, rank, risk, planned minutes, WGS84 ring. */
export interface MissionCell {
  cellId: number;
  rank: number;
  risk: number;
  plannedMinutes: number;
  ring: [number, number][];
}

const isoSecond = (s: string, field: string) => {
  const t = Date.parse(s);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/.test(s) || !Number.isFinite(t))
    throw new InputError(msg('mission.badTime', { field }), [
      { field, expected: 'a UTC time like 2026-11-22T22:00:00Z', got: s },
    ]);
  return t;
};
const toIso = (t: number) => new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * Propose a shift's missions. The dosage cap counts the unit's proposed or released missions of the
 * `window − 1` shifts before this one (by lattice cell id, stable across runs on the same grid).
 * O(candidate cells log candidate cells + history).
 */
export async function proposeMissions(store: Store, ledger: Ledger, p: Principal, req: MissionRequest) {
  const start = isoSecond(req.shiftStart, 'shiftStart');
  const end = isoSecond(req.shiftEnd, 'shiftEnd');
  if (!(end > start) || end - start > 24 * 3_600_000)
    throw new InputError(msg('mission.badShift'), [
      { field: 'shiftEnd', expected: 'after shiftStart, at most 24 h later', got: req.shiftEnd },
    ]);
  const run = await forecastRow(store.db, req.forecastId);
  await requireForecastPurpose(store, ledger, p, run, 'propose missions');
  const cells = run.cells;
  const earlier = await store.db
    .selectFrom('missions')
    .select(['cells'])
    .where('unit', '=', req.unit)
    .where('shift_start', '<', toIso(start))
    .where('status', 'in', ['proposed', 'released'])
    .orderBy('shift_start', 'desc')
    .limit(Math.max(0, req.dosage.window - 1))
    .execute();
  const index = new Map(cells.map((c, i) => [c.latticeId, i]));
  const history = earlier
    .reverse()
    .map((m) =>
      (JSON.parse(m.cells) as MissionCell[]).flatMap((c) => (index.has(c.cellId) ? [index.get(c.cellId)!] : [])),
    );
  const risk = Float64Array.from(cells, (c) => c.risk);
  const budget: PatrolBudget =
    'cells' in req.budget
      ? { cells: req.budget.cells }
      : { minutes: req.budget.minutes, minutesPerCell: req.budget.minutesPerCell };
  let plan = planShift({ risk, budget, history, dosage: req.dosage, seed: req.seed });
  let fairness: Record<string, unknown> | null = null;
  if (req.fairnessBound !== undefined) {
    if (!('cells' in req.budget))
      throw new InputError(msg('mission.fairnessNeedsCells'), [{ field: 'budget', expected: '{ cells: n }' }]);
    const band = bandOf(req.fairnessBound);
    const model = await loadPlaceModel(store.db);
    const { basis, period } = await basisForForecast(store, model, run.as_of);
    // Cells the dosage cap rules out are not candidates: the plan judged here is the plan released.
    const capped = plan.skippedForDosage.map((x) => x.cell);
    const fair = await planFairMissionsOnThread(
      {
        risk,
        cellArea: cellAreas(
          model,
          cells.map((c) => c.ring),
        ),
        basis,
        budget: req.budget.cells,
        excluded: capped,
      },
      band,
    );
    fairness = {
      ...fairnessSummary(fair),
      layer: model.layer,
      demographics: model.declaration.id,
      victimizationPeriod: period,
      cappedBeforePlanning: capped.length,
      droppedAfterPlanning: [],
    };
    plan = {
      ...plan,
      missions: fair.cells.map((k, i) => ({ cell: k, rank: i + 1, risk: cells[k].risk, minutes: null })),
    };
  }
  if (!plan.missions.length)
    throw new InputError(msg('mission.noCellFits'), [
      { field: 'budget', expected: 'room for at least one cell not capped by dosage' },
    ]);
  const shiftMinutes = (end - start) / 60_000;
  const perCell =
    'cells' in req.budget
      ? Math.floor(shiftMinutes / Math.max(1, plan.missions.length) / 4)
      : req.budget.minutesPerCell;
  const chosen: MissionCell[] = plan.missions.map((m) => {
    const c: StoredCell = cells[m.cell];
    return { cellId: c.latticeId, rank: m.rank, risk: c.risk, plannedMinutes: m.minutes ?? perCell, ring: c.ring };
  });
  const id = `msn-${randomBytes(6).toString('hex')}`;
  const detail = {
    skippedForDosage: plan.skippedForDosage.map((s) => ({
      cellId: cells[s.cell].latticeId,
      timesInWindow: s.timesInWindow,
    })),
    budget: req.budget,
    dosage: req.dosage,
    tactics: req.tactics,
    seed: req.seed,
    fairness,
  };
  const entry = await ledger.append({
    type: 'mission.proposed',
    actor: userRef(p.id),
    subjects: [`mission:${id}`, `forecast:${req.forecastId}`],
    payload: {
      missionId: id,
      forecastId: req.forecastId,
      unit: req.unit,
      shiftStart: toIso(start),
      shiftEnd: toIso(end),
      cells: chosen.map((c) => c.cellId),
      ...detail,
    },
  });
  await store.db
    .insertInto('missions')
    .values({
      id,
      forecast_run_id: req.forecastId,
      unit: req.unit,
      shift_start: toIso(start),
      shift_end: toIso(end),
      cells: JSON.stringify(chosen),
      plan: JSON.stringify(detail),
      status: 'proposed',
      proposed_by: p.id ?? p.name,
      proposed_at: nowIso(),
      decided_by: null,
      decided_at: null,
      reason: null,
      alert_id: null,
      log_index: entry.index,
    })
    .execute();
  const warning =
    fairness && !fairness.feasible
      ? msg('fairness.bandUnreachable', {
          band: (fairness.band as number[]).join('–'),
          worst: String(fairness.worstGroup),
        })
      : undefined;
  return {
    id,
    cells: chosen.length,
    skippedForDosage: detail.skippedForDosage.length,
    fairness,
    ...(warning ? { warning } : {}),
    logIndex: entry.index,
  };
}

/** The registered system that is Counterweight's forecaster (its missions are its alerts). */
async function forecasterSystem(db: Executor): Promise<string> {
  const id = await getSetting(db, 'forecast.system_id');
  if (!id) throw new StateError(msg('mission.forecasterNotRegistered'));
  return id;
}

/**
 * A supervisor (never the proposer) approves or rejects a proposed mission. Approval releases it
 * through the alert intake; if the forecaster is not active the intake refuses and the mission stays
 * proposed. Rejection needs a reason.
 */
export async function decideMission(
  store: Store,
  ledger: Ledger,
  p: Principal,
  id: string,
  decision: 'approve' | 'reject',
  reason: string,
) {
  // Only a supervisor of the mission's unit decides it; another unit's is answered like a missing one.
  const m = await scopedMission(store.db, p, id, null);
  if (m.status !== 'proposed') throw new StateError(msg('mission.alreadyDecided', { id, status: m.status }));
  if (m.proposed_by === p.id) throw new AccessError(msg('mission.proposerCannotDecide'));
  if (!reason.trim())
    throw new InputError(msg('mission.reasonRequired'), [
      { field: 'reason', expected: 'why the mission is approved or rejected' },
    ]);
  if (decision === 'reject') {
    const entry = await ledger.append({
      type: 'mission.rejected',
      actor: userRef(p.id),
      subjects: [`mission:${id}`],
      payload: { missionId: id, reason },
    });
    await store.db
      .updateTable('missions')
      .set({ status: 'rejected', decided_by: p.id, decided_at: nowIso(), reason, log_index: entry.index })
      .where('id', '=', id)
      .where('status', '=', 'proposed')
      .execute();
    return { status: 'rejected' as const };
  }
  const systemId = await forecasterSystem(store.db);
  const run = await forecastRow(store.db, m.forecast_run_id);
  await requireForecastPurpose(store, ledger, p, run, 'release a mission');
  const cells = JSON.parse(m.cells) as MissionCell[];
  const detail = JSON.parse(m.plan) as { tactics: string[] };
  const explained = new Map(run.explanations.map((e) => [e.latticeId, e]));
  const summary = msg('mission.summary', {
    cells: cells.length,
    model: run.run.model,
    window: run.window,
    asOf: run.as_of,
    reason: reason.slice(0, 200),
  });
  const shiftMinutes = Math.round((Date.parse(m.shift_end) - Date.parse(m.shift_start)) / 60_000);
  const machine: Principal = {
    kind: 'api-key',
    id: null,
    name: 'counterweight-forecaster',
    roles: ['integration'],
    unit: null,
    systemId,
  };
  const alert = await intakeAlert(
    store,
    ledger,
    machine,
    systemId,
    {
      idempotencyKey: `mission:${id}`,
      kind: 'patrol-mission',
      modelVersion: run.run.model.slice(0, 128),
      occurredAt: m.shift_start,
      unit: m.unit,
      output: {
        missionId: id,
        forecastRunId: m.forecast_run_id,
        shift: { start: m.shift_start, end: m.shift_end },
        cells: cells.map((c) => ({ ...c, ring: c.ring })),
        tactics: detail.tactics,
      },
      // Each sentence also as its message code, so the reviewer reads it in their own language.
      explanation: {
        summary: render(summary),
        summaryCode: summary.code,
        summaryParams: summary.params as Plain, // built above from values only
        factors: cells.slice(0, 20).map((c) => {
          const e = explained.get(c.cellId);
          const why = e ? msg(e.messageKey as MessageCode, e.params) : msg('mission.nextHighest');
          return {
            name: `cell ${c.cellId}`,
            weight: c.risk,
            detail: (e?.sentence ?? render(why)).slice(0, 2000),
            detailCode: why.code,
            detailParams: (why.params ?? {}) as Plain, // an explanation's values, no message lists
          };
        }),
      },
      inputRefs: [],
      ttlMinutes: Math.min(7 * 24 * 60, Math.max(1, shiftMinutes)),
    },
    { planned: true },
  );
  const entry = await ledger.append({
    type: 'mission.released',
    actor: userRef(p.id),
    subjects: [`mission:${id}`, `alert:${alert.id}`],
    payload: { missionId: id, alertId: alert.id, reason },
  });
  await store.db
    .updateTable('missions')
    .set({
      status: 'released',
      decided_by: p.id,
      decided_at: nowIso(),
      reason,
      alert_id: alert.id,
      log_index: entry.index,
    })
    .where('id', '=', id)
    .where('status', '=', 'proposed')
    .execute();
  return { status: 'released' as const, alertId: alert.id };
}

/** The missions `p` may list (src/review/scope.ts): their unit's; officers those of their shift or earlier; oversight any, with a purpose. */
export async function missionsFor(
  db: Executor,
  p: Principal,
  opts: { unit?: string; forecastId?: string },
  purpose: Purpose,
) {
  const scope = await missionListScope(db, p, opts.unit, purpose);
  if (!scope) return [];
  return listMissions(db, { ...scope, forecastId: opts.forecastId });
}

export async function listMissions(
  db: Executor,
  opts: { unit?: string; forecastId?: string; startsBefore?: string; limit?: number },
) {
  let q = db
    .selectFrom('missions')
    .leftJoin('alerts', 'alerts.id', 'missions.alert_id')
    .select([
      'missions.id',
      'missions.forecast_run_id',
      'missions.unit',
      'missions.shift_start',
      'missions.shift_end',
      'missions.cells',
      'missions.plan',
      'missions.status',
      'missions.proposed_by',
      'missions.decided_by',
      'missions.reason',
      'missions.alert_id',
      'alerts.status as alert_status',
    ])
    .orderBy('missions.shift_start', 'desc')
    .limit(opts.limit ?? 100);
  if (opts.unit) q = q.where('missions.unit', '=', opts.unit);
  if (opts.forecastId) q = q.where('missions.forecast_run_id', '=', opts.forecastId);
  if (opts.startsBefore) q = q.where('missions.shift_start', '<', opts.startsBefore);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    forecastId: r.forecast_run_id,
    unit: r.unit,
    shiftStart: r.shift_start,
    shiftEnd: r.shift_end,
    cells: JSON.parse(r.cells) as MissionCell[],
    plan: JSON.parse(r.plan),
    status: r.status,
    proposedBy: r.proposed_by,
    decidedBy: r.decided_by,
    reason: r.reason,
    alertId: r.alert_id,
    alertStatus: r.alert_status ?? null,
  }));
}

/** A plan's fairness as recorded and shown: band, verdict, hits kept, and each group's ratio (aggregates only). */
export function fairnessSummary(p: MissionPlan) {
  const ratios = [...p.exposure.groups, ...p.exposure.overlappingGroups];
  const worst = ratios
    .filter((g) => g.estimable)
    .sort((a, b) => Math.abs(Math.log(b.ratio || 1e-9)) - Math.abs(Math.log(a.ratio || 1e-9)))[0];
  const round = (x: number | null) => (x === null ? null : Math.round(x * 1e6) / 1e6);
  return {
    band: p.band,
    feasible: p.feasible,
    closestInstead: p.band !== null && !p.feasible,
    method: p.method,
    expectedHits: round(p.expectedHits),
    expectedHitsKept: round(p.expectedHitsKept),
    upperBound: round(p.upperBound),
    gap: round(p.gap),
    worstGroup: worst?.group ?? null,
    worstDeviation: Number.isFinite(p.exposure.worstDeviation) ? round(p.exposure.worstDeviation) : null,
    yardstick: p.exposure.yardstick,
    rule: p.exposure.rule,
    definition: p.exposure.definition,
    groups: ratios.map((g) => ({
      group: g.group,
      overlapsOthers: g.overlapsOthers,
      ratio: round(g.ratio),
      exposureShare: round(g.exposureShare),
      victimizationShare: round(g.yardstickShare),
      estimable: g.estimable,
      verdict: g.verdict,
    })),
  };
}

/**
 * What keeping every group within the band costs, for a forecast's candidate cells under a cells
 * budget: one plan per bound (each exactly the mission that bound would plan), expected hits kept.
 */
export async function missionTradeoff(store: Store, forecastId: string, budget: number) {
  const run = await forecastRow(store.db, forecastId);
  const model = await loadPlaceModel(store.db);
  const { basis, period } = await basisForForecast(store, model, run.as_of);
  const curve = await fairnessTradeoffOnThread({
    risk: Float64Array.from(run.cells, (c) => c.risk),
    cellArea: cellAreas(
      model,
      run.cells.map((c) => c.ring),
    ),
    basis,
    budget,
  });
  return {
    forecastId,
    budget,
    layer: model.layer,
    demographics: model.declaration.id,
    victimizationPeriod: period,
    definition: curve.definition,
    rule: curve.rule,
    groups: curve.groups,
    unconstrained: { bound: null, ...fairnessSummary(curve.unconstrained) },
    points: curve.points.map((p) => ({
      bound: p.band![1],
      ...fairnessSummary(p),
      cellIds: p.cells.map((k) => run.cells[k].latticeId),
    })),
  };
}
