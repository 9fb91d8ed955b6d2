import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { ProblemNote } from '../../components/ProblemNote';
import { formatDateTime } from '../../time';
import type { SystemRow } from './shared';

interface Check {
  at: string;
  breached: boolean;
  status: string;
  statistic: number | null;
  threshold: number | null;
  logIndex: number;
}
interface MonitorRow {
  id: string;
  systemId: string;
  kind: string;
  config: Record<string, unknown>;
  latest: Check | null;
  breaches: (Check & { pause: { at: string; logIndex: number } | null })[];
}

const KINDS = ['disparity', 'override-rate', 'response-time'] as const;
const OUTCOMES = ['stop', 'search', 'arrest', 'use-of-force', 'complaint'];
const ALERT_KINDS = ['patrol-mission', 'cctv-detection', 'crowd-density', 'stalking-proximity', 'risk-score', 'other'];
/** The numeric fields each kind of monitor needs, with the defaults a first monitor would start from. */
const FIELDS: Record<(typeof KINDS)[number], Record<string, string>> = {
  disparity: { windowDays: '30', ratioMax: '1.25', minCount: '20', alpha: '0.05' },
  'override-rate': { windowDays: '30', maxRate: '0.5', minDecisions: '30' },
  'response-time': { windowDays: '30', minShare: '0.9', minAlerts: '20' },
};
const INTEGER = new Set(['windowDays', 'minCount', 'minDecisions', 'minAlerts']);

/** A check's measure with its unit: a ratio of rates for disparity, a share for the others. */
function measure(t: (k: string, o?: Record<string, unknown>) => string, kind: string, c: Check) {
  if (c.statistic === null) return t('oversight.monitor.noMeasure');
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return kind === 'disparity'
    ? t('oversight.monitor.measure.ratio', { value: c.statistic.toFixed(2), limit: c.threshold })
    : t('oversight.monitor.measure.share', { value: pct(c.statistic), limit: pct(c.threshold ?? 0) });
}

/**
 * Monitors of live systems: create one (the fields its kind needs, with help), run them all now, read
 * each one's latest check and its breaches with the automatic pause each caused, and pause or resume a
 * watched system with a reason. A refusal (e.g. to the system's owner) comes back translated.
 */
