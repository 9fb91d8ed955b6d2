/**
 * Why a cell is flagged: its long-run background share and the specific past incidents that raised
 * its risk, with how much each contributed, plus one sentence (and a message key for translation).
 * O(events) per cell explained.
 */
import type { Grid } from '../geo/square-grid';
import type { GridEvent, ModelParams } from './hotspot-models';

const DAY = 86_400_000;

export interface Explanation {
  id: string;
  cell: number;
  risk: number;
  backgroundShare: number;
  contributions: { id: string; date: string; distanceCells: number; contribution: number }[];
  sentence: string;
  messageKey: string;
  params: Record<string, string | number>;
}

export function explainCell(g: Grid, events: GridEvent[], origin: number, p: ModelParams, k: number, risk: number): Explanation {
  const id = g.ids[k];
  const [r0, c0] = [Math.floor(id / g.cols), id % g.cols];
  const all = events.filter((e) => e.cell >= 0 && e.t < origin);
  const inCell = all.filter((e) => e.cell === k).length;
  const contributions: Explanation['contributions'] = [];
  for (const e of all) {
    const eid = g.ids[e.cell];
    const d = Math.hypot(Math.floor(eid / g.cols) - r0, (eid % g.cols) - c0);
    let w = 0;
    if (p.name === 'naive') w = d === 0 ? 1 : 0;
    else if (p.name === 'recent') w = d === 0 && e.t >= origin - (p.days ?? 365) * DAY ? 1 : 0;
    else if (p.name === 'bjp') {
      const b = p.bandwidthCells ?? 2;
      if (d <= b && e.t >= origin - (p.weeks ?? 8) * 7 * DAY) w = 1 / (1 + d) / (1 + Math.floor((origin - e.t) / (7 * DAY)));
    } else {
      const s = p.bandwidthCells ?? 1.5;
      if (d <= Math.ceil(3 * s)) w = Math.exp(-(d * d) / (2 * s * s)) * Math.exp((-Math.LN2 * (origin - e.t)) / ((p.halfLifeDays ?? 180) * DAY));
    }
    if (w > 1e-4 * Math.max(risk, 1e-9)) contributions.push({ id: e.id ?? '?', date: new Date(e.t).toISOString().slice(0, 10), distanceCells: +d.toFixed(2), contribution: w });
  }
  contributions.sort((a, b) => b.contribution - a.contribution);
  const top = contributions.slice(0, 10);
  const share = all.length ? inCell / all.length : 0;
  const params = { incidents: contributions.length, top: top.length, recent: top[0]?.date ?? '—', share: +(share * 100).toFixed(3) };
  return {
    id: `cell-${id}`, cell: k, risk, backgroundShare: share, contributions: top,
    sentence: `Flagged because ${contributions.length} past citizen-reported incident(s) nearby raise its risk (most recent weight from ${params.recent}); over all history it holds ${params.share}% of incidents.`,
    messageKey: 'forecast.explanation', params,
  };
}
