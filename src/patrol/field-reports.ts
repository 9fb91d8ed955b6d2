/**
 * Patrol missions in the field: officers' devices upload location pings in batches; officers report
 * the tactics they used and the stops, searches, arrests and uses of force made inside mission cells;
 * supervisors and oversight see planned against measured dosage. Pings are personal data about
 * officers: kept in their own table, read only through access-logged routes, purged after the
 * retention period, and only a count and a hash of each batch go into the log.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Principal } from '../accounts/accounts';
import { AccessError, InputError, StateError } from '../domain/errors';
import { userRef } from '../ledger-service/events';
import type { Ledger } from '../ledger-service/ledger';
import { nowIso, type Executor, type Store } from '../store/db';
import { getSetting } from '../store/settings';
import { scopedAlert, type Purpose } from '../review/scope';
import { cellAt, measureDosage, type DosageCell } from './dosage';
import { msg } from '../domain/messages';

export const MAX_PINGS = 5000;
const iso = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/, 'a UTC time like 2026-11-22T14:05:00Z');

export const PingBatchSchema = z
  .object({
    deviceRef: z.string().regex(/^device:[A-Za-z0-9_-]{4,64}$/, 'a pseudonymous device reference like device:car-17'),
    pings: z
      .array(
        z
          .object({
            t: iso,
            lon: z.number().min(-180).max(180),
            lat: z.number().min(-90).max(90),
            accuracyM: z.number().min(0).max(10_000).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(MAX_PINGS),
  })
  .strict();

export const TACTICS = ['visible-presence', 'foot-patrol', 'community-contact', 'problem-solving', 'traffic'] as const;
export const ReportSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('tactic'),
      tactic: z.enum(TACTICS),
      minutes: z.number().min(0).max(1440),
      note: z.string().max(1000).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('outcome'),
      outcome: z.enum(['stop', 'search', 'arrest', 'use-of-force']),
      at: iso,
      lon: z.number().min(-180).max(180),
      lat: z.number().min(-90).max(90),
    })
    .strict(),
]);

/** Store a batch of one device's pings: all or nothing, idempotent per (device, time). O(batch). */
export async function uploadPings(store: Store, ledger: Ledger, p: Principal, batch: z.infer<typeof PingBatchSchema>) {
  if (!p.id || !p.unit) throw new AccessError(msg('patrol.pingsNeedUnit'));
  const seen = new Set<string>();
  batch.pings.forEach((x, i) => {
    if (seen.has(x.t))
      throw new InputError(msg('patrol.duplicatePing'), [
        { field: `pings[${i}].t`, expected: 'distinct times within a batch', got: x.t },
      ]);
    seen.add(x.t);
  });
  const received = nowIso();
  const rows = batch.pings.map((x) => ({
    device_ref: batch.deviceRef,
    user_id: p.id!,
    unit: p.unit!,
    t: x.t.replace(/\.\d+Z$/, 'Z'),
    lon: x.lon,
    lat: x.lat,
    accuracy_m: x.accuracyM ?? null,
    received_at: received,
  }));
  const sha = createHash('sha256')
    .update(JSON.stringify(rows.map((r) => [r.t, r.lon, r.lat])))
    .digest('hex');
  let inserted = 0;
  await store.db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 500) {
      const r = await trx
        .insertInto('location_pings')
        .values(rows.slice(i, i + 500))
        .onConflict((oc) => oc.columns(['device_ref', 't']).doNothing())
        .executeTakeFirst();
      inserted += Number(r.numInsertedOrUpdatedRows ?? 0);
    }
  });
  // Only a count and a hash: the positions themselves stay out of the log.
  await ledger.append({
    type: 'patrol.pings',
    actor: userRef(p.id),
    subjects: [],
    payload: { count: rows.length, inserted, from: rows[0].t, to: rows[rows.length - 1].t, sha256: sha },
  });
  return { received: rows.length, inserted, duplicates: rows.length - inserted };
}

interface MissionAlert {
  id: string;
  unit: string;
  status: string;
  output: { missionId: string; shift: { start: string; end: string }; cells: DosageCell[] };
}

/** The released mission behind an alert, if `p` may read the alert (404 for another unit's: src/review/scope.ts). */
async function missionAlert(db: Executor, p: Principal, alertId: string, purpose: Purpose): Promise<MissionAlert> {
  const a = await scopedAlert(db, p, alertId, purpose);
  if (a.kind !== 'patrol-mission')
    throw new InputError(msg('patrol.notMission', { alertId, kind: a.kind }), [
      { field: 'alertId', expected: 'the alert of a released patrol mission' },
    ]);
  const output = JSON.parse(a.output);
  if (!Array.isArray(output.cells)) throw new StateError(msg('patrol.cellsPurged', { alertId }));
  return { id: a.id, unit: a.unit, status: a.status, output };
}

