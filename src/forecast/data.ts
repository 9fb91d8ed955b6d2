/**
 * Incidents as the forecaster sees them, the data policy (citizen-reported only unless an explicit,
 * recorded flag says otherwise), and the prepared columnar form every model reads: incidents inside
 * the grid, sorted by time, with their cell and a by-cell index.
 */
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import { cellOf, type Grid } from '../geo';

export type Origin = 'citizen' | 'officer';
export type TimePrecision = 'day' | 'hour' | 'minute';

/** One incident, as adapters pass it in: projected coordinates in the grid's CRS, time in epoch ms UTC. */
export interface ForecastIncident {
  id: string;
  type: string;
  origin: Origin;
  /** Epoch milliseconds, UTC. Date-only data: midnight UTC of the date. */
  t: number;
  timePrecision: TimePrecision;
  x: number;
  y: number;
}

export const DAY_MS = 86_400_000;

export interface DataPolicy {
  /** Officer-initiated (enforcement-driven) records are excluded unless this is true. */
  includeOfficerInitiated: boolean;
}

/** What the policy did, to be carried in the run record and shown on every output. */
export interface DataPolicyRecord extends DataPolicy {
  label: string;
  kept: number;
  excludedOfficerInitiated: number;
}

export const CITIZEN_ONLY: DataPolicy = { includeOfficerInitiated: false };

export function policyLabel(p: DataPolicy): string {
  return p.includeOfficerInitiated
    ? 'INCLUDES officer-initiated records (explicit flag): enforcement-driven data sends police where police already were'
    : 'citizen-reported records only';
}

/** Keep the incidents the policy allows. Default: origin 'citizen' only. O(n). */
export function applyDataPolicy(
  incidents: readonly ForecastIncident[],
  policy: DataPolicy = CITIZEN_ONLY,
): { incidents: ForecastIncident[]; policy: DataPolicyRecord } {
  if (typeof policy?.includeOfficerInitiated !== 'boolean') {
    throw new InputError(msg('forecast.policyOfficerInitiated'), [
      { field: 'policy.includeOfficerInitiated', expected: 'true or false' },
    ]);
  }
  const kept: ForecastIncident[] = [];
  let excluded = 0;
  for (const e of incidents) {
    if (e.origin === 'citizen' || (policy.includeOfficerInitiated && e.origin === 'officer')) kept.push(e);
    else excluded++;
  }
  return {
    incidents: kept,
    policy: {
      includeOfficerInitiated: policy.includeOfficerInitiated,
      label: policyLabel(policy),
      kept: kept.length,
      excludedOfficerInitiated: excluded,
    },
  };
}

/** Check the shape of incidents from an adapter; the error names the row and field. O(n). */
export function validateIncidents(incidents: readonly ForecastIncident[]): void {
  incidents.forEach((e, i) => {
    const bad = (field: string, expected: string, got: unknown) => {
      throw new InputError(msg('forecast.badIncident', { index: i, id: String(e?.id), field }), [
        { row: i + 1, field, expected, got: String(got).slice(0, 80) },
      ]);
    };
    if (!e || typeof e !== 'object') bad('incident', 'an object', e);
    if (typeof e.id !== 'string' || e.id === '') bad('id', 'a non-empty string', e.id);
    if (typeof e.type !== 'string') bad('type', 'a string', e.type);
    if (e.origin !== 'citizen' && e.origin !== 'officer') bad('origin', "'citizen' or 'officer'", e.origin);
    if (!Number.isFinite(e.t)) bad('t', 'epoch milliseconds', e.t);
    if (e.timePrecision !== 'day' && e.timePrecision !== 'hour' && e.timePrecision !== 'minute')
      bad('timePrecision', "'day', 'hour' or 'minute'", e.timePrecision);
    if (!Number.isFinite(e.x)) bad('x', 'a finite projected coordinate', e.x);
    if (!Number.isFinite(e.y)) bad('y', 'a finite projected coordinate', e.y);
  });
}

