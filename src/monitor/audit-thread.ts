/**
 * The caller's side of an audit thread (audit.worker.ts), for bias audits and proxy detection. Hashing,
 * reading and auditing an uploaded CSV is CPU work that grows with the file: 500,000 rows (13 MB) held the
 * request-serving thread for about 2 s (hash 46 ms, reading 1.7 s, audit 0.36 s), so every other request,
 * alert intake included, waited; the upload limit allows five times that. It runs on a thread of its own,
 * at lower CPU priority, one per audit (audits are rare: no pool). The upload's bytes are moved to the
 * thread, not copied, when they own their memory.
 */
import type { detectProxies, personAudit } from '../fairness';
import { rebuildThreadError, type SerializedError } from '../store/import-thread';
import { movableBuffers } from '../store/movable';
import { oneShotThread } from '../store/reusable-threads';
import type { AuditRequest, ProxyRequest } from './audit-rows';

type AuditOptions = Omit<Parameters<typeof personAudit>[1], 'progress'>;
export type AuditReport = ReturnType<typeof personAudit>;
export type ProxyReport = ReturnType<typeof detectProxies>;

/** What the thread computes from the rows. */
export type AuditTask =
  | { kind: 'person'; request: AuditRequest; options: AuditOptions }
  | { kind: 'proxy'; request: ProxyRequest; thresholds: Parameters<typeof detectProxies>[2] };

export interface AuditThreadJob {
  /** The file as uploaded (hashed byte for byte), or as text (hashed as UTF-8). */
  csv: Uint8Array | string;
  task: AuditTask;
}

export type FromAuditThread =
  | { t: 'hashed'; sha256: string }
  | { t: 'read' }
  | { t: 'progress'; stage: string; done: number; total: number }
  | { t: 'done'; report: AuditReport | ProxyReport }
  | { t: 'failed'; error: SerializedError };

export interface AuditThreadHandlers {
  /** The file's SHA-256, before it is read; throwing here (a hash that does not match) stops the thread. */
  onHashed?(sha256: string): void;
  /** Every row read. */
  onRead?(): void;
  /** personAudit's progress (counting, rates, disparities). */
  onProgress?(stage: string, done: number, total: number): void;
}

/** A person-level bias audit of `csv` on a thread of its own: the file's hash and the report. */
export function personAuditOnThread(
  csv: AuditThreadJob['csv'],
  request: AuditRequest,
  options: AuditOptions,
  h: AuditThreadHandlers = {},
): Promise<{ sha256: string; report: AuditReport }> {
  return onAuditThread({ csv, task: { kind: 'person', request, options } }, h) as Promise<{
    sha256: string;
    report: AuditReport;
  }>;
}

/** Proxy detection on the feature table `csv` on a thread of its own: the file's hash and the report. */
export function proxyAuditOnThread(
  csv: AuditThreadJob['csv'],
  request: ProxyRequest,
  thresholds: Parameters<typeof detectProxies>[2],
): Promise<{ sha256: string; report: ProxyReport }> {
  return onAuditThread({ csv, task: { kind: 'proxy', request, thresholds } }, {}) as Promise<{
    sha256: string;
    report: ProxyReport;
  }>;
}

/** Hash, read and audit `job.csv` on a thread of its own; resolves with the hash and the report, rejects with the error the thread met. */
function onAuditThread(
  job: AuditThreadJob,
  h: AuditThreadHandlers,
): Promise<{ sha256: string; report: AuditReport | ProxyReport }> {
  const csv = job.csv;
  let sha256 = '';
  return oneShotThread<{ sha256: string; report: AuditReport | ProxyReport }, FromAuditThread>(
    new URL('./audit-worker.boot.mjs', import.meta.url),
    { workerData: job, transferList: typeof csv === 'string' ? [] : movableBuffers([csv]) },
    (m, settle) => {
      if (m.t === 'hashed') {
        sha256 = m.sha256;
        h.onHashed?.(m.sha256);
      } else if (m.t === 'read') h.onRead?.();
      else if (m.t === 'progress') h.onProgress?.(m.stage, m.done, m.total);
      else if (m.t === 'done') settle.done({ sha256, report: m.report });
      else settle.failed(rebuildThreadError(m.error));
    },
    (why) => new Error(`the audit thread stopped (${why})`),
  );
}
