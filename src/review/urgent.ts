/**
 * Time-critical alerts (issue 24): a stalking-proximity or crowd-density alert reaches a person in
 * seconds, escalates when unanswered, and protection is never held up by the rules meant for coercion.
 *
 * - Intake stores each alert's urgency, targets and first deadline (src/review/urgency.ts); this module
 *   then pushes it to the unit's open review pages and to the dispatch webhook, neither awaited.
 * - A person acknowledges it; an alert still unacknowledged at its deadline climbs its escalation chain
 *   (duty supervisor, then a fallback unit). Deadlines live in the database and a sweep runs at start-up
 *   and on an interval, so escalation needs no open page and survives a restart. Each step is a log
 *   entry naming only pseudonymous refs (alert, system, the staff account escalated to).
 * - Actions: protective ones (contact the victim, dispatch to the victim, crowd control, a warning
 *   broadcast) need no corroboration and no training gate and are taken at once; coercive ones (stop,
 *   search, arrest, warrant) keep the rule that the AI output alone is never enough.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Principal } from '../accounts/accounts';
import { AccessError, InputError, NotFoundError, StateError } from '../domain/errors';
import { msg } from '../domain/messages';
import { userRef } from '../ledger-service/events';
import type { Ledger } from '../ledger-service/ledger';
import { hasCurrentTraining, liveContract, systemRef } from '../registry/register';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { nowIso, type Executor, type Store } from '../store/db';
import type { DB } from '../store/schema';
import { readRows } from '../store/read-thread';
import type { SideUpdate } from '../store/log/entries';
import { DispatchWebhook, PushHub, type PushEvent } from './push';
import { scopedAlert } from './scope';
import { currentShift, supervisorOnDuty } from './shifts';
import { urgencyOf, type UrgencyPolicy } from './urgency';

export const PROTECTIVE_ACTIONS = [
  'contact-victim',
  'dispatch-to-victim',
  'crowd-control',
  'warning-broadcast',
] as const;
export const COERCIVE_ACTIONS = ['stop', 'search', 'arrest', 'warrant'] as const;
const CORROBORATION = [
  'officer-observation',
  'witness-statement',
  'physical-evidence',
  'independent-record',
  'judicial-authorisation',
] as const;

export const ActionInputSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('protective'),
      action: z.enum(PROTECTIVE_ACTIONS),
      reasonText: z.string().trim().min(3).max(4000),
    })
    .strict(),
  z
    .object({
      kind: z.literal('coercive'),
      action: z.enum(COERCIVE_ACTIONS),
      reasonText: z.string().trim().min(3).max(4000),
      corroboration: z
        .object({ kind: z.enum(CORROBORATION), description: z.string().trim().min(10).max(4000) })
        .optional(),
    })
    .strict(),
]);
export type ActionInput = z.infer<typeof ActionInputSchema>;

const ESCALATION_ACTOR = 'system:counterweight-escalation';
/** Escalations appended together in one sweep step (see escalateDue). */
export const ESCALATION_CHUNK = 64;

/** What intake hands over once an alert's row and log entry are durable. */
export interface AcceptedAlert {
  id: string;
  systemId: string;
  kind: string;
  unit: string;
  occurredAt: string;
  receivedAt: string;
  logIndex: number;
  place: unknown;
}

/** The columns intake writes for an alert's urgency (see urgency.ts). */
export function urgencyColumns(policy: UrgencyPolicy, kind: string, receivedAt: string) {
  const u = urgencyOf(policy, kind, Date.parse(receivedAt));
  return {
    urgency: u.urgency,
    ack_target_s: u.ackTargetSeconds,
    act_target_s: u.actTargetSeconds,
    ack_due_at: u.ackDueAt && nowIso(new Date(u.ackDueAt)),
    escalation_step: 0,
    ack_state: u.ackTargetSeconds === null ? 'none' : 'awaiting',
  };
}

/** The push hub, the dispatch webhook and the escalation sweep of one server process. */
export class UrgentAlerts {
  readonly hub = new PushHub();
  readonly webhook: DispatchWebhook;
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<number> | null = null;

