/**
 * The report model: audit results → one JSON document of sections, tables (every number with its
 * interval and a pre-formatted display string), interval charts, verdicts and warnings, that a web
 * page and a PDF renderer can both draw without recomputing anything. Pure; O(size of the result).
 *
 * Which metrics decide pass/fail follows the intervention: punitive (FPR, FDR, PPR), assistive
 * (FNR, TPR, PPR), or an explicit list; the choice is written into the report.
 */
import type { Interval } from './stats';
import { METRIC_INFO, type Metric, type PersonAuditResult } from './person-audit';
import type { PlaceAuditResult } from './place-audit';

export const REPORT_SCHEMA = 'counterweight.fairness-report/1';

export type Flag = 'pass' | 'fail' | 'insufficient-data' | 'undefined' | 'small' | 'missing';

/** A table cell: the raw value for machines, the display string for people. */
export interface Cell {
  value: number | string | null;
  display: string;
  interval?: Interval | null;
  flag?: Flag;
}

export interface Column {
  key: string;
  label: string;
  unit?: 'rate' | 'ratio' | 'count' | 'p' | 'text' | 'difference';
}

export type Block =
  | { type: 'paragraph'; text: string }
  | { type: 'facts'; items: { label: string; value: string }[] }
  | { type: 'table'; id: string; caption: string; columns: Column[]; rows: Cell[][] }
  | {
      type: 'interval-chart';
      id: string;
      caption: string;
      axis: { label: string; domain: [number, number] | 'auto'; reference?: number; band?: [number, number] };
      points: { label: string; series: string; value: number; lo: number; hi: number; flag?: Flag }[];
    }
  | { type: 'warnings'; items: string[] };

export interface Section {
  id: string;
  title: string;
  blocks: Block[];
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  kind: 'person-level' | 'place-based';
  title: string;
  verdict: 'pass' | 'fail' | 'insufficient-data';
  headline: string;
  failures: string[];
  /** Reproducibility: the caller's input hash, configuration, code version and seed, copied verbatim. */
  provenance: Record<string, string | number | boolean | null>;
  sections: Section[];
}

export type Intervention = 'punitive' | 'assistive' | 'general';

export const DECISIVE: Record<Intervention, Metric[]> = {
  punitive: ['FPR', 'FDR', 'PPR'],
  assistive: ['FNR', 'TPR', 'PPR'],
  general: ['FPR', 'FNR', 'PPR'],
};

