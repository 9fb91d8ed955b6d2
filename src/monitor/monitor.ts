/**
 * The outcome monitor: outcomes (stops, searches, arrests, use of force, complaints) are reported per
 * system, group and period; monitors check them for disparity and check reviewers' override rates. A
 * breach pauses the system automatically (its alerts are then refused), notifies its owner and
 * oversight, appends to the log and publishes an incident note. Only oversight — never the owner —
 * can resume it, with a recorded reason (enforced by the register's lifecycle).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Principal } from '../accounts/accounts';
import { AccessError, InputError } from '../domain/errors';
import { userRef } from '../ledger-service/events';
import type { Ledger } from '../ledger-service/ledger';
import {
  assertNotOwner,
  getVersion,
  liveVersion,
  recordTransition,
  systemRef,
  type VersionRow,
} from '../registry/register';
import { msg } from '../domain/messages';
import { requirePurpose } from '../privacy/sources';
import { nowIso, type Executor, type Store } from '../store/db';
import { readRows } from '../store/read-thread';
import { disparityCheck, driftCheck, overrideCheck, responseTimeCheck } from '../fairness';
import { realizedHitRate } from '../forecast-service/forecasts';
import { ALERT_KINDS, loadUrgencyPolicy, type UrgencyPolicy } from '../review/urgency';
import { responseStats } from '../review/urgent';
import { render } from '../domain/messages';

export const OutcomeBatchSchema = z
  .object({
    periodStart: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    rows: z
      .array(
        z
          .object({
            /** Stable id of this row in the source's own records: resending it is a no-op (see recordOutcomes). */
            recordId: z.string().regex(/^[A-Za-z0-9_.:/-]{1,128}$/),
            kind: z.enum(['stop', 'search', 'arrest', 'use-of-force', 'complaint']),
            area: z.string().max(64).optional(),
            group: z.string().min(1).max(64),
            count: z.number().int().min(0),
            denominator: z.number().int().min(1),
          })
          .refine((r) => r.count <= r.denominator, 'count cannot exceed its denominator'),
      )
      .min(1)
      .max(10_000),
  })
  .strict();

export const MonitorSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('disparity'),
      outcome: z.enum(['stop', 'search', 'arrest', 'use-of-force', 'complaint']),
      windowDays: z.number().int().min(1).max(3650),
      ratioMax: z.number().min(1).max(100),
      minCount: z.number().int().min(1),
      alpha: z.number().min(0.0001).max(0.5),
    })
    .strict(),
  z
    .object({
      kind: z.literal('drift'),
      backtestId: z.number().int().min(1),
      model: z.string().min(1).max(200),
      window: z.enum(['7d', '14d', '1mo', '2mo', '3mo']),
      windowDays: z.number().int().min(1).max(3650),
      maxRelativeChange: z.number().gt(0).lt(1).default(0.2),
      minTrials: z.number().int().min(1).default(30),
      alpha: z.number().gt(0).lt(1).default(0.05),
    })
    .strict(),
  z
    .object({
      kind: z.literal('override-rate'),
      windowDays: z.number().int().min(1).max(3650),
      maxRate: z.number().min(0).max(1),
      minDecisions: z.number().int().min(1),
    })
    .strict(),
  // Issue 24: the share of an alert kind's alerts acknowledged within its response-time target.
  z
    .object({
      kind: z.literal('response-time'),
      alertKind: z.enum(ALERT_KINDS),
      windowDays: z.number().int().min(1).max(3650),
      minShare: z.number().min(0).max(1),
      minAlerts: z.number().int().min(1),
    })
    .strict(),
]);

