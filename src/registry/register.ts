/**
 * The register service: AI system records per version, their lifecycle, assessments, consultation,
 * redactions, model cards, evidence of controls and authorisations. Every state change is appended to
 * the transparency log with who and why; separation of duties is enforced here, not in the UI.
 * Pure rules (schemas, scoring, gates, classification) come from the registry library.
 */
import { createHash, randomBytes } from 'node:crypto';
import { AccessError, InputError, NotFoundError, StateError } from '../domain/errors';
import { msg, render, storedMessage, type Message } from '../domain/messages';
import { startObservationWindow } from '../monitor/window';
import type { Principal } from '../accounts/accounts';
import { userRef } from '../ledger-service/events';
import type { Ledger } from '../ledger-service/ledger';
import { withdrawPendingMissions } from '../review/withdraw';
import { nowIso, type Executor, type Store } from '../store/db';
import { getSource, purposeAllowed, type Purpose } from '../privacy/sources';
import { applyRedactionRows } from '../domain/redaction';
import { classify, questionsFor, validateAnswers, type Answers, type Classification } from './legal-classification';
import { DEFAULT_COMMENT_CAP, takeCommentSlot } from './comment-quota';
import { AUDIT_POLICY } from './audit-policy';
import { parseOwnerModelCard } from './model-card';
import { CONSULTATION_POLICY, lowestMinimumDays, minimumConsultationDays } from './consultation-policy';

export type SystemState = 'draft' | 'consultation' | 'approved' | 'active' | 'paused' | 'retired';

export const systemRef = (id: string) => `system:${id}`;

export interface VersionRow {
  systemId: string;
  name: string;
  ownerId: string;
  version: number;
  state: SystemState;
  record: Record<string, unknown>;
  consultationEndsAt: string | null;
  updatedAt: string;
}

export async function getVersion(db: Executor, systemId: string, version?: number): Promise<VersionRow> {
  let q = db
    .selectFrom('system_versions')
    .innerJoin('ai_systems', 'ai_systems.id', 'system_versions.system_id')
    .select([
      'system_versions.system_id',
      'ai_systems.name',
      'ai_systems.owner_id',
      'system_versions.version',
      'system_versions.state',
      'system_versions.record',
      'system_versions.consultation_ends_at',
      'system_versions.updated_at',
    ])
    .where('system_versions.system_id', '=', systemId);
  q =
    version === undefined
      ? q.orderBy('system_versions.version', 'desc').limit(1)
      : q.where('system_versions.version', '=', version);
  const r = await q.executeTakeFirst();
  if (!r)
    throw new NotFoundError(
      version ? msg('register.noSystemVersion', { systemId, version }) : msg('server.noSystem', { systemId }),
    );
  return {
    systemId: r.system_id,
    name: r.name,
    ownerId: r.owner_id,
    version: r.version,
    state: r.state as SystemState,
    record: JSON.parse(r.record),
    consultationEndsAt: r.consultation_ends_at,
    updatedAt: r.updated_at,
  };
}

/** The version of a system that is live (active or paused), if any: the one alerts are checked against. */
export async function liveVersion(db: Executor, systemId: string): Promise<VersionRow | undefined> {
  const r = await db
    .selectFrom('system_versions')
    .select('version')
    .where('system_id', '=', systemId)
    .where('state', 'in', ['active', 'paused'])
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? getVersion(db, systemId, r.version) : undefined;
}

/**
 * What alert intake needs of the live version: its number, its state (read fresh on every call, so a
 * pause refuses the very next alert) and the output schema of its record. The parsed schema is cached
 * per (system, version, updated_at): a record edit changes updated_at, so a stale schema is never used.
 * One indexed query per call instead of parsing the whole record.
 */
const schemaCache = new Map<string, { outputSchema: unknown; uses: Record<string, unknown> }>(); // the parts of a live record that intake reads, per version
export async function liveContract(
  db: Executor,
  systemId: string,
): Promise<{ version: number; state: SystemState; outputSchema: unknown; uses: Record<string, unknown> } | undefined> {
  const r = await db
    .selectFrom('system_versions')
    .select(['version', 'state', 'updated_at'])
    .where('system_id', '=', systemId)
    .where('state', 'in', ['active', 'paused'])
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!r) return undefined;
  const key = `${systemId}/${r.version}/${r.updated_at}`;
  if (!schemaCache.has(key)) {
    if (schemaCache.size >= 1000) schemaCache.clear();
    const record = (await getVersion(db, systemId, r.version)).record;
    schemaCache.set(key, {
      outputSchema: record.outputSchema,
      uses: { dataSources: record.dataSources, usePurpose: record.usePurpose },
    });
  }
  const c = schemaCache.get(key)!;
  return { version: r.version, state: r.state as SystemState, outputSchema: c.outputSchema, uses: c.uses };
}

export function assertOwner(v: VersionRow, p: Principal): void {
  if (p.id !== v.ownerId) throw new AccessError(msg('register.onlyOwner'));
}

/**
 * Separation of duties, the one rule every gate uses: is this person on the owner's side of a system?
 * Users carry no organisation yet, so this is the owner's own account (any role it also holds).
 */
export function isOwnerSide(ownerId: string, personId: string | null | undefined): boolean {
  return !!personId && personId === ownerId;
}

/**
 * Whoever owns a system can never approve it, resume it after a pause, or run, publish or count a bias
 * audit of it. `refusal` says which, as a server message.
 */
export function assertNotOwner(v: VersionRow, p: Principal, refusal: Message): void {
  if (!isOwnerSide(v.ownerId, p.id)) return;
  throw new AccessError(refusal);
}

export async function createSystem(
  store: Store,
  ledger: Ledger,
  p: Principal,
  input: { name: string; record: Record<string, unknown> },
): Promise<VersionRow> {
  if (!/^.{3,120}$/.test(input.name) || /[\u0000-\u001f]/.test(input.name))
    throw new InputError(msg('register.badName'), [{ field: 'name', expected: '3–120 printable characters' }]);
  const id = `sys-${randomBytes(6).toString('hex')}`;
  const t = nowIso();
  await store.db.transaction().execute(async (trx) => {
    await trx.insertInto('ai_systems').values({ id, name: input.name, owner_id: p.id!, created_at: t }).execute();
    await trx
      .insertInto('system_versions')
      .values({
        system_id: id,
        version: 1,
        record: JSON.stringify(input.record),
        state: 'draft',
        consultation_ends_at: null,
        created_by: p.id!,
        created_at: t,
        updated_at: t,
      })
      .execute();
  });
  await ledger.append({
    type: 'system.registered',
    actor: userRef(p.id),
    subjects: [systemRef(id)],
    payload: { systemId: id, version: 1, name: input.name, record: input.record },
  });
  return getVersion(store.db, id, 1);
}

