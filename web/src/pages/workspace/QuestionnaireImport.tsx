import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, findingExpected, type Finding } from '../../api';
import { ProblemNote } from '../../components/ProblemNote';

interface Checked {
  id: string;
  title: string;
  questions: number;
  sections: number;
  rawMax: number;
  mitigationMax: number;
  warnings: Finding[];
  existing: { logIndex: number } | null;
}

/** An id the server accepts, from the file's name: `Canada AIA (2024).json` → `canada-aia-2024`. */
const idOf = (file: string) =>
  file
    .replace(/\.json$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .padEnd(2, '0');

/**
 * Import an impact-assessment questionnaire (SurveyJS JSON, Canadian AIA conventions) from a file: read
 * in the browser, checked by the server without writing anything (what would be imported, or each
 * element that cannot be scored, named), then imported on request. Owners then choose it on a system's
 * assessment, where it is filled in with the live score beside it.
 */
export function QuestionnaireImport() {
  const { t } = useTranslation();
  const [fileName, setFileName] = useState('');
  const [id, setId] = useState('');
  const [surveyjs, setSurveyjs] = useState<Record<string, unknown> | null>(null);
  const [checked, setChecked] = useState<Checked | null>(null);
  const [imported, setImported] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [badFile, setBadFile] = useState<string | null>(null);

  const check = async (survey: Record<string, unknown>, asId: string) => {
    setChecked(null);
    setError(null);
    try {
      setChecked(
        await api<Checked>('/api/questionnaires/check', {
          method: 'POST',
          body: JSON.stringify({ id: asId, surveyjs: survey }),
        }),
      );
    } catch (e) {
      setError(e);
    }
  };
  const choose = async (file: File | undefined) => {
    setSurveyjs(null);
    setChecked(null);
    setImported(null);
    setError(null);
    setBadFile(null);
    if (!file) return;
    setFileName(file.name);
    const asId = idOf(file.name);
    setId(asId);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await file.text());
    } catch (e) {
      setBadFile((e as Error).message);
      return;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      setBadFile(typeof parsed);
      return;
    }
    setSurveyjs(parsed as Record<string, unknown>);
    await check(parsed as Record<string, unknown>, asId);
  };
  const doImport = async () => {
    if (!surveyjs) return;
    setError(null);
    try {
      await api('/api/questionnaires', { method: 'POST', body: JSON.stringify({ id, surveyjs }) });
      setImported(id);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div className="panel" data-testid="questionnaire-import">
      <h2>{t('questionnaires.import.title')}</h2>
      <p className="help">{t('questionnaires.import.help')}</p>
      <label>
        {t('questionnaires.import.file')}
        <input
          type="file"
          name="questionnaire-file"
          accept=".json,application/json"
          onChange={(e) => void choose(e.target.files?.[0])}
        />
      </label>
      {surveyjs && (
        <label>
          {t('questionnaires.import.id')}
          <input
            name="questionnaire-id"
            value={id}
            onChange={(e) => {
              setId(e.target.value);
              setChecked(null);
              setImported(null);
            }}
            onBlur={() => void check(surveyjs, id)}
          />
        </label>
      )}
      {badFile !== null && (
        <div role="alert" className="error" data-testid="questionnaire-bad-file">
          {t('questionnaires.import.badJson', { file: fileName })}
          <details>
            <summary>{t('review.technical')}</summary>
            <code translate="no">{badFile}</code>
          </details>
        </div>
      )}
      {checked && (
        <div data-testid="questionnaire-checked" data-questions={checked.questions} data-raw-max={checked.rawMax}>
          <p>
            {t('questionnaires.import.checked', {
              title: checked.title,
              questions: checked.questions,
              sections: checked.sections,
              rawMax: checked.rawMax,
              mitigationMax: checked.mitigationMax,
            })}
          </p>
          {checked.warnings.length > 0 && (
            <details>
              <summary>{t('questionnaires.import.warnings', { count: checked.warnings.length })}</summary>
              <ul>
                {checked.warnings.map((w, i) => (
                  <li key={i}>
                    <span translate="no">{w.field}</span>: {findingExpected(w)}
                  </li>
                ))}
              </ul>
            </details>
          )}
          {checked.existing ? (
            <p className="note">{t('questionnaires.import.existing', { id: checked.id })}</p>
          ) : (
            !imported && (
              <button type="button" name="import-questionnaire" onClick={() => void doImport()}>
                {t('questionnaires.import.submit')}
              </button>
            )
          )}
        </div>
      )}
      {imported && (
        <p className="note" data-testid="questionnaire-imported">
          {t('questionnaires.import.done', { id: imported })}
        </p>
      )}
      <ProblemNote error={error} testId="questionnaire-problem" />
    </div>
  );
}
