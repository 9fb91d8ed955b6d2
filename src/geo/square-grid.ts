/**
 * A square grid over a jurisdiction, in the data's projected CRS (units of that CRS: feet for
 * EPSG:2913). Cells wholly outside are dropped; cells crossed by the boundary are clipped exactly
 * (Sutherland–Hodgman against the convex cell, area by the shoelace formula, holes subtracted).
 *
 * Cost: interior cells by scanline fill, O(rows × edges); boundary cells are those an edge passes
 * through, each clipped against the rings whose bounding box meets it, O(boundary cells × nearby
 * vertices). Points map to cells in O(1) by arithmetic on the lattice.
 */
export type Ring = [number, number][];
export type Polygon = Ring[]; // outer ring first, then holes

export interface Grid {
  cellSize: number;
  originX: number;
  originY: number;
  cols: number;
  rows: number;
  /** Cell ids (row * cols + col) of the cells kept, ascending. */
  ids: Int32Array;
  /** Clipped area of each kept cell, parallel to ids. */
  areas: Float64Array;
  /** Position of a lattice cell in ids/areas, or -1 when outside the jurisdiction. */
  index: Int32Array;
  totalArea: number;
}

export function ringArea(r: Ring): number {
  let s = 0;
  for (let i = 0, n = r.length; i < n; i++) {
    const [x1, y1] = r[i];
    const [x2, y2] = r[(i + 1) % n];
    s += x1 * y2 - x2 * y1;
  }
  return s / 2;
}

/** Sutherland–Hodgman: the part of `ring` inside the axis-aligned box. Exact for area. */
export function clipRingToBox(ring: Ring, x0: number, y0: number, x1: number, y1: number): Ring {
  let out: Ring = ring;
  const edges: [(p: [number, number]) => boolean, (a: [number, number], b: [number, number]) => [number, number]][] = [
    [(p) => p[0] >= x0, (a, b) => [x0, a[1] + ((b[1] - a[1]) * (x0 - a[0])) / (b[0] - a[0])]],
    [(p) => p[0] <= x1, (a, b) => [x1, a[1] + ((b[1] - a[1]) * (x1 - a[0])) / (b[0] - a[0])]],
    [(p) => p[1] >= y0, (a, b) => [a[0] + ((b[0] - a[0]) * (y0 - a[1])) / (b[1] - a[1]), y0]],
    [(p) => p[1] <= y1, (a, b) => [a[0] + ((b[0] - a[0]) * (y1 - a[1])) / (b[1] - a[1]), y1]],
  ];
  for (const [inside, cut] of edges) {
    const input = out;
    out = [];
    if (input.length === 0) break;
    for (let i = 0; i < input.length; i++) {
      const cur = input[i];
      const prev = input[(i + input.length - 1) % input.length];
      if (inside(cur)) {
        if (!inside(prev)) out.push(cut(prev, cur));
        out.push(cur);
      } else if (inside(prev)) out.push(cut(prev, cur));
    }
  }
  return out;
}

function openRing(r: Ring): Ring {
  const a = r[0];
  const b = r[r.length - 1];
  return a[0] === b[0] && a[1] === b[1] ? r.slice(0, -1) : r;
}