const pct = (x: number | null | undefined, d = 1) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(d)}%`;
const num = (x: number | null | undefined, d = 2) =>
  x === null || x === undefined ? '—' : Number.isFinite(x) ? x.toFixed(d) : '∞';
const pval = (p: number | null) => (p === null ? '—' : p < 1e-4 ? p.toExponential(1) : p.toFixed(4));
const rateCell = (v: number | null, iv: Interval | null | undefined, flag?: Flag): Cell => ({
  value: v,
  display: iv && v !== null ? `${pct(v)} [${pct(iv[0])}, ${pct(iv[1])}]` : pct(v),
  interval: iv ?? null,
  ...(flag ? { flag } : {}),
});
const countCell = (v: number): Cell => ({ value: v, display: v.toLocaleString('en-US') });
const text = (s: string, flag?: Flag): Cell => ({ value: s, display: s, ...(flag ? { flag } : {}) });

export interface PersonReportOptions {
  title?: string;
  intervention?: Intervention;
  /** Overrides the intervention's decisive metrics. */
  decisiveMetrics?: Metric[];
  /** Metrics shown in the group tables (default: all ten). */
  shownMetrics?: Metric[];
  provenance?: Report['provenance'];
}

/** A person-level audit as a report. */
export function personAuditReport(a: PersonAuditResult, o: PersonReportOptions = {}): Report {
  const intervention = o.intervention ?? 'general';
  const decisive = o.decisiveMetrics ?? DECISIVE[intervention];
  const shown = o.shownMetrics ?? (Object.keys(METRIC_INFO) as Metric[]);
  const failures: string[] = [];
  let anyVerdict = false;
  for (const d of a.dimensions)
    for (const x of d.disparities) {
      if (!decisive.includes(x.metric)) continue;
      for (const g of x.groups) {
        if (g.verdict === 'pass' || g.verdict === 'fail') anyVerdict = true;
        if (g.verdict === 'fail')
          failures.push(
            `${d.attributes.join(' × ')}: ${g.group} ${x.metric} ${pct(g.value)} vs ${x.reference} ${pct(x.referenceValue)} — ratio ${num(g.ratio)} [${num(g.ratioInterval?.[0])}, ${num(g.ratioInterval?.[1])}] outside ${a.band[0]}–${a.band[1]}`,
          );
      }
    }
  const verdict = failures.length ? 'fail' : anyVerdict ? 'pass' : 'insufficient-data';
  const sections: Section[] = [
    {
      id: 'overview',
      title: 'Overview',
      blocks: [
        {
          type: 'facts',
          items: [
            { label: 'people audited', value: a.total.toLocaleString('en-US') },
            {
              label: 'flagged by the system',
              value: `${a.flagged.toLocaleString('en-US')} (${pct(a.total ? a.flagged / a.total : null)})`,
            },
            { label: 'intervention', value: intervention },
            { label: 'decisive metrics', value: decisive.join(', ') },
            { label: 'pass band (ratio to reference)', value: `${a.band[0]}–${a.band[1]}` },
            { label: 'minimum group size for a verdict', value: String(a.minGroupSize) },
            {
              label: 'intervals',
              value: `${Math.round(a.confidence * 100)}% (Wilson for rates, Katz log for ratios, Newcombe for differences)`,
            },
            ...a.missing.map((m) => ({
              label: `missing ${m.dimension} label`,
              value: `${m.count} row(s), policy: ${m.policy}`,
            })),
          ],
        },
        ...(failures.length ? [{ type: 'warnings' as const, items: failures }] : []),
      ],
    },
  ];
  for (const d of a.dimensions) {
    const dimTitle = d.attributes.join(' × ');
    const groupRows: Cell[][] = d.groups.map((g) => [
      text(g.group, g.missing ? 'missing' : g.estimable ? undefined : 'small'),
      countCell(g.n),
      countCell(g.counts.TP),
      countCell(g.counts.FP),
      countCell(g.counts.TN),
      countCell(g.counts.FN),
      ...shown.map((m) => rateCell(g.rates[m].value, g.rates[m].interval)),
      rateCell(g.shareOfFlagged, g.shareOfFlaggedInterval),
      rateCell(g.shareOfPopulation, null),
    ]);
    const dispRows: Cell[][] = d.disparities.flatMap((x) =>
      x.groups.map((g) => [
        text(x.metric),
        text(g.group),
        text(`${x.reference} (${x.referenceRule})`),
        rateCell(g.value, null),
        {
          value: g.ratio,
          display: g.ratioInterval
            ? `${num(g.ratio)} [${num(g.ratioInterval[0])}, ${num(g.ratioInterval[1])}]`
            : num(g.ratio),
          interval: g.ratioInterval,
        },
        {
          value: g.difference,
          display: g.differenceInterval
            ? `${pct(g.difference)} [${pct(g.differenceInterval[0])}, ${pct(g.differenceInterval[1])}]`
            : pct(g.difference),
          interval: g.differenceInterval,
        },
        { value: g.pValue, display: `${pval(g.pValue)}${g.test ? ` (${g.test.method})` : ''}` },
        text(g.verdict, g.verdict),
        text(decisive.includes(x.metric) ? 'yes' : 'no'),
      ]),
    );
    const chartMetrics: Metric[] = [...decisive.filter((m) => m !== 'PPR').slice(0, 2), 'PPR'];
    const s = d.summary;
    sections.push({
      id: `dimension-${d.key}`,
      title: `By ${dimTitle}`,
      blocks: [
        {
          type: 'table',
          id: `groups-${d.key}`,
          caption: `Confusion counts and rates by ${dimTitle}, with ${Math.round(a.confidence * 100)}% intervals`,
          columns: [
            { key: 'group', label: 'group', unit: 'text' },
            { key: 'n', label: 'n', unit: 'count' },
            { key: 'TP', label: 'TP', unit: 'count' },
            { key: 'FP', label: 'FP', unit: 'count' },
            { key: 'TN', label: 'TN', unit: 'count' },
            { key: 'FN', label: 'FN', unit: 'count' },
            ...shown.map((m) => ({ key: m, label: m, unit: 'rate' as const })),
            { key: 'shareOfFlagged', label: 'share of flagged', unit: 'rate' },
            { key: 'shareOfPopulation', label: 'share of people', unit: 'rate' },
          ],
          rows: groupRows,
        },
        {
          type: 'interval-chart',
          id: `rates-${d.key}`,
          caption: `${chartMetrics.join(', ')} by ${dimTitle} (groups too small for a verdict are marked)`,
          axis: { label: 'rate', domain: [0, 1] },
          points: d.groups.flatMap((g) =>
            chartMetrics.map((m) => ({
              label: g.group,
              series: m,
              value: g.rates[m].value ?? 0,
              lo: g.rates[m].interval[0],
              hi: g.rates[m].interval[1],
              ...(g.estimable ? {} : { flag: 'small' as const }),
            })),
          ),
        },
        {
          type: 'table',
          id: `disparities-${d.key}`,
          caption: `Disparities against the reference group; verdict within ${a.band[0]}–${a.band[1]}`,
          columns: [
            { key: 'metric', label: 'metric', unit: 'text' },
            { key: 'group', label: 'group', unit: 'text' },
            { key: 'reference', label: 'reference', unit: 'text' },
            { key: 'value', label: 'rate', unit: 'rate' },
            { key: 'ratio', label: 'ratio [95% CI]', unit: 'ratio' },
            { key: 'difference', label: 'difference [95% CI]', unit: 'difference' },
            { key: 'p', label: 'p (test)', unit: 'p' },
            { key: 'verdict', label: 'verdict', unit: 'text' },
            { key: 'decisive', label: 'decisive', unit: 'text' },
          ],
          rows: dispRows,
        },
        {
          type: 'interval-chart',
          id: `ratios-${d.key}`,
          caption: `Ratio to the reference for the decisive metrics (band ${a.band[0]}–${a.band[1]})`,
          axis: { label: 'ratio to reference', domain: 'auto', reference: 1, band: a.band },
          points: d.disparities
            .filter((x) => decisive.includes(x.metric))
            .flatMap((x) =>
              x.groups
                .filter((g) => g.ratio !== null && g.ratioInterval)
                .map((g) => ({
                  label: g.group,
                  series: x.metric,
                  value: g.ratio!,
                  lo: g.ratioInterval![0],
                  hi: g.ratioInterval![1],
                  flag: g.verdict,
                })),
            ),
        },
        {
          type: 'facts',
          items: [
            {
              label: 'demographic parity, all groups as Fairlearn defines it (PPR max − min; min ÷ max)',
              value: `${pct(s.demographicParity.difference)}; ${num(s.demographicParity.ratio, 3)}`,
            },
            {
              label: 'equalized odds, all groups as Fairlearn defines it (larger of TPR and FPR gaps; smaller ratio)',
              value: `${pct(s.equalizedOdds.difference)}; ${num(s.equalizedOdds.ratio, 3)}`,
            },
            { label: 'equal opportunity, all groups (TPR gap)', value: pct(s.equalOpportunity.difference) },
            { label: 'predictive parity, all groups (PPV gap)', value: pct(s.predictiveParity.difference) },
            { label: 'groups compared', value: s.groupsCompared.join(', ') || '—' },
            {
              label: `groups too small for a verdict (< ${s.estimableGroupsOnly.minGroupSize} people), included above`,
              value: s.smallGroups.map((g) => `${g.group} (${g.n})`).join(', ') || '—',
            },
            {
              label: "groups whose rate is undefined (no one in the metric's population), left out of that metric",
              value: s.undefinedRates.map((u) => `${u.group}: ${u.metric}`).join(', ') || '—',
            },
            {
              label: `demographic parity, estimable groups only (≥ ${s.estimableGroupsOnly.minGroupSize} people; not Fairlearn's figure)`,
              value: `${pct(s.estimableGroupsOnly.demographicParity.difference)}; ${num(s.estimableGroupsOnly.demographicParity.ratio, 3)}`,
            },
            {
              label: `equalized odds, estimable groups only (≥ ${s.estimableGroupsOnly.minGroupSize} people; not Fairlearn's figure)`,
              value: `${pct(s.estimableGroupsOnly.equalizedOdds.difference)}; ${num(s.estimableGroupsOnly.equalizedOdds.ratio, 3)}`,
            },
          ],
        },
      ],
    });
  }
  const warnings = a.warnings;
  if (warnings.length)
    sections.push({
      id: 'warnings',
      title: 'Small groups and missing labels',
      blocks: [{ type: 'warnings', items: warnings }],
    });
  sections.push({
    id: 'guidance',
    title: 'Which metric matters',
    blocks: [
      {
        type: 'table',
        id: 'guidance',
        caption: 'Guidance returned with every audit',
        columns: [
          { key: 'when', label: 'when', unit: 'text' },
          { key: 'metric', label: 'metric', unit: 'text' },
          { key: 'why', label: 'why', unit: 'text' },
        ],
        rows: a.guidance.map((g) => [text(g.when), text(g.metric), text(g.why)]),
      },
      {
        type: 'table',
        id: 'metric-definitions',
        caption: 'Each metric and the population it is computed (and tested) in',
        columns: [
          { key: 'metric', label: 'metric', unit: 'text' },
          { key: 'name', label: 'name', unit: 'text' },
          { key: 'population', label: 'population', unit: 'text' },
        ],
        rows: (Object.keys(METRIC_INFO) as Metric[]).map((m) => [
          text(m),
          text(METRIC_INFO[m].name),
          text(`${METRIC_INFO[m].numerator} among ${METRIC_INFO[m].population}`),
        ]),
      },
    ],
  });
  return {
    schema: REPORT_SCHEMA,
    kind: 'person-level',
    title: o.title ?? 'Person-level bias audit',
    verdict,
    headline:
      verdict === 'fail'
        ? `${failures.length} disparit${failures.length === 1 ? 'y' : 'ies'} outside ${a.band[0]}–${a.band[1]} on ${decisive.join(', ')}`
        : verdict === 'pass'
          ? `All decisive disparities (${decisive.join(', ')}) within ${a.band[0]}–${a.band[1]}`
          : 'No group large enough for a verdict',
    failures,
    provenance: o.provenance ?? {},
    sections,
  };
}

