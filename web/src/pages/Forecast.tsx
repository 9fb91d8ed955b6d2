import { RunProgress, watchRun, type RunView } from '../components/RunProgress';
import * as Plot from '@observablehq/plot';
import type { GeoJSONSource } from 'maplibre-gl';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { ProblemNote } from '../components/ProblemNote';
import { formatDateTime } from '../time';
import type { Me } from '../api';
import { bounds, maplibregl, STYLE, type FC } from '../map';
import { MESSAGES, render, type MessageCode } from '../../../src/domain/messages';
import i18n from '../i18n/index';

interface RunSummary {
  id: string;
  asOf: string;
  window: string;
  model: string;
  includesOfficerInitiated: boolean;
  createdAt: string;
}
interface CellProps {
  cellId: number;
  rank: number;
  risk: number;
  hotspot: number;
  explanationId: string | null;
}
interface ForecastView {
  id: string;
  asOf: string;
  window: string;
  logIndex: number;
  dataPolicy: { label: string; includeOfficerInitiated: boolean; kept: number; excludedOfficerInitiated: number };
  run: {
    model: string;
    /** The model's name as a message (code and parameters): shown in the reader's language. */
    modelText?: ServerMessage | null;
    hotspotCells: number;
    trainingIncidents: number;
    dataSnapshotHash: string;
    codeVersion: string;
    seed: number;
    window: { start: string; lastDay: string };
  };
  cells: { type: 'FeatureCollection'; features: { properties: CellProps; geometry: { coordinates: number[][][] } }[] };
}
interface ServerMessage {
  code: string;
  params?: Record<string, string | number>;
}
/** A server message in the page's language (the server's English when it sent no known code). */
function inPageLanguage(text: ServerMessage | null | undefined, english: string): string {
  return text && text.code in MESSAGES
    ? render({ code: text.code as MessageCode, params: text.params }, i18n.language === 'ko' ? 'ko' : 'en')
    : english;
}

/** Why a cell was flagged, in the page's language (the server's English sentence when its code is unknown). */
function explanationSentence(e: Explanation): string {
  return inPageLanguage(e.messageKey ? { code: e.messageKey, params: e.params } : null, e.sentence);
}

interface Explanation {
  explanationId: string;
  risk: number;
  model: string;
  background: number;
  backgroundShare: number;
  historyShare: number;
  sentence: string;
  /** The sentence's message code and parameters: shown in the reader's language. */
  messageKey?: string;
  params?: Record<string, string | number>;
  incidents: { id: string; type: string; date: string; distance: number; contribution: number; share: number }[];
  others: { count: number; contribution: number };
}
interface Interval {
  mean: number;
  lo: number;
  hi: number;
  n: number;
}
interface Backtest {
  id: number;
  origins: number;
  baseline: string | null;
  dataSnapshotHash: string;
  summary: {
    model: string;
    modelText?: ServerMessage | null;
    window: string;
    pai: Interval;
    pei: Interval;
    hitRateCurve?: { share: number; hitRate: Interval }[];
  }[];
  paired: {
    a: string;
    b: string;
    window: string;
    mean: number;
    lo: number;
    hi: number;
    wins: number;
    losses: number;
  }[];
}
interface MissionCell {
  cellId: number;
  rank: number;
  risk: number;
  plannedMinutes: number;
}
interface Dosage {
  cells: { cellId: number; plannedMinutes: number; measuredMinutes: number; ratio: number | null }[];
  plannedMinutes: number;
  measuredMinutes: number;
  pings: number;
  unobservedGaps: number;
  tactics: Record<string, number>;
  outcomes: Record<string, number>;
}
interface Mission {
  id: string;
  forecastId: string;
  unit: string;
  shiftStart: string;
  shiftEnd: string;
  cells: MissionCell[];
  status: string;
  proposedBy: string;
  reason: string | null;
  alertId: string | null;
  alertStatus: string | null;
}

