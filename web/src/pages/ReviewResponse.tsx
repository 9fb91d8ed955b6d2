import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, problemText } from '../api';

interface Row {
  kind: string;
  unit: string;
  urgency: string;
  alerts: number;
  acknowledged: number;
  medianSecondsToAcknowledge: number | null;
  p90SecondsToAcknowledge: number | null;
  judged: number;
  metAcknowledgeTarget: number;
  shareMetAcknowledgeTarget: number | null;
  acted: number;
  medianSecondsToAct: number | null;
  judgedAct: number;
  metActTarget: number;
  shareMetActTarget: number | null;
  escalations: number;
  unanswered: number;
}
interface Escalation {
  alertId: string;
  kind: string;
  unit: string;
  step: number;
  to: string;
  targetUnit: string | null;
  missedDeadline: string;
  at: string;
  logIndex: number;
}

const pct = (x: number | null, n: number) => (x === null ? '—' : `${Math.round(x * 100)}% (${n})`);
const secs = (x: number | null) => (x === null ? '—' : `${x} s`);

/** Response times of urgent alerts for the supervisor's unit: time to acknowledge and act, share on target, escalations. */
export function ReviewResponse() {
  const { t } = useTranslation();
  const [data, setData] = useState<{ byKindAndUnit: Row[]; escalations: Escalation[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api<{ byKindAndUnit: Row[]; escalations: Escalation[] }>('/api/review/response')
      .then(setData)
      .catch((e) => setError(problemText(e)));
  }, []);
  return (
    <div className="panel" data-testid="response-stats">
      <h3>{t('review.response.title')}</h3>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {data && data.byKindAndUnit.length === 0 && <p>{t('review.response.none')}</p>}
      {data && data.byKindAndUnit.length > 0 && (
        <table>
          <thead>
            <tr>
              {[
                'kind',
                'unit',
                'alerts',
                'medianAck',
                'p90Ack',
                'metAck',
                'medianAct',
                'metAct',
                'escalations',
                'unanswered',
              ].map((c) => (
                <th key={c}>{t(`review.response.col.${c}`)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.byKindAndUnit.map((r) => (
              <tr key={`${r.kind}-${r.unit}`}>
                <td>{t(`review.urgent.kind.${r.kind}`, { defaultValue: r.kind })}</td>
                <td>{r.unit}</td>
                <td>{r.alerts}</td>
                <td>{secs(r.medianSecondsToAcknowledge)}</td>
                <td>{secs(r.p90SecondsToAcknowledge)}</td>
                <td>{pct(r.shareMetAcknowledgeTarget, r.judged)}</td>
                <td>{secs(r.medianSecondsToAct)}</td>
                <td>{pct(r.shareMetActTarget, r.judgedAct)}</td>
                <td>{r.escalations}</td>
                <td>{r.unanswered}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && data.escalations.length > 0 && (
        <ul className="note">
          {data.escalations.slice(0, 20).map((e) => (
            <li key={e.logIndex}>
              {e.at.replace('T', ' ')} · {e.alertId} ·{' '}
              {t('review.urgent.escalated', { step: e.step, to: t(`review.urgent.to.${e.to}`) })} · #{e.logIndex}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