  constructor(
    private readonly store: Store,
    private readonly ledger: Ledger,
    readonly policy: UrgencyPolicy,
    opts: { webhookSecret?: string | null; log?: (obj: Record<string, unknown>, text: string) => void } = {},
  ) {
    const secret = opts.webhookSecret ?? process.env[policy.webhook.secretEnv] ?? null;
    if (policy.webhook.url && !secret)
      throw new StateError(msg('urgent.webhookSecretMissing', { env: policy.webhook.secretEnv }));
    // The failure log names the delivery and the error, never the body (it may carry a place).
    this.webhook = new DispatchWebhook({ ...policy.webhook, secret }, (f) =>
      opts.log?.({ ...f }, f.final ? 'dispatch webhook gave up' : 'dispatch webhook will retry'),
    );
  }

  /** After intake: push to the unit's open pages and the dispatch webhook. O(unit's streams); never awaits. */
  accepted(a: AcceptedAlert, cols: ReturnType<typeof urgencyColumns>): void {
    const rule = this.policy.urgencies[cols.urgency as keyof UrgencyPolicy['urgencies']];
    const data = {
      alertId: a.id,
      systemId: a.systemId,
      kind: a.kind,
      urgency: cols.urgency,
      unit: a.unit,
      occurredAt: a.occurredAt,
      receivedAt: a.receivedAt,
      ackDueAt: cols.ack_due_at,
      step: 0,
    };
    if (rule.push) this.hub.publish({ id: a.logIndex, type: 'alert', unit: a.unit, data });
    if (rule.webhook)
      this.webhook.enqueue({
        event: 'alert',
        logIndex: a.logIndex,
        ...data,
        ...(this.policy.webhook.includePlace.includes(a.kind as never) && a.place ? { place: a.place } : {}),
      });
  }

  /** Sweep at start-up, then every sweepSeconds. */
  start(onError: (e: unknown) => void): void {
    const run = () => void this.sweep().catch(onError);
    run();
    this.timer = setInterval(run, this.policy.sweepSeconds * 1000);
    this.timer.unref();
  }

  /** One sweep at a time per process (a slow one is not overlapped by the next tick). */
  sweep(now = new Date()): Promise<number> {
    if (!this.sweeping)
      this.sweeping = escalateDue(this.store, this.ledger, this, now).finally(() => {
        this.sweeping = null;
      });
    return this.sweeping;
  }

