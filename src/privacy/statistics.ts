/**
 * Public statistics with differential privacy: counts of incidents (by area and month) and of alerts
 * and whether people followed them (by unit and month) and of outcomes (stops, searches, arrests, use
 * of force, complaints by group and month), each table noised with the two-sided geometric
 * mechanism, small noisy cells suppressed, 95% margins published, and the release's total privacy
 * budget written to the transparency log. The incident sources must allow the public-statistics purpose.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Ledger } from '../ledger-service/ledger';
import { nowIso, type Store } from '../store/db';
import { releaseBudget, releaseTable, type CellIn, type NoiseSource } from './dp';
import { requirePurpose } from './sources';

export interface ReleaseOptions {
  epsilonPerTable: number;
  suppressBelow: number;
  /** For reproducible tests only; publication uses cryptographic noise. */
  rng?: NoiseSource;
}

export async function publishRelease(store: Store, ledger: Ledger, actor: string, opts: ReleaseOptions) {
  const db = store.db;
  const month = (col: string) => (store.dialect === 'sqlite' ? sql<string>`substr(${sql.ref(col)}, 1, 7)` : sql<string>`substring(${sql.ref(col)} from 1 for 7)`);
  const sources = (await db.selectFrom('incidents').select('source').distinct().execute()).map((r) => r.source);
  for (const src of sources) await requirePurpose(store, ledger, actor, src, 'public-statistics', 'statistics release');

  const incidents = await db.selectFrom('incidents').select([(eb) => eb.fn.coalesce('area', sql<string>`'unknown'`).as('area'), month('occurred_at').as('month'), 'origin', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['area', sql`2`, 'origin']).execute();
  const alerts = await db.selectFrom('alerts').leftJoin('decisions', 'decisions.alert_id', 'alerts.id')
    .select(['alerts.unit', month('alerts.received_at').as('month'), (eb) => eb.fn.coalesce('decisions.outcome', sql<string>`'pending'`).as('outcome'), (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['alerts.unit', sql`2`, sql`3`]).execute();
  const outcomes = await db.selectFrom('outcomes').select(['kind', 'group_name', month('period_start').as('month'), (eb) => eb.fn.sum<number>('count').as('n')])
    .groupBy(['kind', 'group_name', sql`3`]).execute();
  const cells = (rows: Record<string, unknown>[], keys: string[]): CellIn[] => rows.map((r) => ({ key: Object.fromEntries(keys.map((k) => [k, String(r[k])])), count: Number(r.n) }));
  const o = { epsilon: opts.epsilonPerTable, suppressBelow: opts.suppressBelow, rng: opts.rng };
  const tables = [
    releaseTable('incidents-by-area-month-origin', cells(incidents, ['area', 'month', 'origin']), o),
    releaseTable('alerts-by-unit-month-outcome', cells(alerts, ['unit', 'month', 'outcome']), o),
    releaseTable('outcomes-by-kind-month-group', cells(outcomes, ['kind', 'group_name', 'month']), o),
  ];
  const epsilonTotal = releaseBudget(tables);
  const id = `rel-${randomBytes(6).toString('hex')}`;
  const entry = await ledger.append({
    type: 'statistics.release', actor, subjects: [`release:${id}`],
    payload: { id, epsilonTotal, tables: tables.map((t) => ({ name: t.name, epsilon: t.epsilon, sensitivity: t.sensitivity, suppressBelow: t.suppressBelow, margin95: t.margin95, cells: t.cells.length })) },
  });
  await db.insertInto('statistics_releases').values({ id, created_at: nowIso(), created_by: actor, epsilon_total: epsilonTotal, tables: JSON.stringify(tables), log_index: entry.index }).execute();
  return { id, epsilonTotal, logIndex: entry.index, tables };
}

export async function listReleases(store: Store) {
  const rows = await store.db.selectFrom('statistics_releases').select(['id', 'created_at', 'epsilon_total', 'log_index']).orderBy('created_at', 'desc').execute();
  return rows.map((r) => ({ id: r.id, createdAt: r.created_at, epsilonTotal: r.epsilon_total, logIndex: r.log_index }));
}

export async function getRelease(store: Store, id: string) {
  const r = await store.db.selectFrom('statistics_releases').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? { id: r.id, createdAt: r.created_at, epsilonTotal: r.epsilon_total, logIndex: r.log_index, tables: JSON.parse(r.tables) } : undefined;
}
