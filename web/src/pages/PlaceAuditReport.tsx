import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { IntervalChart } from '../components/IntervalChart';
import { formatDate } from '../time';
import type { GroupExposure, PlaceAuditResult } from '../../../src/fairness';

/**
 * The stored place audit result, the fields this page reads: picked from the audit's own types
 * (src/fairness/place-audit.ts), so the page cannot drift from what the server stores.
 */
type PlaceGroup = Pick<
  GroupExposure,
  | 'group'
  | 'overlapsOthers'
  | 'estimable'
  | 'residents'
  | 'exposurePerResident'
  | 'ratioToReference'
  | 'populationShare'
  | 'exposureShare'
  | 'victimizationShare'
  | 'exposureToVictimization'
  | 'hitRate'
  | 'verdict'
> & { label?: GroupExposure['label'] };
export type PlaceResult = Pick<
  PlaceAuditResult,
  | 'band'
  | 'reference'
  | 'areas'
  | 'totalExposure'
  | 'unattributedExposure'
  | 'totalPopulation'
  | 'totalVictimization'
  | 'groupsOverlap'
  | 'overlappingGroups'
  | 'exposureModel'
  | 'exposureDisparity'
  | 'concentration'
  | 'hitRates'
> & { groups: PlaceGroup[]; exposureOutsideAreas?: number };
export interface PlaceAudit {
  id: number;
  runAt: string;
  inputsSha256: string;
  logIndex: number;
  report: {
    report: { verdict: 'pass' | 'fail' | 'insufficient-data'; provenance: Record<string, unknown> };
    result: PlaceResult;
  };
}

const num = (x: number | null | undefined, d = 2) =>
  x === null || x === undefined ? '—' : Number.isFinite(x) ? x.toFixed(d) : '∞';
