import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { ProblemNote } from '../components/ProblemNote';
import { navigate } from '../router';

interface SystemRow {
  id: string;
  name: string;
  version: number;
  state: string;
}
interface Budget {
  policy: { budgetPeriod: string; epsilonPerTablePerPeriod: number; maxEpsilonPerTableRelease: number };
  spent: { table: string; period: string; epsilonSpent: number; epsilonRemaining: number }[];
}
interface AuditResult {
  id: number;
  passed: boolean;
  failures: string[];
  countsForGate: boolean;
  informative: string[];
}

const TABLES = ['incidents-by-area-month-origin', 'alerts-by-unit-month-outcome', 'outcomes-by-kind-month-group'];

/** The header of a CSV file, read in the browser: the person picks columns from it instead of typing names. */
export function csvHeader(text: string): string[] {
  const nl = text.search(/\r?\n/);
  const first = nl < 0 ? text : text.slice(0, nl);
  return first
    .split(',')
    .map((c) => c.trim().replace(/^"(.*)"$/, '$1'))
    .filter(Boolean);
}

/** Oversight's jobs: a bias audit from an uploaded CSV, published; a statistics release within the privacy budget. */
export function Oversight() {
  const { t } = useTranslation();
  return (
    <section className="oversight">
      <h1>{t('oversight.title')}</h1>
      <p className="note">{t('oversight.intro')}</p>
      <AuditForm />
      <ReleaseForm />
    </section>
  );
}

