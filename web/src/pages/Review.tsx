import { useEffect, useState, type ComponentProps } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Me } from '../api';
import { AlertExplanation, Sentence, type EvaluationFigure } from '../components/AlertExplanation';
import { AlertMap, type Where } from '../components/AlertMap';
import { ProblemNote } from '../components/ProblemNote';
import { formatDateTime } from '../time';
import { Roster } from './Roster';
import { ReviewResponse } from './ReviewResponse';
import { UrgentBanner } from './UrgentBanner';

interface Alert {
  id: string;
  systemId: string;
  kind: string;
  occurredAt: string;
  unit: string;
  subjectRef: string | null;
  output: Record<string, unknown>;
  confidence: number | null;
  explanation: ComponentProps<typeof AlertExplanation>['explanation'];
  expiresAt: string;
  urgency?: string;
  ackState?: string;
}
interface Action {
  id: string;
  kind: string;
  action: string;
  reasonText: string;
  actorId: string;
  at: string;
  logIndex: number;
}
interface Detail {
  alert: Alert;
  decision: {
    outcome: string;
    reasonCode: string;
    reasonText: string;
    enforcementAction: string | null;
    decidedAt: string;
    logIndex: number;
  } | null;
  responsibility: Record<string, { name: string } | null>;
  actions?: Action[];
  /** Where the alert is (cells or point, areas, patrol boundary); null when it carries no place. */
  where?: Where | null;
  evaluation?: EvaluationFigure[] | null;
}

const OUTCOMES = ['acted', 'not-acted', 'escalated', 'false-positive'];
const REASONS = [
  'confirmed-on-scene',
  'no-activity-found',
  'insufficient-basis',
  'duplicate',
  'outside-jurisdiction',
  'resource-unavailable',
  'needs-supervisor',
  'model-error',
  'other',
];
const ACTIONS = ['', 'stop', 'search', 'arrest', 'warrant'];
/** Protective actions: no corroboration, taken at once. Coercive ones (ACTIONS) need the reviewer's own evidence. */
const PROTECTIVE = ['contact-victim', 'dispatch-to-victim', 'crowd-control', 'warning-broadcast'];
const CORROBORATION = [
  'officer-observation',
  'witness-statement',
  'physical-evidence',
  'independent-record',
  'judicial-authorisation',
];

