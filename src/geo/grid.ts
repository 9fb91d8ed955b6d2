/**
 * A square grid over a jurisdiction, in the data's projected CRS (its units: feet for EPSG:2913),
 * optionally rotated by an angle about an origin. Cells wholly outside are dropped; boundary cells
 * are clipped exactly (polygon-clipping) and their areas computed by the shoelace formula.
 *
 * Construction: recursive bisection of the lattice. A block of cells is cut (rect-clip.ts, linear in
 * vertices) from the part of the jurisdiction already cut to its parent block; an empty block is
 * dropped, a block the jurisdiction fills is marked interior in one go, and only single boundary cells
 * keep a polygon, cleaned by the exact clipper. Cost ≈ O(V · log(cells) + B · b log b) for V boundary
 * vertices, B boundary cells of b vertices each, instead of one clip of the whole jurisdiction per cell.
 *
 * Point → cell: O(1) lattice arithmetic (one rotation), then an exact point-in-polygon test only
 * when the lattice cell is a clipped boundary cell (a few vertices).
 */
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import {
  bbox,
  intersectPolygons,
  multiPolygonArea,
  pointInMultiPolygon,
  type MultiPolygon,
  type Ring,
} from './polygon';
import { clipToRect, isCleanClip } from './rect-clip';

export interface GridSpec {
  /** Side of a cell in CRS units (e.g. 250 for 250 ft in EPSG:2913); its width along the columns when cellHeight is given. */
  cellSize: number;
  /** Side along the rows for rectangular cells (default: cellSize, a square). */
  cellHeight?: number;
  /** Counter-clockwise rotation of the lattice in degrees (default 0). */
  angleDeg?: number;
  /** A lattice corner the grid passes through, and the centre of rotation (default [0, 0]). */
  origin?: [number, number];
}

export interface Grid {
  /** Cell width (along the columns), CRS units. */
  cellSize: number;
  /** Cell height (along the rows); equals cellSize for square cells. */
  cellHeight: number;
  angleDeg: number;
  cos: number;
  sin: number;
  /** World coordinates of lattice corner (col 0, row 0). */
  originX: number;
  originY: number;
  cols: number;
  rows: number;
  /** Number of kept cells. Cells are numbered 0..n-1 ("cell index" k everywhere in src/forecast). */
  n: number;
  /** Lattice id (row × cols + col) of each kept cell, ascending. */
  ids: Int32Array;
  /** Exact (clipped) area of each kept cell. */
  areas: Float64Array;
  /** Lattice id → kept cell index, or -1 outside the jurisdiction. */
  index: Int32Array;
  /** 1 when the cell is clipped by the boundary. */
  boundary: Uint8Array;
  /** Clipped polygon of each boundary cell, in lattice-local coordinates (corner at 0,0); null for full cells. */
  pieces: (MultiPolygon | null)[];
  /** World coordinates of each cell's lattice-square centre. */
  cx: Float64Array;
  cy: Float64Array;
  totalArea: number;
}

/** World → lattice-local coordinates (u along columns, v along rows, corner at 0,0). */
export function toLocal(g: Pick<Grid, 'cos' | 'sin' | 'originX' | 'originY'>, x: number, y: number): [number, number] {
  const dx = x - g.originX;
  const dy = y - g.originY;
  return [dx * g.cos + dy * g.sin, -dx * g.sin + dy * g.cos];
}

export function toWorld(g: Pick<Grid, 'cos' | 'sin' | 'originX' | 'originY'>, u: number, v: number): [number, number] {
  return [g.originX + u * g.cos - v * g.sin, g.originY + u * g.sin + v * g.cos];
}

