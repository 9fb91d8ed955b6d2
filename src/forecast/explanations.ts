/**
 * Why a cell is flagged. For each hotspot: its risk split into the model's long-run background and
 * the specific past incidents that raised it (id, type, date, distance to the cell centre, how much
 * and what share), the cell's share of all training incidents, and one plain-language sentence with
 * a message key and parameters so the UI can render it in any language (English and Korean ship).
 * O(incidents near the cell) per explained cell.
 */
import type { Prepared } from './data';
import { DAY_MS } from './data';
import { describeModel, type FittedModel } from './models';

export interface ExplanationIncident {
  id: string;
  type: string;
  date: string;
  distance: number;
  contribution: number;
  share: number;
}

export interface Explanation {
  explanationId: string;
  cell: number;
  latticeId: number;
  risk: number;
  model: string;
  /** Risk from the model's background (long-run) rate, and its share of the risk. */
  background: number;
  backgroundShare: number;
  /** The cell's share of all training incidents in the jurisdiction. */
  historyShare: number;
  /** The incidents that raised the risk most (up to `top`), largest first. */
  incidents: ExplanationIncident[];
  /** Learned models: the risk split by named feature (they sum to it), largest first. */
  features?: { name: string; contribution: number; share: number }[];
  /** How many further incidents contributed, and how much together. */
  others: { count: number; contribution: number };
  dataPolicy: string;
  sentence: string;
  messageKey: string;
  params: Record<string, string | number>;
}

const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toPrecision(2));

export function explainCell(
  data: Prepared,
  fitted: FittedModel,
  k: number,
  windowDays: number,
  risk: number,
  opts: { dataPolicy: string; top?: number; distanceUnit?: string },
): Explanation {
  const g = data.grid;
  const dec = fitted.explain(k, windowDays);
  const top = opts.top ?? 10;
  const list = dec.contributions
    .filter((c) => c.value > 0)
    .sort((a, b) => b.value - a.value || data.t[b.i] - data.t[a.i] || a.i - b.i);
  const total = dec.background + list.reduce((s, c) => s + c.value, 0);
  const denom = total > 0 ? total : 1;
  const incidents: ExplanationIncident[] = list.slice(0, top).map(({ i, value }) => ({
    id: data.ids[i],
    type: data.types[i],
    date: new Date(data.t[i] * DAY_MS).toISOString().slice(0, 10),
    distance: Math.round(Math.hypot(data.x[i] - g.cx[k], data.y[i] - g.cy[k])),
    contribution: value,
    share: value / denom,
  }));
  const rest = list.slice(top);
  const inCell = data.cellStart[k + 1] - data.cellStart[k];
  const historyShare = data.n ? inCell / data.n : 0;
  const backgroundShare = dec.background / denom;
  const unit = opts.distanceUnit ?? 'ft';
  const params: Record<string, string | number> = {
    model: describeModel(fitted.params),
    risk: fmt(risk),
    incidents: list.length,
    backgroundPct: Math.round(backgroundShare * 100),
    historyPct: +(historyShare * 100).toFixed(2),
    topId: incidents[0]?.id ?? '',
    topType: incidents[0]?.type ?? '',
    topDate: incidents[0]?.date ?? '',
    topDistance: incidents[0]?.distance ?? 0,
    topPct: Math.round((incidents[0]?.share ?? 0) * 100),
    unit,
    windowDays: +windowDays.toFixed(1),
    dataPolicy: opts.dataPolicy,
  };
  let messageKey: string;
  let sentence: string;
  if (!list.length) {
    messageKey = 'forecast.explain.backgroundOnly';
    sentence = `Flagged by ${params.model} for its long-run rate alone (${params.historyPct}% of past incidents here); no single recent incident raised it.`;
  } else {
    messageKey = dec.background > 0 ? 'forecast.explain.backgroundAndIncidents' : 'forecast.explain.incidents';
    sentence = `Flagged by ${params.model}: ${list.length} past incident(s) raised its risk${dec.background > 0 ? ` on top of a long-run background that makes up ${params.backgroundPct}% of it` : ''}; the largest is ${params.topType} ${params.topId} on ${params.topDate}, ${params.topDistance} ${unit} from the cell centre (${params.topPct}% of the risk).`;
  }
  return {
    explanationId: `cell-${g.ids[k]}`,
    cell: k,
    latticeId: g.ids[k],
    risk,
    model: String(params.model),
    background: dec.background,
    backgroundShare,
    historyShare,
    incidents,
    others: { count: rest.length, contribution: rest.reduce((s, c) => s + c.value, 0) },
    ...(dec.named
      ? {
          features: [...dec.named]
            .sort((a, b) => b.value - a.value)
            .map((f) => ({ name: f.name, contribution: f.value, share: f.value / denom })),
        }
      : {}),
    dataPolicy: opts.dataPolicy,
    sentence,
    messageKey,
    params,
  };
}
