/**
 * Public statistics with differential privacy: counts of incidents (by area and month) and of alerts
 * and whether people followed them (by unit and month) and of outcomes (stops, searches, arrests, use
 * of force, complaints by group and month), each table noised with the two-sided geometric
 * mechanism, small noisy cells suppressed, 95% margins published, and the release's total privacy
 * budget written to the transparency log. The incident sources must allow the public-statistics purpose.
 *
 * Budget (config/privacy-budget.json, see budget.ts): every table has a total ε per budget period;
 * a release covering a data period is charged, per table, in every budget period it overlaps. The
 * charge and the release row are written in ONE transaction with conditional updates, so concurrent
 * releases cannot overspend. Noise is drawn before the charge; a refused release is never shown.
 *
 * Known limit: a table's cells are the key combinations present in the data (GROUP BY), so a listed
 * (even suppressed) cell shows that at least one record exists there. Pure ε-DP would need a public,
 * data-independent cell domain (every area × month × origin, every unit, every group).
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { InputError, StateError, preview } from '../domain/errors';
import { msg } from '../domain/messages';
import type { Ledger } from '../ledger-service/ledger';
import { nowIso, type Store } from '../store/db';
import { readRows } from '../store/read-thread';
import {
  budgetPeriodsOf,
  checkPeriod,
  checkReleaseRequest,
  loadPrivacyPolicy,
  monthAfter,
  MICRO,
  type PrivacyPolicy,
} from './budget';
import { releaseBudget, releaseTable, type CellIn, type NoiseSource, type TableRelease } from './dp';
import { requirePurpose } from './sources';

export const STATISTICS_TABLES = [
  'incidents-by-area-month-origin',
  'alerts-by-unit-month-outcome',
  'outcomes-by-kind-month-group',
] as const;
export type StatisticsTable = (typeof STATISTICS_TABLES)[number];

/** Read once at start, like the other policy files; tests pass their own. */
let defaultPolicy: PrivacyPolicy | undefined;
export function privacyPolicy(): PrivacyPolicy {
  return (defaultPolicy ??= loadPrivacyPolicy());
}

export interface ReleaseOptions {
  epsilonPerTable: number;
  suppressBelow?: number;
  /** Months of data released (inclusive); default: every month that holds data in the chosen tables. */
  period?: { from: string; to: string };
  /** Which tables to release; default all. Only these are charged. */
  tables?: string[];
  /** For reproducible tests only; publication uses cryptographic noise. */
  rng?: NoiseSource;
  policy?: PrivacyPolicy;
}

const fmt = (micro: number) => String(micro / MICRO);

