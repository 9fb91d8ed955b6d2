/**
 * Oversight of citizen data: every read of personal data is logged (who, when, which records, why)
 * in the access log and the transparency log; oversight reviews unusual access; a person's lawyer can
 * get everything we hold about a pseudonymous reference; personal data past its retention period is
 * purged through the log's tombstones (proofs keep verifying) unless a legal hold applies.
 */
import { purgeOldPings } from '../patrol/service';
import type { Principal } from '../accounts/accounts';
import { InputError, NotFoundError } from '../domain/errors';
import { isPseudonymousRef } from '../ledger/leaf';
import { forgetPseudonyms, isMinted, lookupRefs, type Pseudonyms } from './pseudonyms';
import { userRef } from '../ledger-service/events';
import type { Ledger } from '../ledger-service/ledger';
import { sql } from 'kysely';
import { nowIso, type Executor, type Store } from '../store/db';

export async function recordAccess(store: Store, ledger: Ledger, p: Principal, route: string, records: string[], purpose: string | null, status: number) {
  const entry = await ledger.append({ type: 'access.read', actor: userRef(p.id), subjects: records.filter(isPseudonymousRef).slice(0, 64), payload: { route, records, purpose, status } });
  await store.db.insertInto('access_log').values({ at: nowIso(), actor_id: p.id ?? p.name, actor_unit: p.unit, route, records: JSON.stringify(records), purpose, status, log_index: entry.index }).execute();
}

export async function accessLog(db: Executor, f: { actorId?: string; from?: string; to?: string; limit?: number }) {
  let q = db.selectFrom('access_log').selectAll().orderBy('id', 'desc').limit(Math.min(f.limit ?? 500, 5000));
  if (f.actorId) q = q.where('actor_id', '=', f.actorId);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  return (await q.execute()).map((r) => ({ ...r, records: JSON.parse(r.records) as string[] }));
}

/**
 * The weekly access review: per person, how many records they read, how many outside working hours
 * (before 07:00 or from 20:00 UTC), and how many alerts of another unit than their own. Flags
 * volume above `maxRecords`, any out-of-unit reads, and more than a quarter out of hours. O(entries).
 */
export async function accessReview(db: Executor, from: string, to: string, maxRecords = 200) {
  const rows = await db.selectFrom('access_log').selectAll().where('at', '>=', from).where('at', '<', to).execute();
  const alertUnits = new Map((await db.selectFrom('alerts').select(['id', 'unit']).execute()).map((a) => [`alert:${a.id}`, a.unit]));
  const by = new Map<string, { actorId: string; unit: string | null; reads: number; records: number; outOfHours: number; outsideUnit: number }>();
  for (const r of rows) {
    const s = by.get(r.actor_id) ?? { actorId: r.actor_id, unit: r.actor_unit, reads: 0, records: 0, outOfHours: 0, outsideUnit: 0 };
    const recs = JSON.parse(r.records) as string[];
    const hour = Number(r.at.slice(11, 13));
    s.reads++;
    s.records += recs.length;
    if (hour < 7 || hour >= 20) s.outOfHours++;
    s.outsideUnit += recs.filter((x) => alertUnits.has(x) && alertUnits.get(x) !== r.actor_unit).length;
    by.set(r.actor_id, s);
  }
  return [...by.values()].map((s) => {
    const reasons = [];
    if (s.records > maxRecords) reasons.push(`read ${s.records} records (more than ${maxRecords})`);
    if (s.outsideUnit > 0) reasons.push(`${s.outsideUnit} record(s) outside their unit`);
    if (s.outOfHours > s.reads / 4) reasons.push(`${s.outOfHours} of ${s.reads} reads out of hours`);
    return { ...s, flagged: reasons.length > 0, reasons };
  });
}

/**
 * Everything the platform holds about one person (for a subject-access request), asked about by the
 * reference the sender used or by the server's pseudonym for it: records are stored under the pseudonym.
 */
