/**
 * Oversight of citizen data: every read of personal data is logged (who, when, which records, why)
 * in the access log and the transparency log; oversight reviews unusual access; a person's lawyer can
 * get everything we hold about a pseudonymous reference; personal data past its retention period is
 * purged through the log's tombstones (proofs keep verifying) unless a legal hold applies.
 */
import { purgeOldPings } from '../patrol/field-reports';
import type { Principal } from '../accounts/accounts';
import { AccessError, InputError, NotFoundError, StateError, preview } from '../domain/errors';
import { msg } from '../domain/messages';
import { citizenTables } from './personal-data';
import { anyAlertCarries, forgetPseudonyms, isMinted, lookupRefs, type Pseudonyms } from './pseudonyms';
import { isPseudonymousRef } from '../ledger';
import { userRef } from '../ledger-service/events';
import type { Ledger } from '../ledger-service/ledger';
import { sql } from 'kysely';
import { flushErasures, nowIso, type Executor, type Store } from '../store/db';
import { readRows } from '../store/read-thread';

export async function recordAccess(
  store: Store,
  ledger: Ledger,
  p: Principal,
  route: string,
  records: string[],
  purpose: string | null,
  status: number,
) {
  const entry = await ledger.append({
    type: 'access.read',
    actor: userRef(p.id),
    subjects: records.filter(isPseudonymousRef).slice(0, 64),
    payload: { route, records, purpose, status },
  });
  await store.db
    .insertInto('access_log')
    .values({
      at: nowIso(),
      actor_id: p.id ?? p.name,
      actor_unit: p.unit,
      route,
      records: JSON.stringify(records),
      purpose,
      status,
      log_index: entry.index,
    })
    .execute();
}

export async function accessLog(db: Executor, f: { actorId?: string; from?: string; to?: string; limit?: number }) {
  let q = db
    .selectFrom('access_log')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(Math.min(f.limit ?? 500, 5000));
  if (f.actorId) q = q.where('actor_id', '=', f.actorId);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  return (await q.execute()).map((r) => ({ ...r, records: JSON.parse(r.records) as string[] }));
}

/**
 * The weekly access review: per person, how many records they read, how many outside working hours
 * (before 07:00 or from 20:00 UTC), and how many alerts of another unit than their own. Flags
 * volume above `maxRecords`, any out-of-unit reads, and more than a quarter out of hours. O(entries + alerts
 * they name), read on reader threads.
 */