  /** Stops the sweep (waiting for one under way, so nothing is appended to a closed log) and the webhook. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.webhook.close();
    await this.sweeping?.catch(() => undefined);
  }
}

/**
 * Move every awaiting alert past its deadline one step up its chain. Each step is one log entry written
 * with its alert_escalations row; the guard (same step, still awaiting) makes two sweeping servers
 * escalate a step once. With no supervisor on duty the step is logged as unanswerable and the next one
 * is due at once. After the last step the alert is logged as unanswered and no longer swept.
 * O(due alerts) per sweep, through the (ack_state, ack_due_at) index.
 */
export async function escalateDue(
  store: Store,
  ledger: Ledger,
  urgent: UrgentAlerts,
  at = new Date(),
): Promise<number> {
  const now = nowIso(at);
  const due = await store.db
    .selectFrom('alerts')
    .select([
      'id',
      'system_id',
      'kind',
      'unit',
      'urgency',
      'escalation_step',
      'ack_due_at',
      'log_index',
      'occurred_at',
      'received_at',
    ])
    .where('ack_state', '=', 'awaiting')
    .where('ack_due_at', '<=', now)
    .where('status', '=', 'pending')
    .where('withdrawn_at', 'is', null)
    .orderBy('ack_due_at')
    .limit(1000)
    .execute();
  // The unit's duty supervisor, read once per unit per sweep (not once per alert).
  const supervisors = new Map<string, Promise<string | null>>();
  const supervisorOf = (unit: string) => {
    let s = supervisors.get(unit);
    if (!s) supervisors.set(unit, (s = supervisorOnDuty(store.db, unit, now)));
    return s;
  };
  const escalate = async (a: (typeof due)[number], targetUserOfUnit: string | null): Promise<boolean> => {
    const rule = urgent.policy.urgencies[a.urgency as keyof UrgencyPolicy['urgencies']];
    const next = a.escalation_step + 1;
    const step = rule?.chain[next];
    let toKind: string;
    let targetUnit: string | null = null;
    let targetUser: string | null = null;
    let nextDue: string | null;
    if (!step) {
      toKind = 'unanswered';
      nextDue = null;
    } else if (step.to === 'duty-supervisor') {
      toKind = step.to;
      targetUser = targetUserOfUnit;
      targetUnit = a.unit;
      nextDue = targetUser ? nowIso(new Date(at.getTime() + step.withinSeconds * 1000)) : now;
    } else if (step.to === 'unit') {
      toKind = step.to;
      targetUnit = step.unit;
      nextDue = nowIso(new Date(at.getTime() + step.withinSeconds * 1000));
    } else {
      // A chain that returns to the reviewers restarts their clock.
      toKind = step.to;
      targetUnit = a.unit;
      nextDue = nowIso(new Date(at.getTime() + step.withinSeconds * 1000));
    }
    const escalationId = `esc-${randomBytes(8).toString('hex')}`;
    const entry = await ledger.append(
      {
        type: 'alert.escalated',
        actor: ESCALATION_ACTOR,
        subjects: [`alert:${a.id}`, systemRef(a.system_id), ...(targetUser ? [userRef(targetUser)] : [])],
        payload: {
          escalationId,
          alertId: a.id,
          alertLogIndex: a.log_index,
          kind: a.kind,
          urgency: a.urgency,
          step: next,
          to: toKind,
          targetUnit,
          targetUserId: targetUser,
          missedDeadline: a.ack_due_at,
          nextDeadline: nextDue,
          at: now,
        },
      },
      {
        table: 'alert_escalations',
        indexColumn: 'log_index',
        values: {
          id: escalationId,
          alert_id: a.id,
          unit: a.unit,
          step: next,
          to_kind: toKind,
          target_unit: targetUnit,
          target_user: targetUser,
          due_at: a.ack_due_at!,
          at: now,
        },
        guard: {
          table: 'alerts',
          set:
            nextDue === null
              ? { escalation_step: next, ack_state: 'unanswered', ack_due_at: null }
              : { escalation_step: next, ack_due_at: nextDue },
          where: { id: a.id, escalation_step: a.escalation_step, ack_state: 'awaiting' },
        },
      },
    );
    if (!entry.sideWritten) return false; // acknowledged, or escalated by another server, meanwhile
    if (targetUnit && toKind !== 'unanswered' && (toKind !== 'duty-supervisor' || targetUser)) {
      urgent.hub.publish({
        id: entry.index,
        type: 'escalation',
        unit: targetUnit,
        userId: toKind === 'duty-supervisor' ? targetUser : null,
        data: {
          alertId: a.id,
          systemId: a.system_id,
          kind: a.kind,
          urgency: a.urgency,
          unit: a.unit,
          occurredAt: a.occurred_at,
          receivedAt: a.received_at,
          ackDueAt: nextDue,
          step: next,
          to: toKind,
        },
      });
    }
    if (urgent.policy.urgencies[a.urgency as keyof UrgencyPolicy['urgencies']]?.webhook) {
      urgent.webhook.enqueue({
        event: 'escalation',
        logIndex: entry.index,
        alertId: a.id,
        kind: a.kind,
        urgency: a.urgency,
        unit: a.unit,
        step: next,
        to: toKind,
        targetUnit,
      });
    }
    return true;
  };
  // Chunks of ESCALATION_CHUNK escalations appended together: each chunk is one group commit of the log,
  // so a storm of due alerts (a minute of crowd-density alerts nobody acknowledged) costs a few short
  // commits between intake's, instead of one commit per alert that intake queues behind, or one long
  // commit it waits for. O(due) per sweep; one supervisor read per unit.
  let moved = 0;
  for (let i = 0; i < due.length; i += ESCALATION_CHUNK) {
    const chunk = due.slice(i, i + ESCALATION_CHUNK);
    const targets = await Promise.all(
      chunk.map((a) => {
        const step =
          urgent.policy.urgencies[a.urgency as keyof UrgencyPolicy['urgencies']]?.chain[a.escalation_step + 1];
        return step?.to === 'duty-supervisor' ? supervisorOf(a.unit) : null;
      }),
    );
    for (const ok of await Promise.all(chunk.map((a, j) => escalate(a, targets[j])))) if (ok) moved++;
  }
  return moved;
}

/**
 * The alert `p` may act on now: their own unit's (scoped as every read), or one escalated to their unit
 * while they are on shift there. Anything else is 404, as for an alert that does not exist.
 */
export async function actionableAlert(db: Executor, p: Principal, alertId: string, purpose: string | null = null) {
  try {
    return await scopedAlert(db, p, alertId, purpose);
  } catch (e) {
    if (!(e instanceof NotFoundError) || !p.unit) throw e;
    const esc = await db
      .selectFrom('alert_escalations')
      .select('id')
      .where('alert_id', '=', alertId)
      .where('to_kind', '=', 'unit')
      .where('target_unit', '=', p.unit)
      .limit(1)
      .executeTakeFirst();
    if (!esc) throw e;
    await currentShift(db, p);
    return db.selectFrom('alerts').selectAll().where('id', '=', alertId).executeTakeFirstOrThrow();
  }
}

/**
 * A person says they have seen an urgent alert: its escalation stops. Exactly one acknowledgement per
 * alert (the guarded update claims it before the log entry is written; a failed append releases it).
 */
export async function acknowledge(store: Store, ledger: Ledger, p: Principal, alertId: string) {
  if (!p.id) throw new AccessError(msg('urgent.personOnly'));
  const a = await actionableAlert(store.db, p, alertId);
  if (a.ack_state === 'none') throw new StateError(msg('urgent.nothingToAcknowledge', { alertId, urgency: a.urgency }));
  if (a.ack_state === 'acknowledged')
    throw new StateError(
      msg('urgent.alreadyAcknowledged', { alertId, by: a.acknowledged_by ?? '-', at: a.acknowledged_at ?? '-' }),
    );
  const now = nowIso();
  const claimed = await store.db
    .updateTable('alerts')
    .set({ ack_state: 'acknowledged', acknowledged_at: now, acknowledged_by: p.id, ack_due_at: null })
    .where('id', '=', alertId)
    .where('ack_state', '=', a.ack_state)
    .where('escalation_step', '=', a.escalation_step)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) throw new StateError(msg('urgent.ackRace', { alertId }));
  const seconds = (Date.parse(now) - Date.parse(a.received_at)) / 1000;
  try {
    const entry = await ledger.append({
      type: 'alert.acknowledged',
      actor: userRef(p.id),
      subjects: [`alert:${alertId}`, systemRef(a.system_id)],
      payload: {
        alertId,
        alertLogIndex: a.log_index,
        acknowledgedBy: p.id,
        acknowledgedAt: now,
        step: a.escalation_step,
        secondsToAcknowledge: seconds,
        afterDeadline: a.ack_state === 'unanswered',
      },
    });
    return {
      alertId,
      acknowledgedAt: now,
      secondsToAcknowledge: seconds,
      step: a.escalation_step,
      logIndex: entry.index,
    };
  } catch (e) {
    await store.db
      .updateTable('alerts')
      .set({ ack_state: a.ack_state, acknowledged_at: null, acknowledged_by: null, ack_due_at: a.ack_due_at })
      .where('id', '=', alertId)
      .where('acknowledged_by', '=', p.id)
      .execute();
    throw e;
  }
}