/** Incidents inside the grid, columnar and sorted by (t, id). Times in days since the epoch. */
export interface Prepared {
  grid: Grid;
  n: number;
  /** Kept-cell index of each incident. */
  cell: Int32Array;
  /** Time in days since the Unix epoch (fractional). */
  t: Float64Array;
  x: Float64Array;
  y: Float64Array;
  ids: string[];
  types: string[];
  precision: TimePrecision[];
  /** Incidents dropped because they fall outside the jurisdiction. */
  outside: number;
  /** CSR index by cell: incidents of cell k are order[start[k] .. start[k+1]), in time order. */
  cellStart: Int32Array;
  cellOrder: Int32Array;
}

const cmp = (a: ForecastIncident, b: ForecastIncident) =>
  a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) || a.x - b.x || a.y - b.y;

/** Map incidents to cells and sort them. O(n log n). */
export function prepare(grid: Grid, incidents: readonly ForecastIncident[]): Prepared {
  const inside: { e: ForecastIncident; k: number }[] = [];
  let outside = 0;
  for (const e of incidents) {
    const k = cellOf(grid, e.x, e.y);
    if (k < 0) outside++;
    else inside.push({ e, k });
  }
  inside.sort((a, b) => cmp(a.e, b.e));
  const n = inside.length;
  const p: Prepared = {
    grid,
    n,
    cell: new Int32Array(n),
    t: new Float64Array(n),
    x: new Float64Array(n),
    y: new Float64Array(n),
    ids: new Array(n),
    types: new Array(n),
    precision: new Array(n),
    outside,
    cellStart: new Int32Array(grid.n + 1),
    cellOrder: new Int32Array(n),
  };
  inside.forEach(({ e, k }, i) => {
    p.cell[i] = k;
    p.t[i] = e.t / DAY_MS;
    p.x[i] = e.x;
    p.y[i] = e.y;
    p.ids[i] = e.id;
    p.types[i] = e.type;
    p.precision[i] = e.timePrecision;
  });
  buildCellIndex(p);
  return p;
}

function buildCellIndex(p: Prepared): void {
  const start = p.cellStart;
  start.fill(0);
  for (let i = 0; i < p.n; i++) start[p.cell[i] + 1]++;
  for (let k = 0; k < p.grid.n; k++) start[k + 1] += start[k];
  const fill = start.slice(0, p.grid.n);
  for (let i = 0; i < p.n; i++) p.cellOrder[fill[p.cell[i]]++] = i;
}

/** Number of prepared incidents strictly before time `tDays` (binary search). O(log n). */
export function countBefore(p: Prepared, tDays: number): number {
  let lo = 0,
    hi = p.n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (p.t[mid] < tDays) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The incidents strictly before `asOfMs` (a prefix, since they are sorted). O(n) copy. */
export function truncateBefore(p: Prepared, asOfMs: number): Prepared {
  const m = countBefore(p, asOfMs / DAY_MS);
  if (m === p.n) return p;
  const q: Prepared = {
    grid: p.grid,
    n: m,
    cell: p.cell.slice(0, m),
    t: p.t.slice(0, m),
    x: p.x.slice(0, m),
    y: p.y.slice(0, m),
    ids: p.ids.slice(0, m),
    types: p.types.slice(0, m),
    precision: p.precision.slice(0, m),
    outside: p.outside,
    cellStart: new Int32Array(p.grid.n + 1),
    cellOrder: new Int32Array(m),
  };
  buildCellIndex(q);
  return q;
}

/** Observed counts per cell of incidents in [fromMs, toMs). O(window incidents + cells). */
export function observedCounts(p: Prepared, fromMs: number, toMs: number): Float64Array {
  const out = new Float64Array(p.grid.n);
  for (let i = countBefore(p, fromMs / DAY_MS), end = countBefore(p, toMs / DAY_MS); i < end; i++) out[p.cell[i]] += 1;
  return out;
}