const pct = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(1)}%`;
const pval = (p: number | null) => (p === null ? '—' : p < 1e-4 ? p.toExponential(1) : p.toFixed(4));

/**
 * A place-based audit of released missions, drawn from its stored result (numbers, group labels in both
 * languages) with every sentence from the i18n files: the server's English report model is for the PDF and
 * machines, this page reads in the reader's language. O(groups + areas).
 */
export function PlaceAuditReport({ a }: { a: PlaceAudit }) {
  const { t, i18n } = useTranslation();
  const ko = i18n.language.startsWith('ko');
  const r = a.report.result;
  const verdict = a.report.report.verdict;
  const exposure = a.report.report.provenance.exposure === 'measured' ? 'measured' : 'planned';
  const unit = t(`audit.place.unit.${exposure}`);
  const [lo, hi] = r.band;
  const name = (id: string) => {
    const g = r.groups.find((x) => x.group === id);
    return g?.label ? (ko ? g.label.ko : g.label.en) : id;
  };
  const what = t(`audit.place.yardstick.${r.exposureModel.yardstick}`);
  /** Why a group has its verdict: the same cases as the exposure model (src/fairness/exposure.ts). */
  const reason = (g: PlaceGroup) => {
    if (!g.estimable)
      return g.residents < r.exposureModel.rule.minResidents
        ? t('audit.place.reason.fewResidents', {
            n: Math.round(g.residents).toLocaleString(),
            min: r.exposureModel.rule.minResidents,
          })
        : t('audit.place.reason.fewIncidents', { min: r.exposureModel.rule.minVictimization });
    if (g.exposureToVictimization === null) return t('audit.place.reason.zero', { what });
    return t(g.verdict === 'fail' ? 'audit.place.reason.outside' : 'audit.place.reason.within', {
      ratio: g.exposureToVictimization.toFixed(3),
      what,
      lo,
      hi,
    });
  };
  const failures = r.groups.filter((g) => g.verdict === 'fail');
  const warnings: string[] = [];
  if (r.unattributedExposure > 0)
    warnings.push(
      t('audit.place.warn.unattributed', { n: num(r.unattributedExposure, 0), total: num(r.totalExposure, 0), unit }),
    );
  if (r.groupsOverlap)
    warnings.push(
      r.overlappingGroups.length
        ? t('audit.place.warn.overlapDeclared', { groups: r.overlappingGroups.map(name).join(', ') })
        : t('audit.place.warn.overlap'),
    );
  for (const g of r.groups)
    if (g.verdict === 'insufficient-data')
      warnings.push(t('audit.place.warn.group', { group: name(g.group), reason: reason(g) }));
  const fewTrials = r.hitRates?.areas.filter((x) => !x.estimable || x.rate === null).length ?? 0;
  if (fewTrials) warnings.push(t('audit.place.warn.fewTrials', { n: fewTrials }));
  if (r.exposureOutsideAreas) warnings.push(t('audit.place.warn.outside', { n: num(r.exposureOutsideAreas, 0), unit }));

  const chart = useMemo(
    () =>
      r.hitRates && {
        id: 'area-hit-rates',
        caption: t('audit.place.caption.hitRates'),
        axis: {
          label: t('audit.place.axis.hitRate'),
          domain: [0, 1] as [number, number],
          reference: r.hitRates.overall ?? undefined,
        },
        points: r.hitRates.areas
          .filter((x) => x.rate !== null)
          .map((x) => ({ label: x.area, series: 'hit', value: x.rate!, lo: x.interval[0], hi: x.interval[1] })),
      },
    [r, t],
  );
  const period = r.exposureModel.period;
  const facts = (items: [string, string][]) => (
    <dl className="facts">
      {items.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
  return (
    <section data-testid="audit-report" data-kind="place-based">
      <h1>
        {t('audit.place.title', { from: period?.from.slice(0, 10) ?? '—', to: period?.to.slice(0, 10) ?? '—' })} #{a.id}{' '}
        —{' '}
        <span data-testid="audit-verdict">
          {verdict === 'pass'
            ? t('audit.passed')
            : verdict === 'fail'
              ? t('audit.failed')
              : t('audit.v.insufficient-data')}
        </span>
      </h1>
      <p className="note" data-testid="audit-headline">
        {verdict === 'fail'
          ? t('audit.place.headline.fail', { count: failures.length, lo, hi })
          : verdict === 'pass'
            ? t('audit.place.headline.pass', { lo, hi })
            : t('audit.place.headline.none')}{' '}
        · {t('audit.runMeta', { date: formatDate(a.runAt), hash: a.inputsSha256.slice(0, 16), index: a.logIndex })}
      </p>
      {failures.length > 0 && (
        <ul className="error" data-testid="audit-failures">
          {failures.map((g) => (
            <li key={g.group}>
              {name(g.group)}: {reason(g)}
            </li>
          ))}
        </ul>
      )}
      <div data-section="overview">
        <h3>{t('audit.section.overview')}</h3>
        <p>{t('audit.place.assumption')}</p>
        {facts([
          [t('audit.place.fact.areas'), String(r.areas)],
          [t('audit.place.fact.total', { unit }), num(r.totalExposure, 0)],
          [t('audit.place.fact.residents'), r.totalPopulation.toLocaleString()],
          [
            t('audit.place.fact.victimization'),
            r.totalVictimization === null ? t('audit.place.notProvided') : num(r.totalVictimization, 0),
          ],
          [t('audit.place.fact.reference'), r.reference === 'all' ? t('audit.place.allResidents') : name(r.reference)],
          [t('audit.place.fact.band'), `${lo}–${hi}`],
          [t('audit.place.fact.unattributed', { unit }), num(r.unattributedExposure, 0)],
          [
            t('audit.place.fact.disparity'),
            r.exposureDisparity
              ? t('audit.place.disparity', {
                  ratio: num(r.exposureDisparity.ratio),
                  max: name(r.exposureDisparity.max),
                  min: name(r.exposureDisparity.min),
                })
              : '—',
          ],
        ])}
      </div>
      <div data-section="groups">
        <h3>{t('audit.section.groups')}</h3>
        <table className="register" data-testid="table-group-exposure">
          <caption>{t('audit.place.caption.groups', { unit })}</caption>
          <thead>
            <tr>
              <th>{t('audit.group')}</th>
              <th>{t('audit.place.col.residents')}</th>
              <th>{t('audit.place.col.perResident', { unit })}</th>
              <th>{t('audit.place.col.ratio')}</th>
              <th>{t('audit.place.col.populationShare')}</th>
              <th>{t('audit.place.col.exposureShare', { unit })}</th>
              <th>{t('audit.place.col.victimizationShare')}</th>
              <th>{t('audit.place.col.e2v')}</th>
              <th>{t('audit.place.col.hitRate')}</th>
              <th>{t('audit.verdict')}</th>
            </tr>
          </thead>
          <tbody>
            {r.groups.map((g) => (
              <tr key={g.group} className={g.verdict === 'insufficient-data' ? 'small' : ''}>
                <td>{name(g.group)}</td>
                <td>{Math.round(g.residents).toLocaleString()}</td>
                <td>{num(g.exposurePerResident, 4)}</td>
                <td>{num(g.ratioToReference)}</td>
                <td>{pct(g.populationShare)}</td>
                <td>{pct(g.exposureShare)}</td>
                <td>{pct(g.victimizationShare)}</td>
                <td>{num(g.exposureToVictimization)}</td>
                <td>{pct(g.hitRate)}</td>
                <td className={g.verdict}>{t(`audit.v.${g.verdict}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div data-section="concentration">
        <h3>{t('audit.section.concentration')}</h3>
        {facts([
          [t('audit.place.fact.giniAreas'), num(r.concentration.giniAcrossAreas, 3)],
          [t('audit.place.fact.giniResidents'), num(r.concentration.giniPerResidentWeighted, 3)],
          [t('audit.place.fact.topDecile', { unit }), pct(r.concentration.topDecileShare)],
        ])}
      </div>
      {r.hitRates && chart && (
        <div data-section="hit-rates">
          <h3>{t('audit.section.hit-rates')}</h3>
          {facts([
            [t('audit.place.fact.overallHitRate'), pct(r.hitRates.overall)],
            [
              t('audit.place.fact.hitParity'),
              r.hitRates.parity
                ? t('audit.place.hitParity', {
                    ratio: num(r.hitRates.parity.ratio),
                    highest: r.hitRates.parity.highest,
                    lowest: r.hitRates.parity.lowest,
                    p: pval(r.hitRates.parity.test.pValue),
                  })
                : '—',
            ],
          ])}
          <IntervalChart b={chart} />
        </div>
      )}
      {warnings.length > 0 && (
        <div data-section="warnings">
          <h3>{t('audit.section.warnings')}</h3>
          <ul className="note">
            {warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