export async function publishRelease(store: Store, ledger: Ledger, actor: string, opts: ReleaseOptions) {
  const policy = opts.policy ?? privacyPolicy();
  const { epsilonMicro, suppressBelow } = checkReleaseRequest(opts, policy);
  const names = checkTables(opts.tables);
  const db = store.db;
  const period = opts.period ? checkPeriod(opts.period) : await dataSpan(store, names);
  const start = `${period.from}-01`;
  const end = monthAfter(period.to);

  // substr(text, start, count) is the same function on SQLite and PostgreSQL.
  const month = (col: string) => sql<string>`substr(${sql.ref(col)}, 1, 7)`;
  const cells = (rows: Record<string, unknown>[], keys: string[]): CellIn[] =>
    rows.map((r) => ({ key: Object.fromEntries(keys.map((k) => [k, String(r[k])])), count: Number(r.n) }));
  const o = { epsilon: epsilonMicro / MICRO, suppressBelow, rng: opts.rng };
  const tables: TableRelease[] = [];
  if (names.includes('incidents-by-area-month-origin')) {
    // A whole-period aggregate reads most of the table: compared as `x || ''`, which no index serves, SQLite
    // scans it (500,000 incidents: 0.4-1.2 s) instead of looking up every row through the time or source
    // index (3-6 s). The sources and the counts come from one snapshot, so every counted source is checked.
    const inPeriod = sql<string>`(occurred_at || '')`;
    const [sourceRows, incidents] = await readRows(
      store,
      db
        .selectFrom('incidents')
        .select(sql<string>`source || ''`.as('source'))
        .distinct()
        .where(inPeriod, '>=', start)
        .where(inPeriod, '<', end),
      db
        .selectFrom('incidents')
        .select([
          (eb) => eb.fn.coalesce('area', sql<string>`'unknown'`).as('area'),
          month('occurred_at').as('month'),
          'origin',
          (eb) => eb.fn.countAll<number>().as('n'),
        ])
        .where(inPeriod, '>=', start)
        .where(inPeriod, '<', end)
        .groupBy(['area', sql`2`, 'origin']),
    );
    for (const { source } of sourceRows)
      await requirePurpose(store, ledger, actor, source, 'public-statistics', 'statistics release');
    tables.push(releaseTable('incidents-by-area-month-origin', cells(incidents, ['area', 'month', 'origin']), o));
  }
  if (names.includes('alerts-by-unit-month-outcome')) {
    const [alerts] = await readRows(
      store,
      db
        .selectFrom('alerts')
        .leftJoin('decisions', 'decisions.alert_id', 'alerts.id')
        .select([
          'alerts.unit',
          month('alerts.received_at').as('month'),
          (eb) => eb.fn.coalesce('decisions.outcome', sql<string>`'pending'`).as('outcome'),
          (eb) => eb.fn.countAll<number>().as('n'),
        ])
        .where(sql<string>`(alerts.received_at || '')`, '>=', start)
        .where(sql<string>`(alerts.received_at || '')`, '<', end)
        .groupBy(['alerts.unit', sql`2`, sql`3`]),
    );
    tables.push(releaseTable('alerts-by-unit-month-outcome', cells(alerts, ['unit', 'month', 'outcome']), o));
  }
  if (names.includes('outcomes-by-kind-month-group')) {
    const [outcomes] = await readRows(
      store,
      db
        .selectFrom('outcomes')
        .select(['kind', 'group_name', month('period_start').as('month'), (eb) => eb.fn.sum<number>('count').as('n')])
        .where('period_start', '>=', start)
        .where('period_start', '<', end)
        .groupBy(['kind', 'group_name', sql`3`]),
    );
    tables.push(releaseTable('outcomes-by-kind-month-group', cells(outcomes, ['kind', 'group_name', 'month']), o));
  }
  const epsilonTotal = releaseBudget(tables);
  const budgetPeriods = budgetPeriodsOf(period, policy.budgetPeriod);
  const limitMicro = Math.round(policy.epsilonPerTablePerPeriod * MICRO);
  const id = `rel-${randomBytes(6).toString('hex')}`;

  // One transaction: charge every (table, budget period) only if it still fits, then record the release.
  // The conditional UPDATE is atomic on both databases (PostgreSQL re-checks its WHERE on the locked row).
  // O(tables × budget periods) statements.
  await db.transaction().execute(async (trx) => {
    for (const t of names) {
      for (const bp of budgetPeriods) {
        await trx
          .insertInto('privacy_budget')
          .values({ table_name: t, period: bp, spent_micro: 0 })
          .onConflict((oc) => oc.columns(['table_name', 'period']).doNothing())
          .execute();
        const upd = await trx
          .updateTable('privacy_budget')
          .set((eb) => ({ spent_micro: eb('spent_micro', '+', epsilonMicro) }))
          .where('table_name', '=', t)
          .where('period', '=', bp)
          .where((eb) => eb(eb('spent_micro', '+', epsilonMicro), '<=', limitMicro))
          .executeTakeFirst();
        if (Number(upd.numUpdatedRows) !== 1) {
          const row = await trx
            .selectFrom('privacy_budget')
            .select('spent_micro')
            .where('table_name', '=', t)
            .where('period', '=', bp)
            .executeTakeFirst();
          throw new StateError(
            msg('privacy.budgetSpent', {
              table: t,
              period: bp,
              spent: fmt(Number(row?.spent_micro ?? 0)),
              budget: fmt(limitMicro),
              needed: fmt(epsilonMicro),
            }),
          );
        }
      }
    }
    // log_index −1 until the log entry is durable: listed and served only once logged.
    await trx
      .insertInto('statistics_releases')
      .values({
        id,
        created_at: nowIso(),
        created_by: actor,
        epsilon_total: epsilonTotal,
        tables: JSON.stringify(tables),
        log_index: -1,
        period_from: period.from,
        period_to: period.to,
      })
      .execute();
  });
  const entry = await ledger.append({
    type: 'statistics.release',
    actor,
    subjects: [`release:${id}`],
    payload: {
      id,
      epsilonTotal,
      period,
      budgetPeriods,
      tables: tables.map((t) => ({
        name: t.name,
        epsilon: t.epsilon,
        sensitivity: t.sensitivity,
        suppressBelow: t.suppressBelow,
        margin95: t.margin95,
        cells: t.cells.length,
      })),
    },
  });
  await db.updateTable('statistics_releases').set({ log_index: entry.index }).where('id', '=', id).execute();
  return { id, epsilonTotal, period, logIndex: entry.index, tables };
}

