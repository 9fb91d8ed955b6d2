/**
 * The map's cluster index: the incidents of one filter sorted along a Z-order curve into typed arrays, and the
 * query that turns a view into clusters and points from it (see incident-clusters.ts for how views use it).
 * Pure computation, no database: it runs on the request-serving thread for small in-memory stores and on the
 * cluster-index thread (cluster-index.worker.ts) for a database file or PostgreSQL.
 */
export type BBox = [west: number, south: number, east: number, north: number];

/** A cluster cell is 1/8 of a 512-px map tile (64 px on screen): at zoom z, quadtree level z + 3. */
const CELL_LEVELS = 3;
export const MAX_CLUSTER_ZOOM = 16; // beyond this every incident is its own point
export const MAX_ZOOM = 24;
/** Finest quadtree level: cells of 2^-24 of the world (about 2 m). Morton codes take 2 × 24 = 48 bits. */
const LEVELS = 24;
const SIDE = 2 ** LEVELS;
/** Below this many incidents a cell across the view's edge tests its incidents one by one. */
const LEAF = 16;
/** Slack in [0, 1] Mercator units (about 4 cm) so rounding in the projection never misplaces a cell. */
const EPS = 1e-9;

// Web Mercator in [0, 1], y growing southwards, as the map draws it.
export const lngX = (lng: number) => lng / 360 + 0.5;
export const latY = (lat: number) => {
  const sin = Math.sin((lat * Math.PI) / 180);
  const y = 0.5 - (0.25 * Math.log((1 + sin) / (1 - sin))) / Math.PI;
  return y < 0 ? 0 : y > 1 ? 1 : y;
};

/** Spread the low 12 bits of v to the even bits of a 24-bit number (Morton interleaving). */
function spread12(v: number): number {
  v &= 0xfff;
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  return (v | (v << 1)) & 0x55555555;
}

/**
 * The incidents of one filter, sorted along a Z-order (Morton) curve on a 2^24 × 2^24 Web Mercator grid, so
 * every quadtree cell is a contiguous run of rows; prefix sums of lon and lat give any run's count and centre
 * in O(1), and a cell's run is found by binary search in O(log n). All columns are typed arrays.
 */
export interface ClusterIndex {
  /** Morton code of each row (48 bits, exact in a double), ascending. */
  code: Float64Array;
  ids: Float64Array;
  lon: Float64Array;
  lat: Float64Array;
  /** sumLon[k] = lon[0] + … + lon[k − 1]; likewise sumLat. */
  sumLon: Float64Array;
  sumLat: Float64Array;
  builtMs: number;
  /** Bytes held by the typed arrays above. */
  bytes: number;
}

export type Positions = { ids: ArrayLike<number>; lon: ArrayLike<number>; lat: ArrayLike<number> };

