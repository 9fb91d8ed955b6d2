import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Polygon } from '../../../src/geo/square-grid';
import { nijForecast, type InputEvent } from '../../../src/forecast/nij-run';
import { portlandNijProfile } from '../../../src/ingest/profiles';
import { readIncidents } from '../../../src/ingest/read-incidents';
import { loadTaxonomy } from '../../../src/ingest/taxonomy';

async function portland() {
  const events: InputEvent[] = [];
  await readIncidents('test/fixtures/ingest/portland_crimes_bur_to_2017-02-28.csv', portlandNijProfile, loadTaxonomy('config/taxonomy.json'), (rows) => {
    for (const r of rows) events.push({ id: r.source_id, t: Date.parse(r.occurred_at), x: r.x, y: r.y, origin: r.origin });
  });
  const fc = JSON.parse(readFileSync('test/fixtures/forecast/portland_police_districts.epsg2913.geojson', 'utf8'));
  const polys: Polygon[] = fc.features.flatMap((f: { geometry: { type: string; coordinates: Polygon | Polygon[] } }) => (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates));
  return { events, polys };
}

const cfg = { asOf: '2016-09-01', window: '7d', cellSize: 600, areaMin: 0.25 * 5280 ** 2, areaMax: 0.75 * 5280 ** 2, model: { name: 'kde' as const, bandwidthCells: 1, halfLifeDays: 365 }, seed: 7, includeOfficerInitiated: false, crs: 'EPSG:2913' };

describe('NIJ-format forecast on the Portland burglary calls', () => {
  it('writes every cell with hotspot, risk and explanation id; the hotspot area respects the NIJ bounds', async () => {
    const { events, polys } = await portland();
    const r = nijForecast(polys, events, cfg, 'test');
    const hot = r.geojson.features.filter((f) => f.properties.hotspot === 1);
    expect(r.geojson.features.length).toBeGreaterThan(11_000);
    expect(r.run.hotspotArea).toBeGreaterThanOrEqual(cfg.areaMin);
    expect(r.run.hotspotArea).toBeLessThanOrEqual(cfg.areaMax);
    expect(hot.every((f) => f.properties.explanation_id)).toBe(true);
    expect(r.explanations).toHaveLength(hot.length);
    expect(r.explanations[0].contributions.length).toBeGreaterThan(0);
    expect(r.explanations[0].sentence).toMatch(/Flagged because/);
    expect(r.run.dataPolicy).toBe('citizen-reported records only');
  });

  it('uses only incidents before --as-of: adding later incidents changes nothing', async () => {
    const { events, polys } = await portland();
    const before = events.filter((e) => e.t < Date.parse('2016-09-01T00:00:00Z'));
    const a = nijForecast(polys, before, cfg, 'test');
    const b = nijForecast(polys, events, cfg, 'test');
    expect(b.run.dataSnapshotHash).toBe(a.run.dataSnapshotHash);
    expect(b.geojson.features.map((f) => f.properties.hotspot)).toEqual(a.geojson.features.map((f) => f.properties.hotspot));
  });

  it('is reproducible bit for bit from its run record, and officer-initiated data needs the explicit flag', async () => {
    const { events, polys } = await portland();
    const a = nijForecast(polys, events, cfg, 'test');
    const b = nijForecast(polys, events, { ...a.run.config } as typeof cfg, 'test');
    expect(JSON.stringify(b.geojson)).toBe(JSON.stringify(a.geojson));
    const officer = events.map((e, i) => ({ ...e, origin: (i % 2 ? 'officer' : 'citizen') as 'citizen' | 'officer' }));
    const citizenOnly = nijForecast(polys, officer, cfg, 'test');
    expect(citizenOnly.run.trainingEvents).toBeLessThan(a.run.trainingEvents);
    const flagged = nijForecast(polys, officer, { ...cfg, includeOfficerInitiated: true }, 'test');
    expect(flagged.run.dataPolicy).toMatch(/officer-initiated/);
    expect(flagged.geojson.features[0].properties.data_policy).toMatch(/officer-initiated/);
  });
});
