import { useTranslation } from 'react-i18next';
import { api } from '../api';

/** A long run's progress as GET /api/jobs/:id reports it (src/store/run-jobs.ts). */
export interface RunView {
  id: string;
  kind: 'forecast' | 'backtest' | 'audit';
  phase: 'queued' | 'loading' | 'computing' | 'storing' | 'done' | 'failed';
  done: number;
  total: number;
  /** What the run does inside its phase (e.g. an audit's reading-rows, rates, disparities, writing-report). */
  stage?: string | null;
  /** The whole run, 0 → 1 (older servers: absent). */
  fraction?: number;
}

const POLL_MS = 400;

/**
 * Follow run `jobId` (the id sent with its POST) until stopped: `onView` gets each state polled. The stop
 * function polls once more, so the last state (done or failed) is shown. The same scheme as imports.
 */
export function watchRun(jobId: string, onView: (v: RunView) => void): () => Promise<void> {
  const poll = async () => {
    try {
      onView(await api<RunView>(`/api/jobs/${jobId}`));
    } catch {
      // Not started yet (404) or gone: the next poll or the answer tells.
    }
  };
  const timer = setInterval(() => void poll(), POLL_MS);
  return async () => {
    clearInterval(timer);
    await poll();
  };
}

/**
 * Where a forecast, backtest or audit is: a bar (the run's fraction done; without one, a backtest's origins
 * scored of all or the phases) and the phase or stage in words with its numbers.
 */
export function RunProgress({ view }: { view: RunView | null }) {
  const { t } = useTranslation();
  if (!view) return null;
  const phases = ['queued', 'loading', 'computing', 'storing', 'done'];
  // Within "computing" the steps count; otherwise the bar moves by phase.
  const counted = view.phase === 'computing' && view.total > 1;
  const byFraction = typeof view.fraction === 'number';
  const value = byFraction
    ? Math.round(view.fraction! * 100)
    : counted
      ? view.done
      : Math.max(0, phases.indexOf(view.phase));
  const max = byFraction ? 100 : counted ? view.total : phases.length - 1;
  const percent = counted ? Math.round((100 * view.done) / view.total) : Math.round((100 * value) / max);
  // An audit names its stage (reading rows, rates of attribute k of n, …) while it runs.
  const key =
    view.kind === 'audit' && view.stage && view.phase !== 'done' && view.phase !== 'failed'
      ? `run.audit.stage.${view.stage}`
      : `run.${view.kind}.${view.phase}`;
  return (
    <div
      role="status"
      className="note"
      data-testid="run-progress"
      data-phase={view.phase}
      data-done={view.done}
      data-total={view.total}
      data-stage={view.stage ?? ''}
      data-fraction={view.fraction ?? ''}
    >
      {view.phase !== 'failed' && <progress value={value} max={max} aria-label={t('run.progressLabel')} />}{' '}
      {t(key, {
        done: view.done,
        total: view.total,
        percent: byFraction ? value : percent,
        attr: Math.max(1, view.done - 1),
        attrs: Math.max(1, view.total - 2),
      })}
    </div>
  );
}
