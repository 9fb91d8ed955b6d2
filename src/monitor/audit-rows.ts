/**
 * An audit upload's rows: for a bias audit, one AuditRow per person (flagged or not, outcome or not, the
 * group columns); for proxy detection, one ProxyRow per case (the protected value and the features). Their
 * own module so the audit thread (audit.worker.ts) loads no more than it needs.
 */
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import { readCsvUpload, refuseBadRows } from './csv-upload';
import type { AuditRow, Metric, ProxyRow } from '../fairness';

export interface AuditRequest {
  predictedColumn: string;
  /** Values of the predicted column that mean "flagged" (e.g. Medium, High). */
  positiveValues: string[];
  labelColumn: string;
  /** Values of the label column that mean the outcome happened (e.g. 1). */
  labelPositive: string[];
  groupColumns: string[];
  reference?: string;
  /** Metrics whose disparity decides pass/fail (default: the audit policy's for this version). */
  metrics?: Metric[];
  /** The registered audit dataset this file is (its SHA-256 must match); without it the audit is informative. */
  datasetId?: string;
}

export function rowsFromCsv(csv: string, req: AuditRequest, file = 'upload'): AuditRow[] {
  const { header, data, column: idx } = readCsvUpload(csv, file);
  const p = idx(req.predictedColumn);
  const l = idx(req.labelColumn);
  const gs = req.groupColumns.map((g) => [g, idx(g)] as const);
  const problems = [];
  const rows: AuditRow[] = [];
  for (let i = 0; i < data.length; i++) {
    const r = data[i];
    if (r.length !== header.length) {
      problems.push({ file, row: i + 2, expected: `${header.length} fields`, got: `${r.length}` });
      continue;
    }
    rows.push({
      predicted: req.positiveValues.includes(r[p]) ? 1 : 0,
      label: req.labelPositive.includes(r[l]) ? 1 : 0,
      groups: Object.fromEntries(gs.map(([g, j]) => [g, r[j]?.trim() || null])),
    });
  }
  refuseBadRows(file, problems, rows.length);
  return rows;
}

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
