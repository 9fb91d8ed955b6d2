import { useTranslation } from 'react-i18next';
import { MESSAGES, render, type MessageCode, type MessageParams } from '../../../src/domain/messages';

/** A model card's evaluation figure, as the alert detail passes it on (src/review/reads.ts). */
export interface EvaluationFigure {
  name: string;
  value: number;
  interval: [number, number] | null;
  level: number;
  dataset: string;
}

interface Props {
  output: Record<string, unknown>;
  confidence: number | null;
  explanation: {
    summary: string;
    summaryCode?: string;
    summaryParams?: MessageParams;
    factors: { name: string; weight?: number; detail?: string; detailCode?: string; detailParams?: MessageParams }[];
  };
  subjectRef: string | null;
  /** The system's model card figures; null when it has no card with metrics. */
  evaluation?: EvaluationFigure[] | null;
  /** The alert's kind: a patrol mission's factors are its cells, weighed by forecast risk. */
  kind?: string;
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

const two = (v: number) => v.toFixed(2);

/**
 * A sentence of an alert's explanation. One Counterweight wrote with its message code is ours: shown in the
 * reader's language. Any other is the sender's text, shown as sent and marked as data.
 */
export function Sentence({ text, code, params }: { text: string; code?: string; params?: MessageParams }) {
  const { i18n } = useTranslation();
  if (!code || !(code in MESSAGES)) return <span translate="no">{text}</span>;
  return <span>{render({ code: code as MessageCode, params }, i18n.language.startsWith('ko') ? 'ko' : 'en')}</span>;
}

/**
 * Why an alert was raised, in words: the vendor's explanation (their text, marked as data), each named
 * factor as a sentence, each plain output value, the confidence with its meaning and what the model card
 * measured; raw JSON only in a fold.
 */
export function AlertExplanation({ output, confidence, explanation, subjectRef, evaluation, kind }: Props) {
  const { t } = useTranslation();
  const sentence = (text: string, code?: string, params?: MessageParams) => (
    <Sentence text={text} code={code} params={params} />
  );
  const simple = Object.entries(output)
    .map(([k, v]) => [k, plain(v)] as const)
    .filter(([, v]) => v !== null);
  return (
    <div className="explanation" data-testid="alert-explanation">
      <p>
        <strong>{t('review.why')}</strong>:{' '}
        {sentence(explanation.summary, explanation.summaryCode, explanation.summaryParams)}
      </p>
      {explanation.factors.length > 0 && (
        <>
          <p>{t('review.factors')}</p>
          <ul>
            {explanation.factors.map((f) => (
              <li key={f.name}>
                {f.weight !== undefined
                  ? t(kind === 'patrol-mission' ? 'review.missionFactorSentence' : 'review.factorSentence', {
                      name: f.name,
                      weight: two(f.weight),
                    })
                  : t('review.factorNoWeight', { name: f.name })}
                {f.detail ? (
                  <>
                    {' '}
                    <span className="note">{sentence(f.detail, f.detailCode, f.detailParams)}</span>
                  </>
                ) : null}
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
      <div data-testid="confidence">
        <p>
          {t('review.confidence')}:{' '}
          {confidence === null ? (
            t('review.noConfidence')
          ) : (
            <>
              {(confidence * 100).toFixed(0)}% — {t(`review.confidenceMeans.${confidenceBand(confidence)}`)}
            </>
          )}
          {evaluation && evaluation.length > 0 ? (
            <>
              <br />
              {t('review.cardIntro')}
            </>
          ) : (
            confidence !== null && (
              <>
                <br />
                {t('review.noCard')}
              </>
            )
          )}
        </p>
        {evaluation && evaluation.length > 0 && (
          <ul data-testid="evaluation">
            {evaluation.map((m) => (
              <li key={m.name}>
                <span translate="no">{m.name}</span>: {two(m.value)}
                {m.interval
                  ? ` ${t('review.cardInterval', { level: Math.round(m.level * 100), lo: two(m.interval[0]), hi: two(m.interval[1]) })}`
                  : ''}
                {m.dataset ? ` ${t('review.cardDataset', { dataset: m.dataset })}` : ''}
              </li>
            ))}
          </ul>
        )}
      </div>
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
