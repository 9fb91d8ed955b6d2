/**
 * Turn a forecast into patrol missions for one shift: the highest-risk cells within the patrol
 * capacity, skipping any cell already chosen `maxTimes` in the last `window` shifts (the dosage cap),
 * so the same streets are not saturated shift after shift. Ties are broken by a seeded order.
 * O(cells log cells + history).
 */
import { prng } from './hotspot-metrics';

export interface MissionPlanInput {
  risk: Float64Array;
  /** How many cells the shift can cover. */
  capacity: number;
  /** Cells chosen in previous shifts, most recent last. */
  history: number[][];
  dosageCap: { maxTimes: number; window: number };
  seed: number;
}

export function planMissions(p: MissionPlanInput): { cells: number[]; skippedForDosage: number[] } {
  if (!(p.capacity >= 0 && Number.isInteger(p.capacity))) throw new Error('capacity must be a whole number of cells');
  const recent = p.history.slice(-p.dosageCap.window);
  const times = new Map<number, number>();
  for (const shift of recent) for (const c of new Set(shift)) times.set(c, (times.get(c) ?? 0) + 1);
  const rnd = prng(p.seed);
  const tie = new Float64Array(p.risk.length).map(() => rnd());
  const order = Array.from(p.risk.keys()).filter((k) => p.risk[k] > 0).sort((a, b) => p.risk[b] - p.risk[a] || tie[a] - tie[b]);
  const cells: number[] = [];
  const skipped: number[] = [];
  for (const k of order) {
    if (cells.length >= p.capacity) break;
    if ((times.get(k) ?? 0) >= p.dosageCap.maxTimes) skipped.push(k);
    else cells.push(k);
  }
  return { cells, skippedForDosage: skipped };
}
