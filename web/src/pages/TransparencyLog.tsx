import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';
import { ProblemNote } from '../components/ProblemNote';
import { verifyReceipt, type ReceiptResult } from '../log/verify-receipt';
import { formatDateTime } from '../time';

/**
 * A verified entry in words (what, who, when, about what; the leaf holds no personal data, only its payload's
 * hash), with the entry exactly as recorded in a technical fold.
 */
function EntryInWords({ entry, index }: { entry: string; index: number }) {
  const { t } = useTranslation();
  let e: { type?: string; actor?: string; time?: string; subjects?: string[] } = {};
  try {
    e = JSON.parse(entry) as typeof e;
  } catch {
    // not JSON: only the fold below
  }
  return (
    <>
      {e.type && (
        <p data-testid="verified-entry">
          {t('log.entryWords', {
            index,
            type: e.type,
            actor: e.actor ?? '—',
            time: e.time ? formatDateTime(e.time) : '—',
            subjects: e.subjects?.length ? e.subjects.join(', ') : '—',
          })}
        </p>
      )}
      <details className="technical">
        <summary>{t('log.entryTechnical')}</summary>
        <pre className="entry" translate="no">
          {entry}
        </pre>
      </details>
    </>
  );
}

interface Keys {
  origin: string;
  verifierKeys: string[];
  witnessKeys: string[];
}

/** Public page: the current signed checkpoint, and a receipt checked in this browser. */
export function TransparencyLog() {
  const { t, i18n } = useTranslation();
  const [checkpoint, setCheckpoint] = useState<string | null>(null);
  const [keys, setKeys] = useState<Keys | null>(null);
  const [index, setIndex] = useState('0');
  const [receipt, setReceipt] = useState('');
  const [vkey, setVkey] = useState('');
  const [result, setResult] = useState<ReceiptResult | null>(null);
  const [receiptError, setReceiptError] = useState<unknown>(null);

  useEffect(() => {
    void fetch('/log/checkpoint').then(async (r) => setCheckpoint(r.ok ? await r.text() : null));
    void fetch('/api/log/verifier-keys').then(async (r) => {
      const k = (await r.json()) as Keys;
      setKeys(k);
      setVkey((v) => v || k.verifierKeys[0] || '');
    });
  }, []);

  const fetchReceipt = async () => {
    const r = await fetch(`/api/log/receipt/${encodeURIComponent(index)}`, {
      headers: { 'accept-language': i18n.language },
    });
    setResult(null);
    // A refusal (no such entry) is a problem in the reader's language, never put in the receipt box.
    if (!r.ok) {
      setReceiptError(new ApiError((await r.json()) as ConstructorParameters<typeof ApiError>[0]));
      return;
    }
    setReceiptError(null);
    setReceipt(await r.text());
  };
  const lines = checkpoint?.split('\n') ?? [];

  return (
    <section className="log-page">
      <h1>{t('log.title')}</h1>
      <p className="note">{t('log.intro')}</p>
      {checkpoint ? (
        <dl className="checkpoint" data-testid="checkpoint">
          <dt>{t('log.origin')}</dt>
          <dd>{lines[0]}</dd>
          <dt>{t('log.size')}</dt>
          <dd data-testid="log-size">{lines[1]}</dd>
          <dt>{t('log.root')}</dt>
          <dd>
            <code>{lines[2]}</code>
          </dd>
          <dt>{t('log.signatures')}</dt>
          <dd>
            {lines
              .filter((l) => l.startsWith('\u2014 '))
              .map((l) => (
                <div key={l}>
                  <code>{l.split(' ')[1]}</code>
                </div>
              ))}
          </dd>
        </dl>
      ) : (
        <p>{t('log.empty')}</p>
      )}
      {keys && (
        <p className="note">
          {t('log.keys')}:{' '}
          {keys.verifierKeys.map((k) => (
            <code key={k} className="vkey">
              {k}
            </code>
          ))}
        </p>
      )}
      <h3>{t('log.verifyTitle')}</h3>
      <p className="note">{t('log.verifyIntro')}</p>
      <div className="receipt-form">
        <label>
          {t('log.index')}
          <input name="index" value={index} onChange={(e) => setIndex(e.target.value)} />
        </label>
        <button onClick={fetchReceipt}>{t('log.fetchReceipt')}</button>
        <ProblemNote error={receiptError} testId="receipt-error" />
        <label className="wide">
          {t('log.receipt')}
          <textarea name="receipt" rows={8} value={receipt} onChange={(e) => setReceipt(e.target.value)} />
        </label>
        <label className="wide">
          {t('log.trustedKey')}
          <input name="vkey" value={vkey} onChange={(e) => setVkey(e.target.value)} />
        </label>
        <button onClick={async () => setResult(await verifyReceipt(receipt, vkey))}>{t('log.verify')}</button>
      </div>
      {result && (
        <div
          className={result.ok ? 'verified ok' : 'verified bad'}
          data-testid="verify-result"
          data-ok={String(result.ok)}
        >
          <strong>{result.ok ? t('log.valid') : t('log.invalid')}</strong>
          <ul>
            {result.steps.map((s, i) => (
              <li key={i}>
                {s.ok ? '✔' : '✘'} {t(`log.step.${s.label}`)}: {t(`log.check.${s.check.key}`, s.check.params)}
              </li>
            ))}
          </ul>
          {result.entry && <EntryInWords entry={result.entry} index={result.index ?? 0} />}
        </div>
      )}
    </section>
  );
}
