import { useTranslation } from 'react-i18next';

interface Props {
  output: Record<string, unknown>;
  confidence: number | null;
  explanation: { summary: string; factors: { name: string; weight?: number }[] };
  subjectRef: string | null;
}

/** The band a confidence falls in: the words say what it means for the reviewer, not just the number. */
export function confidenceBand(c: number): 'high' | 'moderate' | 'low' {
  return c >= 0.8 ? 'high' : c >= 0.5 ? 'moderate' : 'low';
}

const plain = (v: unknown): string | null =>
  typeof v === 'number'
    ? Number.isInteger(v)
      ? String(v)
      : v.toFixed(2)
    : typeof v === 'string' || typeof v === 'boolean'
      ? String(v)
      : null;

/**
 * Why an alert was raised, in words: the vendor's explanation (their text, marked as data), its factors with
 * their weights, each plain output value, the confidence with its meaning; raw JSON only in a fold.
 */
export function AlertExplanation({ output, confidence, explanation, subjectRef }: Props) {
  const { t } = useTranslation();
  const simple = Object.entries(output)
    .map(([k, v]) => [k, plain(v)] as const)
    .filter(([, v]) => v !== null);
  return (
    <div className="explanation" data-testid="alert-explanation">
      <p>
        <strong>{t('review.why')}</strong>: <span translate="no">{explanation.summary}</span>
      </p>
      {explanation.factors.length > 0 && (
        <>
          <p>{t('review.factors')}</p>
          <ul>
            {explanation.factors.map((f) => (
              <li key={f.name}>
                <span translate="no">{f.name}</span>
                {f.weight !== undefined ? ` — ${t('review.weight', { weight: f.weight.toFixed(2) })}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
      {simple.length > 0 && (
        <dl className="facts">
          {simple.map(([k, v]) => (
            <div key={k}>
              <dt translate="no">{k}</dt>
              <dd translate="no">{v}</dd>
            </div>
          ))}
        </dl>
      )}
      <p data-testid="confidence">
        {t('review.confidence')}:{' '}
        {confidence === null ? (
          t('review.noConfidence')
        ) : (
          <>
            {(confidence * 100).toFixed(0)}% — {t(`review.confidenceMeans.${confidenceBand(confidence)}`)}
          </>
        )}
      </p>
      <p className="note">
        {t('review.subject')}: <span translate="no">{subjectRef ?? '—'}</span>
      </p>
      <details>
        <summary>{t('review.technical')}</summary>
        <pre translate="no">{JSON.stringify({ output, confidence, explanation }, null, 2)}</pre>
      </details>
    </div>
  );
}
