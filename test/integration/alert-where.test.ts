/**
 * Issue 17 item 4, the server's half: an alert's detail says where it is, so the reviewer's map needs no
 * polygon from the page. A mission's cells and a vendor alert's point come back as WGS84 features with the
 * names of the area-layer areas holding them and the jurisdiction layers to draw as the patrol boundary.
 * The read keeps its unit scope and purpose check. Areas and places are hand-made squares, so every
 * expected name is known by construction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/accounts';
import { activeSystem } from '../support/active-system';
import { forecasterRecord, ownerModelCard } from '../support/register-fixtures';
import { PASSWORD, startDemoServer, type DemoServer } from '../support/server';
import { DIALECTS } from '../support/stores';

/** A closed square ring from its south-west corner, WGS84. */
const sq = (x: number, y: number, s = 0.002): [number, number][] => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
  [x, y],
];
const box = (code: string, name: string, x0: number, y0: number, x1: number, y1: number) => ({
  type: 'Feature',
  properties: { code, name },
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [x0, y0],
        [x1, y0],
        [x1, y1],
        [x0, y1],
        [x0, y0],
      ],
    ],
  },
});
// Riverside west of −87.65, Hillcrest east of it; Far Away well south-east of both.
const AREAS = {
  type: 'FeatureCollection',
  features: [
    box('A', 'Riverside', -87.7, 41.84, -87.65, 41.88),
    box('B', 'Hillcrest', -87.65, 41.84, -87.6, 41.88),
    box('C', 'Far Away', -87.5, 41.7, -87.45, 41.74),
  ],
};
const CITY = { type: 'FeatureCollection', features: [box('city', 'Test City', -87.75, 41.65, -87.4, 41.95)] };
const CELLS = [
  { cellId: 101, rank: 1, risk: 3.2, plannedMinutes: 20, ring: sq(-87.672, 41.85) }, // Riverside
  { cellId: 102, rank: 2, risk: 2.9, plannedMinutes: 20, ring: sq(-87.632, 41.86) }, // Hillcrest
  { cellId: 103, rank: 3, risk: 2.1, plannedMinutes: 20, ring: sq(-87.64, 41.866) }, // Hillcrest
];

interface Where {
  features: {
    type: 'Feature';
    properties: Record<string, unknown>;
    geometry: { type: string; coordinates: unknown };
  }[];
  areas: { layer: string; code: string; name: string; places: number }[];
  outlines: { properties: { layer: string; code: string }; geometry: unknown }[];
  boundaries: string[];
}

