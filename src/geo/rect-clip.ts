/**
 * Clipping polygons to an axis-aligned rectangle (Sutherland–Hodgman, one pass per side), for the grid
 * builder's recursive subdivision. Each ring is clipped on its own: where a ring leaves the rectangle and
 * comes back, the result runs along the rectangle's edge, so it may touch itself in zero-width bridges.
 * Those add no area and cross a point-in-ring ray twice, so areas (shoelace) and inside tests stay
 * exact; callers that publish the geometry clean it first (grid.ts does, per boundary cell).
 * O(vertices) per ring and side, against polygon-clipping's O((V + K) log V) sweep with its allocations.
 */
import type { MultiPolygon, Point, Polygon, Ring } from './polygon';

/** Keep the part of `ring` where `inside` holds; `cross` gives the point where an edge meets the side. */
function clipSide(ring: Ring, inside: (p: Point) => boolean, cross: (a: Point, b: Point) => Point): Ring {
  const out: Ring = [];
  const n = ring.length;
  if (n === 0) return out;
  let prev = ring[n - 1];
  let prevIn = inside(prev);
  for (let i = 0; i < n; i++) {
    const cur = ring[i];
    const curIn = inside(cur);
    if (curIn) {
      if (!prevIn) out.push(cross(prev, cur));
      out.push(cur);
    } else if (prevIn) out.push(cross(prev, cur));
    prev = cur;
    prevIn = curIn;
  }
  return out;
}

/** The part of a ring (open or closed) inside [x0, x1] × [y0, y1], as an open ring; empty when none. */
export function clipRingToRect(ring: Ring, x0: number, y0: number, x1: number, y1: number): Ring {
  // A closed ring's repeated last vertex would only add a zero-length edge; drop it.
  const last = ring.length - 1;
  let r = last > 0 && ring[0][0] === ring[last][0] && ring[0][1] === ring[last][1] ? ring.slice(0, last) : ring.slice();
  const atX =
    (x: number) =>
    (a: Point, b: Point): Point => [x, a[1] + ((b[1] - a[1]) * (x - a[0])) / (b[0] - a[0])];
  const atY =
    (y: number) =>
    (a: Point, b: Point): Point => [a[0] + ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]), y];
  r = clipSide(r, (p) => p[0] >= x0, atX(x0));
  r = clipSide(r, (p) => p[0] <= x1, atX(x1));
  r = clipSide(r, (p) => p[1] >= y0, atY(y0));
  r = clipSide(r, (p) => p[1] <= y1, atY(y1));
  return r.length >= 3 ? r : [];
}

/**
 * The parts of a multipolygon inside the rectangle: each polygon's outer ring and holes clipped; a
 * polygon whose outer ring misses the rectangle is dropped, as are holes that miss it.
 */
export function clipToRect(mp: MultiPolygon, x0: number, y0: number, x1: number, y1: number): MultiPolygon {
  const out: MultiPolygon = [];
  for (const p of mp) {
    if (p.length === 0) continue;
    const outer = clipRingToRect(p[0], x0, y0, x1, y1);
    if (outer.length === 0) continue;
    const poly: Polygon = [outer];
    for (let i = 1; i < p.length; i++) {
      const hole = clipRingToRect(p[i], x0, y0, x1, y1);
      if (hole.length) poly.push(hole);
    }
    out.push(poly);
  }
  return out;
}

/**
 * Whether a clipped piece is already a clean polygon: one polygon, no holes, no two of its edges
 * running along the same side of the rectangle over a common stretch (the zero-width bridges a ring
 * that leaves and re-enters leaves behind), no vertex inside an edge along a side (a pinch), and no
 * repeated vertex: the only places a cut of a simple ring can touch itself are the rectangle's sides. Then closing the ring is all the
 * exact clipper would do. O(b²) for b vertices on the rectangle's sides (a handful per cell).
 */
export function isCleanClip(mp: MultiPolygon, x0: number, y0: number, x1: number, y1: number): boolean {
  if (mp.length !== 1 || mp[0].length !== 1) return false;
  const r = mp[0][0];
  const n = r.length;
  const seen = new Set<string>();
  for (const [x, y] of r) {
    const key = `${x},${y}`;
    if (seen.has(key)) return false;
    seen.add(key);
  }
  // Edges lying on a side, as [side, lo, hi] along that side.
  const along: [number, number, number][] = [];
  for (let i = 0; i < n; i++) {
    const a = r[i];
    const b = r[(i + 1) % n];
    if (a[0] === b[0] && (a[0] === x0 || a[0] === x1))
      along.push([a[0] === x0 ? 0 : 1, Math.min(a[1], b[1]), Math.max(a[1], b[1])]);
    else if (a[1] === b[1] && (a[1] === y0 || a[1] === y1))
      along.push([a[1] === y0 ? 2 : 3, Math.min(a[0], b[0]), Math.max(a[0], b[0])]);
  }
  for (let i = 0; i < along.length; i++)
    for (let j = i + 1; j < along.length; j++)
      if (along[i][0] === along[j][0] && Math.min(along[i][2], along[j][2]) > Math.max(along[i][1], along[j][1]))
        return false;
  // A vertex on a side inside another edge along that side: the ring pinches there (touches itself).
  for (const [x, y] of r) {
    const on: [number, number][] = [];
    if (x === x0) on.push([0, y]);
    if (x === x1) on.push([1, y]);
    if (y === y0) on.push([2, x]);
    if (y === y1) on.push([3, x]);
    for (const [side, t] of on) for (const e of along) if (e[0] === side && t > e[1] && t < e[2]) return false;
  }
  return true;
}