export async function subjectAccess(db: Executor, pseudonyms: Pseudonyms, asked: string) {
  if (!isPseudonymousRef(asked)) throw new InputError('not a pseudonymous reference', [{ field: 'ref', expected: '<kind>:<token>, e.g. person:Qx7aPz91Lm' }]);
  const refs = lookupRefs(pseudonyms, asked);
  const alerts = await db.selectFrom('alerts').selectAll().where('subject_ref', 'in', refs).execute();
  const ids = alerts.map((a) => a.id);
  const decisions = ids.length ? await db.selectFrom('decisions').selectAll().where('alert_id', 'in', ids).execute() : [];
  const entries = await db.selectFrom('ledger_subjects').innerJoin('ledger_payloads', 'ledger_payloads.idx', 'ledger_subjects.idx')
    .select(['ledger_payloads.idx', 'ledger_payloads.type', 'ledger_payloads.time', 'ledger_payloads.payload', 'ledger_payloads.erased_at']).where('ledger_subjects.ref', 'in', refs).orderBy('ledger_payloads.idx').execute();
  const alertRefs = new Set([...refs, ...ids.map((i) => `alert:${i}`)]);
  const reads = (await db.selectFrom('access_log').selectAll().execute()).filter((r) => (JSON.parse(r.records) as string[]).some((x) => alertRefs.has(x)));
  return {
    ref: asked, pseudonyms: refs, generatedAt: nowIso(),
    alerts: alerts.map((a) => ({ id: a.id, systemId: a.system_id, kind: a.kind, occurredAt: a.occurred_at, output: JSON.parse(a.output), explanation: JSON.parse(a.explanation), status: a.status, logIndex: a.log_index })),
    decisions: decisions.map((d) => ({ alertId: d.alert_id, outcome: d.outcome, reasonCode: d.reason_code, reasonText: d.reason_text, enforcementAction: d.enforcement_action, decidedAt: d.decided_at, logIndex: d.log_index })),
    logEntries: entries.map((e) => ({ index: e.idx, type: e.type, time: e.time, payload: e.payload ? JSON.parse(e.payload) : null, erasedAt: e.erased_at })),
    accessLog: reads.map((r) => ({ at: r.at, actorId: r.actor_id, route: r.route, purpose: r.purpose })),
  };
}

/** A legal hold on a person, named by the sender's reference or our pseudonym: held (and logged) under the pseudonym. */
export async function placeHold(store: Store, ledger: Ledger, pseudonyms: Pseudonyms, p: Principal, asked: string, reason: string) {
  if (!isPseudonymousRef(asked)) throw new InputError('not a pseudonymous reference', [{ field: 'subjectRef', expected: '<kind>:<token>' }]);
  const subjectRef = isMinted(asked) ? asked : pseudonyms.of(asked);
  const r = await store.db.insertInto('legal_holds').values({ subject_ref: subjectRef, reason, placed_by: p.id!, placed_at: nowIso(), lifted_at: null }).returning('id').executeTakeFirstOrThrow();
  await ledger.append({ type: 'privacy.legal-hold', actor: userRef(p.id), subjects: [subjectRef], payload: { holdId: r.id, reason } });
  return r.id;
}

export async function liftHold(store: Store, ledger: Ledger, p: Principal, id: number, reason: string) {
  const h = await store.db.selectFrom('legal_holds').selectAll().where('id', '=', id).where('lifted_at', 'is', null).executeTakeFirst();
  if (!h) throw new NotFoundError(`no active legal hold ${id}`);
  await store.db.updateTable('legal_holds').set({ lifted_at: nowIso() }).where('id', '=', id).execute();
  await ledger.append({ type: 'privacy.legal-hold-lifted', actor: userRef(p.id), subjects: [h.subject_ref], payload: { holdId: id, reason } });
}

/**
 * Purge personal data past each system's retention period (its register record's
 * personalData.retentionDays): the alert's subject, output and explanation are removed from the
 * table, and its log payload is erased through a tombstone (proofs keep verifying). Alerts of a
 * subject under legal hold are kept. The alert row keeps kind, unit, time and outcome, which the
 * audits need. O(alerts due).
 */