/** Edit a draft (owner only). Any other state is frozen: changes go into a new version. */
export async function updateDraft(
  store: Store,
  ledger: Ledger,
  p: Principal,
  systemId: string,
  version: number,
  record: Record<string, unknown>,
): Promise<VersionRow> {
  const v = await getVersion(store.db, systemId, version);
  assertOwner(v, p);
  if (v.state !== 'draft') throw new StateError(msg('register.notDraft', { version, state: v.state }));
  await store.db
    .updateTable('system_versions')
    .set({ record: JSON.stringify(record), updated_at: nowIso() })
    .where('system_id', '=', systemId)
    .where('version', '=', version)
    .execute();
  await ledger.append({
    type: 'system.draft-edited',
    actor: userRef(p.id),
    subjects: [systemRef(systemId)],
    payload: { systemId, version, record },
  });
  return getVersion(store.db, systemId, version);
}

export async function newVersion(store: Store, ledger: Ledger, p: Principal, systemId: string): Promise<VersionRow> {
  const latest = await getVersion(store.db, systemId);
  assertOwner(latest, p);
  const t = nowIso();
  const version = latest.version + 1;
  await store.db
    .insertInto('system_versions')
    .values({
      system_id: systemId,
      version,
      record: JSON.stringify(latest.record),
      state: 'draft',
      consultation_ends_at: null,
      created_by: p.id!,
      created_at: t,
      updated_at: t,
    })
    .execute();
  await ledger.append({
    type: 'system.new-version',
    actor: userRef(p.id),
    subjects: [systemRef(systemId)],
    payload: { systemId, version, from: latest.version },
  });
  return getVersion(store.db, systemId, version);
}

/** Record a lifecycle transition with who and why, in the log first, then in the table. */
export async function recordTransition(
  store: Store,
  ledger: Ledger,
  actorRef: string,
  actorId: string,
  v: VersionRow,
  to: SystemState,
  reason: string,
  extra: Record<string, unknown> = {},
) {
  const entry = await ledger.append({
    type: `system.${to}`,
    actor: actorRef,
    subjects: [systemRef(v.systemId)],
    payload: { systemId: v.systemId, version: v.version, from: v.state, to, reason, ...extra },
  });
  const t = nowIso();
  await store.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('system_versions')
      .set({
        state: to,
        updated_at: t,
        ...(extra.consultationEndsAt ? { consultation_ends_at: String(extra.consultationEndsAt) } : {}),
        ...(typeof extra.gateAuditId === 'number' ? { gate_audit_id: extra.gateAuditId } : {}),
      })
      .where('system_id', '=', v.systemId)
      .where('version', '=', v.version)
      .execute();
    await trx
      .insertInto('system_transitions')
      .values({
        system_id: v.systemId,
        version: v.version,
        from_state: v.state,
        to_state: to,
        actor_id: actorId,
        reason,
        at: t,
        log_index: entry.index,
      })
      .execute();
  });
  // A paused system's missions are withdrawn, not just its new alerts refused.
  if (to === 'paused' || to === 'retired')
    await withdrawPendingMissions(store, ledger, actorRef, v.systemId, `system ${to}: ${reason}`);
  return entry;
}

export async function transitions(db: Executor, systemId: string) {
  return db.selectFrom('system_transitions').selectAll().where('system_id', '=', systemId).orderBy('id').execute();
}

// ---- Public consultation: comments during the comment period, published responses by the owner ----