const MODELS = ['auto', 'counts', 'counts:365', 'prospective:1200ft:8', 'kde:gaussian:600ft:365', 'etas:40'];
const WINDOWS = ['7d', '14d', '1mo', '2mo', '3mo'];
const message = (e: unknown) => e;

/** The analyst's page: forecast map with explained hotspots, backtests with intervals, and a shift's mission plan. */
export function Forecast({ me }: { me: Me }) {
  const { t } = useTranslation();
  const analyst = me.roles.includes('analyst');
  const supervisor = me.roles.includes('supervisor');
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<maplibregl.Map | null>(null);
  const chart = useRef<HTMLDivElement>(null);
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [view, setView] = useState<ForecastView | null>(null);
  // The map's click handler is registered once; it reads the shown forecast from this ref, not from a stale closure.
  const shown = useRef<string | null>(null);
  const [explanation, setExplanation] = useState<Explanation | null>(null);
  const [backtest, setBacktest] = useState<Backtest | null>(null);
  const [missions, setMissions] = useState<Mission[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [progress, setProgress] = useState<RunView | null>(null);
  const [mapState, setMapState] = useState('loading');
  const [form, setForm] = useState({
    asOf: '2019-06-01',
    window: '7d',
    cell: '600ft',
    model: 'kde:gaussian:600ft:365',
    includeOfficerInitiated: false,
  });
  const [bt, setBt] = useState({ from: '2019-01-07', to: '2019-04-01', stepDays: 14, windows: '7d', cell: '1000ft' });
  const [plan, setPlan] = useState({
    unit: me.unit ?? 'district-1',
    shiftStart: '2019-06-01T14:00:00Z',
    shiftEnd: '2019-06-01T22:00:00Z',
    cells: 5,
    maxTimes: 2,
    window: 3,
  });
  const [reason, setReason] = useState('');
  const [bound, setBound] = useState('');
  const tradeoffChart = useRef<HTMLDivElement>(null);
  const [tradeoff, setTradeoff] = useState<{
    points: { bound: number; feasible: boolean; expectedHitsKept: number }[];
    definition: string;
  } | null>(null);
  useEffect(() => {
    if (!tradeoff || !tradeoffChart.current) return;
    // Each point: the plan within the band [1/b, b] (red when no plan reaches it: the closest is shown).
    const pts = tradeoff.points.map((p) => ({ ...p, label: `${(1 / p.bound).toFixed(2)}–${p.bound}` }));
    tradeoffChart.current.replaceChildren(
      Plot.plot({
        width: 520,
        height: 260,
        x: { label: t('forecast.disparity'), grid: true },
        y: { label: t('forecast.paiKept'), domain: [0, 1], grid: true },
        marks: [
          Plot.line(pts, { x: 'bound', y: 'expectedHitsKept', stroke: '#888' }),
          Plot.dot(pts, { x: 'bound', y: 'expectedHitsKept', fill: (d) => (d.feasible ? '#1f6feb' : '#c92a2a'), r: 4 }),
          Plot.text(pts, { x: 'bound', y: 'expectedHitsKept', text: 'label', dy: -10 }),
        ],
      }),
    );
  }, [tradeoff, t]);
  const [dosage, setDosage] = useState<(Dosage & { alertId: string }) | null>(null);
  const showDosage = async (alertId: string) => {
    setError(null);
    try {
      setDosage({
        ...(await api<Dosage>(`/api/missions/${alertId}/dosage`, { headers: { 'x-purpose': 'patrol-measurement' } })),
        alertId,
      });
    } catch (e) {
      setError(message(e));
    }
  };

  const refresh = async () => {
    setRuns(await api<RunSummary[]>('/api/forecasts'));
    setMissions(await api<Mission[]>('/api/missions', { headers: { 'x-purpose': 'patrol-forecasting' } }));
  };
  useEffect(() => void refresh().catch((e) => setError(message(e))), []);

  useEffect(() => {
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
      setMapState('no-webgl');
      return;
    }
    map.current = m;
    // Tests click real hotspots on the canvas: they find them through the map on its container.
    (container.current as HTMLDivElement & { map?: maplibregl.Map }).map = m;
    m.on('load', async () => {
      const layers = await api<{ name: string; kind: string }[]>('/api/layers');
      for (const l of layers.filter((x) => x.kind === 'jurisdiction')) {
        const fc = await api<FC>(`/api/layers/${encodeURIComponent(l.name)}`);
        m.addSource(`layer-${l.name}`, {
          type: 'geojson',
          data: fc as unknown as Parameters<GeoJSONSource['setData']>[0],
        });
        m.addLayer({
          id: `line-${l.name}`,
          type: 'line',
          source: `layer-${l.name}`,
          paint: { 'line-color': '#222', 'line-width': 1.4 },
        });
        const b = bounds(fc);
        if (b) m.fitBounds(b, { padding: 20, duration: 0 });
      }
      m.addSource('cells', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      m.addLayer({
        id: 'cells',
        type: 'fill',
        source: 'cells',
        paint: {
          'fill-color': ['case', ['==', ['get', 'hotspot'], 1], '#c92a2a', '#f59f00'],
          'fill-opacity': ['case', ['==', ['get', 'hotspot'], 1], 0.85, 0.35],
        },
      });
      m.on('click', 'cells', (e) => {
        const p = e.features?.[0]?.properties as CellProps | undefined;
        if (p?.explanationId) void explain(p.explanationId, [e.lngLat.lng, e.lngLat.lat]);
      });
      setMapState('styled');
    });
    return () => m.remove();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const show = async (id: string) => {
    setExplanation(null);
    const v = await api<ForecastView>(`/api/forecasts/${id}`);
    shown.current = v.id;
    setView(v);
    const m = map.current;
    const src = m?.getSource('cells') as GeoJSONSource | undefined;
    if (src) {
      src.setData(v.cells as unknown as Parameters<GeoJSONSource['setData']>[0]);
      const b = bounds({
        type: 'FeatureCollection',
        features: v.cells.features.filter((f) => f.properties.hotspot === 1),
      });
      if (b) m!.fitBounds(b, { padding: 60, duration: 0, maxZoom: 13 });
      m!.once('idle', () => setMapState('ready'));
    }
  };

  const explain = async (explanationId: string, at?: [number, number]) => {
    if (!shown.current) return;
    const e = await api<Explanation>(`/api/forecasts/${shown.current}/explanations/${explanationId}`);
    setExplanation(e);
    if (at && map.current) {
      const div = document.createElement('div');
      div.className = 'explanation-popup';
      div.textContent = explanationSentence(e);
      new maplibregl.Popup().setLngLat(at).setDOMContent(div).addTo(map.current);
    }
  };

  const run = async (ev: FormEvent) => {
    ev.preventDefault();
    setError(null);
    setBusy('forecast');
    setProgress(null);
    const jobId = crypto.randomUUID();
    const stop = watchRun(jobId, setProgress);
    try {
      const r = await api<{ id: string }>(`/api/forecasts?jobId=${jobId}`, {
        method: 'POST',
        body: JSON.stringify(form),
      });
      await stop();
      await refresh();
      await show(r.id);
    } catch (e) {
      await stop();
      setError(message(e));
    } finally {
      setBusy(null);
    }
  };

  const runBacktest = async (ev: FormEvent) => {
    ev.preventDefault();
    setError(null);
    setBusy('backtest');
    setProgress(null);
    const jobId = crypto.randomUUID();
    const stop = watchRun(jobId, setProgress);
    try {
      const body = {
        ...bt,
        windows: bt.windows.split(',').map((w) => w.trim()),
        models: ['counts', 'counts:365', 'prospective:2000ft:8', 'kde:gaussian:1000ft:365'],
      };
      const r = await api<{ id: number }>(`/api/backtests?jobId=${jobId}`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
      await stop();
      setBacktest(await api<Backtest>(`/api/backtests/${r.id}`));
    } catch (e) {
      await stop();
      setError(message(e));
    } finally {
      setBusy(null);
    }
  };

  useEffect(() => {
    if (!backtest || !chart.current) return;
    const data = backtest.summary.map((s) => ({
      label: `${inPageLanguage(s.modelText, s.model)} · ${s.window}`,
      window: s.window,
      mean: s.pai.mean,
      lo: s.pai.lo,
      hi: s.pai.hi,
    }));
    chart.current.replaceChildren(
      Plot.plot({
        marginLeft: 300,
        width: 760,
        height: 40 + 30 * data.length,
        x: { label: t('forecast.pai'), grid: true },
        y: { label: null },
        color: { legend: true },
        marks: [
          Plot.ruleY(data, { y: 'label', x1: 'lo', x2: 'hi', stroke: 'window' }),
          Plot.dot(data, { y: 'label', x: 'mean', fill: 'window', r: 4 }),
        ],
      }),
    );
  }, [backtest, t]);

  const propose = async (ev: FormEvent) => {
    ev.preventDefault();
    if (!view) return;
    setError(null);
    try {
      await api('/api/missions', {
        method: 'POST',
        body: JSON.stringify({
          forecastId: view.id,
          unit: plan.unit,
          shiftStart: plan.shiftStart,
          shiftEnd: plan.shiftEnd,
          budget: { cells: plan.cells },
          dosage: { maxTimes: plan.maxTimes, window: plan.window },
          ...(bound ? { fairnessBound: Number(bound) } : {}),
        }),
      });
      await refresh();
    } catch (e) {
      setError(message(e));
    }
  };

  const [decisionProblem, setDecisionProblem] = useState(false);
  const decide = async (id: string, decision: 'approve' | 'reject') => {
    setError(null);
    // A decision without a reason is refused by the server; say so here, before sending anything.
    setDecisionProblem(!reason.trim());
    if (!reason.trim()) return;
    try {
      await api(`/api/missions/${id}/decision`, { method: 'POST', body: JSON.stringify({ decision, reason }) });
      await refresh();
    } catch (e) {
      setError(message(e));
    }
  };

  const hotspots = view?.cells.features.filter((f) => f.properties.hotspot === 1) ?? [];
  return (
    <section className="forecast-page">
      <h1>{t('forecast.title')}</h1>
      <ProblemNote error={error} />
      {analyst && (
        <form className="filters" onSubmit={run} data-testid="forecast-form">
          <label>
            {t('forecast.asOf')}
            <input
              name="asOf"
              type="date"
              value={form.asOf}
              onChange={(e) => setForm({ ...form, asOf: e.target.value })}
            />
          </label>
          <label>
            {t('forecast.window')}
            <select name="window" value={form.window} onChange={(e) => setForm({ ...form, window: e.target.value })}>
              {WINDOWS.map((w) => (
                <option key={w}>{w}</option>
              ))}
            </select>
          </label>
          <label>
            {t('forecast.cell')}
            <input
              name="cell"
              value={form.cell}
              onChange={(e) => setForm({ ...form, cell: e.target.value })}
              size={7}
            />
          </label>
          <label>
            {t('forecast.model')}
            <select name="model" value={form.model} onChange={(e) => setForm({ ...form, model: e.target.value })}>
              {MODELS.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </label>
          <label>
            <input
              name="officer"
              type="checkbox"
              checked={form.includeOfficerInitiated}
              onChange={(e) => setForm({ ...form, includeOfficerInitiated: e.target.checked })}
            />{' '}
            {t('forecast.includeOfficer')}
          </label>
          <button type="submit" disabled={busy === 'forecast'}>
            {busy === 'forecast' ? t('forecast.running') : t('forecast.run')}
          </button>
          {progress?.kind === 'forecast' && <RunProgress view={progress} />}
        </form>
      )}
      <label>
        {t('forecast.runs')}{' '}
        <select name="run" value={view?.id ?? ''} onChange={(e) => void show(e.target.value)}>
          <option value="">—</option>
          {runs.map((r) => (
            <option key={r.id} value={r.id}>
              {r.asOf} · {r.window} · {r.model}
              {r.includesOfficerInitiated ? ' · ⚠' : ''}
            </option>
          ))}
        </select>
      </label>
      {view && (
        <p className={view.dataPolicy.includeOfficerInitiated ? 'error' : 'note'} data-testid="data-policy">
          {t('forecast.policy', {
            policy: t(
              view.dataPolicy.includeOfficerInitiated ? 'forecast.policyLabel.officer' : 'forecast.policyLabel.citizen',
            ),
            kept: view.dataPolicy.kept,
            excluded: view.dataPolicy.excludedOfficerInitiated,
          })}{' '}
          {t('forecast.provenance', {
            model: inPageLanguage(view.run.modelText, view.run.model),
            start: view.run.window.start.slice(0, 10),
            last: view.run.window.lastDay,
            hash: view.run.dataSnapshotHash.slice(0, 12),
            code: view.run.codeVersion,
            seed: view.run.seed,
            index: view.logIndex,
          })}
        </p>
      )}
      {mapState === 'no-webgl' && <p className="note">{t('map.noMap')}</p>}
      <div ref={container} className="map" data-testid="forecast-map" data-state={mapState} />
      {view && (
        <table className="register" data-testid="hotspots">
          <thead>
            <tr>
              <th>#</th>
              <th>{t('forecast.cellId')}</th>
              <th>{t('forecast.risk')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {hotspots.slice(0, 30).map((f) => (
              <tr key={f.properties.cellId}>
                <td>{f.properties.rank}</td>
                <td>{f.properties.cellId}</td>
                <td>{f.properties.risk.toPrecision(3)}</td>
                <td>
                  <button type="button" onClick={() => void explain(f.properties.explanationId!)}>
                    {t('forecast.why')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {explanation && (
        <aside data-testid="explanation" className="explanation">
          <p>
            <strong>{explanationSentence(explanation)}</strong>
          </p>
          <p className="note">
            {t('forecast.background', {
              share: (explanation.backgroundShare * 100).toFixed(1),
              history: (explanation.historyShare * 100).toFixed(2),
            })}
          </p>
          <table className="register">
            <thead>
              <tr>
                <th>{t('forecast.incident')}</th>
                <th>{t('forecast.type')}</th>
                <th>{t('forecast.date')}</th>
                <th>{t('forecast.distance')}</th>
                <th>{t('forecast.contribution')}</th>
              </tr>
            </thead>
            <tbody>
              {explanation.incidents.map((i) => (
                <tr key={i.id}>
                  <td>{i.id}</td>
                  <td>{i.type}</td>
                  <td>{i.date}</td>
                  <td>{i.distance.toFixed(0)}</td>
                  <td>{(i.share * 100).toFixed(1)}%</td>
                </tr>
              ))}
            </tbody>
          </table>
          {explanation.others.count > 0 && (
            <p className="note">{t('forecast.others', { count: explanation.others.count })}</p>
          )}
        </aside>
      )}

      {analyst && (
        <>
          <h3>{t('forecast.backtest')}</h3>
          <form className="filters" onSubmit={runBacktest} data-testid="backtest-form">
            <label>
              {t('forecast.from')}
              <input name="from" type="date" value={bt.from} onChange={(e) => setBt({ ...bt, from: e.target.value })} />
            </label>
            <label>
              {t('forecast.to')}
              <input name="to" type="date" value={bt.to} onChange={(e) => setBt({ ...bt, to: e.target.value })} />
            </label>
            <label>
              {t('forecast.step')}
              <input
                name="step"
                type="number"
                min={1}
                value={bt.stepDays}
                onChange={(e) => setBt({ ...bt, stepDays: Number(e.target.value) })}
              />
            </label>
            <label>
              {t('forecast.windows')}
              <input
                name="windows"
                value={bt.windows}
                onChange={(e) => setBt({ ...bt, windows: e.target.value })}
                size={10}
              />
            </label>
            <button type="submit" disabled={busy === 'backtest'}>
              {busy === 'backtest' ? t('forecast.running') : t('forecast.runBacktest')}
            </button>
            {progress?.kind === 'backtest' && <RunProgress view={progress} />}
          </form>
        </>
      )}
      {backtest && (
        <div data-testid="backtest">
          <p className="note">
            {t('forecast.backtestMeta', { origins: backtest.origins, hash: backtest.dataSnapshotHash.slice(0, 12) })}
          </p>
          <div ref={chart} data-testid="backtest-chart" />
          <table className="register">
            <thead>
              <tr>
                <th>{t('forecast.model')}</th>
                <th>{t('forecast.window')}</th>
                <th>PAI [95%]</th>
                <th>PEI [95%]</th>
                <th>{t('forecast.hitRate')}</th>
              </tr>
            </thead>
            <tbody>
              {backtest.summary.map((s) => (
                <tr key={`${s.model}/${s.window}`}>
                  <td>{inPageLanguage(s.modelText, s.model)}</td>
                  <td>{s.window}</td>
                  <td>
                    {s.pai.mean.toFixed(2)} [{s.pai.lo.toFixed(2)}, {s.pai.hi.toFixed(2)}]
                  </td>
                  <td>
                    {s.pei.mean.toFixed(3)} [{s.pei.lo.toFixed(3)}, {s.pei.hi.toFixed(3)}]
                  </td>
                  <td>
                    {(s.hitRateCurve ?? [])
                      .map((h) => `${(h.share * 100).toFixed(1)}%→${(h.hitRate.mean * 100).toFixed(0)}%`)
                      .join(' ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {backtest.paired.map((p) => (
            <p key={`${p.a}/${p.window}`} className="note">
              {t('forecast.paired', {
                a: p.a,
                b: p.b,
                window: p.window,
                mean: p.mean.toFixed(2),
                lo: p.lo.toFixed(2),
                hi: p.hi.toFixed(2),
                wins: p.wins,
                losses: p.losses,
              })}
            </p>
          ))}
        </div>
      )}

      <h3>{t('forecast.missions')}</h3>
      {analyst && view && (
        <form className="filters" onSubmit={propose} data-testid="mission-form">
          <label>
            {t('forecast.unit')}
            <input
              name="unit"
              value={plan.unit}
              onChange={(e) => setPlan({ ...plan, unit: e.target.value })}
              size={10}
            />
          </label>
          <label>
            {t('forecast.shiftStart')}
            <input
              name="shiftStart"
              value={plan.shiftStart}
              onChange={(e) => setPlan({ ...plan, shiftStart: e.target.value })}
              size={20}
            />
          </label>
          <label>
            {t('forecast.shiftEnd')}
            <input
              name="shiftEnd"
              value={plan.shiftEnd}
              onChange={(e) => setPlan({ ...plan, shiftEnd: e.target.value })}
              size={20}
            />
          </label>
          <label>
            {t('forecast.budget')}
            <input
              name="cells"
              type="number"
              min={1}
              value={plan.cells}
              onChange={(e) => setPlan({ ...plan, cells: Number(e.target.value) })}
            />
          </label>
          <label>
            {t('forecast.dosage', { window: plan.window })}
            <input
              name="maxTimes"
              type="number"
              min={1}
              value={plan.maxTimes}
              onChange={(e) => setPlan({ ...plan, maxTimes: Number(e.target.value) })}
            />
          </label>
          <label>
            {t('forecast.bound')}
            <input name="bound" value={bound} onChange={(e) => setBound(e.target.value)} size={5} placeholder="—" />
          </label>
          <button
            type="button"
            name="tradeoff"
            onClick={() =>
              void api<typeof tradeoff>(`/api/forecasts/${view.id}/fairness-tradeoff?budget=${plan.cells}`)
                .then(setTradeoff)
                .catch((e) => setError(message(e)))
            }
          >
            {t('forecast.tradeoff')}
          </button>
          <button type="submit">{t('forecast.propose')}</button>
        </form>
      )}
      {tradeoff && (
        <figure data-testid="tradeoff">
          <div ref={tradeoffChart} />
          <figcaption className="note">{t('forecast.tradeoffDefinition')}</figcaption>
        </figure>
      )}
      {supervisor && (
        <label>
          {t('forecast.reason')}{' '}
          <input
            name="reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            size={40}
            aria-invalid={decisionProblem}
          />
        </label>
      )}
      {supervisor && decisionProblem && (
        <p className="error" role="alert" data-testid="decision-problem">
          {t('forecast.reasonNeeded')}
        </p>
      )}
      <table className="register" data-testid="missions">
        <thead>
          <tr>
            <th>{t('forecast.shift')}</th>
            <th>{t('forecast.unit')}</th>
            <th>{t('forecast.cells')}</th>
            <th>{t('forecast.status')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {missions.map((m) => (
            <tr key={m.id} data-mission={m.id}>
              <td>
                {formatDateTime(m.shiftStart)} – {formatDateTime(m.shiftEnd)}
              </td>
              <td>{m.unit}</td>
              <td>{m.cells.map((c) => c.cellId).join(', ')}</td>
              <td data-testid="mission-status">
                {t(`forecast.status_${m.status}`)}
                {m.alertStatus
                  ? ` · ${t(`forecast.alertStatus.${m.alertStatus}`, { defaultValue: m.alertStatus })}`
                  : ''}
              </td>
              <td>
                {m.status !== 'proposed' && m.reason && (
                  <div className="note">
                    {t('forecast.decisionReason')}:{' '}
                    <span data-testid="mission-reason" translate="no">
                      {m.reason}
                    </span>
                  </div>
                )}
                {supervisor && m.alertId && (
                  <button type="button" name="dosage" onClick={() => void showDosage(m.alertId!)}>
                    {t('forecast.dosageShow')}
                  </button>
                )}
                {supervisor && m.alertId && (
                  // The released mission as its reviewers see it: cells on the map, areas, explanation.
                  <a href={`/review?alert=${m.alertId}`} data-open-mission={m.alertId}>
                    {t('forecast.openOnMap')}
                  </a>
                )}
                {supervisor && m.status === 'proposed' && (
                  <>
                    <button type="button" name="approve" onClick={() => void decide(m.id, 'approve')}>
                      {t('forecast.approve')}
                    </button>
                    <button type="button" name="reject" onClick={() => void decide(m.id, 'reject')}>
                      {t('forecast.reject')}
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {dosage && (
        <div data-testid="dosage">
          <p className="note">
            {t('forecast.dosageMeta', {
              planned: dosage.plannedMinutes.toFixed(0),
              measured: dosage.measuredMinutes.toFixed(1),
              pings: dosage.pings,
              gaps: dosage.unobservedGaps,
            })}
          </p>
          <table className="register">
            <thead>
              <tr>
                <th>{t('forecast.cellId')}</th>
                <th>{t('forecast.planned')}</th>
                <th>{t('forecast.measured')}</th>
                <th>%</th>
              </tr>
            </thead>
            <tbody>
              {dosage.cells.map((c) => (
                <tr key={c.cellId}>
                  <td>{c.cellId}</td>
                  <td>{c.plannedMinutes}</td>
                  <td>{c.measuredMinutes.toFixed(1)}</td>
                  <td>{c.ratio === null ? '—' : `${(c.ratio * 100).toFixed(0)}%`}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="note">
            {t('forecast.reported', {
              tactics:
                Object.entries(dosage.tactics)
                  .map(([k, v]) => `${k} ${v} min`)
                  .join(', ') || '—',
              outcomes:
                Object.entries(dosage.outcomes)
                  .map(([k, v]) => `${k} ${v}`)
                  .join(', ') || '—',
            })}
          </p>
        </div>
      )}
    </section>
  );
}
