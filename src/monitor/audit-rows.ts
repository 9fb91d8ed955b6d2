/**
 * An audit upload's rows: the CSV read into one AuditRow per person (flagged or not, outcome or not, the
 * group columns). Its own module so the audit thread (audit.worker.ts) loads no more than it needs.
 */
import { readCsvUpload, refuseBadRows } from './csv-upload';
import type { AuditRow, Metric } from '../fairness';

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