function AuditForm() {
  const { t } = useTranslation();
  const [systems, setSystems] = useState<SystemRow[]>([]);
  const [systemId, setSystemId] = useState('');
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [cols, setCols] = useState({
    predicted: '',
    positive: '',
    label: '',
    labelPositive: '1',
    groups: [] as string[],
    reference: '',
  });
  const [progress, setProgress] = useState<string | null>(null);
  const [result, setResult] = useState<AuditResult | null>(null);
  const [published, setPublished] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(
    () =>
      void api<SystemRow[]>('/api/register')
        .then((r) => {
          setSystems(r);
          setSystemId((s) => s || r[0]?.id || '');
        })
        .catch(setError),
    [],
  );
  const header = file ? csvHeader(file.text) : [];
  const sys = systems.find((s) => s.id === systemId);
  const run = async () => {
    setError(null);
    setResult(null);
    setPublished(false);
    try {
      if (!sys || !file) throw new Error(t('oversight.needFile'));
      setProgress(t('oversight.uploading', { size: (file.text.length / 1024).toFixed(0) }));
      const q = new URLSearchParams({
        predictedColumn: cols.predicted,
        positiveValues: cols.positive,
        labelColumn: cols.label,
        labelPositive: cols.labelPositive,
        groupColumns: cols.groups.join(','),
      });
      if (cols.reference) q.set('reference', cols.reference);
      const r = await api<AuditResult>(`/api/systems/${sys.id}/versions/${sys.version}/audits?${q}`, {
        method: 'POST',
        body: file.text,
        headers: { 'content-type': 'text/csv' },
      });
      setResult(r);
    } catch (e) {
      setError(e);
    } finally {
      setProgress(null);
    }
  };
  const pick = (k: 'predicted' | 'label') => (
    <select name={`audit-${k}`} value={cols[k]} onChange={(e) => setCols({ ...cols, [k]: e.target.value })}>
      <option value="" />
      {header.map((h) => (
        <option key={h} value={h}>
          {h}
        </option>
      ))}
    </select>
  );
  return (
    <div className="panel" data-testid="audit-form">
      <h2>{t('oversight.audit')}</h2>
      <p className="note">{t('oversight.auditHelp')}</p>
      <label>
        {t('oversight.system')}
        <select name="audit-system" value={systemId} onChange={(e) => setSystemId(e.target.value)}>
          {systems.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} · v{s.version} · {t(`state.${s.state}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('oversight.file')}
        <input
          type="file"
          name="audit-file"
          accept=".csv,text/csv"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            if (f) setFile({ name: f.name, text: await f.text() });
          }}
        />
      </label>
      {file && (
        <p className="note" data-testid="audit-header">
          {t('oversight.columns', { n: header.length, file: file.name })}
        </p>
      )}
      {file && (
        <>
          <label>
            {t('oversight.predicted')}
            {pick('predicted')}
          </label>
          <label>
            {t('oversight.positiveValues')}
            <input
              name="audit-positive"
              value={cols.positive}
              onChange={(e) => setCols({ ...cols, positive: e.target.value })}
            />
          </label>
          <label>
            {t('oversight.label')}
            {pick('label')}
          </label>
          <label>
            {t('oversight.labelPositive')}
            <input
              name="audit-label-positive"
              value={cols.labelPositive}
              onChange={(e) => setCols({ ...cols, labelPositive: e.target.value })}
            />
          </label>
          <fieldset>
            <legend>{t('oversight.groups')}</legend>
            {header.map((h) => (
              <label key={h} className="check">
                <input
                  type="checkbox"
                  name={`audit-group-${h}`}
                  checked={cols.groups.includes(h)}
                  onChange={(e) =>
                    setCols({
                      ...cols,
                      groups: e.target.checked ? [...cols.groups, h] : cols.groups.filter((x) => x !== h),
                    })
                  }
                />
                {h}
              </label>
            ))}
          </fieldset>
          <label>
            {t('oversight.reference')}
            <input
              name="audit-reference"
              value={cols.reference}
              onChange={(e) => setCols({ ...cols, reference: e.target.value })}
            />
          </label>
          <p className="note">{t('oversight.metricsByPolicy')}</p>
        </>
      )}
      <button name="run-audit" onClick={run} disabled={Boolean(progress)}>
        {t('oversight.runAudit')}
      </button>
      {progress && (
        <p role="status" className="note" data-testid="audit-progress">
          <progress aria-label={progress} /> {progress}
        </p>
      )}
      {result && (
        <div data-testid="audit-result" data-passed={result.passed}>
          <p>
            <strong>{result.passed ? t('audit.passed') : t('audit.failed')}</strong> ·{' '}
            {result.countsForGate ? t('oversight.countsForGate') : t('oversight.informative')}
          </p>
          {result.failures.length > 0 && (
            <ul translate="no">
              {result.failures.map((f) => (
                <li key={f}>{f}</li>
              ))}
            </ul>
          )}
          <a
            href={`/audits/${result.id}`}
            onClick={(e) => {
              e.preventDefault();
              navigate(`/audits/${result.id}`);
            }}
          >
            {t('oversight.readReport')}
          </a>{' '}
          {published ? (
            <span data-testid="audit-published">{t('oversight.published')}</span>
          ) : (
            <button
              name="publish-audit"
              onClick={() =>
                api(`/api/audits/${result.id}/publish`, { method: 'POST' })
                  .then(() => setPublished(true))
                  .catch(setError)
              }
            >
              {t('oversight.publish')}
            </button>
          )}
        </div>
      )}
      <ProblemNote error={error} testId="audit-error" />
    </div>
  );
}

function ReleaseForm() {
  const { t } = useTranslation();
  const [budget, setBudget] = useState<Budget | null>(null);
  const [f, setF] = useState({ epsilon: '0.5', from: '', to: '', tables: [TABLES[0]] });
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () => void api<Budget>('/api/statistics/budget').then(setBudget).catch(setError);
  useEffect(load, []);
  const publish = async () => {
    setError(null);
    setDone(null);
    try {
      const r = await api<{ id: string; epsilonTotal: number }>('/api/statistics/releases', {
        method: 'POST',
        body: JSON.stringify({
          epsilonPerTable: Number(f.epsilon),
          tables: f.tables,
          ...(f.from && f.to ? { period: { from: f.from, to: f.to } } : {}),
        }),
      });
      setDone(t('oversight.releaseDone', { epsilon: r.epsilonTotal }));
      load();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div className="panel" data-testid="release-form">
      <h2>{t('oversight.release')}</h2>
      {budget && (
        <p className="note">
          {t('oversight.releaseHelp', {
            budget: budget.policy.epsilonPerTablePerPeriod,
            max: budget.policy.maxEpsilonPerTableRelease,
            period: t(`stats.budget.per.${budget.policy.budgetPeriod}`),
          })}
        </p>
      )}
      <fieldset>
        <legend>{t('oversight.tables')}</legend>
        {TABLES.map((tb) => (
          <label key={tb} className="check">
            <input
              type="checkbox"
              name={`release-${tb}`}
              checked={f.tables.includes(tb)}
              onChange={(e) =>
                setF({ ...f, tables: e.target.checked ? [...f.tables, tb] : f.tables.filter((x) => x !== tb) })
              }
            />
            {t(`stats.table.${tb}`)}
          </label>
        ))}
      </fieldset>
      <label>
        {t('oversight.epsilon')}
        <input
          name="release-epsilon"
          type="number"
          step="0.1"
          min="0"
          value={f.epsilon}
          onChange={(e) => setF({ ...f, epsilon: e.target.value })}
        />
      </label>
      <label>
        {t('oversight.periodFrom')}
        <input name="release-from" type="month" value={f.from} onChange={(e) => setF({ ...f, from: e.target.value })} />
      </label>
      <label>
        {t('oversight.periodTo')}
        <input name="release-to" type="month" value={f.to} onChange={(e) => setF({ ...f, to: e.target.value })} />
      </label>
      <button name="publish-release" onClick={publish}>
        {t('oversight.publishRelease')}
      </button>
      {done && (
        <p role="status" className="note" data-testid="release-done">
          {done}
        </p>
      )}
      <ProblemNote error={error} testId="release-error" />
    </div>
  );
}