/**
 * Record an action taken on an alert, with who, when and why. Protective: at once, no corroboration,
 * no training gate, whatever the alert's review state (protecting someone is never refused for want of
 * paperwork). Coercive: today's rule — the reviewer's own corroborating evidence, current training, a
 * pending alert of an active system. Either acknowledges the alert (a person is on it) and sets its
 * time to act.
 */
export async function takeAction(store: Store, ledger: Ledger, p: Principal, alertId: string, input: ActionInput) {
  if (!p.id) throw new AccessError(msg('urgent.personOnly'));
  const a = await actionableAlert(store.db, p, alertId);
  if (input.kind === 'coercive') {
    if (!input.corroboration) {
      throw new InputError(msg('urgent.coerciveNeedsCorroboration'), [
        {
          field: 'corroboration',
          expected: `your own evidence: one of ${CORROBORATION.join(', ')}, with a description`,
        },
      ]);
    }
    if (a.status !== 'pending' || a.withdrawn_at)
      throw new StateError(
        msg('urgent.coerciveNotPending', { alertId, status: a.withdrawn_at ? 'withdrawn' : a.status }),
      );
    const live = await liveContract(store.db, a.system_id);
    if (live?.state !== 'active')
      throw new StateError(msg('monitor.pausedDecision', { systemId: a.system_id, state: live?.state ?? 'retired' }));
    if (!(await hasCurrentTraining(store.db, p.id, a.system_id)))
      throw new AccessError(msg('urgent.coerciveNeedsTraining', { systemId: a.system_id }));
  }
  const now = nowIso();
  const id = `act-${randomBytes(8).toString('hex')}`;
  const entry = await ledger.append(
    {
      type: 'human.action',
      actor: userRef(p.id),
      subjects: [`alert:${alertId}`, systemRef(a.system_id)],
      payload: { actionId: id, alertId, alertLogIndex: a.log_index, ...input, actorId: p.id, at: now },
    },
    {
      table: 'alert_actions',
      indexColumn: 'log_index',
      values: {
        id,
        alert_id: alertId,
        kind: input.kind,
        action: input.action,
        reason_text: input.reasonText,
        corroboration: 'corroboration' in input && input.corroboration ? JSON.stringify(input.corroboration) : null,
        actor_id: p.id,
        at: now,
      },
      updates: respondedUpdates(alertId, p.id, now),
    },
  );
  if (!entry.sideWritten) throw new Error(`action ${id}: its row was not written beside log entry ${entry.index}`);
  return { id, logIndex: entry.index, kind: input.kind, action: input.action, at: now };
}

