/**
 * Human review of AI alerts. AI is advisory: an alert from any registered system waits for a named
 * person, who records what they did and why. An enforcement action (stop, search, arrest, warrant)
 * is refused unless the reviewer enters corroborating evidence of their own: the AI output alone is
 * never enough. Every alert, decision and expiry is a log entry linked to the others.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Principal } from '../accounts/accounts';
import { AccessError, InputError, NotFoundError, StateError } from '../domain/errors';
import { msg } from '../domain/messages';
import { UnitSchema } from '../domain/roles';
import { canonicalBytes, isPseudonymousRef } from '../ledger';
import type { Pseudonyms } from '../privacy/pseudonyms';
import { getSetting } from '../store/settings';
import { userRef } from '../ledger-service/events';
import type { Ledger } from '../ledger-service/ledger';
import { hasCurrentTraining, liveContract, sourceWithdrawn, systemRef } from '../registry/register';
import { nowIso, type Executor, type Store } from '../store/db';
import { changeGeneration, whileUnchanged } from '../store/change-generation';
import { readRows } from '../store/read-thread';
import { scopedAlert } from './scope';
import { alertInShift, currentShift, supervisorOnDuty } from './shifts';
import { respondedUpdates, urgencyColumns, type UrgentAlerts } from './urgent';
import { ALERT_KINDS } from './urgency';

export { ALERT_KINDS };
export const OUTCOMES = ['acted', 'not-acted', 'escalated', 'false-positive'] as const;
export const ENFORCEMENT = ['stop', 'search', 'arrest', 'warrant'] as const;
export const REASON_CODES = [
  'confirmed-on-scene',
  'no-activity-found',
  'insufficient-basis',
  'duplicate',
  'outside-jurisdiction',
  'resource-unavailable',
  'needs-supervisor',
  'model-error',
  'other',
] as const;
/** What counts as corroboration: the reviewer's own evidence, never the AI output. */
export const CORROBORATION_KINDS = [
  'officer-observation',
  'witness-statement',
  'physical-evidence',
  'independent-record',
  'judicial-authorisation',
] as const;

// The form only: a name can have it too, so every reference is replaced by the server's pseudonym on intake.
const ref = z
  .string()
  .refine(
    isPseudonymousRef,
    'a reference like person:Ab3dE9x2Kq (kind:token; the server stores and logs only its own pseudonym of it)',
  );

/** A JSON value in an alert's output: scalars, or arrays/objects of them nested at most 4 deep (the body limit bounds the size). */
type OutputValue = string | number | boolean | null | OutputValue[] | { [k: string]: OutputValue };
const outputValue = (depth: number): z.ZodType<OutputValue> => {
  const scalar = z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]);
  if (depth === 0) return scalar;
  const inner = z.lazy(() => outputValue(depth - 1));
  return z.union([scalar, z.array(inner).max(2000), z.record(z.string().max(64), inner)]);
};

/** A sentence's message code (src/domain/messages.ts) and parameters, beside its English text. */
const messageCode = z.string().max(100).optional();
const messageParams = z.record(z.string().max(64), z.union([z.string().max(2000), z.number()])).optional();

export const AlertInputSchema = z
  .object({
    idempotencyKey: z.string().regex(/^[A-Za-z0-9_.:-]{8,128}$/),
    kind: z.enum(ALERT_KINDS),
    modelVersion: z.string().min(1).max(128),
    occurredAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/),
    unit: UnitSchema,
    place: z
      .union([
        z.object({ lon: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) }),
        z.object({ area: z.string().max(64) }),
      ])
      .optional(),
    subjectRef: ref.optional(),
    output: z.record(z.string().max(64), outputValue(4)),
    confidence: z.number().min(0).max(1).optional(),
    explanation: z.object({
      summary: z.string().min(1).max(4000),
      // Counterweight's own systems also give each sentence as a message code and parameters, so the web app
      // can show it in the reader's language (src/domain/messages.ts); the text stays the English record.
      summaryCode: messageCode,
      summaryParams: messageParams,
      factors: z
        .array(
          z.object({
            name: z.string().max(200),
            weight: z.number().optional(),
            detail: z.string().max(2000).optional(),
            detailCode: messageCode,
            detailParams: messageParams,
          }),
        )
        .max(100)
        .default([]),
    }),
    inputRefs: z.array(ref).max(100).default([]),
    ttlMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(8 * 60),
  })
  .strict();
