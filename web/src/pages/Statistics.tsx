import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { formatDate } from '../time';

interface Cell {
  key: Record<string, string>;
  count: number | null;
  suppressed: boolean;
  interval: [number, number] | null;
}
interface Table {
  name: string;
  epsilon: number;
  suppressBelow: number;
  margin95: number;
  cells: Cell[];
}
interface Release {
  id: string;
  createdAt: string;
  epsilonTotal: number;
  logIndex: number;
  period: { from: string; to: string } | null;
  tables: Table[];
}
interface Budget {
  policy: {
    budgetPeriod: 'year' | 'quarter' | 'month';
    epsilonPerTablePerPeriod: number;
    maxEpsilonPerTableRelease: number;
    suppressBelowFloor: number;
  };
  spent: { table: string; period: string; epsilonSpent: number; epsilonRemaining: number }[];
}

/** Public statistics: differentially private counts with the error bars the noise implies. */
export function Statistics() {
  const { t } = useTranslation();
  const [rel, setRel] = useState<Release | null>(null);
  const [month, setMonth] = useState('');
  const [budget, setBudget] = useState<Budget | null>(null);
  useEffect(() => {
    void api<{ id: string }[]>('/api/statistics/releases').then(async (list) => {
      if (list[0]) setRel(await api<Release>(`/api/statistics/releases/${list[0].id}`));
    });
    void api<Budget>('/api/statistics/budget').then(setBudget);
  }, []);
  const months = useMemo(
    () => [...new Set(rel?.tables.flatMap((tb) => tb.cells.map((c) => c.key.month)) ?? [])].sort(),
    [rel],
  );
  useEffect(() => setMonth((m) => m || months[months.length - 1] || ''), [months]);
  const budgetView = budget && (
    <div data-testid="privacy-budget">
      <h3>{t('stats.budget.title')}</h3>
      <p className="note">
        {t('stats.budget.policy', {
          budget: budget.policy.epsilonPerTablePerPeriod,
          period: t(`stats.budget.per.${budget.policy.budgetPeriod}`),
          max: budget.policy.maxEpsilonPerTableRelease,
          floor: budget.policy.suppressBelowFloor,
        })}
      </p>
      {budget.spent.length === 0 ? (
        <p>{t('stats.budget.none')}</p>
      ) : (
        <table className="register">
          <thead>
            <tr>
              <th>{t('stats.budget.period')}</th>
              <th>{t('stats.budget.table')}</th>
              <th>{t('stats.budget.spent')}</th>
              <th>{t('stats.budget.remaining')}</th>
            </tr>
          </thead>
          <tbody>
            {budget.spent.map((b) => (
              <tr key={`${b.period}|${b.table}`}>
                <td>{b.period}</td>
                <td>{t(`stats.table.${b.table}`)}</td>
                <td>{b.epsilonSpent}</td>
                <td>{b.epsilonRemaining}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
  if (!rel)
    return (
      <section>
        <h1>{t('stats.title')}</h1>
        <p>{t('stats.none')}</p>
        {budgetView}
      </section>
    );
  return (
    <section>
      <h1>{t('stats.title')}</h1>
      <p className="note">
        {t('stats.intro', { epsilon: rel.epsilonTotal, date: formatDate(rel.createdAt), index: rel.logIndex })}
        {rel.period && <> {t('stats.period', { from: rel.period.from, to: rel.period.to })}</>}
      </p>
      <label>
        {t('stats.month')}{' '}
        <select name="month" value={month} onChange={(e) => setMonth(e.target.value)}>
          {months.map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
      </label>
      {rel.tables.map((tb) => (
        <div key={tb.name}>
          <h3>
            {t(`stats.table.${tb.name}`)}{' '}
            <small>
              (ε = {tb.epsilon}, ± {tb.margin95} {t('stats.at95')})
            </small>
          </h3>
          <table className="register" data-testid={tb.name}>
            <tbody>
              {tb.cells
                .filter((c) => c.key.month === month)
                .map((c) => (
                  <tr key={JSON.stringify(c.key)}>
                    <td>
                      {Object.entries(c.key)
                        .filter(([k]) => k !== 'month')
                        .map(([, v]) => v)
                        .join(' · ')}
                    </td>
                    <td>
                      {c.suppressed ? (
                        t('stats.suppressed', { n: tb.suppressBelow })
                      ) : (
                        <>
                          {c.count}{' '}
                          <span className="note">
                            ({c.interval![0]}–{c.interval![1]})
                          </span>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      ))}
      {budgetView}
    </section>
  );
}
