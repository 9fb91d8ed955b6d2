/**
 * Issue 17 item 7: the map asks the server for clusters of the incidents in view, and the counts add up:
 * for any box and zoom, the clusters' and single points' counts sum exactly to the number of matching
 * incidents inside the box, counted directly in the database. Two sources (the Chicago demo and the NIJ
 * Portland burglaries) so a source filter and the per-source bounds in the summary are exercised.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveProfile } from '../../src/ingest/profiles';
import { loadTaxonomy } from '../../src/ingest/taxonomy';
import { clusterBuildPolicy, coarseClusters, warmClusterIndexes } from '../../src/maps/incident-clusters';
import { registerSource } from '../../src/privacy/sources';
import { userRef } from '../../src/ledger-service/events';
import { importIncidentFile } from '../../src/store/incidents';
import { PASSWORD, startDemoServer, type DemoServer } from '../support/server';
import { DIALECTS } from '../support/stores';

const PORTLAND = 'test/fixtures/portland-nij/crimes_bur_to_2017-02-28.csv';
type BBox = [number, number, number, number];
interface Answer {
  total: number;
  coarse: boolean;
  zoom: number;
  features: { geometry: { coordinates: [number, number] }; properties: { count: number; cluster: boolean } }[];
}

describe.each(DIALECTS)('incident clusters on %s', (dialect) => {
  let s: DemoServer;
  const as: Record<string, string> = {};
  const get = (who: string, url: string, headers: Record<string, string> = {}) =>
    s.app.inject({
      method: 'GET',
      url,
      headers: { cookie: as[who], 'x-purpose': 'crime-analysis', 'accept-language': 'en', ...headers },
    });

  /** The direct count: matching incidents whose point lies inside the box (edges included). */
  async function direct(b: BBox, f: { source?: string; type?: string; from?: string; to?: string } = {}) {
    let q = s.store.db
      .selectFrom('incidents')
      .where('lon', '>=', b[0])
      .where('lat', '>=', b[1])
      .where('lon', '<=', b[2])
      .where('lat', '<=', b[3]);
    if (f.source) q = q.where('source', '=', f.source);
    if (f.type) q = q.where('type', '=', f.type);
    if (f.from) q = q.where('occurred_at', '>=', `${f.from}T00:00:00Z`);
    if (f.to) q = q.where('occurred_at', '<', `${f.to}T00:00:00Z`);
    const r = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }
  async function clusters(b: BBox, zoom: number, extra = '') {
    const res = await get('analyst', `/api/incidents/clusters?bbox=${b.join(',')}&zoom=${zoom}${extra}`);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const a = res.json() as Answer;
    const sum = a.features.reduce((n, f) => n + f.properties.count, 0);
    expect(a.total).toBe(sum);
    return a;
  }

  beforeAll(async () => {
    s = await startDemoServer({ dialect });
    await importIncidentFile(s.store, PORTLAND, resolveProfile('portland-nij'), loadTaxonomy('config/taxonomy.json'));
    for (const who of ['analyst', 'officer', 'system-owner', 'oversight']) {
      const login = await s.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: who, password: PASSWORD },
      });
      as[who] = `cw_session=${login.cookies.find((c) => c.name === 'cw_session')!.value}`;
    }
  }, 120_000);
  afterAll(async () => s?.close());

  it('counts add up to the direct count at several zooms and boxes, with and without filters', async () => {
    const world: BBox = [-180, -85, 180, 85];
    const chicago: BBox = [-87.95, 41.6, -87.5, 42.05];
    const loop: BBox = [-87.645, 41.872, -87.62, 41.89];
    const portland: BBox = [-122.9, 45.4, -122.4, 45.7];
    expect(await direct(world)).toBeGreaterThan(30_000);
    for (const [b, zooms] of [
      [world, [0, 3]],
      [chicago, [9, 11, 13]],
      [loop, [14, 16, 17, 20]],
      [portland, [10, 12]],
    ] as [BBox, number[]][]) {
      for (const z of zooms) {
        const a = await clusters(b, z);
        expect(a.total, `bbox ${b} zoom ${z}`).toBe(await direct(b));
      }
    }
    // At low zoom the whole city is a handful of clusters, not 25,000 points.
    expect((await clusters(world, 3)).features.length).toBeLessThan(50);
    // Past the last clustering zoom every incident is its own point (block-level places repeat, so this is where they split).
    const high = await clusters(loop, 17);
    expect(high.features.every((f) => f.properties.count === 1 && !f.properties.cluster)).toBe(true);

    const narc = '&type=NARCOTICS&from=2018-01-01&to=2019-01-01';
    expect((await clusters(chicago, 11, narc)).total).toBe(
      await direct(chicago, { type: 'NARCOTICS', from: '2018-01-01', to: '2019-01-01' }),
    );
    const only = await clusters(world, 2, '&source=nij-portland');
    expect(only.total).toBe(await direct(world, { source: 'nij-portland' }));
    expect(only.total).toBe(5096);
  });

  it('property: for random boxes and zooms the counts sum to the direct count', async () => {
    const lon = fc.double({ min: -88.0, max: -87.45, noNaN: true });
    const lat = fc.double({ min: 41.6, max: 42.05, noNaN: true });
    await fc.assert(
      fc.asyncProperty(lon, lon, lat, lat, fc.integer({ min: 0, max: 19 }), async (x1, x2, y1, y2, z) => {
        const b: BBox = [Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2)];
        const a = await clusters(b, z);
        expect(a.total).toBe(await direct(b));
      }),
      { numRuns: 40 },
    );
  });

  it('the summary gives each source its count and bounds, to fit the map', async () => {
    const res = await get('analyst', '/api/incidents/summary');
    const sources = res.json().sources as { source: string; count: number; bbox: BBox }[];
    const pdx = sources.find((x) => x.source === 'nij-portland')!;
    expect(pdx.count).toBe(5096);
    const b = pdx.bbox;
    // The bounds are the data's own: nothing outside them, something on each edge.
    expect(await direct(b, { source: 'nij-portland' })).toBe(5096);
    expect(b[0]).toBeGreaterThan(-123);
    expect(b[2]).toBeLessThan(-122);
    const chi = sources.find((x) => x.source === 'chicago-data-portal')!;
    expect(chi.count).toBe(25_000);
    expect(await direct(chi.bbox, { source: 'chicago-data-portal' })).toBe(25_000);
  });

  it('a new import is seen at once: the cached index is rebuilt when a dataset is published', async () => {
    const b: BBox = [-123, 45, -122, 46];
    const before = (await clusters(b, 8)).total;
    await importIncidentFile(
      s.store,
      'test/fixtures/portland-nij/crimes_veh_to_2017-02-28.csv',
      resolveProfile('portland-nij'),
      loadTaxonomy('config/taxonomy.json'),
    );
    const after = (await clusters(b, 8)).total;
    expect(after).toBeGreaterThan(before);
    expect(after).toBe(await direct(b));
  });

  it('while the index rebuilds after an import publishes, views get a coarse answer whose counts are the direct count', async () => {
    const saved = { ...clusterBuildPolicy };
    // Answer at once from the database while building (as for a million incidents).
    Object.assign(clusterBuildPolicy, { waitBelowRows: 0, waitMs: 0 });
    try {
      // 200 more vehicle thefts, each moved a foot east (new incidents), so an import publishes.
      const dir = mkdtempSync(join(tmpdir(), 'cw-clusters-'));
      const file = join(dir, 'crimes_veh_moved.csv');
      const [header, ...rows] = readFileSync('test/fixtures/portland-nij/crimes_veh_to_2017-02-28.csv', 'utf8')
        .trim()
        .split('\n');
      const x = header.split(',').indexOf('x_coordina');
      const moved = rows.slice(0, 200).map((r) => r.split(',').map((v, i) => (i === x ? String(Number(v) + 1) : v)));
      writeFileSync(file, [header, ...moved.map((r) => r.join(','))].join('\n') + '\n');
      const before = await direct([-123, 45, -122, 46]);
      await importIncidentFile(s.store, file, resolveProfile('portland-nij'), loadTaxonomy('config/taxonomy.json'));
      rmSync(dir, { recursive: true, force: true });
      expect(await direct([-123, 45, -122, 46])).toBe(before + 200);
      const chicago: BBox = [-87.95, 41.6, -87.5, 42.05];
      const portland: BBox = [-123, 45, -122, 46];
      // The first view after the import starts the rebuild and is answered by the database meanwhile.
      const first = await clusters(portland, 8);
      expect(first.coarse).toBe(true);
      expect(first.total).toBe(await direct(portland));
      // The coarse answer itself, for more views and a filter (the index may be built by now).
      const narc = { type: 'NARCOTICS', from: '2018-01-01', to: '2019-01-01' };
      const narcFilter = { types: [narc.type], from: `${narc.from}T00:00:00Z`, to: `${narc.to}T00:00:00Z` };
      for (const [b, z, f, filter] of [
        [portland, 12, {}, {}],
        [chicago, 11, {}, {}],
        [chicago, 17, {}, {}],
        [[-87.645, 41.872, -87.62, 41.89], 16, {}, {}],
        [[-180, -85, 180, 85], 2, {}, {}],
        [chicago, 11, narc, narcFilter],
      ] as [BBox, number, Parameters<typeof direct>[1], object][]) {
        const hits = await coarseClusters(s.store, filter, b, z);
        expect(
          hits.reduce((n, h) => n + h.count, 0),
          `bbox ${b} zoom ${z}`,
        ).toBe(await direct(b, f));
        expect(hits.length).toBeLessThanOrEqual(33 * 33);
        for (const h of hits) {
          expect(h.lon >= b[0] && h.lon <= b[2] && h.lat >= b[1] && h.lat <= b[3]).toBe(true);
          if (h.count === 1) expect(h.id).toBeGreaterThan(0);
        }
      }
      // Once built, the same view is the index's, with the same total.
      await warmClusterIndexes(s.store);
      const built = await clusters(portland, 12);
      expect(built.coarse).toBe(false);
      expect(built.total).toBe(await direct(portland));
    } finally {
      Object.assign(clusterBuildPolicy, saved);
    }
  });

  it('refuses roles without access to incident points, and sources that do not allow the purpose', async () => {
    const url = '/api/incidents/clusters?bbox=-88,41,-87,42&zoom=10';
    expect((await get('officer', url)).statusCode).toBe(403);
    expect((await get('system-owner', url)).statusCode).toBe(403);
    expect((await s.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    // A source registered only for public statistics: naming it for crime analysis is refused.
    const admin = await s.store.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();
    const rec = JSON.parse(
      (
        await s.store.db
          .selectFrom('data_sources')
          .select('record')
          .where('id', '=', 'houston-pd')
          .executeTakeFirstOrThrow()
      ).record,
    );
    await registerSource(s.store, s.ledger, userRef(admin.id), {
      ...rec,
      id: 'stats-only',
      purposes: ['public-statistics'],
    });
    const refused = await get('analyst', `${url}&source=stats-only`);
    expect(refused.statusCode).toBe(403);
    // Oversight may read it too, and the read is in the access log with its purpose.
    expect((await get('oversight', url)).statusCode).toBe(200);
    await expect
      .poll(
        async () =>
          (
            await s.store.db
              .selectFrom('access_log')
              .select('route')
              .where('route', '=', 'GET /api/incidents/clusters')
              .execute()
          ).length,
      )
      .toBeGreaterThan(0);
  });

  it('bad bbox and zoom are answered with a problem naming the field, in English and Korean', async () => {
    for (const [q, field] of [
      ['bbox=1,2,3&zoom=3', 'bbox'],
      ['bbox=-87,41,-88,42&zoom=3', 'bbox'],
      ['bbox=-87,41,-86,95&zoom=3', 'bbox'],
      ['bbox=a,b,c,d&zoom=3', 'bbox'],
      ['zoom=3', 'bbox'],
      ['bbox=-88,41,-87,42&zoom=-1', 'zoom'],
      ['bbox=-88,41,-87,42&zoom=99', 'zoom'],
      ['bbox=-88,41,-87,42&zoom=x', 'zoom'],
      ['bbox=-88,41,-87,42', 'zoom'],
    ]) {
      const res = await get('analyst', `/api/incidents/clusters?${q}`);
      expect(res.statusCode, q).toBe(400);
      const p = res.json();
      expect(
        p.errors.map((w: { field: string }) => w.field),
        q,
      ).toContain(field);
      expect(p.detail, q).toMatch(field);
      const ko = await get('analyst', `/api/incidents/clusters?${q}`, { 'accept-language': 'ko' });
      expect(ko.json().detail, q).toMatch(/[가-힣]/);
    }
  });
});
