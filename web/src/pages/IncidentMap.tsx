import type { GeoJSONSource } from 'maplibre-gl';
import { bounds, clampedView, maplibregl, STYLE, unionBounds, type BBox, type FC } from '../map';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { ProblemNote } from '../components/ProblemNote';

interface SourceInfo {
  source: string;
  count: number;
  bbox: BBox;
}
interface Summary {
  total: number;
  first: string | null;
  last: string | null;
  types: { type: string; origin: 'citizen' | 'officer'; count: number }[];
  sources: SourceInfo[];
}
interface Filters {
  source: string;
  type: string;
  origin: '' | 'citizen' | 'officer';
  from: string;
  to: string;
}
interface ClusterProps {
  cluster: boolean;
  count: number;
  type?: string;
  origin?: string;
  occurredAt?: string;
}
interface Clusters {
  total: number;
  /** The server's index was still being built: exact counts on a coarser grid; ask again shortly. */
  coarse: boolean;
  points: number;
  bbox: BBox;
  zoom: number;
  features: { geometry: { coordinates: [number, number] }; properties: ClusterProps }[];
}
const COLORS = { citizen: '#1f6feb', officer: '#d9480f' };
const WORLD: BBox = [-180, -90, 180, 90];

/**
 * The incident map: the server clusters the incidents in view (GET /api/incidents/clusters), so a million
 * incidents draw as a few hundred clusters, and "N incidents in view" is the sum of what is drawn: the
 * clusters' counts (on their markers) and the single points. Nothing is capped.
 */
