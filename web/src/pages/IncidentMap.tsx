import type { GeoJSONSource } from 'maplibre-gl';
import { bounds, maplibregl, STYLE, type FC } from '../map';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { ProblemNote } from '../components/ProblemNote';

interface Summary {
  total: number;
  first: string | null;
  last: string | null;
  types: { type: string; origin: 'citizen' | 'officer'; count: number }[];
}
interface Filters {
  type: string;
  origin: '' | 'citizen' | 'officer';
  from: string;
  to: string;
}
const COLORS = { citizen: '#1f6feb', officer: '#d9480f' };

export function IncidentMap() {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<maplibregl.Map | null>(null);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [filters, setFilters] = useState<Filters>({ type: '', origin: '', from: '', to: '' });
  const [result, setResult] = useState<{ matched: number; returned: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [noMap, setNoMap] = useState(false);
  const [mapState, setMapState] = useState('loading');
  const [rendered, setRendered] = useState(0);

  useEffect(() => {
    void api<Summary>('/api/incidents/summary').then(setSummary).catch(setError);
    if (!container.current) return;
    let m: maplibregl.Map;
    try {
      m = new maplibregl.Map({
        container: container.current,
        style: STYLE,
        center: [-87.7, 41.84],
        zoom: 9.3,
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
          const b = bounds(fc);
          if (b) m.fitBounds(b, { padding: 20, duration: 0 });
        }
      }
      m.addSource('incidents', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      m.addLayer({
        id: 'incidents',
        type: 'circle',
        source: 'incidents',
        paint: {
          'circle-radius': 2.2,
          'circle-opacity': 0.7,
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
      setMapState('styled');
    });
    return () => m.remove();
  }, [t]);

  const load = async (f: Filters) => {
    setError(null);
    setResult(null);
    const q = new URLSearchParams({ limit: '50000' });
    if (f.type) q.set('type', f.type);
    if (f.origin) q.set('origin', f.origin);
    if (f.from) q.set('from', f.from);
    if (f.to) q.set('to', f.to);
    try {
      const fc = await api<FC & { matched: number; returned: number }>(`/api/incidents?${q}`, {
        headers: { 'x-purpose': 'crime-analysis' },
      });
      setResult({ matched: fc.matched, returned: fc.returned });
      const m = map.current;
      const put = () => {
        setMapState('drawing');
        const onData = (e: maplibregl.MapSourceDataEvent) => {
          if (e.sourceId === 'incidents' && m!.isSourceLoaded('incidents')) {
            m!.off('sourcedata', onData);
            // 'ready' once the points are actually drawn: the rendered count is what a person sees.
            m!.once('idle', () => {
              setRendered(m!.queryRenderedFeatures({ layers: ['incidents'] }).length);
              setMapState('ready');
            });
            m!.triggerRepaint();
          }
        };
        m!.on('sourcedata', onData);
        (m!.getSource('incidents') as GeoJSONSource).setData(fc as unknown as Parameters<GeoJSONSource['setData']>[0]);
      };
      if (m) m.getSource('incidents') ? put() : m.once('styledata', () => m.getSource('incidents') && put());
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    if (mapState === 'styled' || noMap) void load(filters);
    // Only on first readiness; later loads come from the form.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mapState === 'styled', noMap]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void load(filters);
  };
  const types = [...new Map((summary?.types ?? []).map((x) => [x.type, x])).values()];

  return (
    <section className="map-page">
      <h1>{t('map.title')}</h1>
      <form className="filters" onSubmit={submit}>
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
          data-matched={result?.matched ?? ''}
          data-returned={result?.returned ?? ''}
        >
          {result
            ? t('map.count', { matched: result.matched.toLocaleString(), returned: result.returned.toLocaleString() })
            : t('map.loading')}
        </output>
      </form>
      <p className="note">{t('map.originNote')}</p>
      <div className="legend">
        <span>
          <i style={{ background: COLORS.citizen }} /> {t('map.citizen')}
        </span>
        <span>
          <i style={{ background: COLORS.officer }} /> {t('map.officer')}
        </span>
      </div>
      <ProblemNote error={error} />
      {noMap && <p className="note">{t('map.noMap')}</p>}
      <div ref={container} className="map" data-testid="map" data-state={mapState} data-rendered={rendered} />
    </section>
  );
}
