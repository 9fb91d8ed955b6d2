/**
 * Proxy detection for a system version: a feature table (CSV, one row per case, the protected attribute
 * in its own column) is checked feature by feature (bias-corrected Cramér's V, correlation ratio, mutual
 * information) and jointly (cross-validated AUC of predicting the protected attribute). Stored as an
 * audit of kind 'proxy-detection', logged; its flagged features are shown with the version's model card.
 */
import { proxyRowsFromCsv, type ProxyRequest } from './audit-rows';
import { proxyAuditOnThread } from './audit-thread';
import type { Principal } from '../accounts/accounts';
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import { proxyModelCardRows } from '../fairness';
import { userRef } from '../ledger-service/events';
import type { Ledger } from '../ledger-service/ledger';
import { getVersion, systemRef } from '../registry/register';
import { nowIso, type Store } from '../store/db';

export type { ProxyRequest };
export { proxyRowsFromCsv };

export async function runProxyAudit(
  store: Store,
  ledger: Ledger,
  p: Principal,
  systemId: string,
  version: number,
  csv: string | Uint8Array,
  req: ProxyRequest,
) {
  await getVersion(store.db, systemId, version);
  if (req.features.includes(req.protectedColumn))
    throw new InputError(msg('monitor.protectedIsFeature'), [
      { field: 'features', expected: `features other than ${req.protectedColumn}` },
    ]);
  // Hashing, reading and testing the table on a thread of its own (audit-thread.ts): the serving thread stays free.
  const { sha256: sha, report } = await proxyAuditOnThread(csv, req, {
    cramersV: req.cramersV ?? 0.3,
    eta: req.eta ?? 0.3,
    auc: req.auc ?? 0.7,
  });
  const card = proxyModelCardRows(report);
  const flagged = card
    .filter((r) => r.flagged)
    .map((r) => ({ feature: r.feature, reason: `${r.statistic} ${r.value.toFixed(3)} ≥ ${r.threshold}` }));
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
