import { memo, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Model } from 'survey-core';
import 'survey-core/i18n/korean';
import 'survey-core/survey-core.css';
import { Survey } from 'survey-react-ui';
import type { Questionnaire } from '../../../../src/registry/assessment/engine';
import { answersFromSurvey, liveScore } from '../../../../src/registry/assessment/survey-form';
import { importSurveyJs } from '../../../../src/registry/assessment/surveyjs';
import { api } from '../../api';
import { ProblemNote } from '../../components/ProblemNote';

interface Form {
  id: string;
  kind: string;
  title: string;
  surveyjs: Record<string, unknown>;
  /** Given for a built-in questionnaire; an imported one is converted here by the server's importer. */
  questionnaire?: Questionnaire;
}

const ROMAN = ['', 'I', 'II', 'III', 'IV'];

/** SurveyJS re-renders its own questions on a change; the panel's score updates must not re-render them all. */
const SurveyView = memo(function SurveyView({ model }: { model: Model }) {
  return <Survey model={model} />;
});

/**
 * The impact assessment as a questionnaire (built-in or imported SurveyJS), rendered by SurveyJS, with
 * the score and level beside it computed by the server's own scoring module as each answer changes.
 * Submitting posts { questionnaire, answers } to POST …/assessments, where it is scored again.
 */
export function AssessmentPanel({
  base,
  record,
  onSubmitted,
}: {
  base: string;
  record: Record<string, unknown>;
  onSubmitted: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [list, setList] = useState<{ id: string; title: string }[]>([]);
  const [chosen, setChosen] = useState('');
  const [form, setForm] = useState<Form | null>(null);
  const [data, setData] = useState<Record<string, unknown>>({});
  const [error, setError] = useState<unknown>(null);
  useEffect(
    () =>
      void api<{ id: string; title: string }[]>('/api/questionnaires')
        .then((l) => {
          setList(l);
          setChosen((c) => c || l[0]?.id || '');
        })
        .catch(setError),
    [],
  );
  useEffect(() => {
    if (!chosen) return;
    setForm(null);
    setData({});
    api<Form>(`/api/questionnaires/${chosen}`).then(setForm).catch(setError);
  }, [chosen]);
  const scoring = useMemo(
    () =>
      form
        ? (form.questionnaire ?? importSurveyJs(form.surveyjs, { id: form.id, version: 'imported' }).questionnaire)
        : null,
    [form],
  );
  const model = useMemo(() => {
    if (!form) return null;
    const m = new Model(form.surveyjs);
    // Every page at once (an imported survey may have many) and no SurveyJS buttons: the panel's own button
    // submits, after the live score is seen.
    m.questionsOnPageMode = 'singlePage';
    m.showNavigationButtons = false;
    m.onValueChanged.add((sender) => setData({ ...sender.data }));
    return m;
  }, [form]);
  useEffect(() => {
    if (model) model.locale = i18n.language.startsWith('ko') ? 'ko' : '';
  }, [model, i18n.language]);
  const answers = form && scoring ? (form.questionnaire ? answersFromSurvey(scoring, data) : data) : {};
  // O(questions × options) per answer change: the same pass the server makes on submit.
  const live = scoring ? liveScore(scoring, answers, record) : null;
  const submit = async () => {
    setError(null);
    try {
      await api(`${base}/assessments`, {
        method: 'POST',
        body: JSON.stringify({ questionnaire: chosen, answers }),
      });
      onSubmitted();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div className="panel" id="assessment" data-testid="assessment-panel">
      <h3>{t('assess.title')}</h3>
      <label>
        {t('assess.questionnaire')}
        <select name="questionnaire" value={chosen} onChange={(e) => setChosen(e.target.value)}>
          {list.map((q) => (
            <option key={q.id} value={q.id}>
              {q.title}
            </option>
          ))}
        </select>
      </label>
      <div className="assessment-layout">
        <div className="assessment-survey">{model && <SurveyView model={model} />}</div>
        {live && (
          <aside
            className="live-score"
            data-testid="live-score"
            aria-live="polite"
            data-level={live.ok ? live.level : ''}
            data-raw={live.ok ? live.result.raw : ''}
            data-adjusted={live.ok ? live.result.adjusted : ''}
          >
            {live.ok ? (
              <>
                <p>
                  <strong>
                    {t('assess.level')}: {ROMAN[live.level]}
                  </strong>
                </p>
                <p>
                  {t('assess.score', {
                    adjusted: live.result.adjusted,
                    max: live.result.rawMax,
                    percent: live.result.percent.toFixed(1),
                  })}
                </p>
                <p>
                  {t('assess.mitigation', { score: live.result.mitigation, max: live.result.mitigationMax })}{' '}
                  {live.result.reduced ? t('assess.reduced') : t('assess.notReduced')}
                </p>
                {live.floored && <p>{t('assess.floored')}</p>}
                <p>
                  {live.result.unanswered.length
                    ? t('assess.unanswered', { count: live.result.unanswered.length })
                    : t('assess.allAnswered')}
                </p>
              </>
            ) : (
              <p className="error">{t('assess.badAnswer', { field: live.error.where[0]?.field ?? '' })}</p>
            )}
          </aside>
        )}
      </div>
      <button type="button" name="submit-assessment" onClick={submit}>
        {t('systems.submitAssessment')}
      </button>
      <ProblemNote error={error} />
    </div>
  );
}