/** Build: O(n) — codes, a three-pass radix sort on 16-bit digits, ties by id, then gathering. Memory held: 6 × 8 bytes a row. */
export function buildClusterIndex(points: Positions): ClusterIndex {
  const steps = buildSteps(points);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** The same build in steps of STEP rows with a turn of the event loop between them, so the server keeps answering. */
export async function buildClusterIndexInBackground(points: Positions): Promise<ClusterIndex> {
  const steps = buildSteps(points);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

// 16,384 rows a step (about 1–3 ms): with 131,072 a step the event loop stalled for tens of ms after every
// import, and alert intake waited behind it (bench/import-under-load.ts, see the README's figures).
const STEP = 1 << 14;

function* buildSteps(points: Positions): Generator<undefined, ClusterIndex> {
  const t0 = performance.now();
  const n = points.ids.length;
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  // The code's three 16-bit digits and their histograms, for an LSD radix sort (stable; equal codes keep input order).
  const digits = [new Uint16Array(n), new Uint16Array(n), new Uint16Array(n)];
  const counts = [new Uint32Array(65537), new Uint32Array(65537), new Uint32Array(65537)];
  const [d0, d1, d2] = digits;
  const [c0, c1, c2] = counts;
  for (let k = 0; k < n; k++) {
    const x = Math.min(SIDE - 1, Math.floor(lngX(points.lon[k]) * SIDE));
    const y = Math.min(SIDE - 1, Math.floor(latY(points.lat[k]) * SIDE));
    const h = spread12(x >>> 12) | (spread12(y >>> 12) << 1);
    const l = spread12(x) | (spread12(y) << 1);
    hi[k] = h;
    lo[k] = l;
    c0[(d0[k] = l & 0xffff) + 1]++;
    c1[(d1[k] = (l >>> 16) | ((h & 0xff) << 8)) + 1]++;
    c2[(d2[k] = h >>> 8) + 1]++;
    if (k % STEP === STEP - 1) yield;
  }
  let order = new Uint32Array(n);
  let next = new Uint32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  for (let p = 0; p < 3; p++) {
    const d = digits[p];
    const c = counts[p];
    for (let v = 1; v <= 65536; v++) c[v] += c[v - 1];
    for (let i = 0; i < n; i++) {
      const k = order[i];
      next[c[d[k]]++] = k;
      if (i % STEP === STEP - 1) yield;
    }
    [order, next] = [next, order];
  }
  // Incidents at one spot (equal codes) in id order, so the index does not depend on the order the database
  // returned the rows in (PostgreSQL's scans may start anywhere in the table). O(Σ m log m) over runs of m.
  for (let i = 0, stepped = 0; i < n;) {
    let j = i + 1;
    while (j < n && hi[order[j]] === hi[order[i]] && lo[order[j]] === lo[order[i]]) j++;
    if (j - i > 1) order.subarray(i, j).sort((a, b) => points.ids[a] - points.ids[b]);
    i = j;
    if (i - stepped >= STEP) {
      stepped = i;
      yield;
    }
  }
  const code = new Float64Array(n);
  const ids = new Float64Array(n);
  const lon = new Float64Array(n);
  const lat = new Float64Array(n);
  const sumLon = new Float64Array(n + 1);
  const sumLat = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const k = order[i];
    code[i] = hi[k] * 2 ** 24 + lo[k];
    ids[i] = points.ids[k];
    lon[i] = points.lon[k];
    lat[i] = points.lat[k];
    sumLon[i + 1] = sumLon[i] + lon[i];
    sumLat[i + 1] = sumLat[i] + lat[i];
    if (i % STEP === STEP - 1) yield;
  }
  const bytes = 8 * (6 * n + 2);
  return { code, ids, lon, lat, sumLon, sumLat, builtMs: performance.now() - t0, bytes };
}

export interface ClusterHit {
  lon: number;
  lat: number;
  count: number;
  /** Row number in the index for a single point (its incident id is `ids[row]`). */
  row?: number;
}

/** First row in [a, b) whose code is ≥ c: O(log(b − a)). */
function lowerBound(code: Float64Array, a: number, b: number, c: number): number {
  while (a < b) {
    const m = (a + b) >>> 1;
    if (code[m] < c) a = m + 1;
    else b = m;
  }
  return a;
}

/**
 * The clusters and single points of the incidents inside `bbox` at `zoom`; counts sum to the number of
 * indexed points inside it (edges included). A cluster is the incidents of one grid cell (64 px on screen);
 * a cell wholly inside the box is counted from the prefix sums, a cell across an edge by descending its
 * quadtree to the incidents near the edge, which are tested on their exact stored coordinates, and shown as
 * one cluster at the mean of its members inside.
 *
 * Query: O(c · log n + e), c the non-empty cells in view (≤ about 21 × 15 for a 1280 × 900 view: the
 * answer's size) and e the work along the edges: the quadtree cells the edge crosses that hold more than
 * LEAF incidents, and at most LEAF incidents tested in each of the others. Past MAX_CLUSTER_ZOOM every
 * incident in view is returned, one by one.
 */
export function queryClusters(ci: ClusterIndex, bbox: BBox, zoom: number): ClusterHit[] {
  const [w, s, e, n] = bbox;
  const z = Math.max(0, Math.floor(zoom));
  const singles = z > MAX_CLUSTER_ZOOM;
  const target = singles ? LEVELS : z + CELL_LEVELS;
  const x0 = lngX(w);
  const x1 = lngX(e);
  const y0 = latY(n);
  const y1 = latY(s);
  const { code, lon, lat, sumLon, sumLat } = ci;
  const out: ClusterHit[] = [];
  const inBox = (k: number) => lon[k] >= w && lon[k] <= e && lat[k] >= s && lat[k] <= n;

  // What a cell across an edge holds inside the box, accumulated here.
  let count = 0;
  let sLon = 0;
  let sLat = 0;
  let lastRow = -1;
  const addRun = (a: number, b: number) => {
    count += b - a;
    sLon += sumLon[b] - sumLon[a];
    sLat += sumLat[b] - sumLat[a];
    lastRow = a;
  };
  const emitRun = (a: number, b: number) => {
    if (b - a === 1) out.push({ lon: lon[a], lat: lat[a], count: 1, row: a });
    else if (singles) for (let k = a; k < b; k++) out.push({ lon: lon[k], lat: lat[k], count: 1, row: k });
    else
      out.push({
        lon: Math.min(e, Math.max(w, (sumLon[b] - sumLon[a]) / (b - a))),
        lat: Math.min(n, Math.max(s, (sumLat[b] - sumLat[a]) / (b - a))),
        count: b - a,
      });
  };

  /**
   * Cell (cx, cy) at `level`, its rows [a, b), its first code `first`. `gather`: inside a cluster cell that
   * crosses an edge, accumulating what is inside rather than emitting it.
   */
  const visit = (level: number, cx: number, cy: number, first: number, a: number, b: number, gather: boolean) => {
    if (a === b) return;
    const size = 2 ** -level;
    const X0 = cx * size;
    const Y0 = cy * size;
    if (X0 + size <= x0 - EPS || X0 >= x1 + EPS || Y0 + size <= y0 - EPS || Y0 >= y1 + EPS) return;
    const inside = X0 >= x0 + EPS && X0 + size <= x1 - EPS && Y0 >= y0 + EPS && Y0 + size <= y1 - EPS;
    if (gather || singles) {
      if (inside) return gather ? addRun(a, b) : emitRun(a, b);
      if (level === LEVELS || b - a <= LEAF) {
        for (let k = a; k < b; k++)
          if (inBox(k)) {
            if (gather) addRun(k, k + 1);
            else out.push({ lon: lon[k], lat: lat[k], count: 1, row: k });
          }
        return;
      }
    } else if (level === target) {
      if (inside) return emitRun(a, b);
      // A cluster cell across an edge: one cluster of its members inside (one member stays itself).
      count = sLon = sLat = 0;
      lastRow = -1;
      visit(level, cx, cy, first, a, b, true);
      if (count === 1) out.push({ lon: lon[lastRow], lat: lat[lastRow], count: 1, row: lastRow });
      else if (count > 1)
        out.push({
          lon: Math.min(e, Math.max(w, sLon / count)),
          lat: Math.min(n, Math.max(s, sLat / count)),
          count,
        });
      return;
    }
    // Children in Morton order: x in the lower bit.
    const span = 4 ** (LEVELS - level - 1);
    let start = a;
    for (let q = 0; q < 4; q++) {
      const end = q === 3 ? b : lowerBound(code, start, b, first + (q + 1) * span);
      visit(level + 1, 2 * cx + (q & 1), 2 * cy + (q >> 1), first + q * span, start, end, gather);
      start = end;
    }
  };
  visit(0, 0, 0, 0, 0, code.length, false);
  return out;
}