/**
 * A person acted on the alert (an action or a decision): its time to act is set once, and it counts as
 * acknowledged. Made by the log's commit beside the entry (SideRow.updates), so it costs no commit of its
 * own and is never missing once the entry is stored. The two acknowledgement updates exclude each other.
 */
export function respondedUpdates(alertId: string, userId: string, at: string): SideUpdate[] {
  const acknowledged = { ack_state: 'acknowledged', acknowledged_at: at, acknowledged_by: userId, ack_due_at: null };
  return [
    { table: 'alerts', set: { first_action_at: at }, where: { id: alertId, first_action_at: null } },
    { table: 'alerts', set: acknowledged, where: { id: alertId, ack_state: 'awaiting' } },
    { table: 'alerts', set: acknowledged, where: { id: alertId, ack_state: 'unanswered' } },
  ];
}

/** The actions recorded on an alert, oldest first (for the alert's detail view). */
export async function actionsOf(db: Executor, alertId: string) {
  const rows = await db
    .selectFrom('alert_actions')
    .selectAll()
    .where('alert_id', '=', alertId)
    .orderBy('at')
    .orderBy('log_index')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    action: r.action,
    reasonText: r.reason_text,
    corroboration: r.corroboration ? JSON.parse(r.corroboration) : null,
    actorId: r.actor_id,
    at: r.at,
    logIndex: r.log_index,
  }));
}