/** The source a principal may report outcomes for, or why not: only an authorised feed named in the plan. */
async function outcomeFeed(db: Executor, p: Principal, systemId: string): Promise<string> {
  const refuse = () => new AccessError(msg('monitor.outcomesNotAuthorised', { systemId }));
  if (p.kind !== 'api-key' || !p.id) throw refuse(); // never a person's session, whatever the role
  const feed = await db
    .selectFrom('outcome_feeds')
    .select('source_id')
    .where('key_id', '=', p.id)
    .where('system_id', '=', systemId)
    .executeTakeFirst();
  if (!feed) throw refuse();
  // The plan of the latest version still has to name the source (a new version can drop it).
  const planned = outcomeSources(await getVersion(db, systemId)).find((x) => x.sourceId === feed.source_id);
  if (!planned || (p.systemId === systemId && !planned.vendorKey)) throw refuse();
  return feed.source_id;
}

const outcomeSources = (v: VersionRow) =>
  Array.isArray(v.record.outcomeSources)
    ? (v.record.outcomeSources as { sourceId: string; vendorKey?: boolean }[])
    : [];

/**
 * Oversight (never the owner's side) authorises one API key to report outcomes for one source the
 * system's monitoring plan names. The vendor's own key (the one bound to this system) only where the
 * plan says vendorKey: true; a key bound to another system never.
 */
export async function authoriseOutcomeFeed(
  store: Store,
  ledger: Ledger,
  p: Principal,
  systemId: string,
  input: { keyId: string; sourceId: string },
) {
  const v = await getVersion(store.db, systemId);
  assertNotOwner(v, p, msg('audits.ownerCannotAuthoriseFeed', { systemId }));
  const planned = outcomeSources(v).find((x) => x.sourceId === input.sourceId);
  if (!planned)
    throw new InputError(
      msg('monitor.sourceNotInPlan', { sourceId: input.sourceId, systemId }),
      [
        {
          field: 'sourceId',
          expected: `a source named in outcomeSources: ${
            outcomeSources(v)
              .map((x) => x.sourceId)
              .join(', ') || '(none)'
          }`,
          got: input.sourceId,
        },
      ],
      409,
    );
  await requirePurpose(
    store,
    ledger,
    userRef(p.id),
    input.sourceId,
    'fairness-audit',
    `outcome monitoring of ${systemId}`,
  );
  const key = await store.db
    .selectFrom('api_keys')
    .select(['id', 'system_id'])
    .where('id', '=', input.keyId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!key)
    throw new InputError(
      msg('monitor.keyNotFound', { keyId: input.keyId }),
      [{ field: 'keyId', expected: 'the id of an active API key', got: input.keyId }],
      404,
    );
  if (key.system_id && key.system_id !== systemId)
    throw new InputError(
      msg('monitor.outcomesNotAuthorised', { systemId }),
      [{ field: 'keyId', expected: "a key of the agency's records, not another system's", got: input.keyId }],
      409,
    );
  if (key.system_id === systemId && !planned.vendorKey)
    throw new InputError(
      msg('monitor.vendorKeyNotInPlan', { sourceId: input.sourceId }),
      [{ field: 'keyId', expected: "a key that is not the vendor's own", got: input.keyId }],
      409,
    );
  const entry = await ledger.append({
    type: 'monitor.feed-authorised',
    actor: userRef(p.id),
    subjects: [systemRef(systemId)],
    payload: { systemId, keyId: input.keyId, sourceId: input.sourceId, vendorKey: key.system_id === systemId },
  });
  await store.db
    .insertInto('outcome_feeds')
    .values({
      key_id: input.keyId,
      system_id: systemId,
      source_id: input.sourceId,
      authorised_by: p.id!,
      authorised_at: nowIso(),
      log_index: entry.index,
    })
    .onConflict((oc) =>
      oc.columns(['key_id', 'system_id']).doUpdateSet({
        source_id: input.sourceId,
        authorised_by: p.id!,
        authorised_at: nowIso(),
        log_index: entry.index,
      }),
    )
    .execute();
  return { logIndex: entry.index };
}

/**
 * Outcome rows that can pause or clear a system. Only from an authorised feed (outcomeFeed). Rows are
 * deduplicated by (system, source, recordId): the first row with a record id wins and a resend — with the
 * same or different counts — is a no-op, so resending cannot dilute a breach; a batch naming one record
 * id twice is refused. Each batch is logged with its source, accepted and duplicate counts.
 * O(rows) with one unique-index probe per row, in 1,000-row statements inside one transaction.
 */
