import * as Plot from '@observablehq/plot';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { render, storedMessage } from '../../../src/domain/messages';
import { api } from '../api';
import { ProblemNote } from '../components/ProblemNote';
import { formatDate } from '../time';
import { IntervalChart } from '../components/IntervalChart';
import { PlaceAuditReport, type PlaceAudit } from './PlaceAuditReport';

interface Rate {
  value: number | null;
  interval: [number, number];
}
interface Group {
  group: string;
  n: number;
  counts: Record<string, number>;
  rates: Record<string, Rate>;
  estimable: boolean;
}
interface Disp {
  metric: string;
  reference: string | null;
  groups: {
    group: string;
    ratio: number | null;
    ratioInterval: [number, number] | null;
    pValue: number | null;
    verdict: string;
  }[];
}
type Flag = 'pass' | 'fail' | 'insufficient-data' | 'undefined' | 'small' | 'missing';
type Block =
  | { type: 'paragraph'; text: string }
  | { type: 'facts'; items: { label: string; value: string }[] }
  | {
      type: 'table';
      id: string;
      caption: string;
      columns: { key: string; label: string }[];
      rows: { display: string; flag?: Flag }[][];
    }
  | {
      type: 'interval-chart';
      id: string;
      caption: string;
      axis: { label: string; domain: [number, number] | 'auto'; reference?: number };
      points: { label: string; series: string; value: number; lo: number; hi: number }[];
    }
  | { type: 'warnings'; items: string[] };
/** The fairness library's report model (src/fairness/report.ts), rendered as it is: sections of blocks. */
interface ReportModel {
  title: string;
  verdict: string;
  headline: string;
  failures: string[];
  sections: { id: string; title: string; blocks: Block[] }[];
}

