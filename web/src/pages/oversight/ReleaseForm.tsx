import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { ProblemNote } from '../../components/ProblemNote';

interface Budget {
  policy: { budgetPeriod: string; epsilonPerTablePerPeriod: number; maxEpsilonPerTableRelease: number };
  spent: { table: string; period: string; epsilonSpent: number; epsilonRemaining: number }[];
}

const TABLES = ['incidents-by-area-month-origin', 'alerts-by-unit-month-outcome', 'outcomes-by-kind-month-group'];

/** A statistics release within the privacy budget: the server refuses past it, naming the field. */
export function ReleaseForm() {
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
