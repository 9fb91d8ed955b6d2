/** What every map page shares: MapLibre's worker, a tile-free style, and fitting a GeoJSON's bounds. */
import * as maplibregl from 'maplibre-gl';
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
