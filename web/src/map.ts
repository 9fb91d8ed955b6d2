/** What every map page shares: MapLibre's worker, a tile-free style, and fitting a GeoJSON's bounds. */
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { LngLatBoundsLike } from 'maplibre-gl';
// MapLibre's worker is a separate module file; Vite must emit it and MapLibre must be told where it is.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';

maplibregl.setWorkerUrl(workerUrl);

export { maplibregl };

// No tile server: the map is drawn only from the data's own GeoJSON over a plain background.
export const STYLE: maplibregl.StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#f6f4ef' } }],
};

export type FC = {
  type: 'FeatureCollection';
  features: { geometry: { coordinates: number[] | number[][][] | number[][][][] } }[];
};

export function bounds(fc: FC): LngLatBoundsLike | undefined {
  let [a, b, c, d] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (x: unknown): void => {
    if (Array.isArray(x) && typeof x[0] === 'number') {
      a = Math.min(a, x[0] as number);
      b = Math.min(b, x[1] as number);
      c = Math.max(c, x[0] as number);
      d = Math.max(d, x[1] as number);
    } else if (Array.isArray(x)) x.forEach(visit);
  };
  fc.features.forEach((f) => visit(f.geometry.coordinates));
  return Number.isFinite(a)
    ? [
        [a, b],
        [c, d],
      ]
    : undefined;
}

/** West, south, east, north in degrees (WGS84). */
export type BBox = [number, number, number, number];

/** The union of boxes, or undefined when there are none. */
export function unionBounds(boxes: BBox[]): LngLatBoundsLike | undefined {
  if (!boxes.length) return undefined;
  const [w, s, e, n] = boxes.reduce((a, b) => [
    Math.min(a[0], b[0]),
    Math.min(a[1], b[1]),
    Math.max(a[2], b[2]),
    Math.max(a[3], b[3]),
  ]);
  return [
    [w, s],
    [e, n],
  ];
}

/**
 * The map's visible box as the server takes it: longitudes within −180…180 (a view wider than the world is
 * the world), latitudes within −90…90, rounded outwards to 6 decimals (about 10 cm).
 */
export function clampedView(b: maplibregl.LngLatBounds): BBox {
  const wide = b.getEast() - b.getWest() >= 360;
  const out = (x: number, f: (v: number) => number) => f(x * 1e6) / 1e6;
  return [
    wide ? -180 : Math.max(-180, out(b.getWest(), Math.floor)),
    Math.max(-90, out(b.getSouth(), Math.floor)),
    wide ? 180 : Math.min(180, out(b.getEast(), Math.ceil)),
    Math.min(90, out(b.getNorth(), Math.ceil)),
  ];
}
