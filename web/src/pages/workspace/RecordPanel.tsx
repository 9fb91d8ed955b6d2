import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api';
import { ProblemNote } from '../../components/ProblemNote';
import { problemsByField, SchemaForm, validate, type JsonSchema } from '../../components/SchemaForm';

/**
 * The system record of a draft version, edited in a form generated from its JSON Schema: checked in the
 * browser first (each problem named by field, in the shown language), then saved; the server's problems,
 * if any, shown beside the fields they name.
 */
export function RecordPanel({
  base,
  record,
  editable,
  onSaved,
}: {
  base: string;
  record: Record<string, unknown>;
  editable: boolean;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const [schema, setSchema] = useState<JsonSchema | null>(null);
  const [value, setValue] = useState<Record<string, unknown>>(record);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => void api<JsonSchema>('/api/register/schema.json').then(setSchema).catch(setError), []);
  useEffect(() => setValue(record), [record]);
  if (!editable) return null;
  const save = async () => {
    setError(null);
    setSaved(false);
    const found = schema ? validate(schema, value, t) : {};
    setProblems(found);
    if (Object.keys(found).length) return;
    try {
      await api(base, { method: 'PUT', body: JSON.stringify({ record: value }) });
      setSaved(true);
      onSaved();
    } catch (e) {
      setError(e);
      if (e instanceof ApiError) setProblems(problemsByField(e.problem.errors));
    }
  };
  return (
    <div className="panel record-form" id="record" data-testid="record-panel">
      <h3>{t('systems.recordPanel')}</h3>
      {schema && (
        <SchemaForm
          schema={schema}
          value={value}
          problems={problems}
          onChange={(v) => {
            setSaved(false);
            setValue(v);
          }}
        />
      )}
      <button type="button" name="save-record" onClick={save}>
        {t('systems.saveRecord')}
      </button>
      {saved && (
        <p className="note" data-testid="record-saved">
          {t('systems.recordSaved')}
        </p>
      )}
      <ProblemNote error={error} />
    </div>
  );
}