function checkTables(tables: unknown): StatisticsTable[] {
  if (tables === undefined) return [...STATISTICS_TABLES];
  if (!Array.isArray(tables) || tables.length === 0)
    throw new InputError(msg('privacy.unknownTable', { got: preview(tables), tables: STATISTICS_TABLES.join(', ') }), [
      { field: 'tables', expected: `a non-empty list of ${STATISTICS_TABLES.join(', ')}`, got: preview(tables) },
    ]);
  tables.forEach((t, i) => {
    if (!STATISTICS_TABLES.includes(t))
      throw new InputError(msg('privacy.unknownTable', { got: preview(t), tables: STATISTICS_TABLES.join(', ') }), [
        { field: `tables.${i}`, expected: `one of ${STATISTICS_TABLES.join(', ')}`, got: preview(t) },
      ]);
  });
  return STATISTICS_TABLES.filter((t) => tables.includes(t));
}

/** The months holding data in the chosen tables (this month when there is none). */
async function dataSpan(store: Store, names: StatisticsTable[]): Promise<{ from: string; to: string }> {
  const spans: { lo: string | null; hi: string | null }[] = [];
  const db = store.db;
  if (names.includes('incidents-by-area-month-origin'))
    spans.push(
      await db
        .selectFrom('incidents')
        .select((eb) => [eb.fn.min('occurred_at').as('lo'), eb.fn.max('occurred_at').as('hi')])
        .executeTakeFirstOrThrow(),
    );
  if (names.includes('alerts-by-unit-month-outcome'))
    spans.push(
      await db
        .selectFrom('alerts')
        .select((eb) => [eb.fn.min('received_at').as('lo'), eb.fn.max('received_at').as('hi')])
        .executeTakeFirstOrThrow(),
    );
  if (names.includes('outcomes-by-kind-month-group'))
    spans.push(
      await db
        .selectFrom('outcomes')
        .select((eb) => [eb.fn.min('period_start').as('lo'), eb.fn.max('period_start').as('hi')])
        .executeTakeFirstOrThrow(),
    );
  const los = spans
    .map((s) => s.lo)
    .filter((x): x is string => !!x)
    .map((x) => x.slice(0, 7));
  const his = spans
    .map((s) => s.hi)
    .filter((x): x is string => !!x)
    .map((x) => x.slice(0, 7));
  const now = nowIso().slice(0, 7);
  return { from: los.length ? los.sort()[0] : now, to: his.length ? his.sort()[his.length - 1] : now };
}

/** Budget spent and remaining, per table and budget period: public, so anyone can see what was spent. */
export async function budgetStatus(store: Store, policy: PrivacyPolicy = privacyPolicy()) {
  const rows = await store.db
    .selectFrom('privacy_budget')
    .selectAll()
    .orderBy('period')
    .orderBy('table_name')
    .execute();
  const limitMicro = Math.round(policy.epsilonPerTablePerPeriod * MICRO);
  return {
    policy: {
      budgetPeriod: policy.budgetPeriod,
      epsilonPerTablePerPeriod: policy.epsilonPerTablePerPeriod,
      minEpsilonPerTableRelease: policy.minEpsilonPerTableRelease,
      maxEpsilonPerTableRelease: policy.maxEpsilonPerTableRelease,
      suppressBelowFloor: policy.suppressBelowFloor,
      composition: 'sequential over releases whose data periods overlap a budget period, per table',
    },
    spent: rows.map((r) => ({
      table: r.table_name,
      period: r.period,
      epsilonSpent: Number(r.spent_micro) / MICRO,
      epsilonRemaining: Math.max(0, limitMicro - Number(r.spent_micro)) / MICRO,
    })),
  };
}

export async function listReleases(store: Store) {
  const rows = await store.db
    .selectFrom('statistics_releases')
    .select(['id', 'created_at', 'epsilon_total', 'log_index', 'period_from', 'period_to'])
    .where('log_index', '>=', 0)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.created_at,
    epsilonTotal: r.epsilon_total,
    logIndex: r.log_index,
    period: r.period_from ? { from: r.period_from, to: r.period_to } : null,
  }));
}

export async function getRelease(store: Store, id: string) {
  const r = await store.db
    .selectFrom('statistics_releases')
    .selectAll()
    .where('id', '=', id)
    .where('log_index', '>=', 0)
    .executeTakeFirst();
  return r
    ? {
        id: r.id,
        createdAt: r.created_at,
        epsilonTotal: r.epsilon_total,
        logIndex: r.log_index,
        period: r.period_from ? { from: r.period_from, to: r.period_to } : null,
        tables: JSON.parse(r.tables),
      }
    : undefined;
}
