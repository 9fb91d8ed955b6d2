/**
 * Patrol missions for one shift from a forecast: the highest-risk cells that fit the patrol capacity
 * (a number of cells, or minutes with a time per cell), under a dosage cap: in any run of `window`
 * consecutive shifts, including this one, a cell may be chosen at most `maxTimes` times — so a cell
 * already chosen maxTimes times in the previous window−1 shifts is skipped. Ties broken by a seeded
 * random order. O(cells log cells + history). Missions are AI outputs: a supervisor approves them
 * before release (the review service does that, not this function).
 */
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import { rankCells } from './evaluation';

export type PatrolBudget = { cells: number } | { minutes: number; minutesPerCell: number | Float64Array };

export interface ShiftPlanInput {
  risk: Float64Array;
  budget: PatrolBudget;
  /** Cells chosen in previous shifts, oldest first, most recent last. */
  history: number[][];
  dosage: { maxTimes: number; window: number };
  seed: number;
  /** Cells at or below this risk are never sent (default 0). */
  minRisk?: number;
}

export interface Mission {
  cell: number;
  rank: number;
  risk: number;
  minutes: number | null;
}

export function planShift(p: ShiftPlanInput): {
  missions: Mission[];
  skippedForDosage: { cell: number; timesInWindow: number }[];
  minutesUsed: number | null;
} {
  const { maxTimes, window } = p.dosage;
  if (!(Number.isInteger(maxTimes) && maxTimes >= 1))
    throw new InputError(msg('forecast.plan.badMaxTimes'), [
      { field: 'dosage.maxTimes', expected: 'integer ≥ 1', got: String(maxTimes) },
    ]);
  if (!(Number.isInteger(window) && window >= 1))
    throw new InputError(msg('forecast.plan.badWindow'), [
      { field: 'dosage.window', expected: 'integer ≥ 1', got: String(window) },
    ]);
  const byCells = 'cells' in p.budget;
  if (
    byCells &&
    !(Number.isInteger((p.budget as { cells: number }).cells) && (p.budget as { cells: number }).cells >= 0)
  )
    throw new InputError(msg('forecast.plan.badCells'), [{ field: 'budget.cells', expected: 'integer ≥ 0' }]);
  if (!byCells && !((p.budget as { minutes: number }).minutes >= 0))
    throw new InputError(msg('forecast.plan.badMinutes'), [{ field: 'budget.minutes', expected: '≥ 0' }]);
  const times = new Map<number, number>();
  for (const shift of p.history.slice(Math.max(0, p.history.length - (window - 1))))
    for (const c of new Set(shift)) times.set(c, (times.get(c) ?? 0) + 1);
  const order = rankCells(p.risk, p.seed);
  const minRisk = p.minRisk ?? 0;
  const missions: Mission[] = [];
  const skipped: { cell: number; timesInWindow: number }[] = [];
  let minutesLeft = byCells ? Infinity : (p.budget as { minutes: number }).minutes;
  const cost = (k: number) => {
    if (byCells) return 0;
    const m = (p.budget as { minutesPerCell: number | Float64Array }).minutesPerCell;
    return typeof m === 'number' ? m : m[k];
  };
  for (let q = 0; q < order.length; q++) {
    const k = order[q];
    if (!(p.risk[k] > minRisk)) break;
    if (byCells && missions.length >= (p.budget as { cells: number }).cells) break;
    if (!byCells && minutesLeft <= 0) break;
    const used = times.get(k) ?? 0;
    if (used >= maxTimes) {
      skipped.push({ cell: k, timesInWindow: used });
      continue;
    }
    const c = cost(k);
    if (!byCells && c > minutesLeft) continue;
    minutesLeft -= c;
    missions.push({ cell: k, rank: missions.length + 1, risk: p.risk[k], minutes: byCells ? null : c });
  }
  return {
    missions,
    skippedForDosage: skipped,
    minutesUsed: byCells ? null : (p.budget as { minutes: number }).minutes - minutesLeft,
  };
}