export type AlertInput = z.infer<typeof AlertInputSchema>;

/** The system's declared output contract (from its register record), checked on every alert. */
export interface OutputSchema {
  kinds: string[];
  fields: Record<string, 'string' | 'number' | 'boolean' | 'array' | 'object'>;
  required?: string[];
}

const typeOf = (v: unknown) => (Array.isArray(v) ? 'array' : typeof v);

export function checkOutput(schema: OutputSchema | undefined, a: AlertInput): void {
  if (!schema) throw new StateError(msg('review.noOutputSchema'));
  const problems = [];
  if (!schema.kinds.includes(a.kind))
    problems.push({
      field: 'kind',
      expected: `one of the kinds the system registered: ${schema.kinds.join(', ')}`,
      got: a.kind,
    });
  for (const [k, v] of Object.entries(a.output)) {
    const t = schema.fields[k];
    if (!t)
      problems.push({
        field: `output.${k}`,
        expected: `only declared fields: ${Object.keys(schema.fields).join(', ')}`,
      });
    else if (v !== null && typeOf(v) !== t)
      problems.push({ field: `output.${k}`, expected: `a ${t}`, got: JSON.stringify(v).slice(0, 40) });
  }
  for (const k of schema.required ?? [])
    if (!(k in a.output)) problems.push({ field: `output.${k}`, expected: 'present (declared required)' });
  if (problems.length) throw new InputError(msg('review.outputMismatch'), problems);
}

/** How far ahead of the server's clock an alert's occurredAt may be (setting review.maxClockSkewMinutes, default 5). */
async function maxSkewMinutes(db: Executor): Promise<number> {
  const v = Number(await getSetting(db, 'review.maxClockSkewMinutes'));
  return Number.isFinite(v) && v >= 0 ? v : 5;
}

/** A reservation whose alert never appeared this long after (the process died mid-intake) may be taken over. */
const STALE_RESERVATION_MS = 60_000;

/**
 * The alert already stored under (system, idempotency key), if any: returned when the body is the same,
 * refused with 409 naming the key when it differs. Read-only. A key whose alert is missing is a
 * reservation left by a version that reserved keys before logging (a crash in between): freed once stale.
 */
