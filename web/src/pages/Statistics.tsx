import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';

interface Cell { key: Record<string, string>; count: number | null; suppressed: boolean; interval: [number, number] | null }
interface Table { name: string; epsilon: number; suppressBelow: number; margin95: number; cells: Cell[] }
interface Release { id: string; createdAt: string; epsilonTotal: number; logIndex: number; tables: Table[] }

/** Public statistics: differentially private counts with the error bars the noise implies. */
export function Statistics() {
  const { t } = useTranslation();
  const [rel, setRel] = useState<Release | null>(null);
  const [month, setMonth] = useState('');
  useEffect(() => {
    void api<{ id: string }[]>('/api/statistics/releases').then(async (list) => {
      if (list[0]) setRel(await api<Release>(`/api/statistics/releases/${list[0].id}`));
    });
  }, []);
  const months = useMemo(() => [...new Set(rel?.tables.flatMap((tb) => tb.cells.map((c) => c.key.month)) ?? [])].sort(), [rel]);
  useEffect(() => setMonth((m) => m || months[months.length - 1] || ''), [months]);
  if (!rel) return <section><h2>{t('stats.title')}</h2><p>{t('stats.none')}</p></section>;
  return (
    <section>
      <h2>{t('stats.title')}</h2>
      <p className="note">{t('stats.intro', { epsilon: rel.epsilonTotal, date: rel.createdAt.slice(0, 10), index: rel.logIndex })}</p>
      <label>{t('stats.month')} <select name="month" value={month} onChange={(e) => setMonth(e.target.value)}>{months.map((m) => <option key={m}>{m}</option>)}</select></label>
      {rel.tables.map((tb) => (
        <div key={tb.name}>
          <h3>{t(`stats.table.${tb.name}`)} <small>(ε = {tb.epsilon}, ± {tb.margin95} {t('stats.at95')})</small></h3>
          <table className="register" data-testid={tb.name}>
            <tbody>
              {tb.cells.filter((c) => c.key.month === month).map((c) => (
                <tr key={JSON.stringify(c.key)}>
                  <td>{Object.entries(c.key).filter(([k]) => k !== 'month').map(([, v]) => v).join(' · ')}</td>
                  <td>{c.suppressed ? t('stats.suppressed', { n: tb.suppressBelow }) : <>{c.count} <span className="note">({c.interval![0]}–{c.interval![1]})</span></>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}
