import type { GeoJSONSource } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { bounds, maplibregl, STYLE, type FC } from '../map';

/** Where an alert is, as the alert detail answers it (src/review/where.ts). */
export interface Where {
  features: {
    type: 'Feature';
    properties: { kind: 'cell'; cellId: number; rank: number } | { kind: 'point' } | { kind: 'area'; code: string };
    geometry: { type: string; coordinates: number[] | number[][][] | number[][][][] };
  }[];
  areas: { layer: string; code: string; name: string; places: number }[];
  outlines?: { type: 'Feature'; properties: { layer: string; code: string }; geometry: unknown }[];
  boundaries: string[];
}

type GeoData = Parameters<GeoJSONSource['setData']>[0];

/**
 * The reviewer's map: the alert's cells or point over the patrol boundary (jurisdiction layers), drawn
 * from the data's own GeoJSON with no tile server, and beside it the names of the areas they lie in.
 * The MapLibre instance hangs on the container as `.map` for browser tests.
 */
export function AlertMap({ where }: { where: Where | null }) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const [state, setState] = useState('loading');
  const [noMap, setNoMap] = useState(false);
  const cells = where?.features.filter((f) => f.properties.kind === 'cell').length ?? 0;

  useEffect(() => {
    if (!where || !container.current) return;
    const places = { type: 'FeatureCollection' as const, features: where.features };
    let m: maplibregl.Map;
    try {
      m = new maplibregl.Map({
        container: container.current,
        style: STYLE,
        bounds: bounds(places as FC),
        fitBoundsOptions: { padding: 40, maxZoom: 14 },
        attributionControl: false,
      });
    } catch {
      setNoMap(true);
      return;
    }
    (container.current as HTMLDivElement & { map?: maplibregl.Map }).map = m;
    m.addControl(new maplibregl.NavigationControl({ showCompass: false }));
    let live = true;
    m.on('load', async () => {
      // The patrol boundary first, so the alert is drawn over it.
      for (const name of where.boundaries) {
        try {
          const fc = await api<FC>(`/api/layers/${encodeURIComponent(name)}`);
          if (!live) return;
          m.addSource(`boundary-${name}`, { type: 'geojson', data: fc as unknown as GeoData });
          m.addLayer({
            id: `boundary-${name}`,
            type: 'line',
            source: `boundary-${name}`,
            paint: { 'line-color': '#222', 'line-width': 2.4 },
          });
        } catch {
          // The boundary is context; the alert's own places are still drawn.
        }
      }
      if (!live) return;
      // The named areas under the alert, so the names beside the map point at something.
      m.addSource('alert-areas', {
        type: 'geojson',
        data: { type: 'FeatureCollection', features: where.outlines ?? [] } as unknown as GeoData,
      });
      m.addLayer({
        id: 'alert-areas',
        type: 'fill',
        source: 'alert-areas',
        paint: { 'fill-color': '#ffffff', 'fill-opacity': 0.7 },
      });
      m.addLayer({
        id: 'alert-area-lines',
        type: 'line',
        source: 'alert-areas',
        paint: { 'line-color': '#6b6b6b', 'line-width': 1.2, 'line-dasharray': [3, 2] },
      });
      m.addSource('alert-places', { type: 'geojson', data: places as unknown as GeoData });
      m.addLayer({
        id: 'alert-cells',
        type: 'fill',
        source: 'alert-places',
        filter: ['==', ['geometry-type'], 'Polygon'],
        paint: { 'fill-color': '#c92a2a', 'fill-opacity': 0.45 },
      });
      m.addLayer({
        id: 'alert-cell-lines',
        type: 'line',
        source: 'alert-places',
        filter: ['==', ['geometry-type'], 'Polygon'],
        paint: { 'line-color': '#7a1414', 'line-width': 1.2 },
      });
      m.addLayer({
        id: 'alert-point',
        type: 'circle',
        source: 'alert-places',
        filter: ['==', ['geometry-type'], 'Point'],
        paint: {
          'circle-radius': 7,
          'circle-color': '#c92a2a',
          'circle-stroke-color': '#fff',
          'circle-stroke-width': 2,
        },
      });
      // 'ready' once drawn: what the page says is on the map is what a person sees.
      m.once('idle', () => live && setState('ready'));
    });
    return () => {
      live = false;
      m.remove();
    };
  }, [where]);

  if (!where)
    return (
      <section className="alert-where" data-testid="alert-where">
        <h4>{t('review.where.title')}</h4>
        <p className="note">{t('review.where.noPlace')}</p>
      </section>
    );
  return (
    <section className="alert-where" data-testid="alert-where">
      <h4>{t('review.where.title')}</h4>
      {noMap ? (
        <p className="note">{t('review.where.noMap')}</p>
      ) : (
        <div
          ref={container}
          className="map alert-map"
          data-testid="alert-map"
          data-state={state}
          role="img"
          aria-label={t('review.where.mapLabel')}
        />
      )}
      {cells > 0 && <p>{t('review.where.cells', { count: cells })}</p>}
      <p>{t('review.where.areas')}</p>
      <ul data-testid="alert-areas">
        {where.areas.map((a) => (
          <li key={`${a.layer}/${a.code}`}>
            <span translate="no">{a.name}</span>
            {cells > 0 ? ` — ${t('review.where.areaCells', { count: a.places })}` : ''}
          </li>
        ))}
        {where.areas.length === 0 && <li>{t('review.where.outside')}</li>}
      </ul>
      {(where.outlines ?? []).length > 0 && <p className="note">{t('review.where.outlines')}</p>}
      {where.boundaries.length > 0 && (
        <p className="note">{t('review.where.boundary', { names: where.boundaries.join(', ') })}</p>
      )}
    </section>
  );
}
