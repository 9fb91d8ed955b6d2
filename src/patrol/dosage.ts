/**
 * Measured patrol dosage: how long officers actually spent in each mission cell, from their location
 * pings. Pure. Consecutive pings of one device (sorted by time, clipped to the shift) give their
 * interval to the cell holding the earlier ping, when the gap is at most `maxGapSeconds`; longer gaps
 * count as unobserved, never as presence. Cells are small (≤ 600 ft), so a planar point-in-polygon
 * test on their WGS84 rings is exact to well under a GPS fix's accuracy.
 * O(p log p + p · c) for p pings and c mission cells (a bounding-box test first).
 */
import { pointInRing } from '../geo';

export interface DosageCell {
  cellId: number;
  plannedMinutes: number;
  ring: [number, number][];
}
export interface Ping {
  device: string;
  t: number;
  lon: number;
  lat: number;
}
export interface CellDosage {
  cellId: number;
  plannedMinutes: number;
  measuredMinutes: number;
  ratio: number | null;
}
export interface Dosage {
  cells: CellDosage[];
  plannedMinutes: number;
  measuredMinutes: number;
  observedMinutes: number;
  unobservedGaps: number;
}

interface Box {
  cellId: number;
  ring: [number, number][];
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function boxes(cells: DosageCell[]): Box[] {
  return cells.map((c) => {
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const [x, y] of c.ring) {
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
    return { cellId: c.cellId, ring: c.ring, x0, y0, x1, y1 };
  });
}

/** The mission cell holding a point, or undefined. */
export function cellAt(cells: DosageCell[] | Box[], lon: number, lat: number): number | undefined {
  const bs = cells[0] && 'x0' in cells[0] ? (cells as Box[]) : boxes(cells as DosageCell[]);
  for (const b of bs)
    if (lon >= b.x0 && lon <= b.x1 && lat >= b.y0 && lat <= b.y1 && pointInRing(b.ring, lon, lat)) return b.cellId;
  return undefined;
}

export function measureDosage(
  cells: DosageCell[],
  pings: Ping[],
  shift: { start: number; end: number },
  maxGapSeconds = 120,
): Dosage {
  const bs = boxes(cells);
  const seconds = new Map(cells.map((c) => [c.cellId, 0]));
  const byDevice = new Map<string, Ping[]>();
  for (const p of pings)
    if (p.t >= shift.start && p.t <= shift.end)
      (byDevice.get(p.device) ?? byDevice.set(p.device, []).get(p.device)!).push(p);
  let observed = 0,
    gaps = 0;
  for (const list of byDevice.values()) {
    list.sort((a, b) => a.t - b.t);
    for (let i = 0; i + 1 < list.length; i++) {
      const dt = (list[i + 1].t - list[i].t) / 1000;
      if (dt <= 0) continue;
      if (dt > maxGapSeconds) {
        gaps++;
        continue;
      }
      observed += dt;
      const k = cellAt(bs, list[i].lon, list[i].lat);
      if (k !== undefined) seconds.set(k, seconds.get(k)! + dt);
    }
  }
  const out = cells.map((c) => {
    const measured = seconds.get(c.cellId)! / 60;
    return {
      cellId: c.cellId,
      plannedMinutes: c.plannedMinutes,
      measuredMinutes: measured,
      ratio: c.plannedMinutes > 0 ? measured / c.plannedMinutes : null,
    };
  });
  return {
    cells: out,
    plannedMinutes: cells.reduce((a, c) => a + c.plannedMinutes, 0),
    measuredMinutes: out.reduce((a, c) => a + c.measuredMinutes, 0),
    observedMinutes: observed / 60,
    unobservedGaps: gaps,
  };
}
