import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { formatDate, formatDateTime } from '../time';
import { navigate } from '../router';

interface Row {
  id: string;
  name: string;
  version: number;
  state: string;
  purpose: string | null;
  deployingUnit: string | null;
  assessment: { level: number; status: string } | null;
  latestAudit: { kind: string; passed: boolean; runAt: string } | null;
  /** The published audit that opened this version's gate (recorded at activation). */
  gateAudit: { id: number; kind: string; passed: boolean; runAt: string; policyVersion: string | null } | null;
}

const LEVELS = ['', 'I', 'II', 'III', 'IV'];

/** The public register: every police AI system, for anyone, without signing in. */
export function Register() {
  const { t } = useTranslation();
  const [rows, setRows] = useState<Row[] | null>(null);
  useEffect(() => {
    void api<Row[]>('/api/register').then(setRows);
  }, []);
  return (
    <section>
      <h1>{t('register.title')}</h1>
      <p className="note">{t('register.intro')}</p>
      {rows && rows.length === 0 && <p>{t('register.empty')}</p>}
      {rows && rows.length > 0 && (
        <table className="register" data-testid="register-table">
          <thead>
            <tr>
              <th>{t('register.system')}</th>
              <th>{t('register.unit')}</th>
              <th>{t('register.status')}</th>
              <th>{t('register.level')}</th>
              <th>{t('register.audit')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-system={r.id}>
                <td>
                  <a
                    href={`/register/${r.id}`}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(`/register/${r.id}`);
                    }}
                  >
                    {r.name}
                  </a>
                  <div className="note">{r.purpose}</div>
                </td>
                <td>{r.deployingUnit}</td>
                <td>
                  <span className={`state state-${r.state}`} data-testid="state">
                    {t(`state.${r.state}`)}
                  </span>{' '}
                  (v{r.version})
                </td>
                <td>
                  {r.assessment ? `${LEVELS[r.assessment.level]} · ${t(`assessment.${r.assessment.status}`)}` : '—'}
                </td>
                <td>
                  {r.latestAudit
                    ? `${r.latestAudit.kind}: ${r.latestAudit.passed ? t('audit.passed') : t('audit.failed')} (${formatDate(r.latestAudit.runAt)})`
                    : '—'}
                  {r.gateAudit && (
                    <div className="note" data-testid="gate-audit">
                      <a href={`/audits/${r.gateAudit.id}`}>
                        {t('audit.openedGate', { id: r.gateAudit.id, policy: r.gateAudit.policyVersion ?? '—' })}
                      </a>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

interface Detail {
  id: string;
  name: string;
  version: number;
  state: string;
  record: Record<string, unknown>;
  classification: {
    status: string;
    euAiAct: { category: string; basis: { provision: string; reason: string; reasonKo: string }[] };
    korea: {
      highImpact: boolean;
      basis: { provision: string; provisionKo?: string; reason: string; reasonKo: string }[];
    };
  };
  assessment: { level: number; status: string; decisionReason: string | null } | null;
  modelCard: Record<string, unknown> | null;
  comments: {
    id: number;
    author: string;
    body: string;
    createdAt: string;
    response: string | null;
    responseKind: string | null;
  }[];
  audits: { id: number; kind: string; passed: boolean; runAt: string; logIndex: number | null }[];
  transitions: { version: number; from: string; to: string; reason: string; at: string; logIndex: number }[];
  versions: { version: number; state: string; updatedAt: string }[];
}

function Value({ v }: { v: unknown }) {
  const { t } = useTranslation();
  if (v && typeof v === 'object' && (v as { redacted?: boolean }).redacted) {
    const r = v as { legalReason: string; expiresAt: string };
    return (
      <span className="redacted" data-testid="redacted">
        {t('register.redacted', { reason: r.legalReason, until: r.expiresAt.slice(0, 10) })}
      </span>
    );
  }
  if (Array.isArray(v))
    return (
      <ul>
        {v.map((x, i) => (
          <li key={i}>
            <Value v={x} />
          </li>
        ))}
      </ul>
    );
  if (v && typeof v === 'object') {
    return (
      <dl className="record">
        {Object.entries(v as Record<string, unknown>).map(([k, x]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd translate="no">
              <Value v={x} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return <>{String(v ?? '—')}</>;
}

export function RegisterEntry({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const ko = i18n.language.startsWith('ko');
  const [d, setD] = useState<Detail | null>(null);
  const [version, setVersion] = useState<number | undefined>(undefined);
  const [author, setAuthor] = useState('');
  const [body, setBody] = useState('');
  const [sent, setSent] = useState(false);
  const load = () => void api<Detail>(`/api/register/${id}${version ? `?version=${version}` : ''}`).then(setD);
  useEffect(load, [id, version]);
  if (!d) return <p>{t('map.loading')}</p>;
  return (
    <section>
      <h1>
        {d.name} <small>v{d.version}</small>
      </h1>
      <p>
        <span className={`state state-${d.state}`} data-testid="state">
          {t(`state.${d.state}`)}
        </span>
        {d.assessment && (
          <>
            {' '}
            · {t('register.level')} {LEVELS[d.assessment.level]} ({t(`assessment.${d.assessment.status}`)})
          </>
        )}
      </p>
      {d.versions.length > 1 && (
        <p data-testid="versions">
          {t('register.versions')}:{' '}
          {d.versions.map((x) => (
            <button
              key={x.version}
              name={`version-${x.version}`}
              disabled={x.version === d.version}
              onClick={() => setVersion(x.version)}
            >
              v{x.version} · {t(`state.${x.state}`)}
            </button>
          ))}
        </p>
      )}
      <h3>{t('register.legal')}</h3>
      <ul data-testid="classification">
        <li>
          <strong>{t('register.euAiAct')}</strong>: {t(`register.eu.${d.classification.euAiAct.category}`)} —{' '}
          {d.classification.euAiAct.basis.map((b) => `${b.provision}: ${ko ? b.reasonKo : b.reason}`).join('; ')}
        </li>
        <li>
          <strong>{t('register.korea')}</strong>:{' '}
          {d.classification.korea.highImpact ? t('register.highImpact') : t('register.notHighImpact')} —{' '}
          {d.classification.korea.basis
            .map((b) => `${ko && b.provisionKo ? b.provisionKo : b.provision}: ${ko ? b.reasonKo : b.reason}`)
            .join('; ')}
        </li>
      </ul>
      <h3>{t('register.record')}</h3>
      <Value v={d.record} />
      {d.modelCard && (
        <>
          <h3>{t('register.modelCard')}</h3>
          <Value v={d.modelCard} />
        </>
      )}
      {d.audits.length > 0 && (
        <>
          <h3>{t('nav.audits')}</h3>
          <ul>
            {d.audits.map((x) => (
              <li key={x.id}>
                <a
                  href={`/audits/${x.id}`}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`/audits/${x.id}`);
                  }}
                >
                  {x.kind} · {formatDate(x.runAt)} · {x.passed ? t('audit.passed') : t('audit.failed')}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>{t('register.history')}</h3>
      <ol className="history">
        {d.transitions.map((x, i) => (
          <li key={i}>
            {formatDateTime(x.at)} · v{x.version} {t(`state.${x.from}`)} → {t(`state.${x.to}`)}: {x.reason}{' '}
            <a href={`/log`}>#{x.logIndex}</a>
          </li>
        ))}
      </ol>
      <h3>{t('register.consultation')}</h3>
      {d.comments.map((c) => (
        <blockquote key={c.id}>
          <strong>{c.author}</strong>: {c.body}
          {c.response && (
            <p className="response">
              {t(c.responseKind === 'acknowledgement' ? 'register.acknowledged' : 'register.response')}: {c.response}
            </p>
          )}
        </blockquote>
      ))}
      {d.state === 'consultation' && !sent && (
        <form
          className="comment"
          onSubmit={async (e) => {
            e.preventDefault();
            await api(`/api/systems/${d.id}/versions/${d.version}/comments`, {
              method: 'POST',
              body: JSON.stringify({ author, body }),
            });
            setSent(true);
            load();
          }}
        >
          <label>
            {t('register.yourName')}
            <input name="author" value={author} onChange={(e) => setAuthor(e.target.value)} />
          </label>
          <label>
            {t('register.comment')}
            <textarea name="comment" rows={4} value={body} onChange={(e) => setBody(e.target.value)} />
          </label>
          <button type="submit">{t('register.send')}</button>
        </form>
      )}
    </section>
  );
}
