/**
 * Proxy detection for a system version: a feature table (CSV, one row per case, the protected attribute
 * in its own column) is checked feature by feature (bias-corrected Cramér's V, correlation ratio, mutual
 * information) and jointly (cross-validated AUC of predicting the protected attribute). Stored as an
 * audit of kind 'proxy-detection', logged; its flagged features are shown with the version's model card.
 */
import { createHash } from 'node:crypto';
import { readCsvUpload, refuseBadRows } from './csv-upload';
import type { Principal } from '../accounts/accounts';
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import { detectProxies, proxyModelCardRows, type ProxyRow } from '../fairness';
import { userRef } from '../ledger-service/events';
import type { Ledger } from '../ledger-service/ledger';
import { getVersion, systemRef } from '../registry/register';
import { nowIso, type Store } from '../store/db';

export interface ProxyRequest {
  protectedColumn: string;
  features: string[];
  cramersV?: number;
  eta?: number;
  auc?: number;
}

/** Rows of the upload: the protected value and the named features (numbers where every value is one). O(rows × features). */
export function proxyRowsFromCsv(csv: string, req: ProxyRequest, file = 'upload'): ProxyRow[] {
  const { header, data, column: col } = readCsvUpload(csv, file);
  const pi = col(req.protectedColumn);
  const fi = req.features.map((f) => [f, col(f)] as const);
  const numeric = new Map(
    fi.map(([f, j]) => [
      f,
      data.every((r) => r[j] === undefined || r[j].trim() === '' || Number.isFinite(Number(r[j]))),
    ]),
  );
  const problems = [];
  const rows: ProxyRow[] = [];
  for (let i = 0; i < data.length; i++) {
    const r = data[i];
    if (r.length !== header.length) {
      problems.push({ file, row: i + 2, expected: `${header.length} fields`, got: String(r.length) });
      continue;
    }
    const g = r[pi]?.trim();
    if (!g) {
      problems.push({
        file,
        row: i + 2,
        field: req.protectedColumn,
        expected: 'a protected-attribute value (rows without one cannot be tested)',
      });
      continue;
    }
    rows.push({
      protected: g,
      features: Object.fromEntries(
        fi.map(([f, j]) => [f, r[j]?.trim() === '' ? null : numeric.get(f) ? Number(r[j]) : r[j].trim()]),
      ),
    });
  }
  refuseBadRows(file, problems, rows.length);
  if (rows.length < 20)
    throw new InputError(msg('monitor.proxyTooFewRows', { file, rows: rows.length }), [
      { file, expected: 'at least 20 rows to estimate associations' },
    ]);
  return rows;
}

export async function runProxyAudit(
  store: Store,
  ledger: Ledger,
  p: Principal,
  systemId: string,
  version: number,
  csv: string,
  req: ProxyRequest,
) {
  await getVersion(store.db, systemId, version);
  if (req.features.includes(req.protectedColumn))
    throw new InputError(msg('monitor.protectedIsFeature'), [
      { field: 'features', expected: `features other than ${req.protectedColumn}` },
    ]);
  const rows = proxyRowsFromCsv(csv, req);
  const report = detectProxies(rows, req.features, {
    cramersV: req.cramersV ?? 0.3,
    eta: req.eta ?? 0.3,
    auc: req.auc ?? 0.7,
  });
  const card = proxyModelCardRows(report);
  const flagged = card
    .filter((r) => r.flagged)
    .map((r) => ({ feature: r.feature, reason: `${r.statistic} ${r.value.toFixed(3)} ≥ ${r.threshold}` }));
  const sha = createHash('sha256').update(csv).digest('hex');
  const full = {
    kind: 'proxy-detection',
    request: req,
    flagged,
    modelCardRows: card,
    ...report,
    failures: flagged.map((f) => `${f.feature}: ${f.reason}`),
  };
  const entry = await ledger.append({
    type: 'audit.proxy-detection',
    actor: userRef(p.id),
    subjects: [systemRef(systemId)],
    payload: { systemId, version, inputsSha256: sha, flagged },
  });
  const r = await store.db
    .insertInto('audits')
    .values({
      system_id: systemId,
      version,
      kind: 'proxy-detection',
      passed: flagged.length ? 0 : 1,
      report: JSON.stringify(full),
      inputs_sha256: sha,
      run_by: p.id!,
      run_at: nowIso(),
      published: 0,
      log_index: entry.index,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: Number(r.id), flagged, jointAuc: report.jointAucMax, rows: report.rows, logIndex: entry.index };
}
