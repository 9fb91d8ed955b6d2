/**
 * Running a person-level audit for a registered system: read a CSV of decisions and outcomes, audit,
 * store the report with its inputs' hash, log it, and (by oversight) publish it to the register.
 * The register's activation gate reads the latest audit of the system.
 */
import { createHash } from 'node:crypto';
import Papa from 'papaparse';
import type { Principal } from '../accounts/accounts';
import { InputError, NotFoundError } from '../domain/errors';
import { userRef } from '../ledger-service/events';
import type { Ledger } from '../ledger-service/ledger';
import { getVersion, systemRef } from '../registry/service';
import { nowIso, type Store } from '../store/db';
import { personAudit, type AuditRow, type Metric } from '../fairness/person-audit';

export interface AuditRequest {
  predictedColumn: string;
  /** Values of the predicted column that mean "flagged" (e.g. Medium, High). */
  positiveValues: string[];
  labelColumn: string;
  /** Values of the label column that mean the outcome happened (e.g. 1). */
  labelPositive: string[];
  groupColumns: string[];
  reference?: string;
  /** Metrics whose disparity decides pass/fail (default: FPR, FNR, PPR). */
  metrics?: Metric[];
}

export function rowsFromCsv(csv: string, req: AuditRequest, file = 'upload'): AuditRow[] {
  const parsed = Papa.parse<string[]>(csv, { skipEmptyLines: 'greedy', delimiter: ',' });
  if (parsed.errors.some((e) => e.type === 'Quotes')) throw new InputError(`${file} is not valid CSV`, [{ file, row: (parsed.errors[0].row ?? 0) + 1, expected: 'balanced quotes' }]);
  const [header, ...data] = parsed.data;
  if (!header) throw new InputError(`${file} is empty`, [{ file, expected: 'a header row and data rows' }]);
  const idx = (c: string) => {
    const i = header.map((h) => h.trim()).indexOf(c); // first occurrence: COMPAS repeats some names
    if (i < 0) throw new InputError(`${file} has no column "${c}"`, [{ file, row: 1, field: c, expected: `a column named ${c}` }]);
    return i;
  };
  const p = idx(req.predictedColumn);
  const l = idx(req.labelColumn);
  const gs = req.groupColumns.map((g) => [g, idx(g)] as const);
  const problems = [];
  const rows: AuditRow[] = [];
  for (let i = 0; i < data.length; i++) {
    const r = data[i];
    if (r.length !== header.length) { problems.push({ file, row: i + 2, expected: `${header.length} fields`, got: `${r.length}` }); continue; }
    rows.push({ predicted: req.positiveValues.includes(r[p]) ? 1 : 0, label: req.labelPositive.includes(r[l]) ? 1 : 0, groups: Object.fromEntries(gs.map(([g, j]) => [g, r[j]?.trim() || null])) });
  }
  if (problems.length) throw new InputError(`${file}: ${problems.length} malformed row(s)`, problems.slice(0, 100));
  if (rows.length === 0) throw new InputError(`${file} has no data rows`, [{ file, expected: 'at least one row' }]);
  return rows;
}

export async function runAudit(store: Store, ledger: Ledger, p: Principal, systemId: string, version: number, csv: string, req: AuditRequest) {
  await getVersion(store.db, systemId, version);
  const rows = rowsFromCsv(csv, req);
  const report = personAudit(rows, { attributes: req.groupColumns, intersections: req.groupColumns.length > 1, reference: req.reference ? { mode: 'named', group: req.reference } : { mode: 'largest' } });
  const decisive = new Set(req.metrics ?? ['FPR', 'FNR', 'PPR']);
  const failures = report.dimensions.flatMap((d) => d.disparities.filter((x) => decisive.has(x.metric)).flatMap((x) => x.groups.filter((g) => g.verdict === 'fail').map((g) => `${d.attributes.join(' × ')}: ${g.group} ${x.metric} ratio ${g.ratio?.toFixed(2)} vs ${x.reference}`)));
  const passed = failures.length === 0;
  const sha = createHash('sha256').update(csv).digest('hex');
  const full = { kind: 'person-level', request: req, passed, failures, ...report };
  const entry = await ledger.append({ type: 'audit.completed', actor: userRef(p.id), subjects: [systemRef(systemId)], payload: { systemId, version, inputsSha256: sha, passed, failures, total: report.total } });
  const r = await store.db.insertInto('audits').values({ system_id: systemId, version, kind: 'person-level', passed: passed ? 1 : 0, report: JSON.stringify(full), inputs_sha256: sha, run_by: p.id!, run_at: nowIso(), published: 0, log_index: entry.index }).returning('id').executeTakeFirstOrThrow();
  return { id: r.id, passed, failures, logIndex: entry.index };
}

export async function publishAudit(store: Store, ledger: Ledger, p: Principal, id: number) {
  const a = await store.db.selectFrom('audits').selectAll().where('id', '=', id).executeTakeFirst();
  if (!a) throw new NotFoundError(`no audit ${id}`);
  await store.db.updateTable('audits').set({ published: 1 }).where('id', '=', id).execute();
  await ledger.append({ type: 'audit.published', actor: userRef(p.id), subjects: [systemRef(a.system_id)], payload: { auditId: id, systemId: a.system_id, passed: a.passed === 1 } });
}

export async function getAudit(store: Store, p: Principal, id: number) {
  const a = await store.db.selectFrom('audits').selectAll().where('id', '=', id).executeTakeFirst();
  if (!a || (!a.published && !p.roles.includes('oversight'))) throw new NotFoundError(`no published audit ${id}`);
  return { id: a.id, systemId: a.system_id, version: a.version, kind: a.kind, passed: a.passed === 1, runAt: a.run_at, inputsSha256: a.inputs_sha256, published: a.published === 1, logIndex: a.log_index, report: JSON.parse(a.report) };
}
