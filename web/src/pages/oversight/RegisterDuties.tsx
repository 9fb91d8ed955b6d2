import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { ProblemNote } from '../../components/ProblemNote';
import { navigate } from '../../router';
import type { SystemRow } from './shared';

interface PublicEntry {
  record: Record<string, unknown>;
  comments: { id: number; response: string | null }[];
}

const isWithheld = (v: unknown) => typeof v === 'object' && v !== null && (v as { redacted?: boolean }).redacted;

/** Withhold one field of a system's public record, with the legal reason and until when; the register says so. */
export function RedactionForm({ systems }: { systems: SystemRow[] }) {
  const { t, i18n } = useTranslation();
  const [systemId, setSystemId] = useState('');
  const [entry, setEntry] = useState<PublicEntry | null>(null);
  const [f, setF] = useState({ field: '', reason: '', until: '' });
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const sys = systems.find((s) => s.id === (systemId || systems[0]?.id));
  const load = () => {
    if (sys) void api<PublicEntry>(`/api/register/${sys.id}`).then(setEntry).catch(setError);
  };
  useEffect(load, [sys?.id]);
  const label = (k: string) => (i18n.exists(`record.field.${k}`) ? t(`record.field.${k}`) : k);
  const redact = async () => {
    setError(null);
    setDone(null);
    try {
      if (!sys) return;
      await api(`/api/systems/${sys.id}/versions/${sys.version}/redactions`, {
        method: 'POST',
        body: JSON.stringify({
          field: f.field,
          legalReason: f.reason,
          expiresAt: f.until ? `${f.until}T00:00:00Z` : '',
        }),
      });
      setDone(t('oversight.redact.done', { field: label(f.field), until: f.until }));
      load();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div className="panel" data-testid="redact-form">
      <h2>{t('oversight.redact.title')}</h2>
      <p className="note">{t('oversight.redact.help')}</p>
      <label>
        {t('oversight.system')}
        <select name="redact-system" value={sys?.id ?? ''} onChange={(e) => setSystemId(e.target.value)}>
          {systems.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} · v{s.version}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('oversight.redact.field')}
        <select name="redact-field" value={f.field} onChange={(e) => setF({ ...f, field: e.target.value })}>
          <option value="" />
          {Object.entries(entry?.record ?? {}).map(([k, v]) => (
            <option key={k} value={k} disabled={Boolean(isWithheld(v))}>
              {label(k)}
              {isWithheld(v) ? ` (${t('oversight.redact.already')})` : ''}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('oversight.redact.reason')}
        <input name="redact-reason" value={f.reason} onChange={(e) => setF({ ...f, reason: e.target.value })} />
      </label>
      <label>
        {t('oversight.redact.until')}
        <input
          name="redact-until"
          type="date"
          value={f.until}
          onChange={(e) => setF({ ...f, until: e.target.value })}
        />
      </label>
      <button name="redact" onClick={redact}>
        {t('oversight.redact.submit')}
      </button>
      {done && (
        <p role="status" className="note" data-testid="redact-done">
          {done}
        </p>
      )}
      <ProblemNote error={error} testId="redact-error" />
    </div>
  );
}

/** Consultation comments are answered in each system's workspace: this lists how many wait, with the way there. */
export function CommentLinks({ systems }: { systems: SystemRow[] }) {
  const { t } = useTranslation();
  const [waiting, setWaiting] = useState<Record<string, number>>({});
  useEffect(() => {
    for (const s of systems)
      void api<PublicEntry>(`/api/register/${s.id}`)
        .then((e) => setWaiting((w) => ({ ...w, [s.id]: e.comments.filter((c) => !c.response).length })))
        .catch(() => undefined);
  }, [systems]);
  return (
    <div className="panel" data-testid="comment-links">
      <h2>{t('oversight.comments.title')}</h2>
      <p className="note">{t('oversight.comments.help')}</p>
      <ul>
        {systems.map((s) => (
          <li key={s.id}>
            <a
              href={`/systems/${s.id}`}
              data-testid="comments-link"
              data-system={s.id}
              onClick={(e) => {
                e.preventDefault();
                navigate(`/systems/${s.id}`);
              }}
            >
              {s.name}
            </a>{' '}
            · {t('oversight.comments.waiting', { n: waiting[s.id] ?? 0 })}
          </li>
        ))}
      </ul>
    </div>
  );
}