describe.each(DIALECTS)('an alert says where it is, on %s', (dialect) => {
  let s: DemoServer;
  let w: Awaited<ReturnType<typeof activeSystem>>;
  let vendor: Awaited<ReturnType<typeof activeSystem>>;
  const ids: Record<string, string> = {};
  const read = (id: string, who = 'officer', headers: Record<string, string> = { 'x-purpose': 'alert-review' }) =>
    w.call(who, 'GET', `/api/alerts/${id}`, undefined, headers);

  beforeAll(async () => {
    s = await startDemoServer({ demo: false, dialect });
    w = await activeSystem(s, 'Counterweight patrol guidance', forecasterRecord());
    vendor = await activeSystem(s, 'Vendor CCTV analytics');
    for (const [name, kind, fc] of [
      ['test-areas', 'areas', AREAS],
      ['test-city', 'jurisdiction', CITY],
    ] as const) {
      const r = await w.call(
        'analyst',
        'POST',
        `/api/layers?name=${name}&kind=${kind}&codeField=code&nameField=name`,
        fc,
      );
      if (r.statusCode !== 201) throw new Error(r.body);
    }
    const post = async (key: string, n: number, over: Record<string, unknown>) => {
      const r = await (over.kind === 'patrol-mission' ? w : vendor).postAlert(n, {
        occurredAt: '2026-11-22T14:00:00Z',
        unit: 'district-1',
        ...over,
      });
      if (r.statusCode !== 201) throw new Error(r.body);
      ids[key] = r.json().id;
    };
    await post('mission', 1, {
      kind: 'patrol-mission',
      output: {
        missionId: 'msn-000000000001',
        forecastRunId: 'fc-000000000001',
        shift: { start: '2026-11-22T14:00:00Z', end: '2026-11-22T22:00:00Z' },
        cells: CELLS,
        tactics: ['visible-presence'],
      },
      explanation: { summary: 'highest-risk cells', factors: [] },
    });
    await post('point', 2, { place: { lon: -87.66, lat: 41.87 }, subjectRef: 'person:Where0001' });
    await post('area', 3, { place: { area: 'B' } });
    await post('nowhere', 4, {});
    // An officer of another unit, on shift there.
    const other = await createUser(s.ledger, 'system:test-setup', {
      username: 'officer-d2',
      password: PASSWORD,
      roles: ['officer'],
      unit: 'district-2',
    });
    const span = {
      startsAt: new Date(Date.now() - 86_400_000).toISOString(),
      endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    };
    await w.call('admin', 'POST', '/api/shifts', { unit: 'district-2', userId: other.id, ...span });
  }, 120_000);
  afterAll(async () => s?.close());

  it("a mission's cells come back as features, with the areas holding their centres and the patrol boundary", async () => {
    const r = await read(ids.mission);
    expect(r.statusCode, r.body).toBe(200);
    const where = r.json().where as Where;
    expect(where.features.map((f) => [f.properties.kind, f.properties.cellId, f.properties.rank])).toEqual([
      ['cell', 101, 1],
      ['cell', 102, 2],
      ['cell', 103, 3],
    ]);
    expect(where.features[0].geometry).toEqual({ type: 'Polygon', coordinates: [CELLS[0].ring] });
    expect(where.areas).toEqual([
      { layer: 'test-areas', code: 'B', name: 'Hillcrest', places: 2 },
      { layer: 'test-areas', code: 'A', name: 'Riverside', places: 1 },
    ]);
    // The outlines of the named areas, in layer then code order, as imported.
    expect(where.outlines.map((o) => [o.properties.code, o.geometry])).toEqual([
      ['A', AREAS.features[0].geometry],
      ['B', AREAS.features[1].geometry],
    ]);
    expect(where.boundaries).toEqual(['test-city']);
  });

  it("a vendor alert's point is placed in its area; an area code is named; an alert without a place has no map", async () => {
    const point = (await read(ids.point)).json().where as Where;
    expect(point.features).toEqual([
      { type: 'Feature', properties: { kind: 'point' }, geometry: { type: 'Point', coordinates: [-87.66, 41.87] } },
    ]);
    expect(point.areas).toEqual([{ layer: 'test-areas', code: 'A', name: 'Riverside', places: 1 }]);
    expect(point.outlines.map((o) => o.properties.code)).toEqual(['A']);
    // Where-data is about places only: the subject reference is not in it.
    expect(JSON.stringify(point)).not.toContain('pseud:');

    const area = (await read(ids.area)).json().where as Where;
    expect(area.areas).toEqual([{ layer: 'test-areas', code: 'B', name: 'Hillcrest', places: 1 }]);
    expect(area.features.map((f) => [f.properties.kind, f.properties.code, f.geometry.type])).toEqual([
      ['area', 'B', 'Polygon'],
    ]);
    expect(area.boundaries).toEqual(['test-city']);

    expect((await read(ids.nowhere)).json().where).toBeNull();
  });

  it("the detail carries the model card's evaluation figures (well-formed ones only), or null without a card", async () => {
    const put = await vendor.call('system-owner', 'PUT', `/api/systems/${vendor.systemId}/versions/1/model-card`, {
      ...ownerModelCard(),
      metrics: [
        { name: 'precision at 0.8 or above', value: 0.62, interval: [0.55, 0.69], dataset: 'validation 2025' },
        { name: 'recall', value: 0.4, level: 0.9 },
      ],
    });
    expect(put.statusCode, put.body).toBe(204);
    const figures = [
      {
        name: 'precision at 0.8 or above',
        value: 0.62,
        interval: [0.55, 0.69],
        level: 0.95,
        dataset: 'validation 2025',
      },
      { name: 'recall', value: 0.4, interval: null, level: 0.9, dataset: '' },
    ];
    expect((await read(ids.point)).json().evaluation).toEqual(figures);
    // A card stored before the server checked cards may hold ill-formed metrics: they are skipped, not shown.
    const row = await s.store.db
      .selectFrom('model_cards')
      .select('card')
      .where('system_id', '=', vendor.systemId)
      .executeTakeFirstOrThrow();
    const legacy = JSON.parse(row.card);
    legacy.metrics.push({ name: 'broken', value: 'high' }, 'not a metric');
    await s.store.db
      .updateTable('model_cards')
      .set({ card: JSON.stringify(legacy) })
      .where('system_id', '=', vendor.systemId)
      .execute();
    expect((await read(ids.point)).json().evaluation).toEqual(figures);
    // A stored card without metrics: nothing to say, not an error.
    await s.store.db
      .updateTable('model_cards')
      .set({ card: JSON.stringify({ model: { method: 'legacy card' } }) })
      .where('system_id', '=', vendor.systemId)
      .execute();
    expect((await read(ids.point)).json().evaluation).toBeNull();
  });

  it('the detail keeps its unit scope and its purpose check', async () => {
    const login = await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'officer-d2', password: PASSWORD },
    });
    const stranger = await s.app.inject({
      url: `/api/alerts/${ids.mission}`,
      headers: {
        cookie: `cw_session=${login.cookies.find((c) => c.name === 'cw_session')!.value}`,
        'x-purpose': 'alert-review',
      },
    });
    expect(stranger.statusCode).toBe(404);
    expect(stranger.body).not.toContain('Hillcrest');
    const unpurposed = await read(ids.mission, 'officer', { 'x-purpose': 'just curious' });
    expect(unpurposed.statusCode).toBe(400);
    expect(unpurposed.body).not.toContain('Hillcrest');
  });
});
