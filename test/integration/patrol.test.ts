import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/accounts';
import { activeSystem } from '../support/active-system';
import { forecasterRecord } from '../support/register-fixtures';
import { PASSWORD, startDemoServer, type DemoServer } from '../support/server';
import { DIALECTS } from '../support/stores';

// A mission cell of 0.002° × 0.002° near (-87.65, 41.85) and a second one east of it.
const sq = (x: number, y: number, s = 0.002): [number, number][] => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
  [x, y],
];
const CELLS = [
  { cellId: 101, rank: 1, risk: 3.2, plannedMinutes: 20, ring: sq(-87.652, 41.85) },
  { cellId: 102, rank: 2, risk: 2.1, plannedMinutes: 10, ring: sq(-87.65, 41.85) },
];
const IN_101 = { lon: -87.651, lat: 41.851 };
const IN_102 = { lon: -87.649, lat: 41.851 };
const OUTSIDE = { lon: -87.6, lat: 41.9 };
const t = (min: number, s = 0) => new Date(Date.UTC(2026, 10, 22, 14, min, s)).toISOString().replace(/\.\d+Z$/, 'Z');

describe.each(DIALECTS)('patrol missions with measured dosage on %s', (dialect) => {
  let s: DemoServer;
  let w: Awaited<ReturnType<typeof activeSystem>>;
  let alertId = '';
  let other: { cookie: string; csrf: string };
  beforeAll(async () => {
    s = await startDemoServer({ demo: false, dialect });
    w = await activeSystem(s, 'Counterweight patrol guidance', forecasterRecord());
    const r = await w.postAlert(1, {
      kind: 'patrol-mission',
      modelVersion: 'kde',
      occurredAt: '2026-11-22T14:00:00Z',
      unit: 'district-1',
      output: {
        missionId: 'msn-000000000001',
        forecastRunId: 'fc-000000000001',
        shift: { start: '2026-11-22T14:00:00Z', end: '2026-11-22T22:00:00Z' },
        cells: CELLS,
        tactics: ['visible-presence'],
      },
      explanation: { summary: 'two highest-risk cells', factors: [] },
    });
    if (r.statusCode !== 201) throw new Error(r.body);
    alertId = r.json().id;
    await createUser(s.ledger, 'system:test-setup', {
      username: 'officer2',
      password: PASSWORD,
      roles: ['officer'],
      unit: 'district-9',
    });
    const login = await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'officer2', password: PASSWORD },
    });
    other = {
      cookie: `cw_session=${login.cookies.find((c) => c.name === 'cw_session')!.value}`,
      csrf: login.json().csrfToken,
    };
  }, 120_000);
  afterAll(async () => s?.close());

  it('measures time in each mission cell from batched pings, against the plan (hand-computed)', async () => {
    // Every 30 s: 14:00–14:10 in cell 101 (20 pings → 19 intervals + the one leaving = 10 min), then 14:10–14:15 in 102, then a 10-minute silence.
    const pings = [
      ...Array.from({ length: 20 }, (_, i) => ({ t: t(Math.floor(i / 2), (i % 2) * 30), ...IN_101 })),
      ...Array.from({ length: 10 }, (_, i) => ({ t: t(10 + Math.floor(i / 2), (i % 2) * 30), ...IN_102 })),
      { t: t(15), ...OUTSIDE },
      { t: t(25), ...IN_101 },
    ];
    const up = await w.call('officer', 'POST', '/api/patrol/pings', { deviceRef: 'device:car-17', pings });
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json()).toEqual({ received: 32, inserted: 32, duplicates: 0 });
    const again = await w.call('officer', 'POST', '/api/patrol/pings', {
      deviceRef: 'device:car-17',
      pings: pings.slice(0, 5),
    });
    expect(again.json()).toEqual({ received: 5, inserted: 0, duplicates: 5 });
    const d = (await w.call('supervisor', 'GET', `/api/missions/${alertId}/dosage`)).json();
    expect(d.pings).toBe(32);
    // 101: 20 intervals of 30 s = 10 min; 102: 10 intervals of 30 s = 5 min (the last one, 14:14:30→14:15, ends outside);
    // 14:15 → 14:25 is a 600 s gap: unobserved.
    expect(
      d.cells.map((c: { cellId: number; measuredMinutes: number; ratio: number }) => [
        c.cellId,
        c.measuredMinutes,
        c.ratio,
      ]),
    ).toEqual([
      [101, 10, 0.5],
      [102, 5, 0.5],
    ]);
    expect(d.unobservedGaps).toBe(1);
    // Reads of pings-derived dosage are access-logged (personal data about officers).
    await expect
      .poll(
        async () =>
          (await s.store.db.selectFrom('access_log').select(['route']).where('route', 'like', '%dosage%').execute())
            .length,
      )
      .toBeGreaterThan(0);
    await expect
      .poll(
        async () =>
          (
            await s.store.db
              .selectFrom('access_log')
              .select(['route'])
              .where('route', '=', 'POST /api/patrol/pings')
              .execute()
          ).length,
      )
      .toBeGreaterThan(0);
  });

  it('records tactics and outcomes inside mission cells, refusing outcomes elsewhere', async () => {
    expect(
      (
        await w.call('officer', 'POST', `/api/missions/${alertId}/reports`, {
          kind: 'tactic',
          tactic: 'foot-patrol',
          minutes: 25,
        })
      ).statusCode,
    ).toBe(201);
    const inside = await w.call('officer', 'POST', `/api/missions/${alertId}/reports`, {
      kind: 'outcome',
      outcome: 'stop',
      at: t(12),
      ...IN_102,
    });
    expect(inside.statusCode, inside.body).toBe(201);
    expect(inside.json().cellId).toBe(102);
    const outside = await w.call('officer', 'POST', `/api/missions/${alertId}/reports`, {
      kind: 'outcome',
      outcome: 'arrest',
      at: t(12),
      ...OUTSIDE,
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().errors[0].field).toBe('lon/lat');
    const late = await w.call('officer', 'POST', `/api/missions/${alertId}/reports`, {
      kind: 'outcome',
      outcome: 'stop',
      at: '2026-11-23T03:00:00Z',
      ...IN_101,
    });
    expect(late.statusCode).toBe(400);
    const d = (await w.call('supervisor', 'GET', `/api/missions/${alertId}/dosage`)).json();
    expect(d.outcomes).toEqual({ stop: 1 });
    expect(d.tactics).toEqual({ 'foot-patrol': 25 });
  });

  it('refuses malformed, oversized and foreign requests, storing nothing', async () => {
    const before = await s.store.db
      .selectFrom('location_pings')
      .select((e) => e.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const bad = await w.call('officer', 'POST', '/api/patrol/pings', {
      deviceRef: 'device:car-17',
      pings: [
        { t: t(40), lon: -87.6, lat: 41.8 },
        { t: t(41), lon: -200, lat: 41.8 },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body/pings/1/lon');
    const dup = await w.call('officer', 'POST', '/api/patrol/pings', {
      deviceRef: 'device:car-17',
      pings: [
        { t: t(50), lon: -87.6, lat: 41.8 },
        { t: t(50), lon: -87.6, lat: 41.8 },
      ],
    });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().errors[0].field).toBe('pings[1].t');
    const huge = await w.call('officer', 'POST', '/api/patrol/pings', {
      deviceRef: 'device:car-17',
      pings: Array.from({ length: 5001 }, (_, i) => ({
        t: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
        lon: 0,
        lat: 0,
      })),
    });
    expect(huge.statusCode).toBe(400);
    const named = await w.call('officer', 'POST', '/api/patrol/pings', {
      deviceRef: 'John Smith phone',
      pings: [{ t: t(55), lon: 0, lat: 0 }],
    });
    expect(named.statusCode).toBe(400);
    const after = await s.store.db
      .selectFrom('location_pings')
      .select((e) => e.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect((await w.call('officer', 'GET', `/api/missions/${alertId}/dosage`)).statusCode).toBe(403);
    const foreign = await s.app.inject({
      method: 'POST',
      url: `/api/missions/${alertId}/reports`,
      payload: { kind: 'tactic', tactic: 'traffic', minutes: 5 },
      headers: { cookie: other.cookie, 'x-csrf-token': other.csrf },
    });
    // Another unit's mission is answered like a missing one (src/review/scope.ts).
    expect(foreign.statusCode).toBe(404);
  });
});