async function firstForKey(
  db: Executor,
  systemId: string,
  key: string,
  bodySha: string,
): Promise<{ id: string; logIndex: number } | null> {
  const r = await db
    .selectFrom('alert_intake_keys')
    .selectAll()
    .where('system_id', '=', systemId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  if (!r) return null;
  // NULL: a key from before hashes were kept; a retry then gets the first alert, as it always did.
  if (r.body_sha256 !== null && r.body_sha256 !== bodySha)
    throw new StateError(msg('review.idempotencyConflict', { key, alertId: r.alert_id }));
  const a = await db.selectFrom('alerts').select(['id', 'log_index']).where('id', '=', r.alert_id).executeTakeFirst();
  if (a) return { id: a.id, logIndex: a.log_index };
  if (Date.now() - Date.parse(r.reserved_at) < STALE_RESERVATION_MS)
    throw new StateError(msg('review.idempotencyInFlight', { key }));
  await db
    .deleteFrom('alert_intake_keys')
    .where('system_id', '=', systemId)
    .where('idempotency_key', '=', key)
    .where('alert_id', '=', r.alert_id)
    .execute();
  return null;
}

export interface IntakeOptions {
  /** Mints the pseudonyms that replace subject and input references; required when the alert carries any. */
  pseudonyms?: Pseudonyms;
  /** The server's own release of a planned patrol mission: occurredAt is the (future) shift start. */
  planned?: boolean;
  /** Urgency by kind (config/urgency.json): sets the alert's targets and deadline, then pushes it (never awaited). */
  urgent?: UrgentAlerts;
  /** Set on the one second attempt after a stale reservation of the key was freed. */
  afterStaleReservation?: boolean;
}

/**
 * What intake checks about a system (its live contract, a withdrawn source, the clock skew allowed),
 * read once per change generation: one primary-key read per alert while nothing they depend on changes,
 * and a pause, a narrowed source or a new setting made by any server is seen at the next alert.
 */
async function intakeChecks(db: Executor, systemId: string) {
  const generation = await changeGeneration(db);
  return whileUnchanged(db, generation, `intake:${systemId}`, async () => {
    const v = await liveContract(db, systemId);
    const withdrawn = v?.state === 'active' ? await sourceWithdrawn(db, v.uses) : undefined;
    return { v, withdrawn, skew: await maxSkewMinutes(db) };
  });
}

/**
 * Accept an alert from a registered system's API key. Refused unless the system's live version is
 * active, and when occurredAt is further in the future than the allowed clock skew. Subject and input
 * references are replaced by the server's own pseudonyms before anything is stored or logged.
 * Idempotent on (system, idempotencyKey): a retry with the same body returns the first alert, unlogged
 * twice; the same key with a different body is refused (409) and not logged.
 */
export async function intakeAlert(
  store: Store,
  ledger: Ledger,
  p: Principal,
  systemId: string,
  input: AlertInput,
  opts: IntakeOptions = {},
): Promise<{ id: string; duplicate: boolean; logIndex: number }> {
  const { pseudonyms } = opts;
  if (p.kind !== 'api-key' || p.systemId !== systemId) throw new AccessError(msg('review.wrongSystemKey'));
  const { v, withdrawn, skew } = await intakeChecks(store.db, systemId);
  if (!v || v.state !== 'active') {
    throw new StateError(
      v
        ? msg('review.systemNotActive', { systemId, state: v.state })
        : msg('review.systemNoActiveVersion', { systemId }),
    );
  }
  // Purpose limitation holds after go-live too: a source narrowed away from the system's use stops its intake.
  if (withdrawn)
    throw new StateError(
      msg('sources.intakeRefused', {
        systemId,
        sourceId: withdrawn.sourceId || '-',
        purpose: String(v.uses.usePurpose ?? '-'),
      }),
    );
  checkOutput(v.outputSchema as OutputSchema | undefined, input);
  const latest = Date.now() + skew * 60_000;
  if (!opts.planned && Date.parse(input.occurredAt) > latest) {
    throw new InputError(
      msg('review.occurredInFuture', { occurredAt: input.occurredAt, minutes: skew, now: nowIso() }),
      [
        {
          field: 'occurredAt',
          expected: `a time no later than ${nowIso(new Date(latest))} (the server's clock plus ${skew} minutes)`,
          got: input.occurredAt,
        },
      ],
    );
  }
  const refs = [...(input.subjectRef ? [input.subjectRef] : []), ...input.inputRefs];
  if (refs.length && !pseudonyms)
    throw new Error(
      'intakeAlert: subject references arrived but no pseudonym secret was given; refusing to store them as sent',
    );
  const pseud = (raw: string) => pseudonyms!.of(raw);
  const { subjectRef: rawSubject, ...rest } = input;
  const stored: AlertInput = {
    ...rest,
    ...(rawSubject === undefined ? {} : { subjectRef: pseud(rawSubject) }),
    inputRefs: input.inputRefs.map(pseud),
  };
  // The hash is of the stored (pseudonymised) alert, so it reveals no raw reference.
  const bodySha = createHash('sha256').update(canonicalBytes(stored)).digest('hex');
  const id = `alert-${randomBytes(8).toString('hex')}`;
  // No read of the key here: the claim in the log's commit decides, and a retry that loses it is answered
  // below from the stored alert (one read per retry instead of one per alert).
  const receivedAt = nowIso();
  const expiresAt = nowIso(new Date(Date.now() + input.ttlMinutes * 60_000));
  const subjects = [
    ...new Set([systemRef(systemId), `alert:${id}`, ...(stored.subjectRef ? [stored.subjectRef] : [])]),
  ];
  const urgency = opts.urgent ? urgencyColumns(opts.urgent.policy, input.kind, receivedAt) : {};
  // The key's claim, the alert row, the pseudonym mappings and the log entry are written in one
  // transaction, on the log's writer: this thread writes nothing (no wait for the writer's lock). Two
  // requests racing on one key: the claim lets one in; the other's entry leaves the batch unlogged.
  const entry = await ledger.append(
    {
      type: 'ai.output',
      actor: systemRef(systemId),
      subjects,
      payload: { alertId: id, systemId, version: v.version, ...stored, receivedAt },
    },
    {
      table: 'alerts',
      indexColumn: 'log_index',
      claim: {
        table: 'alert_intake_keys',
        values: {
          system_id: systemId,
          idempotency_key: input.idempotencyKey,
          body_sha256: bodySha,
          alert_id: id,
          reserved_at: receivedAt,
        },
      },
      also: [
        ...refs.map((raw) => ({
          table: 'subject_pseudonyms' as const,
          values: { pseudonym: pseud(raw), raw_ref: raw, created_at: receivedAt },
        })),
        // The refs the alert carries, found by ref (retention, erasure, holds) without reading every alert.
        ...[...new Set([...(stored.subjectRef ? [stored.subjectRef] : []), ...stored.inputRefs])].map((ref) => ({
          table: 'alert_refs' as const,
          values: { ref, alert_id: id },
        })),
      ],
      onlyIfWritten: true,
      values: {
        id,
        system_id: systemId,
        version: v.version,
        idempotency_key: input.idempotencyKey,
        kind: input.kind,
        model_version: input.modelVersion,
        occurred_at: input.occurredAt,
        unit: input.unit,
        place: input.place ? JSON.stringify(input.place) : null,
        subject_ref: stored.subjectRef ?? null,
        output: JSON.stringify(input.output),
        confidence: input.confidence ?? null,
        explanation: JSON.stringify(input.explanation),
        input_refs: JSON.stringify(stored.inputRefs),
        status: 'pending',
        received_at: receivedAt,
        expires_at: expiresAt,
        withdrawn_at: null,
        ...urgency,
      },
    },
  );
  if (!entry.logged) {
    // The key was taken: by an earlier alert (a retry, or a conflicting body: 409), or by a stale
    // reservation of an old version, which firstForKey frees; then this alert is taken once more.
    const winner = await firstForKey(store.db, systemId, input.idempotencyKey, bodySha);
    if (winner) return { ...winner, duplicate: true };
    if (opts.afterStaleReservation)
      throw new Error(`alert ${id}: its key ${input.idempotencyKey} was taken, but no alert holds it`);
    return intakeAlert(store, ledger, p, systemId, input, { ...opts, afterStaleReservation: true });
  }
  if (opts.urgent)
    opts.urgent.accepted(
      {
        id,
        systemId,
        kind: input.kind,
        unit: input.unit,
        occurredAt: input.occurredAt,
        receivedAt,
        logIndex: entry.index,
        place: input.place ?? null,
      },
      urgency as ReturnType<typeof urgencyColumns>,
    );
  return { id, duplicate: false, logIndex: entry.index };
}

/**
 * Pending, unexpired alerts for the reviewer's unit and shift, oldest first: only while the reviewer is
 * on shift there, and only alerts that occurred before the shift ends (alerts left from earlier shifts
 * are handed over; those for later shifts wait for them). Index: (unit, status, received_at, id), walked
 * in order: O(limit + the unit's pending alerts skipped as expired, withdrawn or for a later shift).
 */
export async function queue(db: Executor, p: Principal, limit = 200) {
  const shift = await currentShift(db, p);
  const rows = await db
    .selectFrom('alerts')
    .selectAll()
    .where('unit', '=', shift.unit)
    .where('status', '=', 'pending')
    .where('withdrawn_at', 'is', null)
    .where('expires_at', '>', nowIso())
    .where(sql<string>`substr(occurred_at, 1, 19)`, '<', shift.endsAt.slice(0, 19))
    .orderBy('received_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(alertView);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function alertView(r: Record<string, any>) {
  return {
    id: r.id as string,
    systemId: r.system_id as string,
    version: r.version as number,
    kind: r.kind as string,
    modelVersion: r.model_version as string,
    occurredAt: r.occurred_at as string,
    unit: r.unit as string,
    place: r.place ? JSON.parse(r.place) : null,
    subjectRef: r.subject_ref as string | null,
    output: JSON.parse(r.output),
    confidence: r.confidence as number | null,
    explanation: JSON.parse(r.explanation),
    inputRefs: JSON.parse(r.input_refs),
    status: r.status as string,
    receivedAt: r.received_at as string,
    expiresAt: r.expires_at as string,
    logIndex: r.log_index as number,
    urgency: (r.urgency ?? 'routine') as string,
    ackState: (r.ack_state ?? 'none') as string,
    ackDueAt: (r.ack_due_at ?? null) as string | null,
    acknowledgedAt: (r.acknowledged_at ?? null) as string | null,
    escalationStep: (r.escalation_step ?? 0) as number,
    firstActionAt: (r.first_action_at ?? null) as string | null,
  };
}

export const DecisionInputSchema = z
  .object({
    outcome: z.enum(OUTCOMES),
    reasonCode: z.enum(REASON_CODES),
    reasonText: z.string().trim().min(3).max(4000),
    enforcementAction: z.enum(ENFORCEMENT).optional(),
    corroboration: z
      .object({ kind: z.enum(CORROBORATION_KINDS), description: z.string().trim().min(10).max(4000) })
      .optional(),
  })
  .strict();
export type DecisionInput = z.infer<typeof DecisionInputSchema>;

/** A named reviewer decides; enforcement needs their own corroborating evidence. */
export async function decide(store: Store, ledger: Ledger, p: Principal, alertId: string, input: DecisionInput) {
  // Another unit's alert is answered like a missing one (404); a decision is never oversight's, so no purpose.
  const a = await scopedAlert(store.db, p, alertId, null);
  const shift = await currentShift(store.db, p);
  if (!alertInShift(a.occurred_at, shift))
    throw new StateError(msg('review.laterShift', { alertId, occurredAt: a.occurred_at, endsAt: shift.endsAt }));
  if (!(await hasCurrentTraining(store.db, p.id!, a.system_id)))
    throw new AccessError(msg('review.noTraining', { systemId: a.system_id }));
  if (a.status !== 'pending') throw new StateError(msg('review.alreadyDecided', { alertId, status: a.status }));
  if (a.withdrawn_at) throw new StateError(msg('review.withdrawn', { alertId, at: a.withdrawn_at }));
  // An alert that slipped in as its system was paused (after the withdrawal) may only be closed as not acted.
  const live = await liveContract(store.db, a.system_id);
  if (live?.state !== 'active' && (input.outcome !== 'not-acted' || input.enforcementAction))
    throw new StateError(msg('monitor.pausedDecision', { systemId: a.system_id, state: live?.state ?? 'retired' }));
  const now = nowIso();
  if (a.expires_at <= now) {
    await expireAlerts(store, ledger);
    throw new StateError(msg('review.expired', { alertId, at: a.expires_at }));
  }
  if (input.enforcementAction) {
    if (input.outcome !== 'acted')
      throw new InputError(msg('review.actionNeedsActed'), [{ field: 'outcome', expected: 'acted' }]);
    if (!input.corroboration) {
      throw new InputError(msg('review.needsCorroboration'), [
        {
          field: 'corroboration',
          expected: `your own evidence: one of ${CORROBORATION_KINDS.join(', ')}, with a description`,
        },
      ]);
    }
  }
  const supervisorId = await supervisorOnDuty(store.db, a.unit, now);
  const seconds = (Date.parse(now) - Date.parse(a.received_at)) / 1000;
  const id = `dec-${randomBytes(8).toString('hex')}`;
  // The decision row, the alert's new status and the log entry are written in one transaction (on the
  // log's writer): the guard marks the alert decided only if it is still pending, so of two reviewers
  // deciding at once exactly one decision is stored.
  const entry = await ledger.append(
    {
      type: 'human.decision',
      actor: userRef(p.id),
      subjects: [`alert:${alertId}`, systemRef(a.system_id)],
      payload: {
        decisionId: id,
        alertId,
        alertLogIndex: a.log_index,
        ...input,
        reviewerId: p.id,
        supervisorId,
        decidedAt: now,
      },
    },
    {
      table: 'decisions',
      indexColumn: 'log_index',
      values: {
        id,
        alert_id: alertId,
        outcome: input.outcome,
        reason_code: input.reasonCode,
        reason_text: input.reasonText,
        enforcement_action: input.enforcementAction ?? null,
        corroboration: input.corroboration ? JSON.stringify(input.corroboration) : null,
        reviewer_id: p.id,
        supervisor_id: supervisorId,
        decided_at: now,
        seconds_to_decide: seconds,
      },
      guard: { table: 'alerts', set: { status: 'decided' }, where: { id: alertId, status: 'pending' } },
      // A decision is a response: it sets the alert's time to act (if no action came first) and stops escalation.
      updates: respondedUpdates(alertId, p.id!, now),
      // The losing reviewer's entry leaves the log with its row: no entry claims a decision never stored.
      onlyIfWritten: true,
    },
  );
  if (!entry.sideWritten) throw new StateError(msg('review.decidedByOther', { alertId }));
  return { id, logIndex: entry.index, supervisorId };
}

/**
 * Alerts that expire unreviewed are recorded as such, in the table and in the log. The expiry row is the
 * log entry's side row, guarded on the alert still being pending: when two servers sweep at once, or a
 * reviewer decides meanwhile, the loser's entry leaves the log with its row (onlyIfWritten).
 */
export async function expireAlerts(store: Store, ledger: Ledger): Promise<number> {
  const now = nowIso();
  const due = await store.db
    .selectFrom('alerts')
    .select(['id', 'system_id', 'received_at', 'expires_at', 'log_index', 'unit'])
    .where('status', '=', 'pending')
    .where('withdrawn_at', 'is', null)
    .where('expires_at', '<=', now)
    .orderBy('expires_at') // index (status, withdrawn_at, expires_at): O(due), however long the backlog
    .limit(10_000)
    .execute();
  let expired = 0;
  for (const a of due) {
    const entry = await ledger.append(
      {
        type: 'alert.expired',
        actor: 'system:counterweight-expiry',
        subjects: [`alert:${a.id}`, systemRef(a.system_id)],
        payload: { alertId: a.id, alertLogIndex: a.log_index, expiredAt: a.expires_at },
      },
      {
        table: 'decisions',
        indexColumn: 'log_index',
        values: {
          id: `dec-${randomBytes(8).toString('hex')}`,
          alert_id: a.id,
          outcome: 'expired',
          reason_code: 'expired-unreviewed',
          reason_text: `no decision before ${a.expires_at}`,
          enforcement_action: null,
          corroboration: null,
          reviewer_id: null,
          supervisor_id: await supervisorOnDuty(store.db, a.unit, a.expires_at),
          decided_at: now,
          seconds_to_decide: (Date.parse(now) - Date.parse(a.received_at)) / 1000,
        },
        guard: { table: 'alerts', set: { status: 'expired' }, where: { id: a.id, status: 'pending' } },
        onlyIfWritten: true,
      },
    );
    if (entry.sideWritten) expired++;
  }
  return expired;
}

/** Who is responsible for a decision: named people, never "the system". */
export async function responsibilityChain(db: Executor, alertId: string) {
  const a = await db.selectFrom('alerts').selectAll().where('id', '=', alertId).executeTakeFirst();
  if (!a) throw new NotFoundError(msg('review.noAlert', { alertId }));
  const d = await db.selectFrom('decisions').selectAll().where('alert_id', '=', alertId).executeTakeFirst();
  const sys = await db.selectFrom('ai_systems').selectAll().where('id', '=', a.system_id).executeTakeFirstOrThrow();
  const approval = await db
    .selectFrom('assessments')
    .select(['decided_by', 'decided_at', 'id'])
    .where('system_id', '=', a.system_id)
    .where('version', '=', a.version)
    .where('status', '=', 'approved')
    .orderBy('decided_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const name = async (id: string | null | undefined) =>
    id
      ? ((await db.selectFrom('users').select(['id', 'display_name']).where('id', '=', id).executeTakeFirst()) ?? {
          id,
          display_name: '(unknown account)',
        })
      : null;
  const person = (u: { id: string; display_name: string } | null) =>
    u ? { userId: u.id, name: u.display_name } : null;
  return {
    systemOwner: person(await name(sys.owner_id)),
    assessmentApprover: approval
      ? { ...person(await name(approval.decided_by)), assessmentId: approval.id, at: approval.decided_at }
      : null,
    supervisorOnDuty: person(await name(d?.supervisor_id)),
    reviewer: person(await name(d?.reviewer_id)),
  };
}

/**
 * Automation-bias signals per reviewer and per system: acceptance rate (acted), median time to decide,
 * override rate (not acted or false positive). A reviewer accepting ≥ 95% of ≥ 10 alerts with a median
 * under 10 s is flagged to their supervisor. O(decisions).
 */
/**
 * Automation-bias figures per reviewer and per system, from every decision of the unit (all units for
 * oversight). The rows are read on a reader thread (store/read-thread.ts): the join grows with the unit's
 * alerts and decisions for as long as they are kept, and on the serving thread it held alert intake
 * (0.15 CPU s per request at 131,072 alerts in a unit). Grouping here: O(decisions).
 */
export async function reviewStats(store: Store, opts: { unit?: string } = {}) {
  let q = store.db
    .selectFrom('decisions')
    .innerJoin('alerts', 'alerts.id', 'decisions.alert_id')
    .select([
      'decisions.reviewer_id',
      'decisions.outcome',
      'decisions.seconds_to_decide',
      'alerts.system_id',
      'alerts.unit',
    ])
    .where('decisions.outcome', '!=', 'expired');
  if (opts.unit) q = q.where('alerts.unit', '=', opts.unit);
  const [rows] = await readRows(store, q);
  const group = (key: (r: (typeof rows)[number]) => string | null) => {
    const m = new Map<string, typeof rows>();
    for (const r of rows) {
      const k = key(r);
      if (!k) continue;
      if (!m.has(k)) m.set(k, []);
      m.get(k)!.push(r);
    }
    return [...m].map(([k, rs]) => {
      const secs = rs.map((r) => r.seconds_to_decide).sort((a, b) => a - b);
      const median =
        secs.length % 2 ? secs[(secs.length - 1) / 2] : (secs[secs.length / 2 - 1] + secs[secs.length / 2]) / 2;
      const acceptance = rs.filter((r) => r.outcome === 'acted').length / rs.length;
      const override = rs.filter((r) => r.outcome === 'not-acted' || r.outcome === 'false-positive').length / rs.length;
      return {
        key: k,
        decisions: rs.length,
        acceptanceRate: acceptance,
        overrideRate: override,
        medianSecondsToDecide: median,
        flagged: rs.length >= 10 && acceptance >= 0.95 && median < 10,
      };
    });
  };
  return { reviewers: group((r) => r.reviewer_id), systems: group((r) => r.system_id) };
}
