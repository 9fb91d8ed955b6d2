import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Me } from '../api';
import { ProblemNote } from '../components/ProblemNote';
import { formatDateTime } from '../time';

interface Shift {
  id: string;
  unit: string;
  userId: string;
  startsAt: string;
  endsAt: string;
}
interface Reviewer {
  id: string;
  name: string;
  roles: string[];
}

/** A supervisor's roster of their unit: who is on shift in the coming week, and a form to roster someone. */
export function Roster({ me }: { me: Me }) {
  const { t } = useTranslation();
  const [shifts, setShifts] = useState<Shift[]>([]);
  const [people, setPeople] = useState<Reviewer[]>([]);
  const [form, setForm] = useState({ userId: '', startsAt: '', endsAt: '' });
  const [error, setError] = useState<unknown>(null);
  const fail = (e: unknown) => setError(e);
  const load = () => void api<Shift[]>('/api/shifts').then(setShifts).catch(fail);
  useEffect(() => {
    load();
    void api<Reviewer[]>('/api/shifts/reviewers')
      .then((p) => {
        setPeople(p);
        setForm((f) => ({ ...f, userId: p[0]?.id ?? '' }));
      })
      .catch(fail);
  }, []);
  const add = async () => {
    setError(null);
    const startsAt = new Date(form.startsAt);
    const endsAt = new Date(form.endsAt);
    if (Number.isNaN(startsAt.getTime()) || Number.isNaN(endsAt.getTime())) return setError(t('roster.needTimes'));
    try {
      await api('/api/shifts', {
        method: 'POST',
        body: JSON.stringify({
          unit: me.unit,
          userId: form.userId,
          startsAt: startsAt.toISOString(),
          endsAt: endsAt.toISOString(),
        }),
      });
      load();
    } catch (e) {
      fail(e);
    }
  };
  const name = (id: string) => people.find((p) => p.id === id)?.name ?? id;

  return (
    <div className="panel roster" data-testid="roster">
      <h3>{t('roster.title', { unit: me.unit ?? '—' })}</h3>
      <table>
        <thead>
          <tr>
            <th>{t('roster.person')}</th>
            <th>{t('roster.start')}</th>
            <th>{t('roster.end')}</th>
          </tr>
        </thead>
        <tbody>
          {shifts.map((s) => (
            <tr key={s.id}>
              <td>{name(s.userId)}</td>
              <td>{formatDateTime(s.startsAt)}</td>
              <td>{formatDateTime(s.endsAt)}</td>
            </tr>
          ))}
          {shifts.length === 0 && (
            <tr>
              <td colSpan={3}>{t('roster.empty')}</td>
            </tr>
          )}
        </tbody>
      </table>
      <div className="roster-form">
        <label>
          {t('roster.person')}
          <select name="rosterUser" value={form.userId} onChange={(e) => setForm({ ...form, userId: e.target.value })}>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('roster.start')}
          <input
            type="datetime-local"
            name="rosterStart"
            value={form.startsAt}
            onChange={(e) => setForm({ ...form, startsAt: e.target.value })}
          />
        </label>
        <label>
          {t('roster.end')}
          <input
            type="datetime-local"
            name="rosterEnd"
            value={form.endsAt}
            onChange={(e) => setForm({ ...form, endsAt: e.target.value })}
          />
        </label>
        <button name="roster" onClick={add}>
          {t('roster.add')}
        </button>
      </div>
      <ProblemNote error={error} />
    </div>
  );
}