export function IncidentMap() {
  const { t, i18n } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<maplibregl.Map | null>(null);
  const markers = useRef<maplibregl.Marker[]>([]);
  const applied = useRef<Filters>({ source: '', type: '', origin: '', from: '', to: '' });
  const request = useRef(0);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [filters, setFilters] = useState<Filters>(applied.current);
  const [view, setView] = useState<{
    total: number;
    points: number;
    bbox: BBox;
    zoom: number;
    coarse: boolean;
  } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [noMap, setNoMap] = useState(false);
  const [mapState, setMapState] = useState('loading');
  const [rendered, setRendered] = useState(0);

  const load = async () => {
    const f = applied.current;
    const m = map.current;
    const seq = ++request.current;
    // Without a map (no WebGL) the "view" is the whole world, so the count is still every matching incident.
    const bbox = m ? clampedView(m.getBounds()) : WORLD;
    const zoom = m ? m.getZoom() : 0;
    const q = new URLSearchParams({ bbox: bbox.join(','), zoom: zoom.toFixed(2) });
    for (const k of ['source', 'type', 'origin', 'from', 'to'] as const) if (f[k]) q.set(k, f[k]);
    setError(null);
    try {
      const r = await api<Clusters>(`/api/incidents/clusters?${q}`, { headers: { 'x-purpose': 'crime-analysis' } });
      if (seq !== request.current) return; // a newer view was asked for meanwhile
      setView({ total: r.total, points: r.points, bbox: r.bbox, zoom: r.zoom, coarse: r.coarse });
      if (m) draw(m, r);
      // A coarse answer (the server is still building its index): the same view again shortly, unless moved.
      if (r.coarse) setTimeout(() => seq === request.current && void load(), 2000);
    } catch (e) {
      if (seq === request.current) setError(e);
    }
  };

  const draw = (m: maplibregl.Map, r: Clusters) => {
    for (const mk of markers.current) mk.remove();
    markers.current = [];
    // Clusters carry their count on a marker (the style has no font glyphs to draw text with).
    for (const f of r.features) {
      if (!f.properties.cluster) continue;
      const el = document.createElement('button');
      el.type = 'button';
      el.className = 'cluster-marker';
      el.dataset.count = String(f.properties.count);
      el.textContent = f.properties.count.toLocaleString(i18n.language);
      el.setAttribute('aria-label', t('map.clusterLabel', { count: f.properties.count.toLocaleString(i18n.language) }));
      const size = 22 + 8 * Math.log10(f.properties.count);
      el.style.width = el.style.height = `${size}px`;
      el.addEventListener('click', () => m.easeTo({ center: f.geometry.coordinates, zoom: m.getZoom() + 2 }));
      markers.current.push(new maplibregl.Marker({ element: el }).setLngLat(f.geometry.coordinates).addTo(m));
    }
    const points = { type: 'FeatureCollection', features: r.features.filter((f) => !f.properties.cluster) };
    setMapState('drawing');
    (m.getSource('incidents') as GeoJSONSource).setData(points as unknown as Parameters<GeoJSONSource['setData']>[0]);
    m.once('idle', () => {
      setRendered(m.queryRenderedFeatures({ layers: ['incidents'] }).length + markers.current.length);
      setMapState('ready');
    });
    m.triggerRepaint();
  };

  /** Fit the map to the selected source's incidents (all sources: their union), from the server's bounds. */
  const fit = (s: Summary | null, source: string) => {
    const m = map.current;
    const chosen = (s?.sources ?? []).filter((x) => !source || x.source === source);
    const b = unionBounds(chosen.map((x) => x.bbox));
    if (m && b) m.fitBounds(b, { padding: 30, duration: 0, maxZoom: 15 });
  };

  useEffect(() => {
    const summaryLoaded = api<Summary>('/api/incidents/summary')
      .then((s) => (setSummary(s), s))
      .catch((e) => (setError(e), null));
    if (!container.current) return;
    let m: maplibregl.Map;
    try {
      m = new maplibregl.Map({
        container: container.current,
        style: STYLE,
        center: [0, 20],
        zoom: 1,
        attributionControl: false,
      });
    } catch {
      setNoMap(true);
      return;
    }
    map.current = m;
    m.addControl(new maplibregl.NavigationControl({ showCompass: false }));
    m.on('load', async () => {
      const layers = await api<{ name: string; kind: string }[]>('/api/layers');
      let jurisdiction: ReturnType<typeof bounds>;
      for (const l of layers) {
        const fc = await api<FC>(`/api/layers/${encodeURIComponent(l.name)}`);
        m.addSource(`layer-${l.name}`, {
          type: 'geojson',
          data: fc as unknown as Parameters<GeoJSONSource['setData']>[0],
        });
        if (l.kind === 'areas') {
          m.addLayer({
            id: `fill-${l.name}`,
            type: 'fill',
            source: `layer-${l.name}`,
            paint: { 'fill-color': '#ffffff', 'fill-opacity': 0.6 },
          });
          m.addLayer({
            id: `line-${l.name}`,
            type: 'line',
            source: `layer-${l.name}`,
            paint: { 'line-color': '#8a8a8a', 'line-width': 0.6 },
          });
        } else {
          m.addLayer({
            id: `line-${l.name}`,
            type: 'line',
            source: `layer-${l.name}`,
            paint: { 'line-color': '#222', 'line-width': 1.6 },
          });
          jurisdiction ??= bounds(fc);
        }
      }
      m.addSource('incidents', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      m.addLayer({
        id: 'incidents',
        type: 'circle',
        source: 'incidents',
        paint: {
          'circle-radius': 3,
          'circle-opacity': 0.8,
          'circle-color': ['match', ['get', 'origin'], 'officer', COLORS.officer, COLORS.citizen],
        },
      });
      m.on('click', 'incidents', (e) => {
        const p = e.features?.[0]?.properties as Record<string, string> | undefined;
        if (!p) return;
        const div = document.createElement('div');
        div.textContent = `${p.type} · ${p.occurredAt} · ${t(p.origin === 'officer' ? 'map.officer' : 'map.citizen')}`;
        new maplibregl.Popup().setLngLat(e.lngLat).setDOMContent(div).addTo(m);
      });
      // The data's own bounds; the jurisdiction's when there is no data yet.
      const s = await summaryLoaded;
      if (s?.sources.length) fit(s, applied.current.source);
      else if (jurisdiction) m.fitBounds(jurisdiction, { padding: 20, duration: 0 });
      m.on('moveend', () => void load());
      setMapState('styled');
      void load();
    });
    return () => {
      for (const mk of markers.current) mk.remove();
      m.remove();
    };
    // The map is made once; `t` is read at click time.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (noMap) void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [noMap]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const sourceChanged = filters.source !== applied.current.source;
    applied.current = filters;
    if (sourceChanged && map.current) fit(summary, filters.source);
    void load();
  };
  const chooseSource = (source: string) => {
    const next = { ...filters, source };
    setFilters(next);
    applied.current = { ...applied.current, source };
    if (map.current) fit(summary, source);
    void load();
  };
  const types = [...new Map((summary?.types ?? []).map((x) => [x.type, x])).values()];

  return (
    <section className="map-page">
      <h1>{t('map.title')}</h1>
      <form className="filters" onSubmit={submit}>
        <label>
          {t('map.source')}
          <select name="source" value={filters.source} onChange={(e) => chooseSource(e.target.value)}>
            <option value="">{t('map.allSources')}</option>
            {(summary?.sources ?? []).map((x) => (
              <option key={x.source} value={x.source}>
                {t('map.sourceOption', { source: x.source, count: x.count.toLocaleString(i18n.language) })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('map.type')}
          <select name="type" value={filters.type} onChange={(e) => setFilters({ ...filters, type: e.target.value })}>
            <option value="">{t('map.allTypes')}</option>
            {types.map((x) => (
              <option key={x.type} value={x.type}>
                {x.type}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('map.origin')}
          <select
            name="origin"
            value={filters.origin}
            onChange={(e) => setFilters({ ...filters, origin: e.target.value as Filters['origin'] })}
          >
            <option value="">{t('map.allOrigins')}</option>
            <option value="citizen">{t('map.citizen')}</option>
            <option value="officer">{t('map.officer')}</option>
          </select>
        </label>
        <label>
          {t('map.from')}
          <input
            name="from"
            type="date"
            value={filters.from}
            onChange={(e) => setFilters({ ...filters, from: e.target.value })}
          />
        </label>
        <label>
          {t('map.to')}
          <input
            name="to"
            type="date"
            value={filters.to}
            onChange={(e) => setFilters({ ...filters, to: e.target.value })}
          />
        </label>
        <button type="submit">{t('map.apply')}</button>
        <output
          data-testid="incident-count"
          data-in-view={view?.total ?? ''}
          data-points={view?.points ?? ''}
          data-bbox={view?.bbox.join(',') ?? ''}
        >
          {view ? t('map.inView', { count: view.total.toLocaleString(i18n.language) }) : t('map.loading')}
        </output>
      </form>
      <p className="note">{t(noMap ? 'map.inViewNoMap' : 'map.inViewNote')}</p>
      {view?.coarse && (
        <p className="note" role="status" data-coarse="true">
          {t('map.coarse')}
        </p>
      )}
      <p className="note">{t('map.originNote')}</p>
      <div className="legend">
        <span>
          <i style={{ background: COLORS.citizen }} /> {t('map.citizen')}
        </span>
        <span>
          <i style={{ background: COLORS.officer }} /> {t('map.officer')}
        </span>
        <span>
          <i className="legend-cluster" /> {t('map.clusterLegend')}
        </span>
      </div>
      <ProblemNote error={error} />
      {noMap && <p className="note">{t('map.noMap')}</p>}
      <div ref={container} className="map" data-testid="map" data-state={mapState} data-rendered={rendered} />
    </section>
  );
}