export async function recordOutcomes(
  store: Store,
  ledger: Ledger,
  p: Principal,
  systemId: string,
  batch: z.infer<typeof OutcomeBatchSchema>,
) {
  const sourceId = await outcomeFeed(store.db, p, systemId);
  const seen = new Map<string, number>();
  batch.rows.forEach((r, i) => {
    if (seen.has(r.recordId))
      throw new InputError(msg('monitor.duplicateRecordInBatch', { recordId: r.recordId }), [
        {
          field: `rows/${i}/recordId`,
          expected: `an id not already used in this batch (row ${seen.get(r.recordId)} has it)`,
          got: r.recordId,
        },
      ]);
    seen.set(r.recordId, i);
  });
  const receivedAt = new Date().toISOString(); // ms: compared with a resume's observation start
  const entry = await ledger.append({
    type: 'monitor.outcomes',
    actor: p.systemId === systemId ? systemRef(systemId) : `key:${p.id}`,
    subjects: [systemRef(systemId)],
    payload: { systemId, sourceId, keyId: p.id, receivedAt, ...batch },
  });
  const values = batch.rows.map((r) => ({
    system_id: systemId,
    period_start: `${batch.periodStart}T00:00:00Z`,
    kind: r.kind,
    area: r.area ?? null,
    group_name: r.group,
    count: r.count,
    denominator: r.denominator,
    reported_by: p.id ?? p.name,
    log_index: entry.index,
    source_id: sourceId,
    record_id: r.recordId,
    received_at: receivedAt,
  }));
  let accepted = 0;
  await store.db.transaction().execute(async (trx) => {
    for (let i = 0; i < values.length; i += 1000) {
      const ins = await trx
        .insertInto('outcomes')
        .values(values.slice(i, i + 1000))
        .onConflict((oc) => oc.columns(['system_id', 'source_id', 'record_id']).doNothing())
        .returning('id')
        .execute();
      accepted += ins.length;
    }
  });
  return {
    rows: batch.rows.length,
    accepted,
    duplicates: batch.rows.length - accepted,
    sourceId,
    logIndex: entry.index,
  };
}

export async function createMonitor(
  store: Store,
  ledger: Ledger,
  p: Principal,
  systemId: string,
  config: z.infer<typeof MonitorSchema>,
) {
  await getVersion(store.db, systemId);
  const id = `mon-${randomBytes(6).toString('hex')}`;
  await store.db
    .insertInto('monitors')
    .values({
      id,
      system_id: systemId,
      kind: config.kind,
      config: JSON.stringify(config),
      created_by: p.id!,
      created_at: nowIso(),
      active: 1,
    })
    .execute();
  await ledger.append({
    type: 'monitor.created',
    actor: userRef(p.id),
    subjects: [systemRef(systemId)],
    payload: { monitorId: id, systemId, ...config },
  });
  return id;
}

const MONITOR_ACTOR = 'system:counterweight-monitor';
/** The actor id an automatic pause is recorded under in the system's transitions. */
const MONITOR_ACTOR_ID = 'system:monitor';