/** Events a reconnecting stream missed (log index > lastEventId), oldest first, at most `limit`. */
export async function replayEvents(
  db: Executor,
  policy: UrgencyPolicy,
  sub: { unit: string; userId: string },
  lastEventId: number,
  limit = 500,
): Promise<PushEvent[]> {
  const pushed = (Object.entries(policy.urgencies) as [string, { push: boolean }][])
    .filter(([, r]) => r.push)
    .map(([u]) => u);
  const alerts = pushed.length
    ? await db
        .selectFrom('alerts')
        .select([
          'id',
          'system_id',
          'kind',
          'urgency',
          'unit',
          'occurred_at',
          'received_at',
          'ack_due_at',
          'escalation_step',
          'log_index',
        ])
        .where('unit', '=', sub.unit)
        .where('log_index', '>', lastEventId)
        .where('urgency', 'in', pushed)
        .where('status', '=', 'pending')
        .where('withdrawn_at', 'is', null)
        .orderBy('log_index')
        .limit(limit)
        .execute()
    : [];
  const escalations = await db
    .selectFrom('alert_escalations')
    .innerJoin('alerts', 'alerts.id', 'alert_escalations.alert_id')
    .select([
      'alerts.id',
      'alerts.system_id',
      'alerts.kind',
      'alerts.urgency',
      'alerts.unit',
      'alerts.occurred_at',
      'alerts.received_at',
      'alerts.ack_due_at',
      'alert_escalations.step',
      'alert_escalations.to_kind',
      'alert_escalations.log_index',
      'alert_escalations.target_unit',
    ])
    .where('alert_escalations.log_index', '>', lastEventId)
    .where('alerts.status', '=', 'pending')
    .where((eb) =>
      eb.or([
        eb.and([eb('alert_escalations.to_kind', '=', 'unit'), eb('alert_escalations.target_unit', '=', sub.unit)]),
        eb.and([
          eb('alert_escalations.to_kind', '=', 'duty-supervisor'),
          eb('alert_escalations.target_user', '=', sub.userId),
          eb('alert_escalations.target_unit', '=', sub.unit),
        ]),
      ]),
    )
    .orderBy('alert_escalations.log_index')
    .limit(limit)
    .execute();
  const events: PushEvent[] = [
    ...alerts.map((a) => ({
      id: a.log_index,
      type: 'alert' as const,
      unit: a.unit,
      data: {
        alertId: a.id,
        systemId: a.system_id,
        kind: a.kind,
        urgency: a.urgency,
        unit: a.unit,
        occurredAt: a.occurred_at,
        receivedAt: a.received_at,
        ackDueAt: a.ack_due_at,
        step: a.escalation_step,
      },
    })),
    ...escalations.map((e) => ({
      id: e.log_index,
      type: 'escalation' as const,
      unit: sub.unit,
      data: {
        alertId: e.id,
        systemId: e.system_id,
        kind: e.kind,
        urgency: e.urgency,
        unit: e.unit,
        occurredAt: e.occurred_at,
        receivedAt: e.received_at,
        ackDueAt: e.ack_due_at,
        step: e.step,
        to: e.to_kind,
      },
    })),
  ];
  return events.sort((x, y) => x.id - y.id).slice(0, limit);
}

/**
 * Open a push stream for `p`: only a person on shift in their unit (officers and supervisors alike), who
 * then receives their unit's pushed alerts and what is escalated to them or their unit. First the events
 * after `lastEventId` (a reconnect), then live ones. Returns when the shift ends (the route closes the
 * stream then) and how to unsubscribe.
 */
export async function openPushStream(
  db: Executor,
  urgent: UrgentAlerts,
  p: Principal,
  lastEventId: number | null,
  send: (ev: PushEvent) => void,
) {
  if (!p.id) throw new AccessError(msg('urgent.personOnly'));
  const shift = await currentShift(db, p);
  const sub = { unit: shift.unit, userId: p.id, send };
  // Subscribe first, then replay, then drop live duplicates of replayed ids: nothing falls in between.
  const buffered: PushEvent[] = [];
  let replaying = true;
  const unsubscribe = urgent.hub.subscribe({ ...sub, send: (ev) => (replaying ? buffered.push(ev) : send(ev)) });
  try {
    const replayed = new Set<number>();
    if (lastEventId !== null) {
      for (const ev of await replayEvents(db, urgent.policy, sub, lastEventId)) {
        send(ev);
        replayed.add(ev.id);
      }
    }
    replaying = false;
    for (const ev of buffered) if (!replayed.has(ev.id)) send(ev);
  } catch (e) {
    unsubscribe();
    throw e;
  }
  return { unsubscribe, endsAt: shift.endsAt, unit: shift.unit };
}

const median = (xs: number[]) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** Nearest-rank percentile (the value at rank ⌈q·n⌉). */
const percentile = (xs: number[], q: number) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length, Math.max(1, Math.ceil(q * s.length))) - 1];
};

