import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { render, storedMessage } from '../../../src/domain/messages';
import { api, ApiError, type Me } from '../api';
import { ProblemNote } from '../components/ProblemNote';
import { problemsByField, SchemaForm, validate, type JsonSchema } from '../components/SchemaForm';
import { navigate } from '../router';
import { GateChecklist, type GateCheckView } from './workspace/GateChecklist';
import { ModelCardPanel } from './workspace/ModelCardPanel';
import { QuestionnaireImport } from './workspace/QuestionnaireImport';
import { RecordPanel } from './workspace/RecordPanel';

interface Row {
  id: string;
  name: string;
  version: number;
  state: string;
}

export const RECORD_TEMPLATE = {
  purpose: '',
  intendedUse: '',
  prohibitedUses: [''],
  legalBasis: [{ title: '', url: '' }],
  deployingUnit: '',
  provider: { name: '', procurementRoute: '' },
  supervisorId: '',
  dataSources: [{ name: '', provenance: '', legalBasis: '', consent: '', sourceId: '' }],
  usePurpose: 'crime-analysis',
  personalData: { categories: [''], retentionDays: 0 },
  model: { method: '', trainingData: '', evaluation: '', limitations: [''] },
  humanOversight: '',
  notificationAndContest: '',
  externalSharing: [''],
  training: { course: '', validityDays: 365 },
  monitoringPlan: '',
};

const Problem = ProblemNote;

// SurveyJS is large: loaded only when an owner's workspace shows the questionnaire.
const AssessmentPanel = lazy(() => import('./workspace/AssessmentPanel').then((m) => ({ default: m.AssessmentPanel })));

/** The workspace section that clears each kind of gate problem (gate actions from the server). */
const SECTION: Record<string, string> = { authorisation: 'record', sources: 'record' };