/** Run every active monitor once. O(outcome rows in the windows + decisions + urgent alerts in the windows). */
export async function runMonitors(
  store: Store,
  ledger: Ledger,
  now = new Date(),
  urgency: UrgencyPolicy | null = null,
) {
  const monitors = await store.db.selectFrom('monitors').selectAll().where('active', '=', 1).execute();
  const results = [];
  for (const m of monitors) {
    const cfg = MonitorSchema.parse(JSON.parse(m.config));
    const windowStart = new Date(now.getTime() - cfg.windowDays * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    // After a resume the window starts afresh: the data behind the pause is not read again.
    const since = m.observe_from && m.observe_from > windowStart ? m.observe_from : windowStart;
    let evidence: Record<string, unknown>;
    let breached: boolean;
    if (cfg.kind === 'drift') {
      // The approved baseline: the hit rate the stored backtest measured for this model and window.
      const bt = await store.db
        .selectFrom('backtest_runs')
        .select('summary')
        .where('id', '=', cfg.backtestId)
        .executeTakeFirst();
      const totals = bt
        ? ((JSON.parse(bt.summary) as { totals?: { model: string; window: string; events: number; trials: number }[] })
            .totals ?? [])
        : [];
      const baseline = totals.find((t) => t.model === cfg.model && t.window === cfg.window) ?? { events: 0, trials: 0 };
      const current = await realizedHitRate(store.db, new Date(since), now, { model: cfg.model, window: cfg.window });
      const d = driftCheck(current, baseline, {
        maxRelativeChange: cfg.maxRelativeChange,
        minTrials: cfg.minTrials,
        alpha: cfg.alpha,
      });
      breached = d.status === 'breach';
      evidence = { ...d, current, baseline, config: cfg, since };
    } else if (cfg.kind === 'disparity') {
      let q = store.db
        .selectFrom('outcomes')
        .select(['group_name', 'count', 'denominator'])
        .where('system_id', '=', m.system_id)
        .where('kind', '=', cfg.outcome)
        .where('period_start', '>=', windowStart);
      if (m.observe_from) q = q.where('received_at', '>=', m.observe_from);
      const rows = await q.execute();
      // A group is judged once it has outcomes (minCount events) and a denominator; the same check as the audits'.
      const r = disparityCheck(
        rows.map((x) => ({ group: x.group_name, events: x.count, trials: x.denominator })),
        { maxRatio: cfg.ratioMax, alpha: cfg.alpha, minTrials: 1, minEvents: cfg.minCount },
      );
      breached = r.status === 'breach';
      evidence = { ...r, config: cfg, since };
    } else if (cfg.kind === 'response-time') {
      const policy = urgency ?? loadUrgencyPolicy();
      const stats = await responseStats(store, { systemId: m.system_id, kind: cfg.alertKind, since, now });
      const judged = stats.byKindAndUnit.reduce((n, r) => n + r.judged, 0);
      const met = stats.byKindAndUnit.reduce((n, r) => n + r.metAcknowledgeTarget, 0);
      const r = responseTimeCheck(met, judged, cfg);
      breached = r.status === 'breach';
      const urgencyName = policy.kinds[cfg.alertKind];
      evidence = {
        ...r,
        met,
        judged,
        share: r.statistic,
        config: cfg,
        since,
        urgency: urgencyName,
        target: policy.urgencies[urgencyName].acknowledgeWithinSeconds,
        pauses: policy.urgencies[urgencyName].pauseOnMissedTarget,
        byUnit: stats.byKindAndUnit.map((x) => ({ unit: x.unit, judged: x.judged, met: x.metAcknowledgeTarget })),
        escalations: stats.escalations.length,
      };
    } else {
      // On a reader thread: the join walks every alert of the system (its index), for as long as they are kept.
      const [rows] = await readRows(
        store,
        store.db
          .selectFrom('decisions')
          .innerJoin('alerts', 'alerts.id', 'decisions.alert_id')
          .select('decisions.outcome')
          .where('alerts.system_id', '=', m.system_id)
          .where('decisions.decided_at', '>=', since)
          .where('decisions.outcome', '!=', 'expired'),
      );
      const overrides = rows.filter((x) => x.outcome === 'not-acted' || x.outcome === 'false-positive').length;
      const r = overrideCheck(overrides, rows.length, cfg);
      breached = r.status === 'breach';
      evidence = { ...r, config: cfg, since };
    }
    let paused = false;
    let logIndex = -1;
    if (breached) {
      const entry = await ledger.append({
        type: 'monitor.breach',
        actor: MONITOR_ACTOR,
        subjects: [systemRef(m.system_id)],
        payload: { monitorId: m.id, systemId: m.system_id, evidence },
      });
      logIndex = entry.index;
      const live = await liveVersion(store.db, m.system_id);
      if (cfg.kind === 'response-time' && evidence.pauses === false) {
        // A life-safety kind is never paused for missing its target (that would miss every alert);
        // the breach is published and oversight notified instead, at most once a day per monitor.
        await flagResponseBreach(store, ledger, m.system_id, m.id, cfg.alertKind, evidence, entry.index, now);
      } else if (live?.state === 'active') {
        await recordTransition(
          store,
          ledger,
          MONITOR_ACTOR,
          MONITOR_ACTOR_ID,
          live,
          'paused',
          `automatic pause: ${m.kind} monitor ${m.id} breached`,
          { monitorId: m.id },
        );
        paused = true;
        await publishIncident(store, ledger, m.system_id, m.id, cfg.kind, evidence, entry.index);
      }
    }
    await store.db
      .insertInto('monitor_events')
      .values({
        monitor_id: m.id,
        system_id: m.system_id,
        at: nowIso(now),
        breached: breached ? 1 : 0,
        evidence: JSON.stringify(evidence),
        log_index: logIndex,
      })
      .execute();
    results.push({ monitorId: m.id, systemId: m.system_id, breached, paused, evidence });
  }
  return results;
}

async function publishIncident(
  store: Store,
  ledger: Ledger,
  systemId: string,
  monitorId: string,
  kind: string,
  evidence: Record<string, unknown>,
  breachIndex: number,
) {
  const sys = await store.db.selectFrom('ai_systems').selectAll().where('id', '=', systemId).executeTakeFirstOrThrow();
  const title = `${sys.name} paused automatically: ${kind} monitor breached`;
  const summary = typeof evidence.summary === 'string' ? ` ${evidence.summary}.` : '';
  const body = `The ${kind} monitor ${monitorId} found outcomes outside the approved bounds.${summary} Alerts from this system are refused until oversight reviews the evidence and records a reason to resume. Log entry #${breachIndex}.`;
  const entry = await ledger.append({
    type: 'monitor.incident-note',
    actor: MONITOR_ACTOR,
    subjects: [systemRef(systemId)],
    payload: { systemId, title, body },
  });
  await store.db
    .insertInto('incident_notes')
    .values({ system_id: systemId, at: nowIso(), title, body, log_index: entry.index })
    .execute();
  const oversight = (await store.db.selectFrom('users').select(['id', 'roles']).execute())
    .filter((u) => (JSON.parse(u.roles) as string[]).includes('oversight'))
    .map((u) => u.id);
  for (const userId of new Set([sys.owner_id, ...oversight])) {
    await store.db
      .insertInto('notifications')
      .values({ user_id: userId, at: nowIso(), subject: title, body, read_at: null })
      .execute();
  }
}

type CheckEvidence = { status?: string; statistic?: number | null; threshold?: number; summary?: string };
const checkOf = (e: { at: string; breached: number; evidence: string; log_index: number }) => {
  const ev = JSON.parse(e.evidence) as CheckEvidence;
  return {
    at: e.at,
    breached: e.breached === 1,
    status: ev.status ?? (e.breached ? 'breach' : 'ok'),
    statistic: ev.statistic ?? null,
    threshold: ev.threshold ?? null,
    summary: ev.summary ?? null,
    logIndex: e.log_index,
  };
};

/**
 * Every monitor with its latest check and its last breaches, each with the automatic pause it caused
 * (the pause transition the run recorded after that breach's log entry), for oversight's page.
 * O(monitors) small queries, each reading at most `breaches` + 1 events by index.
 */
export async function listMonitors(db: Executor, breaches = 5) {
  const monitors = await db.selectFrom('monitors').selectAll().orderBy('created_at', 'desc').execute();
  const out = [];
  for (const m of monitors) {
    const latest = await db
      .selectFrom('monitor_events')
      .selectAll()
      .where('monitor_id', '=', m.id)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    const breached = await db
      .selectFrom('monitor_events')
      .selectAll()
      .where('monitor_id', '=', m.id)
      .where('breached', '=', 1)
      .orderBy('id', 'desc')
      .limit(breaches)
      .execute();
    const withPause = [];
    for (const b of breached) {
      const pause = await db
        .selectFrom('system_transitions')
        .select(['at', 'log_index'])
        .where('system_id', '=', m.system_id)
        .where('actor_id', '=', MONITOR_ACTOR_ID)
        .where('to_state', '=', 'paused')
        .where('reason', '=', `automatic pause: ${m.kind} monitor ${m.id} breached`)
        .where('log_index', '>', b.log_index)
        .orderBy('log_index')
        .limit(1)
        .executeTakeFirst();
      withPause.push({ ...checkOf(b), pause: pause ? { at: pause.at, logIndex: pause.log_index } : null });
    }
    out.push({
      id: m.id,
      systemId: m.system_id,
      kind: m.kind,
      config: JSON.parse(m.config) as Record<string, unknown>,
      createdAt: m.created_at,
      active: m.active === 1,
      latest: latest ? checkOf(latest) : null,
      breaches: withPause,
    });
  }
  return out;
}

/** The published incident notes (automatic pauses and why), newest first. */
export async function incidentNotes(db: Executor, limit = 200) {
  return db.selectFrom('incident_notes').selectAll().orderBy('id', 'desc').limit(limit).execute();
}

/** One person's notifications, newest first. */
export async function notificationsOf(db: Executor, userId: string, limit = 200) {
  return db
    .selectFrom('notifications')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Publish a response-time breach that does not pause: an incident note and a notice to the owner and oversight. */
async function flagResponseBreach(
  store: Store,
  ledger: Ledger,
  systemId: string,
  monitorId: string,
  alertKind: string,
  evidence: Record<string, unknown>,
  breachIndex: number,
  now: Date,
) {
  const sys = await store.db.selectFrom('ai_systems').selectAll().where('id', '=', systemId).executeTakeFirstOrThrow();
  const title = render(msg('urgent.responseBreachTitle', { system: sys.name, kind: alertKind }), 'en');
  const dayAgo = nowIso(new Date(now.getTime() - 86_400_000));
  const recent = await store.db
    .selectFrom('incident_notes')
    .select('id')
    .where('system_id', '=', systemId)
    .where('title', '=', title)
    .where('at', '>', dayAgo)
    .limit(1)
    .executeTakeFirst();
  if (recent) return;
  const cfg = evidence.config as { minShare: number };
  const body = render(
    msg('urgent.responseBreachBody', {
      met: Number(evidence.met),
      judged: Number(evidence.judged),
      kind: alertKind,
      share: Math.round(Number(evidence.share) * 100),
      target: String(evidence.target ?? '-'),
      min: Math.round(cfg.minShare * 100),
      consequence: render(msg('urgent.notPausedLifeSafety'), 'en'),
      logIndex: breachIndex,
    }),
    'en',
  );
  const entry = await ledger.append({
    type: 'monitor.incident-note',
    actor: MONITOR_ACTOR,
    subjects: [systemRef(systemId)],
    payload: { systemId, monitorId, title, body },
  });
  await store.db
    .insertInto('incident_notes')
    .values({ system_id: systemId, at: nowIso(now), title, body, log_index: entry.index })
    .execute();
  const oversight = (await store.db.selectFrom('users').select(['id', 'roles']).execute())
    .filter((u) => (JSON.parse(u.roles) as string[]).includes('oversight'))
    .map((u) => u.id);
  for (const userId of new Set([sys.owner_id, ...oversight])) {
    await store.db
      .insertInto('notifications')
      .values({ user_id: userId, at: nowIso(now), subject: title, body, read_at: null })
      .execute();
  }
}

export function parseMonitor(body: unknown) {
  const r = MonitorSchema.safeParse(body);
  if (!r.success)
    throw new InputError(
      msg('monitor.invalid'),
      r.error.issues.map((i) => ({ field: i.path.join('.') || 'kind', expected: i.message })),
    );
  return r.data;
}