/** Build the grid over a jurisdiction (already unioned: see unionPolygons / jurisdictionFromGeoJson). */
export function buildGrid(jurisdiction: MultiPolygon, spec: GridSpec): Grid {
  const s = spec.cellSize;
  const sh = spec.cellHeight ?? s;
  if (!(s > 0) || !Number.isFinite(s))
    throw new InputError(msg('geo.badCellSize'), [{ field: 'cellSize', expected: '> 0', got: String(s) }]);
  if (!(sh > 0) || !Number.isFinite(sh))
    throw new InputError(msg('geo.badCellHeight'), [{ field: 'cellHeight', expected: '> 0', got: String(sh) }]);
  const angleDeg = spec.angleDeg ?? 0;
  if (!Number.isFinite(angleDeg))
    throw new InputError(msg('geo.badAngle'), [{ field: 'angleDeg', expected: 'degrees', got: String(angleDeg) }]);
  if (jurisdiction.length === 0)
    throw new InputError(msg('geo.emptyJurisdiction'), [{ field: 'jurisdiction', expected: 'at least one polygon' }]);
  const a = (angleDeg * Math.PI) / 180;
  const cos = angleDeg === 0 ? 1 : Math.cos(a);
  const sin = angleDeg === 0 ? 0 : Math.sin(a);
  const [ox, oy] = spec.origin ?? [0, 0];
  const rot = { cos, sin, originX: ox, originY: oy };
  // Jurisdiction in the rotated frame about the origin; then snap a lattice corner below-left of it.
  const rotated: MultiPolygon = jurisdiction.map((p) => p.map((r) => r.map(([x, y]) => toLocal(rot, x, y))));
  const [minU, minV, maxU, maxV] = bbox(rotated);
  const u0 = Math.floor(minU / s) * s;
  const v0 = Math.floor(minV / sh) * sh;
  const cols = Math.max(1, Math.ceil((maxU - u0) / s));
  const rows = Math.max(1, Math.ceil((maxV - v0) / sh));
  const [originX, originY] = toWorld(rot, u0, v0);
  // Local frame: corner at (0, 0), small numbers for the clipper.
  const local: MultiPolygon = rotated.map((p) => p.map((r) => r.map(([u, v]) => [u - u0, v - v0] as [number, number])));

  const state = new Uint8Array(cols * rows); // 0 outside, 1 full, 2 clipped
  const area = new Float64Array(cols * rows);
  const pieceOf = new Map<number, MultiPolygon>();
  const full = s * sh;
  const tol = 1e-7 * full;
  const rect = (c0: number, c1: number, r0: number, r1: number): MultiPolygon => [
    [
      [
        [c0 * s, r0 * sh],
        [c1 * s, r0 * sh],
        [c1 * s, r1 * sh],
        [c0 * s, r1 * sh],
        [c0 * s, r0 * sh],
      ],
    ],
  ];
  // Blocks are cut with the rectangle clipper (linear in vertices); only a single boundary cell's piece is
  // cleaned by the exact clipper, so published cell geometry has no zero-width bridges. O(V log(cells)).
  const visit = (piece: MultiPolygon, c0: number, c1: number, r0: number, r1: number) => {
    const [x0, y0, x1, y1] = [c0 * s, r0 * sh, c1 * s, r1 * sh];
    const clipped = clipToRect(piece, x0, y0, x1, y1);
    if (clipped.length === 0) return;
    const ar = multiPolygonArea(clipped);
    if (ar <= tol) return;
    const blockArea = (c1 - c0) * (r1 - r0) * full;
    if (blockArea - ar <= tol) {
      for (let r = r0; r < r1; r++)
        for (let c = c0; c < c1; c++) {
          state[r * cols + c] = 1;
          area[r * cols + c] = full;
        }
      return;
    }
    if (c1 - c0 === 1 && r1 - r0 === 1) {
      const exact = isCleanClip(clipped, x0, y0, x1, y1)
        ? [[[...clipped[0][0], clipped[0][0][0]]]]
        : intersectPolygons(clipped, rect(c0, c1, r0, r1));
      const exactArea = multiPolygonArea(exact);
      if (exactArea <= tol) return;
      state[r0 * cols + c0] = 2;
      area[r0 * cols + c0] = Math.min(exactArea, full);
      pieceOf.set(r0 * cols + c0, exact);
      return;
    }
    if (c1 - c0 >= r1 - r0) {
      const m = (c0 + c1) >> 1;
      visit(clipped, c0, m, r0, r1);
      visit(clipped, m, c1, r0, r1);
    } else {
      const m = (r0 + r1) >> 1;
      visit(clipped, c0, c1, r0, m);
      visit(clipped, c0, c1, m, r1);
    }
  };
  visit(local, 0, cols, 0, rows);

  const ids: number[] = [];
  for (let id = 0; id < state.length; id++) if (state[id] !== 0) ids.push(id);
  const n = ids.length;
  const g: Grid = {
    cellSize: s,
    cellHeight: sh,
    angleDeg,
    cos,
    sin,
    originX,
    originY,
    cols,
    rows,
    n,
    ids: Int32Array.from(ids),
    areas: new Float64Array(n),
    index: new Int32Array(cols * rows).fill(-1),
    boundary: new Uint8Array(n),
    pieces: new Array(n).fill(null),
    cx: new Float64Array(n),
    cy: new Float64Array(n),
    totalArea: 0,
  };
  let total = 0;
  for (let k = 0; k < n; k++) {
    const id = ids[k];
    g.index[id] = k;
    g.areas[k] = area[id];
    total += area[id];
    if (state[id] === 2) {
      g.boundary[k] = 1;
      g.pieces[k] = pieceOf.get(id)!;
    }
    const [x, y] = toWorld(g, ((id % cols) + 0.5) * s, (Math.floor(id / cols) + 0.5) * sh);
    g.cx[k] = x;
    g.cy[k] = y;
  }
  g.totalArea = total;
  return g;
}

