import { describe, expect, it } from 'vitest';
import { backtest, originsBetween } from '../../../src/forecast/backtest';
import { prepare } from '../../../src/forecast/data';
import { forecastGeoJson, runForecast } from '../../../src/forecast/run';
import { buildGrid } from '../../../src/geo/grid';
import { loadPortland, portlandJurisdiction } from './portland-data';

// Real NIJ Portland data, kept to a subset so the suite stays fast (the full backtest is `npx tsx bench/forecast.ts backtest`).
const SQMI = 5280 * 5280;
const J = portlandJurisdiction();
const grid = buildGrid(J, { cellSize: 600 });
const bur = loadPortland('bur');

describe('NIJ Portland, real data', () => {
  it('reads the calls: 5,096 burglaries, almost all inside the jurisdiction', () => {
    expect(bur).toHaveLength(5096);
    const d = prepare(grid, bur);
    expect(d.outside).toBeLessThan(50);
    expect(d.n + d.outside).toBe(5096);
  });

  it('backtest subset: every model beats a random choice of cells (PAI > 1) over 8 weekly origins', () => {
    const data = prepare(grid, bur);
    const origins = originsBetween(Date.parse('2016-09-05T00:00:00Z'), Date.parse('2016-10-24T00:00:00Z'), 7);
    const bt = backtest(data, {
      origins,
      windows: ['7d', '3mo'],
      minArea: 0.25 * SQMI,
      maxArea: 0.75 * SQMI,
      seed: 1,
      dataEndMs: Date.parse('2017-03-01T00:00:00Z'),
      logScore: true,
      models: [
        { params: { model: 'counts' } },
        { params: { model: 'kde', bandwidth: 600, halfLifeDays: 730 } },
        { params: { model: 'etas' } },
        { params: { model: 'prospective', bandwidth: 1200, weeks: 8 } },
      ],
    });
    expect(bt.rows).toHaveLength(8 * 2 * 4);
    for (const s of bt.summary) {
      expect(s.pai.n).toBe(8);
      expect(s.pai.mean).toBeGreaterThan(1);
      expect(s.pei.mean).toBeLessThanOrEqual(1);
      expect(s.pai.lo).toBeLessThanOrEqual(s.pai.mean);
    }
    for (const r of bt.rows) expect(r.area).toBeGreaterThanOrEqual(0.25 * SQMI);
  });

  it('an NIJ forecast for 2017-03-01 (1 week): every cell in EPSG:2913, hotspots 0.25–0.75 sq mi', () => {
    const r = runForecast({
      jurisdiction: J,
      incidents: bur,
      grid,
      codeVersion: 'test',
      config: {
        asOf: '2017-03-01',
        window: '7d',
        grid: { cellSize: 600 },
        crs: 'EPSG:2913',
        hotspotArea: { minArea: 0.25 * SQMI, maxArea: 0.75 * SQMI },
        model: { model: 'kde', bandwidth: 600, halfLifeDays: 365 },
        seed: 1,
        policy: { includeOfficerInitiated: false },
      },
    });
    const gj = forecastGeoJson(r);
    expect(gj.features).toHaveLength(grid.n);
    expect(r.run.hotspotArea).toBeGreaterThanOrEqual(0.25 * SQMI);
    expect(r.run.hotspotArea).toBeLessThanOrEqual(0.75 * SQMI);
    expect(r.run.window.lastDay).toBe('2017-03-07');
    expect(r.explanations).toHaveLength(r.hotspots.cells.length);
    const [x, y] = (gj.features[0].geometry.coordinates as number[][][] | number[][][][])
      .flat(3)
      .slice(0, 2) as number[];
    expect(x).toBeGreaterThan(7.5e6); // state-plane feet, not lon/lat
    expect(y).toBeGreaterThan(6e5);
  });
});