export interface ResponseRow {
  kind: string;
  unit: string;
  urgency: string;
  alerts: number;
  acknowledged: number;
  medianSecondsToAcknowledge: number | null;
  p90SecondsToAcknowledge: number | null;
  /** Alerts whose acknowledgement target has been decided (acknowledged, or past the target): the denominator of the share. */
  judged: number;
  metAcknowledgeTarget: number;
  shareMetAcknowledgeTarget: number | null;
  acted: number;
  medianSecondsToAct: number | null;
  p90SecondsToAct: number | null;
  judgedAct: number;
  metActTarget: number;
  shareMetActTarget: number | null;
  escalations: number;
  unanswered: number;
}

/**
 * Time to acknowledge and time to act per alert kind and unit, with the share that met each target and
 * the escalations. An alert counts toward a share once it is decided: acknowledged (in time or late) or
 * past its target unacknowledged (a miss); alerts still inside their target are not counted yet.
 * Everything is read on a reader thread, and only what people did comes back as rows: the counts (and
 * the misses, by comparing each alert's arrival with "now less its target", one cut-off per distinct
 * target) are summed per kind and unit where the rows are read; the rows that come back are the
 * acknowledged or acted alerts, whose durations give the medians. Before, every urgent alert ever came
 * back (0.57 serving-thread CPU s for 131,072 in a unit, most of them a backlog nobody had touched).
 * O(the scope's alerts) on the reader thread; O(groups + acknowledged or acted alerts) here.
 */