/** Systems an owner or oversight works on: register one, then open its workspace. */
export function Systems({ me }: { me: Me }) {
  const { t } = useTranslation();
  const [rows, setRows] = useState<Row[]>([]);
  const [name, setName] = useState('');
  // The record being written, edited only through the form (a fresh copy of the template per visit).
  const [record, setRecord] = useState<Record<string, unknown>>(() => structuredClone(RECORD_TEMPLATE));
  const [error, setError] = useState<unknown>(null);
  const [schema, setSchema] = useState<JsonSchema | null>(null);
  useEffect(() => void api<Row[]>('/api/register').then(setRows), []);
  useEffect(() => void api<JsonSchema>('/api/register/schema.json').then(setSchema).catch(setError), []);
  const [checked, setChecked] = useState<Record<string, string>>({});
  const problems = error instanceof ApiError ? problemsByField(error.problem.errors) : checked;
  const create = async () => {
    setError(null);
    // Checked here first, so each problem names its field in the shown language.
    const found = schema ? validate(schema, record, t) : {};
    setChecked(found);
    if (Object.keys(found).length) return;
    try {
      const v = await api<{ systemId: string }>('/api/systems', {
        method: 'POST',
        body: JSON.stringify({ name, record }),
      });
      navigate(`/systems/${v.systemId}`);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section>
      <h1>{t('systems.title')}</h1>
      <ul>
        {rows.map((r) => (
          <li key={r.id}>
            <a
              href={`/systems/${r.id}`}
              onClick={(e) => {
                e.preventDefault();
                navigate(`/systems/${r.id}`);
              }}
            >
              {r.name}
            </a>{' '}
            — {t(`state.${r.state}`)} (v{r.version})
          </li>
        ))}
      </ul>
      {me.roles.includes('system-owner') && (
        <div className="panel" data-testid="systems-new">
          <h3>{t('systems.new')}</h3>
          <label>
            {t('systems.name')}
            <input name="system-name" value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <div className="record-form" data-testid="record-form">
            {schema && <SchemaForm schema={schema} value={record} problems={problems} onChange={setRecord} />}
          </div>
          {/* For the curious: what will be sent, read-only; everything is entered in the form above. */}
          <details className="technical" data-testid="systems-new-technical">
            <summary>{t('review.technical')}</summary>
            <pre translate="no">{JSON.stringify({ name, record }, null, 2)}</pre>
          </details>
          <button name="create-system" onClick={create}>
            {t('systems.create')}
          </button>
          <Problem error={error} />
        </div>
      )}
      {me.roles.includes('oversight') && <QuestionnaireImport />}
    </section>
  );
}

interface Basis {
  provision: string;
  provisionKo?: string;
  reason: string;
  reasonKo: string;
}

interface Workspace {
  id: string;
  name: string;
  version: number;
  state: string;
  ownerId: string;
  record: Record<string, unknown>;
  assessment: { id: string; level: number; status: string } | null;
  classification: {
    status: string;
    euAiAct: { category: string; basis: Basis[] };
    korea: { highImpact: boolean; basis: Basis[] };
    questions: { id: string; text: string; textKo: string; answer: boolean | null }[];
  };
  comments: { id: number; author: string; body: string; response: string | null; responseKind: string | null }[];
  gate: {
    ok: boolean;
    problems: string[];
    checks: GateCheckView[];
    requiredControls: { id: string; title: string }[];
  };
  questionnaires: { id: string; title: string }[];
}

/** One system's workspace: what the owner and oversight can do next, and why a step is refused. */
export function SystemWorkspace({ id, me }: { id: string; me: Me }) {
  const { t, i18n } = useTranslation();
  const ko = i18n.language.startsWith('ko');
  const [w, setW] = useState<Workspace | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reason, setReason] = useState('');
  const [remedy, setRemedy] = useState('');
  const [control, setControl] = useState('');
  const [evidence, setEvidence] = useState('');
  const [days, setDays] = useState(30);
  const [answers, setAnswers] = useState<Record<string, boolean>>({});
  const [responses, setResponses] = useState<Record<number, string>>({});
  const [stress, setStress] = useState<{
    passed: boolean;
    reportedOnly: number;
    withDiscovered: number;
    /** Messages (`stress.*`), rendered here in the language shown. */
    reasons: unknown[];
  } | null>(null);
  const load = () => void api<Workspace>(`/api/systems/${id}/workspace`).then(setW).catch(setError);
  useEffect(load, [id]);
  if (!w)
    return (
      <>
        <p>{t('map.loading')}</p>
        <Problem error={error} />
      </>
    );
  const base = `/api/systems/${w.id}/versions/${w.version}`;
  // A checklist action opens the form that clears it (a folded one unfolds) and moves focus to it.
  const openSection = (action: string) => {
    const el = document.getElementById(SECTION[action] ?? action);
    if (!el) return;
    if (el instanceof HTMLDetailsElement) el.open = true;
    el.scrollIntoView({ block: 'start' });
    el.querySelector<HTMLElement>('input, select, textarea, button')?.focus();
  };
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      load();
    } catch (e) {
      setError(e);
    }
  };
  const post = (path: string, body: unknown, method = 'POST') =>
    api(`${base}${path}`, { method, body: JSON.stringify(body) });
  const isOwner = me.id === w.ownerId;
  const oversight = me.roles.includes('oversight');
  const forecaster = ((w.record.outputSchema as { kinds?: string[] } | undefined)?.kinds ?? []).includes(
    'patrol-mission',
  );
  const Btn = ({ name, onClick, children }: { name: string; onClick: () => Promise<unknown>; children: ReactNode }) => (
    <button name={name} onClick={() => act(onClick)}>
      {children}
    </button>
  );

  return (
    <section className="workspace" data-testid="workspace" data-state={w.state}>
      <h1>
        {w.name} <small>v{w.version}</small> ·{' '}
        <span className={`state state-${w.state}`} data-testid="state">
          {t(`state.${w.state}`)}
        </span>
      </h1>
      {w.assessment && (
        <p data-testid="assessment" data-status={w.assessment.status} data-level={w.assessment.level}>
          {t('register.level')} {['', 'I', 'II', 'III', 'IV'][w.assessment.level]} ·{' '}
          {t(`assessment.${w.assessment.status}`)}
        </p>
      )}
      <div className="panel">
        <h3>{t('systems.gate')}</h3>
        <GateChecklist ok={w.gate.ok} checks={w.gate.checks} open={openSection} />
      </div>
      <RecordPanel base={base} record={w.record} editable={isOwner && w.state === 'draft'} onSaved={load} />
      <div className="panel" id="classification" data-testid="classification" data-status={w.classification.status}>
        <h3>
          {t('systems.classification')} · {t(`systems.classificationStatus.${w.classification.status}`)}
        </h3>
        <ul>
          <li>
            <strong>{t('register.euAiAct')}</strong>: {t(`register.eu.${w.classification.euAiAct.category}`)} —{' '}
            {w.classification.euAiAct.basis.map((b) => `${b.provision}: ${ko ? b.reasonKo : b.reason}`).join('; ')}
          </li>
          <li>
            <strong>{t('register.korea')}</strong>:{' '}
            {w.classification.korea.highImpact ? t('register.highImpact') : t('register.notHighImpact')} —{' '}
            {w.classification.korea.basis
              .map((b) => `${ko && b.provisionKo ? b.provisionKo : b.provision}: ${ko ? b.reasonKo : b.reason}`)
              .join('; ')}
          </li>
        </ul>
        {isOwner && (w.state === 'draft' || w.state === 'consultation') && (
          <>
            {w.classification.questions.map((q) => (
              <label key={q.id} className="check">
                <input
                  type="checkbox"
                  name={`q-${q.id}`}
                  checked={answers[q.id] ?? q.answer ?? false}
                  onChange={(e) => setAnswers({ ...answers, [q.id]: e.target.checked })}
                />
                {ko ? q.textKo : q.text}
              </label>
            ))}
            <Btn
              name="save-classification"
              onClick={() =>
                post(
                  '/classification',
                  {
                    answers: Object.fromEntries(
                      w.classification.questions.map((q) => [q.id, answers[q.id] ?? q.answer ?? false]),
                    ),
                  },
                  'PUT',
                )
              }
            >
              {t('systems.saveClassification')}
            </Btn>
          </>
        )}
        {oversight && !isOwner && w.classification.status === 'answered' && (
          <Btn name="confirm-classification" onClick={() => post('/classification/confirmation', { reason })}>
            {t('systems.confirmClassification')}
          </Btn>
        )}
      </div>
      {(isOwner || oversight) && w.state === 'consultation' && (
        <div className="panel" data-testid="comments">
          <h3>{t('systems.comments')}</h3>
          {w.comments.length === 0 && <p>{t('systems.noComments')}</p>}
          {w.comments.map((c) => (
            <blockquote key={c.id}>
              <strong>{c.author}</strong>: {c.body}
              {c.response ? (
                <p className="response">
                  {t(c.responseKind === 'acknowledgement' ? 'register.acknowledged' : 'register.response')}:{' '}
                  {c.response}
                </p>
              ) : (
                <>
                  <input
                    name={`response-${c.id}`}
                    value={responses[c.id] ?? ''}
                    onChange={(e) => setResponses({ ...responses, [c.id]: e.target.value })}
                  />
                  <Btn
                    name={`answer-${c.id}`}
                    onClick={() =>
                      api(`/api/systems/${w.id}/comments/${c.id}/response`, {
                        method: 'POST',
                        body: JSON.stringify({ response: responses[c.id] ?? '', kind: 'answer' }),
                      })
                    }
                  >
                    {t('systems.answerComment')}
                  </Btn>
                  <Btn
                    name={`acknowledge-${c.id}`}
                    onClick={() =>
                      api(`/api/systems/${w.id}/comments/${c.id}/response`, {
                        method: 'POST',
                        body: JSON.stringify({ response: responses[c.id] ?? '', kind: 'acknowledgement' }),
                      })
                    }
                  >
                    {t('systems.acknowledgeComment')}
                  </Btn>
                </>
              )}
            </blockquote>
          ))}
        </div>
      )}
      {isOwner && w.state === 'draft' && (
        <label>
          {t('systems.consultationDays')}
          <input
            name="consultation-days"
            type="number"
            min={0}
            max={365}
            value={days}
            onChange={(e) => setDays(Number(e.target.value))}
          />
        </label>
      )}
      <label>
        {t('systems.reason')}
        <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      {isOwner && (w.state === 'draft' || w.state === 'consultation') && (
        <Suspense fallback={<p>{t('map.loading')}</p>}>
          <AssessmentPanel base={base} record={w.record} onSubmitted={load} />
        </Suspense>
      )}
      {isOwner && <ModelCardPanel base={base} onSaved={load} />}
      <div className="actions">
        {isOwner && w.state === 'draft' && (
          <Btn
            name="start-consultation"
            onClick={() => post('/transition', { to: 'consultation', reason, consultationDays: days })}
          >
            {t('systems.startConsultation')}
          </Btn>
        )}
        {oversight && w.assessment?.status === 'submitted' && (
          <>
            <Btn
              name="approve-assessment"
              onClick={() =>
                api(`/api/assessments/${w.assessment!.id}/decision`, {
                  method: 'POST',
                  body: JSON.stringify({ decision: 'approved', reason }),
                })
              }
            >
              {t('systems.approveAssessment')}
            </Btn>
            <Btn
              name="reject-assessment"
              onClick={() =>
                api(`/api/assessments/${w.assessment!.id}/decision`, {
                  method: 'POST',
                  body: JSON.stringify({ decision: 'rejected', reason }),
                })
              }
            >
              {t('systems.rejectAssessment')}
            </Btn>
          </>
        )}
        {oversight && w.state === 'consultation' && forecaster && (
          <Btn name="stress-test" onClick={async () => setStress((await post('/stress-test', {})) as typeof stress)}>
            {t('systems.stressTest')}
          </Btn>
        )}
        {oversight && w.state === 'consultation' && (
          <Btn name="approve-system" onClick={() => post('/transition', { to: 'approved', reason })}>
            {t('systems.approve')}
          </Btn>
        )}
        {stress && (
          <p data-testid="stress-result" className={stress.passed ? 'note' : 'error'}>
            {t(stress.passed ? 'systems.stressPassed' : 'systems.stressFailed', {
              reported: stress.reportedOnly.toFixed(3),
              discovered: stress.withDiscovered.toFixed(3),
            })}
          </p>
        )}
        {stress && stress.reasons.length > 0 && (
          <ul data-testid="stress-reasons" className="note">
            {stress.reasons.map((r, i) => (
              <li key={i}>{render(storedMessage(r), ko ? 'ko' : 'en')}</li>
            ))}
          </ul>
        )}
        {(isOwner || oversight) && w.state === 'approved' && (
          <Btn name="activate" onClick={() => post('/transition', { to: 'active', reason })}>
            {t('systems.activate')}
          </Btn>
        )}
        {(isOwner || oversight) && w.state === 'active' && (
          <Btn name="pause" onClick={() => post('/transition', { to: 'paused', reason })}>
            {t('systems.pause')}
          </Btn>
        )}
        {oversight && w.state === 'paused' && (
          <label>
            {t('systems.remedy')}
            <input name="remedy" value={remedy} onChange={(e) => setRemedy(e.target.value)} />
          </label>
        )}
        {oversight && w.state === 'paused' && (
          <Btn
            name="resume"
            onClick={() => post('/transition', { to: 'active', reason, ...(remedy.trim() ? { remedy } : {}) })}
          >
            {t('systems.resume')}
          </Btn>
        )}
        {(isOwner || oversight) && w.state !== 'retired' && (
          <Btn name="retire" onClick={() => post('/transition', { to: 'retired', reason })}>
            {t('systems.retire')}
          </Btn>
        )}
      </div>
      {w.gate.requiredControls.length > 0 && (isOwner || oversight) && (
        <div className="panel" id="controls">
          <h3>{t('systems.controls')}</h3>
          <select name="control" value={control} onChange={(e) => setControl(e.target.value)}>
            <option value="" />
            {w.gate.requiredControls.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
          <input name="evidence" value={evidence} onChange={(e) => setEvidence(e.target.value)} />
          <Btn name="add-evidence" onClick={() => post('/evidence', { control, evidence })}>
            {t('systems.addEvidence')}
          </Btn>
        </div>
      )}
      <Problem error={error} />
      <details className="technical">
        <summary>{t('review.technical')}</summary>
        <pre>{JSON.stringify({ record: w.record, assessment: w.assessment, gate: w.gate }, null, 2)}</pre>
      </details>
    </section>
  );
}