export function Monitors({ systems, reload }: { systems: SystemRow[]; reload: () => void }) {
  const { t } = useTranslation();
  const [monitors, setMonitors] = useState<MonitorRow[]>([]);
  const watchable = systems.filter((s) => s.state === 'active' || s.state === 'paused');
  const [systemId, setSystemId] = useState('');
  const [kind, setKind] = useState<(typeof KINDS)[number]>('disparity');
  const [values, setValues] = useState<Record<string, string>>({
    ...FIELDS.disparity,
    outcome: 'stop',
    alertKind: 'cctv-detection',
  });
  const [running, setRunning] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () => void api<MonitorRow[]>('/api/monitors').then(setMonitors).catch(setError);
  useEffect(load, []);
  const target = systemId || watchable[0]?.id || '';
  const create = async () => {
    setError(null);
    setDone(null);
    try {
      const body: Record<string, unknown> = { kind };
      for (const k of Object.keys(FIELDS[kind])) body[k] = Number(values[k]);
      if (kind === 'disparity') body.outcome = values.outcome;
      if (kind === 'response-time') body.alertKind = values.alertKind;
      await api(`/api/systems/${target}/monitors`, { method: 'POST', body: JSON.stringify(body) });
      setDone(t('oversight.monitor.created'));
      load();
    } catch (e) {
      setError(e);
    }
  };
  const runAll = async () => {
    setError(null);
    setDone(null);
    setRunning(true);
    try {
      const r = await api<{ breached: boolean; paused: boolean }[]>('/api/monitors/run', { method: 'POST' });
      setDone(
        t('oversight.monitor.ran', {
          n: r.length,
          breached: r.filter((x) => x.breached).length,
          paused: r.filter((x) => x.paused).length,
        }),
      );
      load();
      reload();
    } catch (e) {
      setError(e);
    } finally {
      setRunning(false);
    }
  };
  const name = (id: string) => systems.find((s) => s.id === id)?.name ?? id;
  // Watched systems first (they have monitors), then every other live or paused one: any can be paused here.
  const watched = [
    ...watchable.filter((s) => monitors.some((m) => m.systemId === s.id)),
    ...watchable.filter((s) => !monitors.some((m) => m.systemId === s.id)),
  ];
  return (
    <div className="panel" data-testid="monitors">
      <h2>{t('oversight.monitor.title')}</h2>
      <p className="note">{t('oversight.monitor.help')}</p>
      <fieldset>
        <legend>{t('oversight.monitor.new')}</legend>
        <label>
          {t('oversight.system')}
          <select name="monitor-system" value={target} onChange={(e) => setSystemId(e.target.value)}>
            {watchable.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} · {t(`state.${s.state}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('oversight.monitor.kind')}
          <select
            name="monitor-kind"
            value={kind}
            onChange={(e) => {
              const k = e.target.value as (typeof KINDS)[number];
              setKind(k);
              setValues({ ...values, ...FIELDS[k] });
            }}
          >
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`oversight.monitor.kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <p className="note">{t(`oversight.monitor.kindHelp.${kind}`)}</p>
        {kind === 'disparity' && (
          <label>
            {t('oversight.monitor.field.outcome')}
            <select
              name="monitor-outcome"
              value={values.outcome}
              onChange={(e) => setValues({ ...values, outcome: e.target.value })}
            >
              {OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {t(`oversight.monitor.outcomes.${o}`)}
                </option>
              ))}
            </select>
          </label>
        )}
        {kind === 'response-time' && (
          <label>
            {t('oversight.monitor.field.alertKind')}
            <select
              name="monitor-alertKind"
              value={values.alertKind}
              onChange={(e) => setValues({ ...values, alertKind: e.target.value })}
            >
              {ALERT_KINDS.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          </label>
        )}
        {Object.keys(FIELDS[kind]).map((f) => (
          <label key={f}>
            {t(`oversight.monitor.field.${f}`)}
            <input
              name={`monitor-${f}`}
              type="number"
              step={INTEGER.has(f) ? 1 : 0.01}
              min={0}
              value={values[f]}
              aria-describedby={`monitor-help-${f}`}
              onChange={(e) => setValues({ ...values, [f]: e.target.value })}
            />
            <small id={`monitor-help-${f}`} className="note">
              {t(`oversight.monitor.fieldHelp.${f}`)}
            </small>
          </label>
        ))}
        <button name="create-monitor" onClick={create} disabled={!target}>
          {t('oversight.monitor.create')}
        </button>
      </fieldset>
      <button name="run-monitors" onClick={runAll} disabled={running}>
        {t('oversight.monitor.run')}
      </button>
      {running && (
        <p role="status" className="note">
          <progress aria-label={t('oversight.monitor.running')} /> {t('oversight.monitor.running')}
        </p>
      )}
      {done && (
        <p role="status" className="note" data-testid="monitor-done">
          {done}
        </p>
      )}
      {monitors.length === 0 ? (
        <p className="note">{t('oversight.monitor.none')}</p>
      ) : (
        <table data-testid="monitor-table">
          <thead>
            <tr>
              <th>{t('oversight.system')}</th>
              <th>{t('oversight.monitor.kind')}</th>
              <th>{t('oversight.monitor.latest')}</th>
              <th>{t('oversight.monitor.breaches')}</th>
            </tr>
          </thead>
          <tbody>
            {monitors.map((m) => (
              <tr
                key={m.id}
                data-testid="monitor-row"
                data-system={m.systemId}
                data-breached={m.latest?.breached ?? false}
              >
                <td>{name(m.systemId)}</td>
                <td>
                  {t(`oversight.monitor.kinds.${m.kind}`)}
                  {typeof m.config.outcome === 'string' &&
                    ` · ${t(`oversight.monitor.outcomes.${m.config.outcome}`)}`}{' '}
                  · {t('oversight.monitor.window', { days: m.config.windowDays })}
                </td>
                <td>
                  {m.latest ? (
                    <>
                      <strong className={m.latest.breached ? 'error' : undefined}>
                        {t(`oversight.monitor.status.${m.latest.status}`)}
                      </strong>{' '}
                      · {measure(t, m.kind, m.latest)} · {formatDateTime(m.latest.at)}
                    </>
                  ) : (
                    t('oversight.monitor.notRun')
                  )}
                </td>
                <td>
                  {m.breaches.length === 0
                    ? t('oversight.monitor.noBreaches')
                    : m.breaches.map((b) => (
                        <p key={b.logIndex} data-testid="monitor-breach">
                          {formatDateTime(b.at)}: {measure(t, m.kind, b)} (
                          {t('oversight.monitor.logEntry', { index: b.logIndex })})
                          {b.pause && (
                            <>
                              {' '}
                              —{' '}
                              {t('oversight.monitor.pausedIt', {
                                at: formatDateTime(b.pause.at),
                                index: b.pause.logIndex,
                              })}
                            </>
                          )}
                        </p>
                      ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ProblemNote error={error} testId="monitor-error" />
      {watched.length > 0 && (
        <>
          <h3>{t('oversight.monitor.watched')}</h3>
          <ul className="plain">
            {watched.map((s) => (
              <PauseResume key={s.id} system={s} reload={reload} />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** Pause a live system, or resume a paused one, with a reason (and, after an automatic pause, the remedy). */
function PauseResume({ system: s, reload }: { system: SystemRow; reload: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [remedy, setRemedy] = useState('');
  const [error, setError] = useState<unknown>(null);
  const to = s.state === 'paused' ? 'active' : 'paused';
  const act = async () => {
    setError(null);
    try {
      await api(`/api/systems/${s.id}/versions/${s.version}/transition`, {
        method: 'POST',
        body: JSON.stringify({ to, reason, ...(to === 'active' && remedy.trim() ? { remedy } : {}) }),
      });
      setReason('');
      setRemedy('');
      reload();
    } catch (e) {
      setError(e);
    }
  };
  const verb = to === 'active' ? 'resume' : 'pause';
  return (
    <li data-system={s.id}>
      <strong>{s.name}</strong>:{' '}
      <span data-testid="system-state" data-system={s.id} data-state={s.state} className={`state state-${s.state}`}>
        {t(`state.${s.state}`)}
      </span>
      <label>
        {t('systems.reason')}
        <input name={`${verb}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      {to === 'active' && (
        <label>
          {t('systems.remedy')}
          <input name="resume-remedy" value={remedy} onChange={(e) => setRemedy(e.target.value)} />
        </label>
      )}
      <button name={verb} onClick={act}>
        {t(`systems.${verb}`)}
      </button>
      <ProblemNote error={error} testId={`${verb}-error`} />
    </li>
  );
}
