/**
 * Progress of the imports one server is running, for a progress bar: bytes read of the file, rows read,
 * rows published. Kept in memory per server (an import belongs to the process running it); finished jobs
 * stay KEEP_MS so a last poll sees the outcome. Each job is visible to the person who started it only.
 */
import { NotFoundError, StateError } from '../domain/errors';
import { msg } from '../domain/messages';
import { nowIso } from './db';
import type { WorkQueue } from './work-queue';

export interface ImportJobView {
  id: string;
  fileName: string;
  /** queued: waiting for a turn (work-queue.ts); reading: parsing and validating; publishing: writing the staged rows; then done or failed. */
  phase: 'queued' | 'reading' | 'publishing' | 'done' | 'failed';
  bytesRead: number;
  totalBytes: number;
  rowsRead: number;
  rowsPublished: number;
  rowsToPublish: number;
  startedAt: string;
  finishedAt: string | null;
  datasetId: string | null;
}

const KEEP_MS = 10 * 60_000;
const MAX_JOBS = 1000;

/** Every ImportJobs of this process, for the /metrics import progress (weak: an app closed in a test goes away). */
const LIVE = new Set<WeakRef<ImportJobs>>();

/** Imports still reading or publishing in this process (all owners): what /metrics reports. O(jobs). */
export function importsInProgress(): ImportJobView[] {
  const out: ImportJobView[] = [];
  for (const ref of LIVE) {
    const jobs = ref.deref();
    if (!jobs) LIVE.delete(ref);
    else out.push(...jobs.inProgress());
  }
  return out;
}

export class ImportJobs {
  private readonly jobs = new Map<string, { owner: string; view: ImportJobView; endedAt?: number }>();

  /** With a queue, at most its `running` imports (and audits) run at once; the others wait as 'queued'. */
  constructor(private readonly queue?: WorkQueue) {
    LIVE.add(new WeakRef(this));
  }

  /** Jobs reading or publishing (not waiting, done or failed), of every owner (for metrics: progress figures only, no owner). */
  inProgress(): ImportJobView[] {
    return [...this.jobs.values()]
      .filter((j) => j.endedAt === undefined && j.view.phase !== 'queued')
      .map((j) => ({ ...j.view }));
  }

  /**
   * Run `work` as job `id` of `owner`, passing it the progress callbacks. An id another person used is
   * refused (409); the caller's own id re-used while that job runs too.
   */
  async run<T extends { datasetId: string }>(
    owner: string,
    id: string,
    fileName: string,
    work: (progress: {
      onProgress(bytes: number, total: number, rows: number): void;
      onPublish(rows: number, of: number): void;
    }) => Promise<T>,
  ): Promise<T> {
    this.prune();
    const had = this.jobs.get(id);
    if (had && (had.owner !== owner || had.endedAt === undefined))
      throw new StateError(msg('imports.jobIdTaken', { id }));
    const view: ImportJobView = {
      id,
      fileName,
      phase: this.queue ? 'queued' : 'reading',
      bytesRead: 0,
      totalBytes: 0,
      rowsRead: 0,
      rowsPublished: 0,
      rowsToPublish: 0,
      startedAt: nowIso(),
      finishedAt: null,
      datasetId: null,
    };
    const job = { owner, view, endedAt: undefined as number | undefined };
    this.jobs.set(id, job);
    try {
      const run = () =>
        work({
          onProgress: (bytes, total, rows) =>
            Object.assign(view, { bytesRead: bytes, totalBytes: total, rowsRead: rows }),
          onPublish: (rows, of) => Object.assign(view, { phase: 'publishing', rowsPublished: rows, rowsToPublish: of }),
        });
      const r = this.queue ? await this.queue.run(owner, run, () => (view.phase = 'reading')) : await run();
      Object.assign(view, { phase: 'done', datasetId: r.datasetId });
      return r;
    } catch (e) {
      view.phase = 'failed';
      throw e;
    } finally {
      view.finishedAt = nowIso();
      job.endedAt = Date.now();
    }
  }

  /** The caller's job; someone else's is as absent as an unknown one. */
  get(owner: string, id: string): ImportJobView {
    const j = this.jobs.get(id);
    if (!j || j.owner !== owner) throw new NotFoundError(msg('imports.jobNotFound', { id }));
    return { ...j.view };
  }

  list(owner: string): ImportJobView[] {
    this.prune();
    return [...this.jobs.values()]
      .filter((j) => j.owner === owner)
      .map((j) => ({ ...j.view }))
      .reverse();
  }

  /** O(jobs), jobs bounded by MAX_JOBS. */
  private prune(): void {
    const now = Date.now();
    for (const [id, j] of this.jobs) if (j.endedAt !== undefined && now - j.endedAt > KEEP_MS) this.jobs.delete(id);
    if (this.jobs.size >= MAX_JOBS) {
      for (const [id, j] of this.jobs) if (j.endedAt !== undefined && this.jobs.size >= MAX_JOBS) this.jobs.delete(id);
    }
  }
}
