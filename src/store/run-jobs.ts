/**
 * Progress of the long runs one server is doing for people (forecasts, backtests, bias audits), for a
 * progress bar: the phase, a finer stage name, within a phase how many of how many steps are done (e.g.
 * backtest origins, model-fit iterations, audited attributes), and the whole run's fraction done. The same scheme as
 * import jobs (import-jobs.ts): the client chooses the id, sends it with its request and polls while it
 * runs. Kept in memory per server; finished jobs stay KEEP_MS; each job is visible to its starter only.
 */
import { NotFoundError, StateError, UserError } from '../domain/errors';
import { msg, type Message } from '../domain/messages';
import { nowIso } from './db';
import type { WorkQueue } from './work-queue';

export type RunKind = 'forecast' | 'backtest' | 'audit';
/** loading: reading incidents and layers; computing: fitting or scoring (steps counted); storing: writing and logging. */
export type RunPhase = 'queued' | 'loading' | 'computing' | 'storing' | 'done' | 'failed';

export interface RunJobView {
  id: string;
  kind: RunKind;
  phase: RunPhase;
  /** Steps done of `total` in the current phase (0 of 0 when the phase is not counted). */
  done: number;
  total: number;
  /** What the run is doing inside its phase (e.g. reading-rows, rates, disparities, writing-report), or null. */
  stage: string | null;
  /** The whole run, 0 → 1, never going back (1 only when done). */
  fraction: number;
  startedAt: string;
  finishedAt: string | null;
  /** The stored run (forecast id or backtest id) once done. */
  resultId: string | null;
  /** Why a failed run stopped: the error's message code and parameters, for the reader's language. */
  problem: Message | null;
}

/** What a long run reports; a run without a job gets NO_PROGRESS. */
export interface RunProgress {
  phase(phase: 'loading' | 'computing' | 'storing', done?: number, total?: number, stage?: string): void;
}
export const NO_PROGRESS: RunProgress = { phase: () => undefined };

/** The share of the whole run each phase stands for, [from, to): a phase's steps fill its span. */
const SPAN: Record<'loading' | 'computing' | 'storing', [number, number]> = {
  loading: [0, 0.1],
  computing: [0.1, 0.9],
  storing: [0.9, 0.99],
};
function fractionOf(phase: keyof typeof SPAN, done: number, total: number): number {
  const [a, b] = SPAN[phase];
  return a + (b - a) * (total > 0 ? Math.min(1, Math.max(0, done / total)) : 0);
}

const KEEP_MS = 10 * 60_000;
const MAX_JOBS = 1000;

export class RunJobs {
  private readonly jobs = new Map<string, { owner: string; view: RunJobView; endedAt?: number }>();

  /**
   * Every run takes a turn from `queue` (shared with imports) and shows 'queued' until then: bias audits
   * use a thread each, and forecasts and backtests compute on the serving thread holding every incident
   * they read, so runs started together would share that thread and multiply that memory.
   */
  constructor(private readonly queue?: WorkQueue) {}

  /** Run `work` as job `id` of `owner`; an id in use by another person, or still running, is refused (409). */
  async run<T>(
    owner: string,
    id: string,
    kind: RunKind,
    work: (progress: RunProgress) => Promise<T>,
    resultIdOf: (r: T) => string,
  ): Promise<T> {
    this.prune();
    const had = this.jobs.get(id);
    if (had && (had.owner !== owner || had.endedAt === undefined)) throw new StateError(msg('jobs.idTaken', { id }));
    const view: RunJobView = {
      id,
      kind,
      phase: 'queued',
      done: 0,
      total: 0,
      stage: null,
      fraction: 0,
      startedAt: nowIso(),
      finishedAt: null,
      resultId: null,
      problem: null,
    };
    const job = { owner, view, endedAt: undefined as number | undefined };
    this.jobs.set(id, job);
    try {
      const progress: RunProgress = {
        phase: (phase, done = 0, total = 0, stage) =>
          Object.assign(view, {
            phase,
            done,
            total,
            stage: stage ?? null,
            fraction: Math.max(view.fraction, fractionOf(phase, done, total)),
          }),
      };
      const r = this.queue ? await this.queue.run(owner, () => work(progress)) : await work(progress);
      Object.assign(view, { phase: 'done', fraction: 1, resultId: resultIdOf(r) });
      return r;
    } catch (e) {
      view.phase = 'failed';
      view.problem =
        e instanceof UserError && e.messageCode
          ? { code: e.messageCode, params: e.messageParams }
          : { code: 'jobs.failedUnexpectedly' };
      throw e;
    } finally {
      view.finishedAt = nowIso();
      job.endedAt = Date.now();
    }
  }

  /** The caller's job; someone else's is as absent as an unknown one. */
  get(owner: string, id: string): RunJobView {
    const j = this.jobs.get(id);
    if (!j || j.owner !== owner) throw new NotFoundError(msg('jobs.notFound', { id }));
    return { ...j.view };
  }

  /** O(jobs), jobs bounded by MAX_JOBS. */
  private prune(): void {
    const now = Date.now();
    for (const [id, j] of this.jobs) if (j.endedAt !== undefined && now - j.endedAt > KEEP_MS) this.jobs.delete(id);
    if (this.jobs.size >= MAX_JOBS)
      for (const [id, j] of this.jobs) if (j.endedAt !== undefined && this.jobs.size >= MAX_JOBS) this.jobs.delete(id);
  }
}

/** Let other requests (a progress poll) run between two steps of a long computation. */
export const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));