/** An officer of the mission's unit reports a tactic or an outcome; outcomes must fall inside a mission cell. */
export async function reportOnMission(
  store: Store,
  ledger: Ledger,
  p: Principal,
  alertId: string,
  report: z.infer<typeof ReportSchema>,
) {
  const a = await missionAlert(store.db, p, alertId, null);
  let detail: Record<string, unknown> = report;
  if (report.kind === 'outcome') {
    const t = Date.parse(report.at);
    if (t < Date.parse(a.output.shift.start) || t > Date.parse(a.output.shift.end))
      throw new InputError(msg('patrol.outcomeOutsideShift'), [
        { field: 'at', expected: `between ${a.output.shift.start} and ${a.output.shift.end}`, got: report.at },
      ]);
    const cellId = cellAt(a.output.cells, report.lon, report.lat);
    if (cellId === undefined)
      throw new InputError(msg('patrol.outcomeOutsideCells'), [
        { field: 'lon/lat', expected: "a point inside one of the mission's cells", got: `${report.lon},${report.lat}` },
      ]);
    detail = { ...report, cellId };
  }
  const entry = await ledger.append({
    type: `patrol.${report.kind}`,
    actor: userRef(p.id),
    subjects: [`alert:${alertId}`],
    payload: {
      alertId,
      missionId: a.output.missionId,
      ...(report.kind === 'outcome'
        ? { outcome: report.outcome, at: report.at, cellId: detail.cellId }
        : { tactic: report.tactic, minutes: report.minutes }),
    },
  });
  await store.db
    .insertInto('mission_reports')
    .values({
      alert_id: alertId,
      officer_id: p.id!,
      kind: report.kind,
      detail: JSON.stringify(detail),
      at: nowIso(),
      log_index: entry.index,
    })
    .execute();
  return { logIndex: entry.index, ...(report.kind === 'outcome' ? { cellId: detail.cellId } : {}) };
}

/**
 * Planned against measured dosage for a released mission: the unit's officers' pings during the shift,
 * attributed to the mission cells; tactics and outcomes reported. O(pings in the shift · cells).
 */
export async function missionDosage(store: Store, p: Principal, alertId: string, purpose: Purpose) {
  const a = await missionAlert(store.db, p, alertId, purpose);
  const maxGap = Number((await getSetting(store.db, 'patrol.maxPingGapSeconds')) ?? 120);
  const rows = await store.db
    .selectFrom('location_pings')
    .select(['device_ref', 't', 'lon', 'lat'])
    .where('unit', '=', a.unit)
    .where('t', '>=', a.output.shift.start)
    .where('t', '<=', a.output.shift.end)
    .execute();
  const dosage = measureDosage(
    a.output.cells,
    rows.map((r) => ({ device: r.device_ref, t: Date.parse(r.t), lon: r.lon, lat: r.lat })),
    { start: Date.parse(a.output.shift.start), end: Date.parse(a.output.shift.end) },
    maxGap,
  );
  const reports = await store.db
    .selectFrom('mission_reports')
    .select(['kind', 'detail', 'officer_id', 'at'])
    .where('alert_id', '=', alertId)
    .orderBy('id')
    .execute();
  const outcomes: Record<string, number> = {};
  const tactics: Record<string, number> = {};
  for (const r of reports) {
    const d = JSON.parse(r.detail);
    if (r.kind === 'outcome') outcomes[d.outcome] = (outcomes[d.outcome] ?? 0) + 1;
    else tactics[d.tactic] = (tactics[d.tactic] ?? 0) + d.minutes;
  }
  return {
    alertId,
    missionId: a.output.missionId,
    unit: a.unit,
    shift: a.output.shift,
    maxGapSeconds: maxGap,
    pings: rows.length,
    ...dosage,
    tactics,
    outcomes,
  };
}

/** Purge pings older than the retention period (setting patrol.pingRetentionDays, default 90). */
export async function purgeOldPings(store: Store, now = new Date()): Promise<number> {
  const days = Number((await getSetting(store.db, 'patrol.pingRetentionDays')) ?? 90);
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const r = await store.db.deleteFrom('location_pings').where('t', '<', cutoff).executeTakeFirst();
  return Number(r.numDeletedRows ?? 0);
}