export function buildGrid(polygons: Polygon[], cellSize: number): Grid {
  if (!(cellSize > 0)) throw new Error('cell size must be positive');
  const rings = polygons.flatMap((p, pi) => p.map((r, ri) => ({ ring: openRing(r), sign: ri === 0 ? 1 : -1, pi })));
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const { ring } of rings) for (const [x, y] of ring) {
    if (x < minX) minX = x; if (y < minY) minY = y; if (x > maxX) maxX = x; if (y > maxY) maxY = y;
  }
  const originX = Math.floor(minX / cellSize) * cellSize;
  const originY = Math.floor(minY / cellSize) * cellSize;
  const cols = Math.ceil((maxX - originX) / cellSize);
  const rows = Math.ceil((maxY - originY) / cellSize);
  const state = new Uint8Array(cols * rows); // 1 = interior (by centre), 2 = boundary

  // Boundary: every cell in the cell-bounding-box of every edge (edges are short; over-marking is harmless).
  for (const { ring } of rings) {
    for (let i = 0; i < ring.length; i++) {
      const [ax, ay] = ring[i];
      const [bx, by] = ring[(i + 1) % ring.length];
      const c0 = Math.max(0, Math.floor((Math.min(ax, bx) - originX) / cellSize));
      const c1 = Math.min(cols - 1, Math.floor((Math.max(ax, bx) - originX) / cellSize));
      const r0 = Math.max(0, Math.floor((Math.min(ay, by) - originY) / cellSize));
      const r1 = Math.min(rows - 1, Math.floor((Math.max(ay, by) - originY) / cellSize));
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) state[r * cols + c] = 2;
    }
  }
  // Interior: scanline at each row's centre, even–odd rule over all rings.
  const xs: number[] = [];
  for (let r = 0; r < rows; r++) {
    const y = originY + (r + 0.5) * cellSize;
    xs.length = 0;
    for (const { ring } of rings) {
      for (let i = 0; i < ring.length; i++) {
        const [ax, ay] = ring[i];
        const [bx, by] = ring[(i + 1) % ring.length];
        if ((ay > y) !== (by > y)) xs.push(ax + ((y - ay) * (bx - ax)) / (by - ay));
      }
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const c0 = Math.max(0, Math.ceil((xs[k] - originX) / cellSize - 0.5));
      const c1 = Math.min(cols - 1, Math.floor((xs[k + 1] - originX) / cellSize - 0.5));
      for (let c = c0; c <= c1; c++) if (state[r * cols + c] === 0) state[r * cols + c] = 1;
    }
  }
  const bboxes = rings.map(({ ring }) => {
    let [a, b, c, d] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const [x, y] of ring) { if (x < a) a = x; if (y < b) b = y; if (x > c) c = x; if (y > d) d = y; }
    return [a, b, c, d];
  });
  const ids: number[] = [];
  const areas: number[] = [];
  const full = cellSize * cellSize;
  for (let id = 0; id < state.length; id++) {
    if (state[id] === 0) continue;
    if (state[id] === 1) { ids.push(id); areas.push(full); continue; }
    const x0 = originX + (id % cols) * cellSize;
    const y0 = originY + Math.floor(id / cols) * cellSize;
    let area = 0;
    rings.forEach(({ ring, sign }, i) => {
      const bb = bboxes[i];
      if (bb[2] < x0 || bb[0] > x0 + cellSize || bb[3] < y0 || bb[1] > y0 + cellSize) return;
      area += sign * Math.abs(ringArea(clipRingToBox(ring, x0, y0, x0 + cellSize, y0 + cellSize)));
    });
    if (area > full * 1e-9) { ids.push(id); areas.push(Math.min(area, full)); }
  }
  const index = new Int32Array(cols * rows).fill(-1);
  ids.forEach((id, k) => (index[id] = k));
  return { cellSize, originX, originY, cols, rows, ids: Int32Array.from(ids), areas: Float64Array.from(areas), index, totalArea: areas.reduce((a, b) => a + b, 0) };
}

/** Position (in grid.ids) of the cell holding a point, or -1 outside. O(1). */
export function cellOf(g: Grid, x: number, y: number): number {
  const c = Math.floor((x - g.originX) / g.cellSize);
  const r = Math.floor((y - g.originY) / g.cellSize);
  if (c < 0 || r < 0 || c >= g.cols || r >= g.rows) return -1;
  return g.index[r * g.cols + c];
}

/** The cell square as a closed ring (for output), in the grid's CRS. */
export function cellRing(g: Grid, k: number): Ring {
  const id = g.ids[k];
  const x = g.originX + (id % g.cols) * g.cellSize;
  const y = g.originY + Math.floor(id / g.cols) * g.cellSize;
  const s = g.cellSize;
  return [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
}