/** The review queue: every AI alert waits for a named person, who says what they did and why. */
export function Review({ me }: { me: Me }) {
  const { t } = useTranslation();
  const [queue, setQueue] = useState<Alert[]>([]);
  const [open, setOpen] = useState<Detail | null>(null);
  const [form, setForm] = useState({
    outcome: 'not-acted',
    reasonCode: 'no-activity-found',
    reasonText: '',
    enforcementAction: '',
    corroborationKind: '',
    corroboration: '',
  });
  const [error, setError] = useState<unknown>(null);
  const [protective, setProtective] = useState({ action: 'contact-victim', reasonText: '' });
  // The queue opens only while the reviewer is on shift; otherwise the server says why.
  const [shift, setShift] = useState<{ endsAt: string } | null>(null);
  const [queueError, setQueueError] = useState<unknown>(null);
  const load = () => {
    void api<{ endsAt: string }>('/api/review/shift')
      .then(setShift)
      .catch(() => setShift(null));
    void api<Alert[]>('/api/review/queue')
      .then((q) => {
        setQueue(q);
        setQueueError(null);
      })
      .catch(setQueueError);
  };
  const show = async (id: string) =>
    setOpen(await api<Detail>(`/api/alerts/${id}`, { headers: { 'x-purpose': 'alert-review' } }));
  useEffect(() => {
    load();
    // A link to one alert (e.g. from a notification): /review?alert=ID, also once decided.
    const id = new URLSearchParams(location.search).get('alert');
    if (id) void show(id).catch(setError);
  }, []);
  const submit = async () => {
    setError(null);
    try {
      await api(`/api/alerts/${open!.alert.id}/decision`, {
        method: 'POST',
        body: JSON.stringify({
          outcome: form.outcome,
          reasonCode: form.reasonCode,
          reasonText: form.reasonText,
          ...(form.enforcementAction ? { enforcementAction: form.enforcementAction } : {}),
          ...(form.corroborationKind
            ? { corroboration: { kind: form.corroborationKind, description: form.corroboration } }
            : {}),
        }),
      });
      await show(open!.alert.id);
      load();
    } catch (e) {
      setError(e);
    }
  };
  const protect = async () => {
    setError(null);
    try {
      await api(`/api/alerts/${open!.alert.id}/actions`, {
        method: 'POST',
        body: JSON.stringify({ kind: 'protective', action: protective.action, reasonText: protective.reasonText }),
      });
      setProtective({ ...protective, reasonText: '' });
      await show(open!.alert.id);
    } catch (e) {
      setError(e);
    }
  };
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  return (
    <section className="review">
      <h1>{t('review.title')}</h1>
      <p className="advisory">{t('home.advisory')}</p>
      <p className="note">
        {t('review.unit', { unit: me.unit ?? '—' })}
        {shift ? ` · ${t('review.onShift', { end: formatDateTime(shift.endsAt) })}` : ''}
      </p>
      <ProblemNote error={queueError} testId="queue-error" />
      <UrgentBanner active={shift !== null} onOpen={(id) => void show(id).catch(setError)} onEvent={load} />
      {me.roles.includes('supervisor') && <Roster me={me} />}
      {me.roles.includes('supervisor') && <ReviewResponse />}
      <ul data-testid="queue">
        {queue.map((a) => (
          <li key={a.id}>
            <button className="link-dark" onClick={() => show(a.id)} data-alert={a.id}>
              {a.urgency && a.urgency !== 'routine' ? `${t(`review.urgent.urgency.${a.urgency}`)} · ` : ''}
              {t(`review.urgent.kind.${a.kind}`, { defaultValue: a.kind })} · {formatDateTime(a.occurredAt)} ·{' '}
              <Sentence
                text={a.explanation.summary}
                code={a.explanation.summaryCode}
                params={a.explanation.summaryParams}
              />
            </button>
          </li>
        ))}
        {queue.length === 0 && <li>{t('review.empty')}</li>}
      </ul>
      {open && (
        <div className="panel" data-testid="alert-detail">
          <h3>
            {t(`review.urgent.kind.${open.alert.kind}`, { defaultValue: open.alert.kind })} —{' '}
            <span translate="no">{open.alert.id}</span>
          </h3>
          {/* Where beside why: the map and its area names, the explanation and the confidence. */}
          <div className="alert-layout">
            <AlertMap where={open.where ?? null} />
            <AlertExplanation
              output={open.alert.output}
              confidence={open.alert.confidence}
              explanation={open.alert.explanation}
              subjectRef={open.alert.subjectRef}
              evaluation={open.evaluation ?? null}
              kind={open.alert.kind}
            />
          </div>
          {open.actions && open.actions.length > 0 && (
            <ul data-testid="actions">
              {open.actions.map((x) => (
                <li key={x.id}>
                  {t(`review.actionKind.${x.kind}`)}: {t(`review.protective.${x.action}`, { defaultValue: x.action })} —{' '}
                  {x.reasonText} · {formatDateTime(x.at)} · #{x.logIndex}
                </li>
              ))}
            </ul>
          )}
          {!open.decision && (
            <fieldset className="protective" data-testid="protective">
              <legend>{t('review.protective.title')}</legend>
              <p className="note">{t('review.protective.note')}</p>
              <label>
                {t('review.protective.action')}
                <select
                  name="protectiveAction"
                  value={protective.action}
                  onChange={(e) => setProtective({ ...protective, action: e.target.value })}
                >
                  {PROTECTIVE.map((o) => (
                    <option key={o} value={o}>
                      {t(`review.protective.${o}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t('review.reasonText')}
                <textarea
                  name="protectiveReason"
                  rows={2}
                  value={protective.reasonText}
                  onChange={(e) => setProtective({ ...protective, reasonText: e.target.value })}
                />
              </label>
              <button name="protect" onClick={() => void protect()}>
                {t('review.protective.take')}
              </button>
            </fieldset>
          )}
          {open.decision ? (
            <div data-testid="decision">
              <p>
                <strong>{t(`review.outcome.${open.decision.outcome}`)}</strong> —{' '}
                {t(`review.reason.${open.decision.reasonCode}`)}: <span translate="no">{open.decision.reasonText}</span>
                {open.decision.enforcementAction ? ` · ${t(`review.action.${open.decision.enforcementAction}`)}` : ''}
              </p>
              <p className="note">
                {Object.entries(open.responsibility)
                  .map(([k, v]) => `${t(`review.role.${k}`)}: ${v?.name ?? '—'}`)
                  .join(' · ')}{' '}
                · <a href="/log">#{open.decision.logIndex}</a>
              </p>
            </div>
          ) : (
            <div className="decision-form" data-testid="coercive">
              <p className="note">{t('review.coercive.note')}</p>
              <label>
                {t('review.outcomeLabel')}
                <select name="outcome" value={form.outcome} onChange={set('outcome')}>
                  {OUTCOMES.map((o) => (
                    <option key={o} value={o}>
                      {t(`review.outcome.${o}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t('review.reasonCode')}
                <select name="reasonCode" value={form.reasonCode} onChange={set('reasonCode')}>
                  {REASONS.map((o) => (
                    <option key={o} value={o}>
                      {t(`review.reason.${o}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t('review.reasonText')}
                <textarea name="reasonText" rows={3} value={form.reasonText} onChange={set('reasonText')} />
              </label>
              <label>
                {t('review.action')}
                <select name="enforcementAction" value={form.enforcementAction} onChange={set('enforcementAction')}>
                  {ACTIONS.map((o) => (
                    <option key={o} value={o}>
                      {o ? t(`review.action.${o}`) : t('review.noAction')}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t('review.corroboration')}
                <select name="corroborationKind" value={form.corroborationKind} onChange={set('corroborationKind')}>
                  <option value="" />
                  {CORROBORATION.map((o) => (
                    <option key={o} value={o}>
                      {t(`review.corroborationKind.${o}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t('review.corroborationText')}
                <textarea name="corroboration" rows={2} value={form.corroboration} onChange={set('corroboration')} />
              </label>
              <button name="decide" onClick={submit}>
                {t('review.record')}
              </button>
            </div>
          )}
          <ProblemNote error={error} />
        </div>
      )}
    </section>
  );
}