/** Kept-cell index holding a point (world CRS coordinates), or -1 outside the jurisdiction. O(1) + boundary test. */
export function cellOf(g: Grid, x: number, y: number): number {
  const [u, v] = toLocal(g, x, y);
  const c = Math.floor(u / g.cellSize);
  const r = Math.floor(v / g.cellHeight);
  if (c < 0 || r < 0 || c >= g.cols || r >= g.rows) return -1;
  const k = g.index[r * g.cols + c];
  if (k < 0 || g.boundary[k] === 0) return k;
  return pointInMultiPolygon(g.pieces[k]!, u, v) ? k : -1;
}

/** Lattice column and row of a kept cell. */
export function cellColRow(g: Grid, k: number): [number, number] {
  const id = g.ids[k];
  return [id % g.cols, Math.floor(id / g.cols)];
}

/** The cell's full lattice square as a closed world-CRS ring (counter-clockwise). */
export function cellSquare(g: Grid, k: number): Ring {
  const [c, r] = cellColRow(g, k);
  const s = g.cellSize,
    h = g.cellHeight;
  const corners: [number, number][] = [
    [c * s, r * h],
    [(c + 1) * s, r * h],
    [(c + 1) * s, (r + 1) * h],
    [c * s, (r + 1) * h],
    [c * s, r * h],
  ];
  return corners.map(([u, v]) => toWorld(g, u, v));
}

/** The cell as it lies in the jurisdiction (clipped at the boundary), in world CRS coordinates. */
export function cellPolygon(g: Grid, k: number): MultiPolygon {
  const piece = g.pieces[k];
  if (!piece) return [[cellSquare(g, k)]];
  return piece.map((p) => p.map((r) => r.map(([u, v]) => toWorld(g, u, v))));
}

/**
 * Cells whose centres lie within `radius` (CRS units) of a cell, as lattice offsets with distance:
 * the truncated kernel stencil the smoothing models use. O(radius² / cellSize²).
 */
export function stencil(
  g: Pick<Grid, 'cellSize'> & { cellHeight?: number },
  radius: number,
): { dc: Int32Array; dr: Int32Array; d: Float64Array } {
  const h = g.cellHeight ?? g.cellSize;
  const reachC = Math.floor(radius / g.cellSize),
    reachR = Math.floor(radius / h);
  const dc: number[] = [],
    dr: number[] = [],
    d: number[] = [];
  for (let r = -reachR; r <= reachR; r++)
    for (let c = -reachC; c <= reachC; c++) {
      const dist = Math.hypot(r * h, c * g.cellSize);
      if (dist <= radius + 1e-9) {
        dc.push(c);
        dr.push(r);
        d.push(dist);
      }
    }
  return { dc: Int32Array.from(dc), dr: Int32Array.from(dr), d: Float64Array.from(d) };
}

// Zeroed-on-use scratch lattices for spread, one per grid (spread is synchronous).
const spreadScratch = new WeakMap<Grid, Float64Array>();

/**
 * Spread per-cell mass through a stencil of weights: out[j] += Σ_k mass[k] × w(offset) for every kept j
 * near k. Hot path: the sums are made on the lattice padded by the stencil's reach, so the inner loop
 * is one add at a fixed linear offset (no bounds or kept-cell test), and each kept cell is read once.
 * Each out[j] receives its sources in the same order (k ascending) as a direct scatter.
 * O(occupied cells × stencil + lattice cells).
 */
export function spread(
  g: Grid,
  mass: Float64Array,
  st: { dc: Int32Array; dr: Int32Array },
  w: Float64Array,
  out = new Float64Array(g.n),
): Float64Array {
  const m = st.dc.length;
  let pad = 0;
  for (let i = 0; i < m; i++) pad = Math.max(pad, Math.abs(st.dc[i]), Math.abs(st.dr[i]));
  const stride = g.cols + 2 * pad;
  const size = stride * (g.rows + 2 * pad);
  let dense = spreadScratch.get(g);
  if (!dense || dense.length < size) spreadScratch.set(g, (dense = new Float64Array(size)));
  else dense.fill(0, 0, size);
  const offs = new Int32Array(m);
  for (let i = 0; i < m; i++) offs[i] = st.dr[i] * stride + st.dc[i];
  for (let k = 0; k < g.n; k++) {
    const q = mass[k];
    if (q === 0) continue;
    const id = g.ids[k];
    const c0 = id % g.cols;
    const r0 = (id - c0) / g.cols;
    const base = (r0 + pad) * stride + c0 + pad;
    for (let i = 0; i < m; i++) dense[base + offs[i]] += q * w[i];
  }
  for (let j = 0; j < g.n; j++) {
    const id = g.ids[j];
    const c0 = id % g.cols;
    const v = dense[((id - c0) / g.cols + pad) * stride + c0 + pad];
    if (v !== 0) out[j] += v;
  }
  return out;
}