/** A place-based audit as a report. */
export function placeAuditReport(
  p: PlaceAuditResult,
  o: { title?: string; exposureUnit?: string; provenance?: Report['provenance'] } = {},
): Report {
  const unit = o.exposureUnit ?? 'exposure';
  const failures = p.groups.filter((g) => g.verdict === 'fail').map((g) => `${g.group}: ${g.reason}`);
  const verdict = failures.length ? 'fail' : p.groups.some((g) => g.verdict === 'pass') ? 'pass' : 'insufficient-data';
  const sections: Section[] = [
    {
      id: 'overview',
      title: 'Overview',
      blocks: [
        { type: 'paragraph', text: p.assumption },
        {
          type: 'facts',
          items: [
            { label: 'areas', value: String(p.areas) },
            { label: `total ${unit}`, value: num(p.totalExposure, 0) },
            { label: 'residents', value: p.totalPopulation.toLocaleString('en-US') },
            {
              label: 'citizen-reported victimization',
              value: p.totalVictimization === null ? 'not provided' : num(p.totalVictimization, 0),
            },
            { label: 'reference', value: p.reference === 'all' ? 'all residents' : p.reference },
            { label: 'band', value: `${p.band[0]}–${p.band[1]}` },
            { label: `${unit} not attributable to residents`, value: num(p.unattributedExposure, 0) },
            {
              label: 'largest ÷ smallest exposure per resident',
              value: p.exposureDisparity
                ? `${num(p.exposureDisparity.ratio)} (${p.exposureDisparity.max} vs ${p.exposureDisparity.min})`
                : '—',
            },
          ],
        },
      ],
    },
    {
      id: 'groups',
      title: 'Exposure by group',
      blocks: [
        {
          type: 'table',
          id: 'group-exposure',
          caption: `Patrol ${unit} per resident and shares by group`,
          columns: [
            { key: 'group', label: 'group', unit: 'text' },
            { key: 'residents', label: 'residents', unit: 'count' },
            { key: 'perResident', label: `${unit} per resident`, unit: 'ratio' },
            { key: 'ratio', label: 'ratio to reference', unit: 'ratio' },
            { key: 'populationShare', label: 'share of residents', unit: 'rate' },
            { key: 'exposureShare', label: `share of ${unit}`, unit: 'rate' },
            { key: 'victimizationShare', label: 'share of reported victimization', unit: 'rate' },
            { key: 'e2v', label: `${unit} ÷ victimization share`, unit: 'ratio' },
            { key: 'hitRate', label: 'hit rate (population-weighted)', unit: 'rate' },
            { key: 'verdict', label: 'verdict', unit: 'text' },
          ],
          rows: p.groups.map((g) => [
            text(g.label?.en ?? g.group, g.verdict === 'insufficient-data' ? 'small' : undefined),
            countCell(Math.round(g.residents)),
            { value: g.exposurePerResident, display: num(g.exposurePerResident, 4) },
            { value: g.ratioToReference, display: num(g.ratioToReference) },
            rateCell(g.populationShare, null),
            rateCell(g.exposureShare, null),
            rateCell(g.victimizationShare, null),
            { value: g.exposureToVictimization, display: num(g.exposureToVictimization) },
            rateCell(g.hitRate, null),
            text(g.verdict, g.verdict),
          ]),
        },
      ],
    },
    {
      id: 'concentration',
      title: 'Concentration',
      blocks: [
        {
          type: 'facts',
          items: [
            { label: 'Gini across areas', value: num(p.concentration.giniAcrossAreas, 3) },
            {
              label: 'Gini of per-resident exposure (population-weighted)',
              value: num(p.concentration.giniPerResidentWeighted, 3),
            },
            { label: `share of ${unit} in the top 10% of areas`, value: pct(p.concentration.topDecileShare) },
          ],
        },
      ],
    },
  ];
  if (p.hitRates)
    sections.push({
      id: 'hit-rates',
      title: 'Hit-rate parity across areas',
      blocks: [
        {
          type: 'facts',
          items: [
            { label: 'overall hit rate', value: pct(p.hitRates.overall) },
            {
              label: 'highest ÷ lowest area',
              value: p.hitRates.parity
                ? `${num(p.hitRates.parity.ratio)} (${p.hitRates.parity.highest} vs ${p.hitRates.parity.lowest}; p = ${pval(p.hitRates.parity.test.pValue)})`
                : '—',
            },
          ],
        },
        {
          type: 'interval-chart',
          id: 'area-hit-rates',
          caption: 'Hit rate by area with 95% Wilson intervals',
          axis: { label: 'hit rate', domain: [0, 1], reference: p.hitRates.overall ?? undefined },
          points: p.hitRates.areas
            .filter((x) => x.rate !== null)
            .map((x) => ({
              label: x.area,
              series: 'hit rate',
              value: x.rate!,
              lo: x.interval[0],
              hi: x.interval[1],
              ...(x.estimable ? {} : { flag: 'small' as const }),
            })),
        },
      ],
    });
  if (p.warnings.length)
    sections.push({ id: 'warnings', title: 'Warnings', blocks: [{ type: 'warnings', items: p.warnings }] });
  return {
    schema: REPORT_SCHEMA,
    kind: 'place-based',
    title: o.title ?? 'Place-based audit of patrol guidance',
    verdict,
    headline:
      verdict === 'fail'
        ? `${failures.length} group(s) outside ${p.band[0]}–${p.band[1]}`
        : verdict === 'pass'
          ? `Exposure within ${p.band[0]}–${p.band[1]} for every group with enough residents`
          : 'No group large enough for a verdict',
    failures,
    provenance: o.provenance ?? {},
    sections,
  };
}