export async function responseStats(
  store: Store,
  opts: { unit?: string; systemId?: string; kind?: string; since?: string; now?: Date } = {},
) {
  const now = (opts.now ?? new Date()).getTime();
  const db = store.db;
  const inScope = (eb: ExpressionBuilder<DB, 'alerts'>) =>
    eb.and([
      eb('ack_target_s', 'is not', null),
      ...(opts.unit ? [eb('unit', '=', opts.unit)] : []),
      ...(opts.systemId ? [eb('system_id', '=', opts.systemId)] : []),
      ...(opts.kind ? [eb('kind', '=', opts.kind)] : []),
      ...(opts.since ? [eb('received_at', '>=', opts.since)] : []),
    ]);
  const [targets] = await readRows(
    store,
    db.selectFrom('alerts').select(['ack_target_s', 'act_target_s']).distinct().where(inScope),
  );
  // The targets and the figures are two reads, two snapshots. An alert committed between them may carry a
  // target the first read did not see, and then counts as not yet past it. It was received at most a commit
  // before `now` (targets are fixed at intake, at least a second: urgency.ts), so this can differ only for a
  // target of a second or two, only in this view; the next one counts it.
  // An alert is past a target of s seconds when it arrived before now − s. Arrival times are stored by
  // nowIso (whole seconds), so "before now − s" is "before now − s rounded up to a second", and ISO times
  // in one format compare as text.
  const cutOff = (seconds: number) => nowIso(new Date(Math.ceil((now - seconds * 1000) / 1000) * 1000));
  const ackTargets = [...new Set(targets.map((t) => t.ack_target_s!))];
  const actTargets = [...new Set(targets.flatMap((t) => (t.act_target_s === null ? [] : [t.act_target_s])))];
  const [groups, done] = await readRows(
    store,
    db
      .selectFrom('alerts')
      .where(inScope)
      .select((eb) => {
        const count = (when: Expression<SqlBool>) =>
          eb.fn.sum<number | string>(eb.case().when(when).then(1).else(0).end());
        const past = (column: 'ack_target_s' | 'act_target_s', seconds: number[]) =>
          seconds.length
            ? eb.or(seconds.map((s) => eb.and([eb(column, '=', s), eb('received_at', '<', cutOff(s))])))
            : eb.lit(false);
        return [
          'kind',
          'unit',
          eb.fn.min('urgency').as('urgency'),
          eb.fn.countAll<number | string>().as('alerts'),
          eb.fn.sum<number | string>('escalation_step').as('escalations'),
          count(eb('ack_state', '=', 'unanswered')).as('unanswered'),
          count(eb.and([eb('acknowledged_at', 'is', null), past('ack_target_s', ackTargets)])).as('ackMissed'),
          count(eb.and([eb('first_action_at', 'is', null), past('act_target_s', actTargets)])).as('actMissed'),
        ];
      })
      .groupBy(['kind', 'unit']),
    db
      .selectFrom('alerts')
      .where(inScope)
      .select(['kind', 'unit', 'received_at', 'acknowledged_at', 'first_action_at', 'ack_target_s', 'act_target_s'])
      .where((eb) => eb.or([eb('acknowledged_at', 'is not', null), eb('first_action_at', 'is not', null)])),
  );
  const key = (r: { kind: string; unit: string }) => `${r.kind}\u0000${r.unit}`;
  const answered = new Map<string, (typeof done)[number][]>();
  for (const r of done) {
    const k = key(r);
    if (!answered.has(k)) answered.set(k, []);
    answered.get(k)!.push(r);
  }
  const table: ResponseRow[] = [];
  for (const g of groups) {
    const ack: number[] = [];
    const act: number[] = [];
    let met = 0,
      judgedAct = 0,
      metAct = 0;
    for (const r of answered.get(key(g)) ?? []) {
      const t0 = Date.parse(r.received_at);
      const ackS = r.acknowledged_at ? (Date.parse(r.acknowledged_at) - t0) / 1000 : null;
      const actS = r.first_action_at ? (Date.parse(r.first_action_at) - t0) / 1000 : null;
      if (ackS !== null) {
        ack.push(ackS);
        if (ackS <= r.ack_target_s!) met++;
      }
      if (actS !== null) {
        act.push(actS);
        if (r.act_target_s !== null) {
          judgedAct++;
          if (actS <= r.act_target_s) metAct++;
        }
      }
    }
    const judged = ack.length + Number(g.ackMissed ?? 0);
    judgedAct += Number(g.actMissed ?? 0);
    table.push({
      kind: g.kind,
      unit: g.unit,
      urgency: g.urgency as string,
      alerts: Number(g.alerts),
      acknowledged: ack.length,
      medianSecondsToAcknowledge: median(ack),
      p90SecondsToAcknowledge: percentile(ack, 0.9),
      judged,
      metAcknowledgeTarget: met,
      shareMetAcknowledgeTarget: judged ? met / judged : null,
      acted: act.length,
      medianSecondsToAct: median(act),
      p90SecondsToAct: percentile(act, 0.9),
      judgedAct,
      metActTarget: metAct,
      shareMetActTarget: judgedAct ? metAct / judgedAct : null,
      escalations: Number(g.escalations ?? 0),
      unanswered: Number(g.unanswered ?? 0),
    });
  }
  table.sort((a, b) => a.kind.localeCompare(b.kind) || a.unit.localeCompare(b.unit));
  let eq = store.db
    .selectFrom('alert_escalations')
    .innerJoin('alerts', 'alerts.id', 'alert_escalations.alert_id')
    .select([
      'alert_escalations.alert_id',
      'alerts.kind',
      'alert_escalations.unit',
      'alert_escalations.step',
      'alert_escalations.to_kind',
      'alert_escalations.target_unit',
      'alert_escalations.target_user',
      'alert_escalations.due_at',
      'alert_escalations.at',
      'alert_escalations.log_index',
    ]);
  if (opts.unit) eq = eq.where('alert_escalations.unit', '=', opts.unit);
  if (opts.systemId) eq = eq.where('alerts.system_id', '=', opts.systemId);
  if (opts.kind) eq = eq.where('alerts.kind', '=', opts.kind);
  if (opts.since) eq = eq.where('alert_escalations.at', '>=', opts.since);
  const [escal] = await readRows(store, eq.orderBy('alert_escalations.log_index', 'desc').limit(500));
  return {
    byKindAndUnit: table,
    escalations: escal.map((e) => ({
      alertId: e.alert_id,
      kind: e.kind,
      unit: e.unit,
      step: e.step,
      to: e.to_kind,
      targetUnit: e.target_unit,
      targetUserId: e.target_user,
      missedDeadline: e.due_at,
      at: e.at,
      logIndex: e.log_index,
    })),
  };
}