/** A report of any kind from its model: the page a published place-based audit shows. */
function GenericReport({
  a,
  r,
}: {
  a: { id: number; runAt: string; inputsSha256: string; logIndex: number };
  r: ReportModel;
}) {
  const { t } = useTranslation();
  return (
    <section data-testid="audit-report">
      <h1>
        {r.title} #{a.id} —{' '}
        <span data-testid="audit-verdict">
          {r.verdict === 'pass' ? t('audit.passed') : r.verdict === 'fail' ? t('audit.failed') : r.verdict}
        </span>
      </h1>
      <p className="note">
        {r.headline} ·{' '}
        {t('audit.runMeta', { date: formatDate(a.runAt), hash: a.inputsSha256.slice(0, 16), index: a.logIndex })}
      </p>
      {r.failures.length > 0 && (
        <ul className="error">
          {r.failures.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      )}
      {r.sections.map((sec) => (
        <div key={sec.id} data-section={sec.id}>
          <h3>{t(`audit.section.${sec.id}`, { defaultValue: sec.title })}</h3>
          {sec.blocks.map((b, i) => {
            if (b.type === 'paragraph') return <p key={i}>{b.text}</p>;
            if (b.type === 'facts')
              return (
                <dl key={i} className="facts">
                  {b.items.map((x) => (
                    <div key={x.label}>
                      <dt>{x.label}</dt>
                      <dd>{x.value}</dd>
                    </div>
                  ))}
                </dl>
              );
            if (b.type === 'warnings')
              return (
                <ul key={i} className="note">
                  {b.items.map((w) => (
                    <li key={w}>{w}</li>
                  ))}
                </ul>
              );
            if (b.type === 'interval-chart') return <IntervalChart key={i} b={b} />;
            return (
              <table key={i} className="register" data-testid={`table-${b.id}`}>
                <caption>{b.caption}</caption>
                <thead>
                  <tr>
                    {b.columns.map((c) => (
                      <th key={c.key}>{c.label}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {b.rows.map((row, j) => (
                    <tr key={j}>
                      {row.map((c, k) => (
                        <td key={k} className={c.flag ?? ''}>
                          {c.display}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            );
          })}
        </div>
      ))}
    </section>
  );
}

/**
 * An audit with no report model of its own (the feedback-loop stress test, proxy detection): its kind,
 * verdict and headline figure in words; the stored record only in the technical fold.
 */
function OtherAudit({ a }: { a: Audit }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language.startsWith('ko') ? 'ko' : 'en';
  const stress = a.kind === 'forecaster-stress' ? (a.report as unknown as StressReport) : null;
  return (
    <section data-testid="audit-report" data-kind={a.kind}>
      <h1>
        {t(stress ? 'audit.stress.title' : 'audit.other.title')} #{a.id} —{' '}
        <span data-testid="audit-verdict">{a.passed ? t('audit.passed') : t('audit.failed')}</span>
      </h1>
      <p className="note">
        {t('audit.runMeta', { date: formatDate(a.runAt), hash: a.inputsSha256.slice(0, 16), index: a.logIndex })}
      </p>
      {stress?.reportedOnly && stress.withDiscovered && (
        <p className={a.passed ? '' : 'error'} data-testid="stress-summary">
          {t(a.passed ? 'systems.stressPassed' : 'systems.stressFailed', {
            reported: stress.reportedOnly.meanDistance.toFixed(3),
            discovered: stress.withDiscovered.meanDistance.toFixed(3),
          })}
        </p>
      )}
      {Array.isArray(stress?.reasons) && stress.reasons.length > 0 && (
        <ul className="note" data-testid="stress-reasons">
          {stress.reasons.map((r, i) => (
            <li key={i}>{render(storedMessage(r), lang)}</li>
          ))}
        </ul>
      )}
      <details className="technical">
        <summary>{t('oversight.technical')}</summary>
        <pre>{JSON.stringify(a.report, null, 2)}</pre>
      </details>
    </section>
  );
}
interface StressReport {
  /** Messages (`stress.*`), or English sentences in reports stored before they were coded: both are shown. */
  reasons?: unknown[];
  reportedOnly?: { meanDistance: number };
  withDiscovered?: { meanDistance: number };
}

interface Audit {
  id: number;
  systemId: string;
  passed: boolean;
  runAt: string;
  inputsSha256: string;
  logIndex: number;
  kind?: string;
  report: {
    total: number;
    band: [number, number];
    failures: string[];
    warnings: string[];
    guidance: { when: string; metric: string; why: string }[];
    dimensions: { attributes: string[]; groups: Group[]; disparities: Disp[]; missingLabels: number }[];
  };
}
const SHOWN = ['FPR', 'FNR', 'PPR', 'PPV'];
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

/** A published bias audit: every number with its interval, small groups flagged, verdicts by band. */
export function AuditReport({ id }: { id: string }) {
  const { t } = useTranslation();
  const [a, setA] = useState<Audit | null>(null);
  const [error, setError] = useState<unknown>(null);
  const chart = useRef<HTMLDivElement>(null);
  useEffect(() => void api<Audit>(`/api/audits/${id}`).then(setA).catch(setError), [id]);
  useEffect(() => {
    if (!a || !chart.current || !a.report.dimensions) return;
    const d = a.report.dimensions[0];
    const data = d.groups
      .filter((g) => g.estimable)
      .flatMap((g) =>
        ['FPR', 'FNR'].map((m) => ({
          group: g.group,
          metric: m,
          value: g.rates[m].value ?? 0,
          lo: g.rates[m].interval[0],
          hi: g.rates[m].interval[1],
        })),
      );
    const svg = Plot.plot({
      marginLeft: 140,
      width: 640,
      height: 40 + 28 * data.length,
      x: { label: t('audit.rate'), domain: [0, 1], grid: true },
      y: { label: null },
      color: { legend: true },
      marks: [
        Plot.ruleY(data, { y: (r) => `${r.group} · ${r.metric}`, x1: 'lo', x2: 'hi', stroke: 'metric' }),
        Plot.dot(data, { y: (r) => `${r.group} · ${r.metric}`, x: 'value', fill: 'metric', r: 4 }),
      ],
    });
    chart.current.replaceChildren(svg);
  }, [a, t]);
  if (error) return <ProblemNote error={error} />;
  if (!a) return <p>{t('map.loading')}</p>;
  if (a.kind === 'place-based' && (a.report as unknown as { result?: unknown }).result)
    return <PlaceAuditReport a={a as unknown as PlaceAudit} />;
  const model = (a.report as unknown as { report?: ReportModel }).report;
  if (a.kind !== 'person-level' && !model?.sections) return <OtherAudit a={a} />;
  if (a.kind !== 'person-level' && model?.sections) return <GenericReport a={a} r={model} />;
  return (
    <section data-testid="audit-report">
      <h1>
        {t('audit.title')} #{a.id} —{' '}
        <span data-testid="audit-verdict">{a.passed ? t('audit.passed') : t('audit.failed')}</span>
      </h1>
      <p className="note">
        {t('audit.meta', {
          n: a.report.total,
          date: formatDate(a.runAt),
          band: a.report.band.join('–'),
          hash: a.inputsSha256.slice(0, 16),
          index: a.logIndex,
        })}
      </p>
      {a.report.failures.length > 0 && (
        <ul className="error">
          {a.report.failures.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      )}
      <div ref={chart} data-testid="audit-chart" />
      {a.report.dimensions.map((d) => (
        <div key={d.attributes.join('×')}>
          <h3>{d.attributes.join(' × ')}</h3>
          <table className="register">
            <thead>
              <tr>
                <th>{t('audit.group')}</th>
                <th>n</th>
                {SHOWN.map((m) => (
                  <th key={m}>{m}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {d.groups.map((g) => (
                <tr key={g.group} className={g.estimable ? '' : 'small'}>
                  <td>
                    {g.group}
                    {!g.estimable && ` (${t('audit.small')})`}
                  </td>
                  <td>{g.n}</td>
                  {SHOWN.map((m) => (
                    <td key={m}>
                      {pct(g.rates[m].value)}{' '}
                      <span className="note">
                        [{pct(g.rates[m].interval[0])}, {pct(g.rates[m].interval[1])}]
                      </span>
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <table className="register" data-testid="disparities">
            <thead>
              <tr>
                <th>{t('audit.metric')}</th>
                <th>{t('audit.group')}</th>
                <th>{t('audit.ratio')}</th>
                <th>p</th>
                <th>{t('audit.verdict')}</th>
              </tr>
            </thead>
            <tbody>
              {d.disparities
                .filter((x) => SHOWN.includes(x.metric))
                .flatMap((x) =>
                  x.groups.map((g) => (
                    <tr key={`${x.metric}-${g.group}`}>
                      <td>
                        {x.metric} vs {x.reference}
                      </td>
                      <td>{g.group}</td>
                      <td>
                        {g.ratio === null ? '—' : g.ratio.toFixed(2)}{' '}
                        {g.ratioInterval && (
                          <span className="note">
                            [{g.ratioInterval[0].toFixed(2)}, {g.ratioInterval[1].toFixed(2)}]
                          </span>
                        )}
                      </td>
                      <td>{g.pValue === null ? '—' : g.pValue.toExponential(1)}</td>
                      <td>{t(`audit.v.${g.verdict}`)}</td>
                    </tr>
                  )),
                )}
            </tbody>
          </table>
        </div>
      ))}
      {a.report.warnings.length > 0 && (
        <>
          <h3>{t('audit.warnings')}</h3>
          <ul>
            {a.report.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </>
      )}
      <h3>{t('audit.guidance')}</h3>
      <ul>
        {a.report.guidance.map((g) => (
          <li key={g.when}>
            <strong>{g.when}</strong>: {g.metric} — {g.why}
          </li>
        ))}
      </ul>
    </section>
  );
}