export async function runRetention(store: Store, ledger: Ledger, actor: string, now = new Date()) {
  const systems = await store.db.selectFrom('system_versions').select(['system_id', 'version', 'record']).execute();
  const days = new Map(systems.map((s) => [`${s.system_id}/${s.version}`, Number((JSON.parse(s.record) as { personalData?: { retentionDays?: number } }).personalData?.retentionDays ?? 0)]));
  const held = new Set((await store.db.selectFrom('legal_holds').select('subject_ref').where('lifted_at', 'is', null).execute()).map((h) => h.subject_ref));
  const candidates = await store.db.selectFrom('alerts').select(['id', 'system_id', 'version', 'subject_ref', 'input_refs', 'received_at', 'log_index', 'kind']).where('output', '!=', '{}').execute();
  const report = { purged: [] as string[], held: [] as string[], byKind: {} as Record<string, number> };
  for (const a of candidates) {
    const keep = days.get(`${a.system_id}/${a.version}`) ?? 0;
    if (keep <= 0 || Date.parse(a.received_at) + keep * 86_400_000 > now.getTime()) continue;
    if (a.subject_ref && held.has(a.subject_ref)) {
      report.held.push(a.id);
      continue;
    }
    const erasable = await store.db.selectFrom('ledger_payloads').select('erased_at').where('idx', '=', a.log_index).executeTakeFirst();
    if (erasable && !erasable.erased_at) await ledger.erase(a.log_index, actor, 'retention-expired');
    await store.db.updateTable('alerts').set({ subject_ref: null, output: '{}', explanation: '{"summary":"(purged: retention period ended)","factors":[]}', input_refs: '[]', place: null }).where('id', '=', a.id).execute();
    // Erasure forgets who a pseudonym stood for, once no alert refers to it any more.
    await forgetPseudonyms(store.db, [...(a.subject_ref ? [a.subject_ref] : []), ...(JSON.parse(a.input_refs) as string[])]);
    report.purged.push(a.id);
    report.byKind[a.kind] = (report.byKind[a.kind] ?? 0) + 1;
  }
  // Incidents past their source's retention period keep only what area-level audits need: type, origin,
  // date and area (coordinates rounded to ~1 km); the precise point, subtype and attributes go.
  const sources = await store.db.selectFrom('data_sources').select(['id', 'record', 'version']).orderBy('version', 'desc').execute();
  const incidentRetention = new Map<string, number>();
  for (const src of sources) if (!incidentRetention.has(src.id)) incidentRetention.set(src.id, Number((JSON.parse(src.record) as { retentionDays: number }).retentionDays));
  const coarsened: Record<string, number> = {};
  for (const [source, retentionDays] of incidentRetention) {
    const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const r = await store.db.updateTable('incidents')
      .set((eb) => ({ x: null, y: null, subtype: null, attrs: '{"purged":"retention"}', lon: sql<number>`round(${eb.ref('lon')} * 100) / 100`, lat: sql<number>`round(${eb.ref('lat')} * 100) / 100` }))
      .where('source', '=', source).where('occurred_at', '<', cutoff).where('attrs', '!=', '{"purged":"retention"}').executeTakeFirst();
    const n = Number(r.numUpdatedRows ?? 0);
    if (n) coarsened[source] = n;
  }
  const pingsPurged = await purgeOldPings(store, now);
  const entry = await ledger.append({ type: 'privacy.retention-run', actor, subjects: [], payload: { at: now.toISOString(), purged: report.purged.length, held: report.held.length, byKind: report.byKind, incidentsCoarsened: coarsened, pingsPurged } });
  await store.db.insertInto('retention_runs').values({ at: nowIso(now), retention_days: 0, purged: report.purged.length, held: report.held.length, report: JSON.stringify(report), log_index: entry.index }).execute();
  return { ...report, incidentsCoarsened: coarsened, pingsPurged };
}