/** A public comment. `dailyCap`: accepted comments per system per UTC day, across all servers (beyond it: 429). */
export async function addComment(
  store: Store,
  ledger: Ledger,
  systemId: string,
  version: number,
  input: { author: string; body: string },
  dailyCap = DEFAULT_COMMENT_CAP,
) {
  const v = await getVersion(store.db, systemId, version);
  if (v.state !== 'consultation') throw new StateError(msg('register.notInConsultation', { version, state: v.state }));
  if (v.consultationEndsAt && v.consultationEndsAt < nowIso())
    throw new StateError(msg('register.commentPeriodEnded', { endsAt: v.consultationEndsAt }));
  // The slot and the comment together: a failed insert gives its slot back.
  const r = await store.db.transaction().execute(async (trx) => {
    await takeCommentSlot(trx, systemId, dailyCap);
    return trx
      .insertInto('consultation_comments')
      .values({
        system_id: systemId,
        version,
        author: input.author,
        body: input.body,
        created_at: nowIso(),
        response: null,
        responded_by: null,
        responded_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  });
  await ledger.append({
    type: 'consultation.comment',
    actor: 'public:commenter',
    subjects: [systemRef(systemId)],
    payload: { systemId, version, commentId: r.id, author: input.author, body: input.body },
  });
  return r.id;
}

/**
 * Answer or acknowledge a consultation comment: the system's owner or oversight (logged). Approval waits
 * until every comment of the version has one.
 */
export async function respondToComment(
  store: Store,
  ledger: Ledger,
  p: Principal,
  systemId: string,
  commentId: number,
  response: string,
  kind: 'answer' | 'acknowledgement' = 'answer',
) {
  const c = await store.db
    .selectFrom('consultation_comments')
    .selectAll()
    .where('id', '=', commentId)
    .where('system_id', '=', systemId)
    .executeTakeFirst();
  if (!c) throw new NotFoundError(msg('register.commentNotFound', { commentId, systemId }));
  const v = await getVersion(store.db, systemId, c.version);
  if (p.id !== v.ownerId && !p.roles.includes('oversight'))
    throw new AccessError(msg('register.onlyOwnerOrOversightAnswers'));
  if (!response.trim())
    throw new InputError(msg('register.responseMissing'), [
      { field: 'response', expected: render(msg('register.responseRequired')) },
    ]);
  await ledger.append({
    type: 'consultation.response',
    actor: userRef(p.id),
    subjects: [systemRef(systemId)],
    payload: { systemId, version: c.version, commentId, kind, response },
  });
  await store.db
    .updateTable('consultation_comments')
    .set({ response, response_kind: kind, responded_by: p.id, responded_at: nowIso() })
    .where('id', '=', commentId)
    .execute();
}

/** How many comments on a version still have neither an answer nor an acknowledgement. */
export async function unansweredComments(db: Executor, systemId: string, version: number): Promise<number> {
  const r = await db
    .selectFrom('consultation_comments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('system_id', '=', systemId)
    .where('version', '=', version)
    .where('response', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** When the version's latest consultation opened (its last transition into consultation). */
async function consultationOpenedAt(db: Executor, systemId: string, version: number): Promise<string | undefined> {
  const r = await db
    .selectFrom('system_transitions')
    .select('at')
    .where('system_id', '=', systemId)
    .where('version', '=', version)
    .where('to_state', '=', 'consultation')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.at;
}

/**
 * The consultation gates of an approval (issue 15.4): the period is over, it lasted at least the policy
 * minimum for the approved assessment's level, and every comment has been answered or acknowledged.
 */
async function assertConsultationDone(db: Executor, v: VersionRow, level: number, now = nowIso()) {
  if (v.consultationEndsAt && v.consultationEndsAt > now)
    throw new StateError(msg('register.consultationOpen', { endsAt: v.consultationEndsAt }));
  const opened = await consultationOpenedAt(db, v.systemId, v.version);
  const minimum = minimumConsultationDays(level);
  // Whole days held; a period with no recorded end counts as 0. The end is computed a moment before the
  // opening transition is recorded, so allow a minute of clock between the two.
  const days =
    opened && v.consultationEndsAt
      ? Math.max(0, Math.floor((Date.parse(v.consultationEndsAt) - Date.parse(opened) + 60_000) / 86_400_000))
      : 0;
  if (days < minimum) throw new StateError(msg('register.consultationTooShort', { days, level, minimum }));
  const open = await unansweredComments(db, v.systemId, v.version);
  if (open > 0) throw new StateError(msg('register.commentsUnanswered', { count: open }));
}

export async function comments(db: Executor, systemId: string, version: number) {
  return db
    .selectFrom('consultation_comments')
    .selectAll()
    .where('system_id', '=', systemId)
    .where('version', '=', version)
    .orderBy('id')
    .execute();
}

// ---- Legal classification: the owner answers, the rules in config/classification.json classify, oversight confirms ----

export type ClassificationStatus = 'not-answered' | 'answered' | 'confirmed' | 'stale';
export interface ClassificationView {
  status: ClassificationStatus;
  euAiAct: Classification['euAiAct'];
  korea: Classification['korea'];
  questions: { id: string; text: string; textKo: string; answer: boolean | null }[];
  answeredAt: string | null;
  confirmedAt: string | null;
  confirmReason: string | null;
}

const recordHash = (record: Record<string, unknown>) =>
  createHash('sha256').update(JSON.stringify(record)).digest('hex');

/**
 * A version's classification as stored: the confirmed (or merely answered) one, 'stale' when the record
 * changed since the answers, or — never answered — what the record's own flags alone give.
 */
export async function classificationOf(db: Executor, v: VersionRow): Promise<ClassificationView> {
  const c = await db
    .selectFrom('system_classifications')
    .selectAll()
    .where('system_id', '=', v.systemId)
    .where('version', '=', v.version)
    .executeTakeFirst();
  const answers: Answers = c ? JSON.parse(c.answers) : {};
  const result: Classification = c ? JSON.parse(c.result) : classify(v.record);
  const status: ClassificationStatus = !c
    ? 'not-answered'
    : c.record_sha256 !== recordHash(v.record)
      ? 'stale'
      : c.confirmed_by
        ? 'confirmed'
        : 'answered';
  return {
    status,
    euAiAct: result.euAiAct,
    korea: result.korea,
    questions: questionsFor(v.record).map((q) => ({
      id: q.id,
      text: q.text,
      textKo: q.textKo,
      answer: typeof answers[q.id] === 'boolean' ? answers[q.id] : null,
    })),
    answeredAt: c?.answered_at ?? null,
    confirmedAt: c?.confirmed_at ?? null,
    confirmReason: c?.confirm_reason ?? null,
  };
}

/** The owner answers the classification questions of a version before approval; a new answer needs a new confirmation. */
export async function answerClassification(
  store: Store,
  ledger: Ledger,
  p: Principal,
  systemId: string,
  version: number,
  raw: Record<string, unknown>,
): Promise<ClassificationView> {
  const v = await getVersion(store.db, systemId, version);
  if (p.id !== v.ownerId) throw new AccessError(msg('register.classification.onlyOwnerAnswers'));
  if (!['draft', 'consultation'].includes(v.state))
    throw new StateError(msg('register.classification.frozen', { version, state: v.state }));
  const answers = validateAnswers(v.record, raw);
  const result = classify(v.record, answers);
  const entry = await ledger.append({
    type: 'register.classification-answered',
    actor: userRef(p.id),
    subjects: [systemRef(systemId)],
    payload: {
      systemId,
      version,
      answers,
      euAiAct: result.euAiAct.category,
      koreaHighImpact: result.korea.highImpact,
      provisions: [...result.euAiAct.basis, ...result.korea.basis].map((b) => b.provision),
    },
  });
  const row = {
    answers: JSON.stringify(answers),
    result: JSON.stringify(result),
    record_sha256: recordHash(v.record),
    answered_by: p.id!,
    answered_at: nowIso(),
    confirmed_by: null,
    confirmed_at: null,
    confirm_reason: null,
    log_index: entry.index,
  };
  await store.db
    .insertInto('system_classifications')
    .values({ system_id: systemId, version, ...row })
    .onConflict((oc) => oc.columns(['system_id', 'version']).doUpdateSet(row))
    .execute();
  return classificationOf(store.db, v);
}

/** Oversight confirms the computed classification, with a reason; never the system's owner. */
export async function confirmClassification(
  store: Store,
  ledger: Ledger,
  p: Principal,
  systemId: string,
  version: number,
  reason: string,
) {
  const v = await getVersion(store.db, systemId, version);
  if (p.id === v.ownerId) throw new AccessError(msg('register.classification.ownerCannotConfirm'));
  if (!['draft', 'consultation'].includes(v.state))
    throw new StateError(msg('register.classification.frozen', { version, state: v.state }));
  const c = await classificationOf(store.db, v);
  if (c.status === 'not-answered') throw new StateError(msg('register.classification.notAnswered'));
  if (c.status === 'stale') throw new StateError(msg('register.classification.stale'));
  if (c.status === 'confirmed') throw new StateError(msg('register.classification.alreadyConfirmed'));
  const entry = await ledger.append({
    type: 'register.classification-confirmed',
    actor: userRef(p.id),
    subjects: [systemRef(systemId)],
    payload: { systemId, version, reason, euAiAct: c.euAiAct.category, koreaHighImpact: c.korea.highImpact },
  });
  await store.db
    .updateTable('system_classifications')
    .set({ confirmed_by: p.id, confirmed_at: nowIso(), confirm_reason: reason, log_index: entry.index })
    .where('system_id', '=', systemId)
    .where('version', '=', version)
    .execute();
}

/** Refuse unless the version's classification is confirmed by oversight for the record as it is now. */
export async function assertClassificationConfirmed(db: Executor, v: VersionRow) {
  const c = await classificationOf(db, v);
  if (c.status === 'stale') throw new StateError(msg('register.classification.stale'));
  if (c.status !== 'confirmed') throw new StateError(msg('register.classification.notConfirmed'));
}

// ---- Redactions, model cards, evidence of controls, authorisations, training ----

export async function addRedaction(
  store: Store,
  ledger: Ledger,
  p: Principal,
  systemId: string,
  version: number,
  r: { field: string; legalReason: string; expiresAt: string },
) {
  await getVersion(store.db, systemId, version);
  await store.db
    .insertInto('redactions')
    .values({
      system_id: systemId,
      version,
      field: r.field,
      legal_reason: r.legalReason,
      decided_by: p.id!,
      expires_at: r.expiresAt,
      created_at: nowIso(),
    })
    .execute();
  await ledger.append({
    type: 'register.redaction',
    actor: userRef(p.id),
    subjects: [systemRef(systemId)],
    payload: { systemId, version, ...r },
  });
}

/**
 * The redactions that apply to a version: its own and every earlier version's, so a field withheld once
 * stays withheld in every later version (and every export built from it) until the redaction expires.
 */
export async function redactionsOf(db: Executor, systemId: string, version: number) {
  return db
    .selectFrom('redactions')
    .selectAll()
    .where('system_id', '=', systemId)
    .where('version', '<=', version)
    .orderBy('id')
    .execute();
}

export async function putModelCard(
  store: Store,
  ledger: Ledger,
  p: Principal,
  systemId: string,
  version: number,
  input: unknown,
) {
  const v = await getVersion(store.db, systemId, version);
  assertOwner(v, p);
  // Checked before anything is written: a refused card leaves the stored one and the log as they were.
  const card = parseOwnerModelCard(input);
  const t = nowIso();
  await store.db
    .insertInto('model_cards')
    .values({ system_id: systemId, version, card: JSON.stringify(card), created_by: p.id!, created_at: t })
    .onConflict((oc) =>
      oc
        .columns(['system_id', 'version'])
        .doUpdateSet({ card: JSON.stringify(card), created_by: p.id!, created_at: t }),
    )
    .execute();
  await ledger.append({
    type: 'model.card',
    actor: userRef(p.id),
    subjects: [systemRef(systemId)],
    payload: { systemId, version, card },
  });
}

/** A model card generated by the platform itself (from a stored run), recorded under a system actor. */
export async function storeGeneratedModelCard(
  store: Store,
  ledger: Ledger,
  actorRef: string,
  systemId: string,
  version: number,
  card: Record<string, unknown>,
) {
  await getVersion(store.db, systemId, version);
  const t = nowIso();
  await store.db
    .insertInto('model_cards')
    .values({ system_id: systemId, version, card: JSON.stringify(card), created_by: actorRef, created_at: t })
    .onConflict((oc) =>
      oc
        .columns(['system_id', 'version'])
        .doUpdateSet({ card: JSON.stringify(card), created_by: actorRef, created_at: t }),
    )
    .execute();
  await ledger.append({
    type: 'model.card',
    actor: actorRef,
    subjects: [systemRef(systemId)],
    payload: { systemId, version, generated: true, card },
  });
}

/**
 * A model card as shown: with the features the version's latest proxy-detection audit flagged as
 * stand-ins for a protected attribute (or a note that none has been run).
 */
export async function withProxyFlags(
  db: Executor,
  systemId: string,
  version: number,
  card: Record<string, unknown> | undefined,
) {
  if (!card) return null;
  const a = await db
    .selectFrom('audits')
    .select(['id', 'report', 'run_at'])
    .where('system_id', '=', systemId)
    .where('version', '=', version)
    .where('kind', '=', 'proxy-detection')
    .orderBy('run_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const proxyFeatures = a
    ? {
        auditId: Number(a.id),
        runAt: a.run_at,
        flagged: (JSON.parse(a.report) as { flagged: { feature: string; reason: string }[] }).flagged,
      }
    : { auditId: null, note: 'no proxy-detection audit of this version yet' };
  // Subgroup results from the version's latest person-level bias audit: error rates by group with intervals.
  const audit = await db
    .selectFrom('audits')
    .select(['id', 'report', 'run_at'])
    .where('system_id', '=', systemId)
    .where('version', '=', version)
    .where('kind', '=', 'person-level')
    .orderBy('run_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  type Dim = {
    attributes: string[];
    groups: {
      group: string;
      n: number;
      estimable: boolean;
      rates: Record<string, { value: number | null; interval: [number, number] }>;
    }[];
  };
  const subgroupResults = audit
    ? (JSON.parse(audit.report) as { dimensions: Dim[] }).dimensions
        .filter((d) => d.attributes.length === 1)
        .flatMap((d) =>
          d.groups
            .filter((g) => g.estimable)
            .flatMap((g) =>
              ['FPR', 'FNR'].map((metric) => ({
                attribute: d.attributes[0],
                group: g.group,
                metric,
                value: g.rates[metric]?.value ?? null,
                interval: g.rates[metric]?.interval ?? null,
                n: g.n,
                auditRef: `audit:${audit.id}`,
              })),
            ),
        )
    : null;
  return { ...card, proxyFeatures, ...(subgroupResults ? { subgroupResults } : {}) };
}

/** A version's model card as stored (the version must exist): what its owner's form loads and edits. */
export async function storedModelCard(db: Executor, systemId: string, version: number) {
  await getVersion(db, systemId, version);
  return modelCard(db, systemId, version);
}

export async function modelCard(
  db: Executor,
  systemId: string,
  version: number,
): Promise<Record<string, unknown> | undefined> {
  const r = await db
    .selectFrom('model_cards')
    .select('card')
    .where('system_id', '=', systemId)
    .where('version', '=', version)
    .executeTakeFirst();
  return r ? JSON.parse(r.card) : undefined;
}

export async function addEvidence(
  store: Store,
  ledger: Ledger,
  p: Principal,
  systemId: string,
  version: number,
  control: string,
  evidence: string,
) {
  await getVersion(store.db, systemId, version);
  await store.db
    .insertInto('control_evidence')
    .values({ system_id: systemId, version, control, evidence, recorded_by: p.id!, recorded_at: nowIso() })
    .execute();
  await ledger.append({
    type: 'register.control-evidence',
    actor: userRef(p.id),
    subjects: [systemRef(systemId)],
    payload: { systemId, version, control, evidence },
  });
}

export async function evidenceOf(db: Executor, systemId: string, version: number) {
  return db
    .selectFrom('control_evidence')
    .selectAll()
    .where('system_id', '=', systemId)
    .where('version', '=', version)
    .orderBy('id')
    .execute();
}

export async function addAuthorisation(
  store: Store,
  ledger: Ledger,
  p: Principal,
  systemId: string,
  version: number,
  a: { scope: string; expiresAt: string },
) {
  const v = await getVersion(store.db, systemId, version);
  assertNotOwner(v, p, msg('register.ownerCannotAuthorise'));
  await store.db
    .insertInto('authorisations')
    .values({
      system_id: systemId,
      version,
      authorised_by: p.id!,
      scope: a.scope,
      expires_at: a.expiresAt,
      created_at: nowIso(),
    })
    .execute();
  await ledger.append({
    type: 'register.authorisation',
    actor: userRef(p.id),
    subjects: [systemRef(systemId)],
    payload: { systemId, version, ...a },
  });
}

export async function authorisationsOf(db: Executor, systemId: string, version: number) {
  return db
    .selectFrom('authorisations')
    .selectAll()
    .where('system_id', '=', systemId)
    .where('version', '=', version)
    .execute();
}

export async function recordTraining(
  store: Store,
  ledger: Ledger,
  p: Principal,
  t: { userId: string; systemId: string; course: string; completedAt: string; validUntil: string },
) {
  await getVersion(store.db, t.systemId);
  await store.db
    .insertInto('training_records')
    .values({
      user_id: t.userId,
      system_id: t.systemId,
      course: t.course,
      completed_at: t.completedAt,
      valid_until: t.validUntil,
      recorded_by: p.id!,
    })
    .execute();
  await ledger.append({
    type: 'register.training',
    actor: userRef(p.id),
    subjects: [systemRef(t.systemId), userRef(t.userId)],
    payload: t,
  });
}

/** Does this person hold current training for this system (the review queue's gate)? */
export async function hasCurrentTraining(
  db: Executor,
  userId: string,
  systemId: string,
  at = nowIso(),
): Promise<boolean> {
  const r = await db
    .selectFrom('training_records')
    .select('id')
    .where('user_id', '=', userId)
    .where('system_id', '=', systemId)
    .where('valid_until', '>', at)
    .executeTakeFirst();
  return !!r;
}

/** Audit kinds that are not bias audits: they never satisfy the activation gate's audit requirement. */
export const NOT_BIAS_AUDITS = ['forecaster-stress', 'proxy-detection'];

/** The latest audit of a system: of the given kinds, or (by default) the latest bias audit; optionally only published ones. */
export async function latestAudit(
  db: Executor,
  systemId: string,
  kinds?: string[],
  version?: number,
  opts: { publishedOnly?: boolean } = {},
) {
  let q = db.selectFrom('audits').selectAll().where('system_id', '=', systemId);
  q = kinds ? q.where('kind', 'in', kinds) : q.where('kind', 'not in', NOT_BIAS_AUDITS);
  if (version !== undefined) q = q.where('version', '=', version);
  if (opts.publishedOnly) q = q.where('published', '=', 1);
  return q.orderBy('run_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/**
 * The bias audit that counts for a version's activation gate (gates issue 15.2): the latest one of this
 * version that is published, was neither run nor published by the owner's side, and — for a person-level
 * audit — read a registered dataset of the version and conforms to the current audit policy version.
 * A place-based forecaster's place-based audits count on the same terms (they have no person-level data).
 */
export async function gateAudit(db: Executor, v: VersionRow) {
  const kinds = isPlaceForecaster(v.record) ? ['person-level', 'place-based'] : ['person-level'];
  const rows = await db
    .selectFrom('audits')
    .select([
      'id',
      'kind',
      'passed',
      'run_at',
      'run_by',
      'published_by',
      'counts_for_gate',
      'policy_version',
      'dataset_id',
    ])
    .where('system_id', '=', v.systemId)
    .where('version', '=', v.version)
    .where('published', '=', 1)
    .where('kind', 'in', kinds)
    .orderBy('run_at', 'desc')
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
  return rows.find(
    (a) =>
      !isOwnerSide(v.ownerId, a.run_by) &&
      !!a.published_by &&
      !isOwnerSide(v.ownerId, a.published_by) &&
      (a.kind === 'place-based' ||
        (a.counts_for_gate === 1 && a.policy_version === AUDIT_POLICY.version && !!a.dataset_id)),
  );
}

/** A place-based patrol forecaster: its register record declares patrol-mission alerts. */
export const isPlaceForecaster = (record: Record<string, unknown>) =>
  ((record.outputSchema as { kinds?: string[] } | undefined)?.kinds ?? []).includes('patrol-mission');

// ---- The public register: every system, its status and assessment level, with structured redaction ----

/**
 * Public versions: under consultation or decided (approved, active, paused), or retired after having been
 * opened for comment. A draft is never public — not before consultation opens, not while edited again,
 * and not when retired straight from draft.
 */
const PUBLIC_STATES: SystemState[] = ['consultation', 'approved', 'active', 'paused', 'retired'];

/** Every public version with its state and whether oversight ever approved it, for one system or all. */
async function publicVersions(db: Executor, systemId?: string) {
  let vq = db
    .selectFrom('system_versions')
    .select(['system_id', 'version', 'state'])
    .where('state', 'in', PUBLIC_STATES);
  let tq = db
    .selectFrom('system_transitions')
    .select(['system_id', 'version', 'to_state'])
    .where('to_state', 'in', ['consultation', 'approved']);
  if (systemId) {
    vq = vq.where('system_id', '=', systemId);
    tq = tq.where('system_id', '=', systemId);
  }
  const opened = new Set<string>();
  const approved = new Set<string>();
  for (const t of await tq.execute())
    (t.to_state === 'approved' ? approved : opened).add(`${t.system_id}/${t.version}`);
  return (await vq.execute())
    .filter((r) => r.state !== 'retired' || opened.has(`${r.system_id}/${r.version}`))
    .map((r) => ({
      systemId: r.system_id,
      version: r.version,
      state: r.state,
      approved: approved.has(`${r.system_id}/${r.version}`),
    }));
}

/**
 * The version the public sees by default, per system: the live one (active or paused); else the latest
 * one oversight approved (approved, or retired after approval); else the latest under consultation;
 * else the latest retired one. Systems with drafts only are absent. O(versions) after two queries.
 */
export async function publicDefaultVersions(db: Executor, systemId?: string): Promise<Map<string, number>> {
  const rank = (r: { state: string; approved: boolean }) =>
    r.state === 'active' || r.state === 'paused' ? 3 : r.approved ? 2 : r.state === 'consultation' ? 1 : 0;
  const best = new Map<string, { version: number; rank: number }>();
  for (const r of await publicVersions(db, systemId)) {
    const k = rank(r);
    const b = best.get(r.systemId);
    if (!b || k > b.rank || (k === b.rank && r.version > b.version))
      best.set(r.systemId, { version: r.version, rank: k });
  }
  return new Map([...best].map(([id, b]) => [id, b.version]));
}

/** A version as the public may see it: the default one, or a named public one; else 404. */
export async function publicVersion(db: Executor, systemId: string, version?: number): Promise<VersionRow> {
  const n = version ?? (await publicDefaultVersions(db, systemId)).get(systemId);
  const isPublic = n !== undefined && (await publicVersions(db, systemId)).some((r) => r.version === n);
  if (!isPublic) throw new NotFoundError(msg('register.notPublic', { systemId, version: version ?? '—' }));
  return getVersion(db, systemId, n);
}

export async function publicRegister(db: Executor) {
  const defaults = await publicDefaultVersions(db);
  const rows = await db
    .selectFrom('system_versions')
    .innerJoin('ai_systems', 'ai_systems.id', 'system_versions.system_id')
    .select([
      'ai_systems.id',
      'ai_systems.name',
      'system_versions.version',
      'system_versions.state',
      'system_versions.updated_at',
      'system_versions.record',
      'system_versions.gate_audit_id',
    ])
    .where('system_versions.state', 'in', PUBLIC_STATES)
    .orderBy('ai_systems.name')
    .orderBy('system_versions.version', 'desc')
    .execute();
  const out = [];
  for (const r of rows) {
    if (defaults.get(r.id) !== r.version) continue;
    const a = await db
      .selectFrom('assessments')
      .select(['level', 'status'])
      .where('system_id', '=', r.id)
      .where('version', '=', r.version)
      .orderBy('submitted_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    const audit = await latestAudit(db, r.id, undefined, undefined, { publishedOnly: true });
    // Purpose and unit are shown in the list: they go through the version's redactions like the record.
    const rec = applyRedactionRows(
      JSON.parse(r.record) as Record<string, unknown>,
      await redactionsOf(db, r.id, r.version),
    );
    out.push({
      id: r.id,
      name: r.name,
      version: r.version,
      state: r.state,
      updatedAt: r.updated_at,
      purpose: typeof rec.purpose === 'string' ? rec.purpose : null,
      deployingUnit: typeof rec.deployingUnit === 'string' ? rec.deployingUnit : null,
      assessment: a ? { level: a.level, status: a.status } : null,
      latestAudit: audit
        ? { id: Number(audit.id), kind: audit.kind, passed: audit.passed === 1, runAt: audit.run_at }
        : null,
      gateAudit: await gateAuditView(db, r.gate_audit_id),
    });
  }
  return out;
}

/** The audit recorded as having opened a version's gate, as the public sees it. */
async function gateAuditView(db: Executor, id: number | null) {
  if (id === null) return null;
  const a = await db
    .selectFrom('audits')
    .select(['id', 'kind', 'passed', 'run_at', 'policy_version', 'dataset_id', 'published'])
    .where('id', '=', id)
    .executeTakeFirst();
  return a && a.published
    ? {
        id: Number(a.id),
        kind: a.kind,
        passed: a.passed === 1,
        runAt: a.run_at,
        policyVersion: a.policy_version,
        datasetId: a.dataset_id,
      }
    : null;
}

export async function publicSystem(db: Executor, systemId: string, version?: number) {
  const v = await publicVersion(db, systemId, version);
  const a = await db
    .selectFrom('assessments')
    .selectAll()
    .where('system_id', '=', systemId)
    .where('version', '=', v.version)
    .orderBy('submitted_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const audits = await db
    .selectFrom('audits')
    .select([
      'id',
      'kind',
      'passed',
      'run_at',
      'inputs_sha256',
      'log_index',
      'counts_for_gate',
      'policy_version',
      'dataset_id',
    ])
    .where('system_id', '=', systemId)
    .where('published', '=', 1)
    .orderBy('run_at', 'desc')
    .execute();
  const shown = new Set((await publicVersions(db, systemId)).map((r) => r.version));
  const versions = (
    await db
      .selectFrom('system_versions')
      .select(['version', 'state', 'updated_at'])
      .where('system_id', '=', systemId)
      .orderBy('version')
      .execute()
  ).filter((x) => shown.has(x.version));
  return {
    id: v.systemId,
    name: v.name,
    version: v.version,
    state: v.state,
    consultationEndsAt: v.consultationEndsAt,
    updatedAt: v.updatedAt,
    classification: await classificationOf(db, v),
    record: applyRedactionRows(v.record, await redactionsOf(db, systemId, v.version)),
    assessment: a
      ? {
          id: a.id,
          level: a.level,
          status: a.status,
          questionnaire: a.questionnaire,
          result: JSON.parse(a.result),
          decidedAt: a.decided_at,
          decisionReason: a.decision_reason,
        }
      : null,
    modelCard: await withProxyFlags(db, systemId, v.version, await modelCard(db, systemId, v.version)),
    comments: (await comments(db, systemId, v.version)).map((c) => ({
      id: c.id,
      author: c.author,
      body: c.body,
      createdAt: c.created_at,
      response: c.response,
      responseKind: c.response ? (c.response_kind ?? 'answer') : null,
      respondedAt: c.responded_at,
    })),
    audits: audits.map((x) => ({
      id: x.id,
      kind: x.kind,
      passed: x.passed === 1,
      runAt: x.run_at,
      inputsSha256: x.inputs_sha256,
      logIndex: x.log_index,
      countsForGate: x.counts_for_gate === 1,
      policyVersion: x.policy_version,
      datasetId: x.dataset_id,
    })),
    gateAudit: await gateAuditView(
      db,
      (
        await db
          .selectFrom('system_versions')
          .select('gate_audit_id')
          .where('system_id', '=', systemId)
          .where('version', '=', v.version)
          .executeTakeFirst()
      )?.gate_audit_id ?? null,
    ),
    transitions: (await transitions(db, systemId)).map((t) => ({
      version: t.version,
      from: t.from_state,
      to: t.to_state,
      reason: t.reason,
      at: t.at,
      logIndex: t.log_index,
    })),
    versions: versions.map((x) => ({ version: x.version, state: x.state, updatedAt: x.updated_at })),
  };
}

// ---- Lifecycle: who may move a version where, and what must hold first ----

const ALLOWED: Record<SystemState, SystemState[]> = {
  draft: ['consultation', 'retired'],
  consultation: ['approved', 'draft', 'retired'],
  approved: ['active', 'retired'],
  active: ['paused', 'retired'],
  paused: ['active', 'retired'],
  retired: [],
};

export interface GateInput {
  version: VersionRow;
  assessment: { status: string; level: number; decidedBy: string | null } | null;
  hasModelCard: boolean;
  evidence: string[];
  /** The audit that counts for the gate (see gateAudit), if any. */
  latestAudit: { id: number; passed: boolean; runAt: string } | null;
  authorisations: { expiresAt: string }[];
  /** Purpose limitation for each registered source the record names. */
  sourceChecks: SourceCheck[];
  /** The owner's classification answers, and whether oversight confirmed them for the current record. */
  classification: { confirmed: boolean; answers: Answers };
  now: string;
}

/** The latest assessment submitted for a version, if any. */
export async function latestAssessment(db: Executor, systemId: string, version: number) {
  return db
    .selectFrom('assessments')
    .select(['id', 'level', 'status'])
    .where('system_id', '=', systemId)
    .where('version', '=', version)
    .orderBy('submitted_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Gathers everything the activation gate looks at, for one version. */
export async function gateInput(db: Executor, v: VersionRow): Promise<GateInput> {
  const a = await db
    .selectFrom('assessments')
    .selectAll()
    .where('system_id', '=', v.systemId)
    .where('version', '=', v.version)
    .orderBy('submitted_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const audit = await gateAudit(db, v);
  return {
    version: v,
    assessment: a ? { status: a.status, level: a.level, decidedBy: a.decided_by } : null,
    hasModelCard: !!(await modelCard(db, v.systemId, v.version)),
    evidence: (await evidenceOf(db, v.systemId, v.version)).map((e) => e.control),
    latestAudit: audit ? { id: Number(audit.id), passed: audit.passed === 1, runAt: audit.run_at } : null,
    authorisations: (await authorisationsOf(db, v.systemId, v.version)).map((x) => ({ expiresAt: x.expires_at })),
    sourceChecks: await sourceChecks(db, v.record),
    classification: await classificationOf(db, v).then((c) => ({
      confirmed: c.status === 'confirmed',
      answers: Object.fromEntries(c.questions.filter((q) => q.answer !== null).map((q) => [q.id, q.answer!])),
    })),
    now: nowIso(),
  };
}

/**
 * Purpose limitation is not opt-in: every data source the record lists must name its entry in the
 * data-source register, and that entry must allow the record's declared use. O(sources) reads.
 */
export async function sourceChecks(db: Executor, record: Record<string, unknown>): Promise<SourceCheck[]> {
  const sources = Array.isArray(record.dataSources)
    ? (record.dataSources as { name?: string; sourceId?: string }[])
    : [];
  const purpose = record.usePurpose as Purpose | undefined;
  const refused = (sourceId: string, m: Message): SourceCheck => ({
    sourceId,
    ok: false,
    reason: render(m),
    message: m,
  });
  const out: SourceCheck[] = [];
  if (!purpose && sources.length) out.push(refused('', msg('sources.noUsePurpose')));
  for (const s of sources) {
    if (!s.sourceId) {
      out.push(refused('', msg('sources.unnamed', { name: String(s.name ?? '') })));
      continue;
    }
    const src = await getSource(db, s.sourceId);
    if (!src) {
      out.push(refused(s.sourceId, msg('sources.unregistered', { sourceId: s.sourceId })));
      continue;
    }
    if (!purpose) continue;
    const d = purposeAllowed(src, purpose);
    out.push(
      d.ok
        ? { sourceId: s.sourceId, ok: true, reason: d.basis }
        : refused(s.sourceId, msg('sources.notAllowed', { sourceId: s.sourceId, purpose, reason: d.reason })),
    );
  }
  return out;
}

/** At intake: the first source of a live system that no longer allows its use, if any. */
export async function sourceWithdrawn(db: Executor, record: Record<string, unknown>): Promise<SourceCheck | undefined> {
  return (await sourceChecks(db, record)).find((c) => !c.ok);
}

export interface SourceCheck {
  sourceId: string;
  ok: boolean;
  reason: string;
  /** The refusal as a message, so the workspace can show it in the reader's language. */
  message?: Message;
}

/** What clears a gate problem: the part of the workspace where it is done. */
export type GateAction =
  'record' | 'classification' | 'authorisation' | 'sources' | 'assessment' | 'model-card' | 'controls' | 'audit';
/** One gate problem as a checklist item: its message (in either language) and the action that clears it. */
export interface GateCheck {
  action: GateAction;
  message: Message;
}

export type ActivationGate = (input: GateInput) => {
  problems: string[];
  checks?: GateCheck[];
  requiredControls: { id: string; title: string }[];
};

/**
 * Move a version to `to`, enforcing the lifecycle and separation of duties:
 *  - draft → consultation: the owner opens the comment period;
 *  - consultation → approved: oversight only, never the owner, once the assessment is approved;
 *  - approved → active, paused → active: only if the activation gate passes; a resume is oversight's
 *    alone (never the owner's), always with a reason;
 *  - active → paused, → retired: owner or oversight.
 */
export async function transitionSystem(
  store: Store,
  ledger: Ledger,
  gate: ActivationGate,
  p: Principal,
  systemId: string,
  version: number,
  to: SystemState,
  reason: string,
  opts: { consultationDays?: number; remedy?: string } = {},
) {
  const v = await getVersion(store.db, systemId, version);
  if (!ALLOWED[v.state].includes(to))
    throw new StateError(
      ALLOWED[v.state].length
        ? msg('register.badTransition', { state: v.state, to, allowed: ALLOWED[v.state].join(', ') })
        : msg('register.badTransitionFinal', { state: v.state, to }),
    );
  if (!reason.trim())
    throw new InputError(msg('register.reasonRequired'), [
      { field: 'reason', expected: 'a short explanation, recorded in the log' },
    ]);
  const isOwner = p.id === v.ownerId;
  const isOversight = p.roles.includes('oversight');
  let gateAuditId: number | undefined;
  let resuming = false;
  if (to === 'consultation' && !isOwner) throw new AccessError(msg('register.onlyOwnerOpensConsultation'));
  if (to === 'approved') {
    if (!isOversight) throw new AccessError(msg('register.onlyOversightApproves'));
    assertNotOwner(v, p, msg('register.ownerCannotApprove'));
    const input = await gateInput(store.db, v);
    if (input.assessment?.status !== 'approved') throw new StateError(msg('register.assessmentNotApproved'));
    await assertConsultationDone(store.db, v, input.assessment.level);
    await assertClassificationConfirmed(store.db, v);
    // A patrol forecaster's model version must first pass the feedback-loop stress test (Ensign et al. 2018).
    if (isPlaceForecaster(v.record)) {
      const st = await latestAudit(store.db, systemId, ['forecaster-stress'], version);
      if (!st) throw new StateError(msg('register.stressTestMissing'));
      if (st.passed !== 1) {
        // Reasons are messages (`stress.*`); older reports hold English sentences: both are read.
        const stored = (JSON.parse(st.report) as { reasons?: unknown }).reasons;
        throw new StateError(
          Array.isArray(stored)
            ? msg('register.stressTestFailed', { reasons: stored.map(storedMessage) })
            : msg('register.stressTestFailedSeeAudit'),
        );
      }
    }
  }
  if (to === 'active') {
    if (v.state === 'paused') {
      if (!isOversight) throw new AccessError(msg('register.onlyOversightResumes', { systemId }));
      assertNotOwner(v, p, msg('register.ownerCannotResume', { systemId }));
      // After an automatic pause, the resume records what was done about the breach.
      const pause = await store.db
        .selectFrom('system_transitions')
        .select('actor_id')
        .where('system_id', '=', systemId)
        .where('version', '=', version)
        .where('to_state', '=', 'paused')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (pause?.actor_id === 'system:monitor' && (opts.remedy ?? '').trim().length < 10)
        throw new InputError(msg('monitor.remedyRequired'), [
          { field: 'remedy', expected: 'what was done about the breach (at least 10 characters)' },
        ]);
      resuming = true;
    } else if (!isOwner && !isOversight) throw new AccessError(msg('register.onlyOwnerOrOversightActivates'));
    const input = await gateInput(store.db, v);
    const { problems, checks } = gate(input);
    if (problems.length)
      throw new InputError(
        // The list as messages when every problem has one, so the sentence reads in the caller's language.
        msg('register.gateRefused', {
          problems: checks?.length === problems.length ? checks.map((c) => c.message) : problems.join('; '),
        }),
        // Each problem also as its message, so a caller reading Korean gets the list in Korean.
        problems.map((x, i) => ({
          field: 'gate',
          expected: x,
          ...(checks?.length === problems.length
            ? { expectedCode: checks[i].message.code, expectedParams: checks[i].message.params }
            : {}),
        })),
        409,
      );
    // The register shows the audit that opened the gate, not merely the latest one.
    if (input.latestAudit) gateAuditId = input.latestAudit.id;
    // Only one version of a system is live at a time: a newer one retires the older.
    const live = await liveVersion(store.db, systemId);
    if (live && live.version !== version)
      await recordTransition(store, ledger, userRef(p.id), p.id!, live, 'retired', `superseded by version ${version}`);
  }
  if ((to === 'paused' || to === 'retired' || to === 'draft') && !isOwner && !isOversight)
    throw new AccessError(msg('register.onlyOwnerOrOversight'));
  let extra: Record<string, string | number> = gateAuditId !== undefined ? { gateAuditId } : {};
  if (to === 'consultation') {
    const days = opts.consultationDays ?? CONSULTATION_POLICY.defaultDays;
    // Known level (an assessment already submitted): its minimum; otherwise the lowest, re-checked at approval.
    const a = await store.db
      .selectFrom('assessments')
      .select('level')
      .where('system_id', '=', systemId)
      .where('version', '=', version)
      .where('status', '!=', 'rejected')
      .orderBy('submitted_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    const minimum = a ? minimumConsultationDays(a.level) : lowestMinimumDays();
    if (days < minimum) {
      throw new InputError(msg('register.consultationDaysBelowMinimum', { days }), [
        {
          field: 'consultationDays',
          expected: render(msg('register.consultationDaysExpected', { minimum, level: a?.level ?? 1 })),
          got: String(days),
        },
      ]);
    }
    extra = { consultationEndsAt: nowIso(new Date(Date.now() + days * 86_400_000)) };
  }
  const at = nowIso();
  await recordTransition(
    store,
    ledger,
    userRef(p.id),
    p.id!,
    v,
    to,
    reason,
    resuming ? { ...extra, ...(opts.remedy ? { remedy: opts.remedy } : {}), observationFrom: at } : extra,
  );
  // A resume starts a new observation window: the next monitor run does not re-read the data behind the pause.
  // Millisecond precision (outcome rows carry it too): rows received in the same second before the resume stay out.
  if (resuming) await startObservationWindow(store.db, systemId, new Date().toISOString());
  return getVersion(store.db, systemId, version);
}

/** Oversight decides an assessment; never the system's owner. */
export async function decideAssessment(
  store: Store,
  ledger: Ledger,
  p: Principal,
  assessmentId: string,
  decision: 'approved' | 'rejected',
  reason: string,
) {
  const a = await store.db.selectFrom('assessments').selectAll().where('id', '=', assessmentId).executeTakeFirst();
  if (!a) throw new NotFoundError(msg('register.noAssessment', { assessmentId }));
  if (a.status !== 'submitted')
    throw new StateError(msg('register.assessmentAlreadyDecided', { assessmentId, status: a.status }));
  const v = await getVersion(store.db, a.system_id, a.version);
  assertNotOwner(v, p, msg('register.ownerCannotApproveAssessment'));
  if (!reason.trim())
    throw new InputError(msg('register.reasonMissing'), [
      { field: 'reason', expected: 'why the assessment is approved or rejected' },
    ]);
  // An assessment is approved only against a legal classification oversight has confirmed.
  if (decision === 'approved') await assertClassificationConfirmed(store.db, v);
  const entry = await ledger.append({
    type: 'assessment.decision',
    actor: userRef(p.id),
    subjects: [systemRef(a.system_id)],
    payload: { assessmentId, systemId: a.system_id, version: a.version, decision, reason, level: a.level },
  });
  await store.db
    .updateTable('assessments')
    .set({ status: decision, decided_by: p.id, decided_at: nowIso(), decision_reason: reason, log_index: entry.index })
    .where('id', '=', assessmentId)
    .execute();
}

/** Store a scored assessment (scoring is the library's job); the owner submits, oversight decides. */
export async function submitAssessment(
  store: Store,
  ledger: Ledger,
  p: Principal,
  systemId: string,
  version: number,
  input: { questionnaire: string; answers: unknown; result: unknown; level: number },
) {
  const v = await getVersion(store.db, systemId, version);
  assertOwner(v, p);
  if (!['draft', 'consultation'].includes(v.state))
    throw new StateError(msg('register.submitBeforeApproval', { version, state: v.state }));
  const id = `aia-${randomBytes(6).toString('hex')}`;
  const entry = await ledger.append({
    type: 'assessment.submitted',
    actor: userRef(p.id),
    subjects: [systemRef(systemId)],
    payload: { assessmentId: id, systemId, version, ...input },
  });
  await store.db
    .insertInto('assessments')
    .values({
      id,
      system_id: systemId,
      version,
      questionnaire: input.questionnaire,
      answers: JSON.stringify(input.answers),
      result: JSON.stringify(input.result),
      level: input.level,
      status: 'submitted',
      submitted_by: p.id!,
      submitted_at: nowIso(),
      decided_by: null,
      decided_at: null,
      decision_reason: null,
      log_index: entry.index,
    })
    .execute();
  return id;
}