export async function accessReview(store: Store, from: string, to: string, maxRecords = 200) {
  const [rows] = await readRows(
    store,
    store.db.selectFrom('access_log').selectAll().where('at', '>=', from).where('at', '<', to),
  );
  // The units of the alerts these reads name, and only those (it read every alert ever received: 200,000
  // alerts cost the serving thread 0.5 CPU s per review). By primary key, in chunks the databases accept.
  const named = [
    ...new Set(rows.flatMap((r) => (JSON.parse(r.records) as string[]).filter((x) => x.startsWith('alert:')))),
  ].map((x) => x.slice('alert:'.length));
  const alertUnits = new Map<string, string>();
  for (let i = 0; i < named.length; i += 5_000) {
    const [units] = await readRows(
      store,
      store.db
        .selectFrom('alerts')
        .select(['id', 'unit'])
        .where('id', 'in', named.slice(i, i + 5_000)),
    );
    for (const a of units) alertUnits.set(`alert:${a.id}`, a.unit);
  }
  const by = new Map<
    string,
    { actorId: string; unit: string | null; reads: number; records: number; outOfHours: number; outsideUnit: number }
  >();
  for (const r of rows) {
    const s = by.get(r.actor_id) ?? {
      actorId: r.actor_id,
      unit: r.actor_unit,
      reads: 0,
      records: 0,
      outOfHours: 0,
      outsideUnit: 0,
    };
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

/** LIKE pattern for text that contains the ref anywhere (`_` and `%` escaped); a prefilter for `namesRef`. */
function mentions(ref: string): string {
  return `%${ref.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** LIKE pattern for a JSON array of refs that holds exactly this one (`"ref"` with its quotes). */
function listed(ref: string): string {
  return mentions(JSON.stringify(ref));
}

/** Does the text name exactly this ref, as a whole token (so `person:Ab12` is not found in `person:Ab123`)? */
export function namesRef(text: string | null, ref: string): boolean {
  if (!text) return false;
  for (let i = text.indexOf(ref); i >= 0; i = text.indexOf(ref, i + 1)) {
    const before = i === 0 ? '' : text[i - 1];
    const after = text[i + ref.length] ?? '';
    if (!/[A-Za-z0-9_:-]/.test(before) && !/[A-Za-z0-9_-]/.test(after)) return true;
  }
  return false;
}

/**
 * Everything the platform holds that refers to one pseudonymous reference (for a subject-access
 * request), from every citizen-data table of the inventory (personal-data.ts): alerts that name the
 * person as subject, among their inputs, or anywhere in their output or explanation; the decisions and
 * mission reports on those alerts (texts included, until purged); the log entries indexed under the
 * ref or its alerts; reads of those records; and legal holds. O(rows scanned by the LIKE filters).
 */
/**
 * Everything held about a person. The two searches that grow with the tables (every alert's inputs,
 * output and explanation, and every access record, for a mention of the person) run on a reader thread
 * (store/read-thread.ts): on the serving thread they held alert intake, 0.16 CPU s at 262,144 alerts.
 * The rest are lookups by alert id or reference.
 */
export async function subjectAccess(store: Store, pseudonyms: Pseudonyms, asked: string) {
  const db = store.db;
  if (!isPseudonymousRef(asked))
    throw new InputError(msg('privacy.notPseudonym'), [
      { field: 'ref', expected: '<kind>:<token>, e.g. person:Qx7aPz91Lm' },
    ]);
  // Records are stored under the server's pseudonym; a vendor's free text may still carry the raw ref.
  const pseuds = lookupRefs(pseudonyms, asked);
  const names = [...new Set([...pseuds, asked])];
  const ref = pseuds[0];
  const [found] = await readRows(
    store,
    db
      .selectFrom('alerts')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('subject_ref', 'in', pseuds),
          ...names.flatMap((r) =>
            ['input_refs', 'output', 'explanation'].map((c) =>
              eb(c as 'output', 'like', sql<string>`${mentions(r)} ESCAPE '\\'`),
            ),
          ),
        ]),
      )
      .orderBy('received_at'),
  );
  const alerts = found.filter(
    (a) =>
      pseuds.includes(a.subject_ref ?? '') ||
      names.some((r) => [a.input_refs, a.output, a.explanation].some((t) => namesRef(t, r))),
  );
  const ids = alerts.map((a) => a.id);
  const decisions = ids.length
    ? await db.selectFrom('decisions').selectAll().where('alert_id', 'in', ids).execute()
    : [];
  const reports = ids.length
    ? await db.selectFrom('mission_reports').selectAll().where('alert_id', 'in', ids).execute()
    : [];
  const refs = [...pseuds, ...ids.map((i) => `alert:${i}`)];
  const entries = await db
    .selectFrom('ledger_subjects')
    .innerJoin('ledger_payloads', 'ledger_payloads.idx', 'ledger_subjects.idx')
    .select([
      'ledger_payloads.idx',
      'ledger_payloads.type',
      'ledger_payloads.time',
      'ledger_payloads.payload',
      'ledger_payloads.erased_at',
    ])
    .where('ledger_subjects.ref', 'in', refs)
    .orderBy('ledger_payloads.idx')
    .execute();
  const seen = new Set<number>();
  const alertRefs = new Set(refs);
  const [mentioned] = await readRows(
    store,
    db
      .selectFrom('access_log')
      .selectAll()
      .where((eb) => eb.or(refs.map((r) => eb('records', 'like', sql<string>`${listed(r)} ESCAPE '\\'`)))),
  );
  const reads = mentioned.filter((r) => (JSON.parse(r.records) as string[]).some((x) => alertRefs.has(x)));
  const holds = await db.selectFrom('legal_holds').selectAll().where('subject_ref', 'in', refs).execute();
  return {
    ref: asked,
    pseudonyms: pseuds,
    generatedAt: nowIso(),
    alerts: alerts.map((a) => ({
      id: a.id,
      systemId: a.system_id,
      kind: a.kind,
      occurredAt: a.occurred_at,
      subjectRef: a.subject_ref,
      inputRefs: JSON.parse(a.input_refs) as string[],
      place: a.place ? JSON.parse(a.place) : null,
      output: JSON.parse(a.output),
      explanation: JSON.parse(a.explanation),
      status: a.status,
      logIndex: a.log_index,
      purgedAt: a.purged_at,
    })),
    decisions: decisions.map((d) => ({
      alertId: d.alert_id,
      outcome: d.outcome,
      reasonCode: d.reason_code,
      reasonText: d.reason_text,
      enforcementAction: d.enforcement_action,
      corroboration: d.corroboration ? JSON.parse(d.corroboration) : null,
      decidedAt: d.decided_at,
      logIndex: d.log_index,
      purgedAt: d.purged_at,
    })),
    missionReports: reports.map((r) => ({
      alertId: r.alert_id,
      kind: r.kind,
      detail: JSON.parse(r.detail),
      at: r.at,
      logIndex: r.log_index,
      purgedAt: r.purged_at,
    })),
    logEntries: entries
      .filter((e) => !seen.has(e.idx) && seen.add(e.idx))
      .map((e) => ({
        index: e.idx,
        type: e.type,
        time: e.time,
        payload: e.payload ? JSON.parse(e.payload) : null,
        erasedAt: e.erased_at,
      })),
    accessLog: reads.map((r) => ({ at: r.at, actorId: r.actor_id, route: r.route, purpose: r.purpose })),
    legalHolds: holds.map((h) => ({
      id: h.id,
      subjectRef: h.subject_ref,
      status: h.status,
      placedAt: h.placed_at,
      liftedAt: h.lifted_at,
    })),
  };
}

/** The log names a hold, never the person it holds (their ref is only in the erasable payload). */
const holdRef = (id: number) => `hold:h${String(id).padStart(9, '0')}`;

/** Holds that keep data: in force (active, or awaiting confirmation or a confirmed lift). */
const HOLDING = ['pending', 'active', 'lift-requested'];

/** Does any record carry this ref? A hold on a ref that matches nothing protects nothing and is refused. */
async function refMatchesSomething(db: Executor, ref: string): Promise<boolean> {
  const alertId = ref.startsWith('alert:') ? ref.slice(6) : null;
  if (await anyAlertCarries(db, ref)) return true;
  if (alertId && (await db.selectFrom('alerts').select('id').where('id', '=', alertId).executeTakeFirst())) return true;
  return !!(await db.selectFrom('ledger_subjects').select('idx').where('ref', '=', ref).limit(1).executeTakeFirst());
}

/**
 * Ask for a legal hold: it keeps the data at once (pending), and is in force until refused or, once a
 * second oversight officer confirmed it, until a lift is requested and confirmed by two people. Holds
 * name any ref a record carries (a person, `alert:<id>`, a ref among an alert's inputs). The log entry
 * names the hold, not the person (the ref is only in the erasable payload).
 */
export async function placeHold(
  store: Store,
  ledger: Ledger,
  pseudonyms: Pseudonyms,
  p: Principal,
  asked: string,
  reason: string,
) {
  const isAlert = /^alert:[A-Za-z0-9_-]{1,128}$/.test(asked);
  // A person is held under the server's pseudonym, whichever form the request named them by.
  const subjectRef = isAlert || isMinted(asked) ? asked : isPseudonymousRef(asked) ? pseudonyms.of(asked) : asked;
  if (!isAlert && !isPseudonymousRef(subjectRef))
    throw new InputError(msg('privacy.holdRefInvalid'), [
      { field: 'subjectRef', expected: '<kind>:<token> or alert:<id>', got: preview(subjectRef, 40) },
    ]);
  if (!(await refMatchesSomething(store.db, subjectRef)))
    throw new InputError(msg('privacy.holdMatchesNothing', { ref: subjectRef }), [
      {
        field: 'subjectRef',
        expected: 'a ref that an alert, its inputs or the log carries',
        got: preview(subjectRef, 40),
      },
    ]);
  // The row first, then its log entry: the log's writer commits on its own connection, so the two cannot
  // share a transaction; a failed append leaves a pending hold, which errs on the side of keeping data.
  const r = await store.db
    .insertInto('legal_holds')
    .values({
      subject_ref: subjectRef,
      reason,
      placed_by: p.id!,
      placed_at: nowIso(),
      lifted_at: null,
      status: 'pending',
      confirmed_by: null,
      confirmed_at: null,
      lift_requested_by: null,
      lift_reason: null,
      lifted_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await ledger.append({
    type: 'privacy.legal-hold',
    actor: userRef(p.id),
    subjects: [holdRef(r.id)],
    payload: { holdId: r.id, subjectRef, reason, status: 'pending' },
  });
  return r.id;
}

async function holdOrThrow(db: Executor, id: number) {
  const h = await db.selectFrom('legal_holds').selectAll().where('id', '=', id).executeTakeFirst();
  if (!h) throw new NotFoundError(msg('privacy.holdNotFound', { id }));
  return h;
}

/** Move a hold from one state to the next, only if it is still in `from` (two people racing: one wins). */
async function moveHold(db: Executor, id: number, from: string, set: Record<string, string | null>) {
  const r = await db
    .updateTable('legal_holds')
    .set(set)
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1)
    throw new StateError(msg('privacy.holdNotPending', { id, status: 'changed meanwhile' }));
}

/** The second person: confirm a pending hold, or refuse it (the data is then no longer held by it). */
export async function confirmHold(
  store: Store,
  ledger: Ledger,
  p: Principal,
  id: number,
  confirm: boolean,
  reason: string,
) {
  const h = await holdOrThrow(store.db, id);
  if (h.status !== 'pending') throw new StateError(msg('privacy.holdNotPending', { id, status: h.status }));
  if (h.placed_by === p.id) throw new AccessError(msg('privacy.holdSamePerson'));
  const status = confirm ? 'active' : 'refused';
  await moveHold(store.db, id, 'pending', {
    status,
    confirmed_by: p.id,
    confirmed_at: nowIso(),
    ...(confirm ? {} : { lifted_at: nowIso(), lifted_by: p.id }),
  });
  await ledger.append({
    type: confirm ? 'privacy.legal-hold-confirmed' : 'privacy.legal-hold-refused',
    actor: userRef(p.id),
    subjects: [holdRef(id)],
    payload: { holdId: id, reason },
  });
  return { id, status };
}

/** One person asks to lift a hold; it stays in force until another confirms. */
export async function requestLift(store: Store, ledger: Ledger, p: Principal, id: number, reason: string) {
  const h = await holdOrThrow(store.db, id);
  if (h.status !== 'active') throw new StateError(msg('privacy.holdNotInForce', { id, status: h.status }));
  await moveHold(store.db, id, 'active', { status: 'lift-requested', lift_requested_by: p.id, lift_reason: reason });
  await ledger.append({
    type: 'privacy.legal-hold-lift-requested',
    actor: userRef(p.id),
    subjects: [holdRef(id)],
    payload: { holdId: id, reason },
  });
  return { id, status: 'lift-requested' };
}

/** The second person confirms the lift: from now on the data is purged when its retention ends. */
export async function liftHold(store: Store, ledger: Ledger, p: Principal, id: number, reason: string) {
  const h = await holdOrThrow(store.db, id);
  if (h.status !== 'lift-requested') throw new StateError(msg('privacy.holdNoLiftRequest', { id, status: h.status }));
  if (h.lift_requested_by === p.id) throw new AccessError(msg('privacy.holdSamePerson'));
  await moveHold(store.db, id, 'lift-requested', { status: 'lifted', lifted_at: nowIso(), lifted_by: p.id });
  await ledger.append({
    type: 'privacy.legal-hold-lifted',
    actor: userRef(p.id),
    subjects: [holdRef(id)],
    payload: { holdId: id, reason },
  });
  return { id, status: 'lifted' };
}

/** Every hold, newest first, with how many alerts each one keeps. */
export async function listHolds(db: Executor) {
  const holds = await db.selectFrom('legal_holds').selectAll().orderBy('id', 'desc').execute();
  const out = [];
  for (const h of holds) {
    const alertId = h.subject_ref.startsWith('alert:') ? h.subject_ref.slice(6) : '';
    // The alerts that carry the ref (alert_refs, by index) and the alert an `alert:` hold names.
    const n = await db
      .selectFrom('alerts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) =>
        eb.or([
          eb('id', '=', alertId),
          eb('id', 'in', eb.selectFrom('alert_refs').select('alert_id').where('ref', '=', h.subject_ref)),
        ]),
      )
      .executeTakeFirstOrThrow();
    out.push({
      id: h.id,
      subjectRef: h.subject_ref,
      reason: h.reason,
      status: h.status,
      inForce: HOLDING.includes(h.status),
      placedBy: h.placed_by,
      placedAt: h.placed_at,
      confirmedBy: h.confirmed_by,
      confirmedAt: h.confirmed_at,
      liftRequestedBy: h.lift_requested_by,
      liftReason: h.lift_reason,
      liftedBy: h.lifted_by,
      liftedAt: h.lifted_at,
      alertsHeld: Number(n.n),
    });
  }
  return out;
}

/** Every ref an alert carries: a hold on any of them keeps it. */
function refsOfAlert(a: { id: string; subject_ref: string | null; input_refs: string }): string[] {
  const inputs = JSON.parse(a.input_refs) as unknown;
  return [
    `alert:${a.id}`,
    ...(a.subject_ref ? [a.subject_ref] : []),
    ...(Array.isArray(inputs) ? inputs.filter((x): x is string => typeof x === 'string') : []),
  ];
}

const COARSENED = '{"purged":"retention"}';
/** Rows a coarsening step finds (on a reader thread) and updates (here, by primary key): ~10 ms of writing. */
const COARSEN_STEP = 1_000;

/**
 * Coarsen `source`'s incidents that occurred before `cutoff` and still hold their point: in steps down the
 * time index, O(incidents before the cutoff) read on a reader thread and O(rows coarsened) written here, with
 * a turn of the event loop between steps. As one statement it held the serving thread, alert intake
 * included, for 6 s at 500,000 incidents with nothing to do (SQLite walked the source index and looked up
 * every row). A crash between steps leaves the rest for the next run. Returns how many were coarsened.
 */
async function coarsenIncidentsBefore(store: Store, source: string, cutoff: string): Promise<number> {
  let n = 0;
  let after: { at: string; id: number } | undefined;
  for (;;) {
    const from = after;
    const [rows] = await readRows(
      store,
      store.db
        .selectFrom('incidents')
        .select(['id', 'occurred_at'])
        .where('occurred_at', '<', cutoff)
        .$if(from !== undefined, (q) =>
          q.where((eb) =>
            eb.or([
              eb('occurred_at', '>', from!.at),
              eb.and([eb('occurred_at', '=', from!.at), eb('id', '>', from!.id)]),
            ]),
          ),
        )
        // `source || ''`: no index serves it, so SQLite walks the time index (see incident-queries.ts `filtered`).
        .where(sql<string>`(source || '')`, '=', source)
        .where('attrs', '!=', COARSENED)
        .orderBy('occurred_at')
        .orderBy('id')
        .limit(COARSEN_STEP),
    );
    if (rows.length === 0) return n;
    const r = await store.db
      .updateTable('incidents')
      .set((eb) => ({
        x: null,
        y: null,
        subtype: null,
        attrs: COARSENED,
        lon: sql<number>`round(${eb.ref('lon')} * 100) / 100`,
        lat: sql<number>`round(${eb.ref('lat')} * 100) / 100`,
      }))
      .where(
        'id',
        'in',
        rows.map((x) => Number(x.id)),
      )
      .where('attrs', '!=', COARSENED)
      .executeTakeFirst();
    n += Number(r.numUpdatedRows ?? 0);
    const last = rows[rows.length - 1];
    after = { at: last.occurred_at, id: Number(last.id) };
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const PURGED_EXPLANATION = '{"summary":"(purged: retention period ended)","factors":[]}';

/**
 * Purge personal data past each system's retention period (its register record's
 * personalData.retentionDays), from every citizen-data table of the inventory (personal-data.ts):
 * - alerts received before the cut-off and not yet purged (`purged_at`, whatever their output): subject,
 *   inputs, place, output and explanation cleared; their log entry erased through a tombstone;
 * - the decisions on them (reason text, corroboration) and mission reports (exact stop locations),
 *   with their log entries;
 * - the log's ref→entry index rows of every erased entry; refs no longer held anywhere are replaced by
 *   "(purged)" in the access log, whose entries naming them are erased too;
 * - incidents past their source's retention coarsened; officers' pings past theirs deleted.
 * Alerts carrying any ref under a legal hold in force are kept. Then the erasure is flushed to disk
 * (flushErasures). Idempotent; O(alerts due + their decisions and reports + access-log rows naming them).
 */
export async function runRetention(
  store: Store,
  ledger: Ledger,
  actor: string,
  now = new Date(),
  opts: { logIfNothing?: boolean } = {},
) {
  const systems = await store.db.selectFrom('system_versions').select(['system_id', 'version', 'record']).execute();
  const days = new Map(
    systems.map((s) => [
      `${s.system_id}/${s.version}`,
      Number((JSON.parse(s.record) as { personalData?: { retentionDays?: number } }).personalData?.retentionDays ?? 0),
    ]),
  );
  const held = new Set(
    (await store.db.selectFrom('legal_holds').select('subject_ref').where('status', 'in', HOLDING).execute()).map(
      (h) => h.subject_ref,
    ),
  );
  // Only alerts received before the latest cut-off (the shortest retention) can be due: read those alone,
  // through (purged_at, received_at), not every unpurged alert (262,144 of them cost the serving thread 1.6
  // CPU s a run). Each is then checked against its own system's period below. A second later than the
  // cut-off, so that a stored time written with or without milliseconds is never missed.
  const shortest = Math.min(...[...days.values()].filter((d) => d > 0));
  const candidates = Number.isFinite(shortest)
    ? await store.db
        .selectFrom('alerts')
        .select(['id', 'system_id', 'version', 'subject_ref', 'input_refs', 'received_at', 'log_index', 'kind'])
        .where('purged_at', 'is', null)
        .where('received_at', '<', nowIso(new Date(now.getTime() - shortest * 86_400_000 + 1000)))
        .execute()
    : [];
  const report = {
    purged: [] as string[],
    held: [] as string[],
    byKind: {} as Record<string, number>,
    decisionsPurged: 0,
    reportsPurged: 0,
    accessRowsScrubbed: 0,
    entriesErased: 0,
  };
  const erase = async (idx: number) => {
    const e = await store.db
      .selectFrom('ledger_payloads')
      .select('erased_at')
      .where('idx', '=', idx)
      .executeTakeFirst();
    if (e && !e.erased_at) {
      await ledger.erase(idx, actor, 'retention-expired');
      report.entriesErased++;
    }
    await store.db.deleteFrom('ledger_subjects').where('idx', '=', idx).execute();
  };
  const goneRefs = new Set<string>();
  for (const a of candidates) {
    const keep = days.get(`${a.system_id}/${a.version}`) ?? 0;
    if (keep <= 0 || Date.parse(a.received_at) + keep * 86_400_000 > now.getTime()) continue;
    const refs = refsOfAlert(a);
    if (refs.some((r) => held.has(r))) {
      report.held.push(a.id);
      continue;
    }
    await erase(a.log_index);
    const at = nowIso(now);
    for (const d of await store.db
      .selectFrom('decisions')
      .select(['id', 'log_index'])
      .where('alert_id', '=', a.id)
      .where('purged_at', 'is', null)
      .execute()) {
      await erase(d.log_index);
      await store.db
        .updateTable('decisions')
        .set({ reason_text: '(purged: retention period ended)', corroboration: null, purged_at: at })
        .where('id', '=', d.id)
        .execute();
      report.decisionsPurged++;
    }
    // Actions taken on an urgent alert (issue 24) carry the same kind of text as a decision.
    for (const x of await store.db
      .selectFrom('alert_actions')
      .select(['id', 'log_index'])
      .where('alert_id', '=', a.id)
      .where('purged_at', 'is', null)
      .execute()) {
      await erase(x.log_index);
      await store.db
        .updateTable('alert_actions')
        .set({ reason_text: '(purged: retention period ended)', corroboration: null, purged_at: at })
        .where('id', '=', x.id)
        .execute();
    }
    for (const r of await store.db
      .selectFrom('mission_reports')
      .select(['id', 'log_index'])
      .where('alert_id', '=', a.id)
      .where('purged_at', 'is', null)
      .execute()) {
      await erase(r.log_index);
      await store.db
        .updateTable('mission_reports')
        .set({ detail: '{"purged":"retention"}', purged_at: at })
        .where('id', '=', r.id)
        .execute();
      report.reportsPurged++;
    }
    // The alert's columns and its ref rows go together: a ref row left behind would keep the person's raw
    // reference for good (erasure forgets it only once no alert carries it, and the alert is not purged again).
    await store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('alerts')
        .set({
          subject_ref: null,
          output: '{}',
          explanation: PURGED_EXPLANATION,
          input_refs: '[]',
          place: null,
          purged_at: at,
        })
        .where('id', '=', a.id)
        .execute();
      await trx.deleteFrom('alert_refs').where('alert_id', '=', a.id).execute();
    });
    for (const r of refs) goneRefs.add(r);
    // Erasure forgets who a pseudonym stood for, once no alert refers to it any more.
    await forgetPseudonyms(
      store.db,
      refs.filter((r) => !r.startsWith('alert:')),
    );
    report.purged.push(a.id);
    report.byKind[a.kind] = (report.byKind[a.kind] ?? 0) + 1;
  }
  // A person ref stays in the access log while any unpurged record still carries it.
  for (const r of [...goneRefs]) {
    if (r.startsWith('alert:')) continue;
    if (await anyAlertCarries(store.db, r)) goneRefs.delete(r);
  }
  if (goneRefs.size) {
    const rows = await store.db
      .selectFrom('access_log')
      .select(['id', 'records', 'log_index'])
      .where((eb) => eb.or([...goneRefs].map((r) => eb('records', 'like', sql<string>`${listed(r)} ESCAPE '\\'`))))
      .execute();
    for (const row of rows) {
      const records = (JSON.parse(row.records) as string[]).map((x) => (goneRefs.has(x) ? '(purged)' : x));
      await erase(row.log_index);
      await store.db
        .updateTable('access_log')
        .set({ records: JSON.stringify(records) })
        .where('id', '=', row.id)
        .execute();
      report.accessRowsScrubbed++;
    }
  }
  // Incidents past their source's retention period keep only what area-level audits need: type, origin,
  // date and area (coordinates rounded to ~1 km); the precise point, subtype and attributes go.
  const sources = await store.db
    .selectFrom('data_sources')
    .select(['id', 'record', 'version'])
    .orderBy('version', 'desc')
    .execute();
  const incidentRetention = new Map<string, number>();
  for (const src of sources)
    if (!incidentRetention.has(src.id))
      incidentRetention.set(src.id, Number((JSON.parse(src.record) as { retentionDays: number }).retentionDays));
  const coarsened: Record<string, number> = {};
  for (const [source, retentionDays] of incidentRetention) {
    const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const n = await coarsenIncidentsBefore(store, source, cutoff);
    if (n) coarsened[source] = n;
  }
  const pingsPurged = await purgeOldPings(store, now);
  const changed = report.purged.length + report.accessRowsScrubbed + pingsPurged + Object.keys(coarsened).length > 0;
  // The start-up run logs only what it did; the daily and requested runs are logged even when empty.
  if (!changed && opts.logIfNothing === false) return { ...report, incidentsCoarsened: coarsened, pingsPurged };
  const summary = {
    purged: report.purged.length,
    held: report.held.length,
    byKind: report.byKind,
    decisionsPurged: report.decisionsPurged,
    reportsPurged: report.reportsPurged,
    accessRowsScrubbed: report.accessRowsScrubbed,
    entriesErased: report.entriesErased,
    incidentsCoarsened: coarsened,
    pingsPurged,
  };
  const entry = await ledger.append({
    type: 'privacy.retention-run',
    actor,
    subjects: [],
    payload: { at: now.toISOString(), ...summary },
  });
  await store.db
    .insertInto('retention_runs')
    .values({
      at: nowIso(now),
      retention_days: 0,
      purged: report.purged.length,
      held: report.held.length,
      report: JSON.stringify(report),
      log_index: entry.index,
    })
    .execute();
  if (report.purged.length || report.accessRowsScrubbed || pingsPurged || Object.keys(coarsened).length) {
    await flushErasures(
      store,
      citizenTables()
        .map(([t]) => t)
        .concat('location_pings'),
    );
  }
  return { ...report, incidentsCoarsened: coarsened, pingsPurged };
}
