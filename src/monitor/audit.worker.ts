/**
 * An audit thread (started by audit-thread.ts, one per audit): hashes the uploaded file, reads its rows and
 * runs the person-level audit or proxy detection, reporting each step, off the request-serving thread.
 */
import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { detectProxies, personAudit } from '../fairness';
import { serializeError } from '../store/import-thread';
import { proxyRowsFromCsv, rowsFromCsv } from './audit-rows';
import type { AuditThreadJob, FromAuditThread } from './audit-thread';
import { yieldCpuToRequests } from '../store/thread-priority';

// A server's requests come first: this thread takes the CPU they leave (Linux nice values are per thread).
yieldCpuToRequests();

const send = (m: FromAuditThread) => parentPort!.postMessage(m);
const job = workerData as AuditThreadJob;
try {
  const bytes =
    typeof job.csv === 'string' ? undefined : Buffer.from(job.csv.buffer, job.csv.byteOffset, job.csv.byteLength);
  send({
    t: 'hashed',
    sha256: createHash('sha256')
      .update(bytes ?? (job.csv as string))
      .digest('hex'),
  });
  const text = bytes ? bytes.toString('utf8') : (job.csv as string);
  const task = job.task;
  let report;
  if (task.kind === 'person') {
    const rows = rowsFromCsv(text, task.request);
    send({ t: 'read' });
    report = personAudit(rows, {
      ...task.options,
      progress: (stage, done, total) => send({ t: 'progress', stage, done, total }),
    });
  } else {
    const rows = proxyRowsFromCsv(text, task.request);
    send({ t: 'read' });
    report = detectProxies(rows, task.request.features, task.thresholds);
  }
  send({ t: 'done', report });
} catch (e) {
  send({ t: 'failed', error: serializeError(e) });
}
