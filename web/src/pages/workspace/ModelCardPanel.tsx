import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, findingExpected } from '../../api';
import { ProblemNote } from '../../components/ProblemNote';
import {
  emptyOf,
  fitToSchema,
  problemsByField,
  SchemaForm,
  validate,
  type JsonSchema,
} from '../../components/SchemaForm';

/**
 * The model card a system's owner supplies, as a form generated from its JSON Schema
 * (/api/register/model-card-schema.json), opened with the card already saved for the version (an empty
 * form when there is none): every required field checked and named before it is sent, and the server's
 * problems (it checks the card against the same schema) shown beside the fields they name.
 */
export function ModelCardPanel({ base, onSaved }: { base: string; onSaved: () => void }) {
  const { t } = useTranslation();
  const [schema, setSchema] = useState<JsonSchema | null>(null);
  const [value, setValue] = useState<Record<string, unknown>>({});
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  useEffect(
    () =>
      void Promise.all([
        api<JsonSchema>('/api/register/model-card-schema.json'),
        api<{ card: Record<string, unknown> | null }>(`${base}/model-card`),
      ])
        .then(([s, stored]) => {
          setSchema(s);
          setValue((stored.card ? fitToSchema(s, stored.card) : emptyOf(s)) as Record<string, unknown>);
        })
        .catch(setError),
    [base],
  );
  const save = async () => {
    setError(null);
    setSaved(false);
    const found = schema ? validate(schema, value, t, { prefix: 'modelCard', complete: true }) : {};
    setProblems(found);
    if (Object.keys(found).length) return;
    try {
      await api(`${base}/model-card`, { method: 'PUT', body: JSON.stringify(value) });
      setSaved(true);
      onSaved();
    } catch (e) {
      setError(e);
      if (e instanceof ApiError)
        setProblems(
          problemsByField(
            e.problem.errors?.map((f) => ({ field: f.field, expected: findingExpected(f) })),
            'modelCard',
          ),
        );
    }
  };
  return (
    <details className="panel record-form" id="model-card" data-testid="model-card-panel">
      <summary>
        <h3>{t('systems.modelCard')}</h3>
      </summary>
      <p className="help">{t('systems.modelCardHelp')}</p>
      {schema && (
        <SchemaForm
          schema={schema}
          value={value}
          problems={problems}
          prefix="modelCard"
          onChange={(v) => {
            setSaved(false);
            setValue(v);
          }}
        />
      )}
      <button type="button" name="save-model-card" onClick={save}>
        {t('systems.saveModelCard')}
      </button>
      {saved && (
        <p className="note" data-testid="model-card-saved">
          {t('systems.modelCardSaved')}
        </p>
      )}
      <ProblemNote error={error} />
    </details>
  );
}
