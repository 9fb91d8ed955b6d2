/**
 * Attack: a person of another unit walks every route that reads or acts on an alert, a mission, a
 * dosage, a mission report or a decision. The list of routes comes from the app's own route table
 * (every route under /api/alerts, /api/missions or with :alertId must declare config.unitScope, or the
 * app refuses to start), so a new alert route is walked the day it is added.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/accounts';
import { UNIT_SCOPED_URL } from '../../src/server/app';
import { activeSystem } from '../support/active-system';
import { forecasterRecord } from '../support/register-fixtures';
import { PASSWORD, startDemoServer, type DemoServer } from '../support/server';
import { DIALECTS } from '../support/stores';

const sq = (x: number, y: number, s = 0.002): [number, number][] => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
  [x, y],
];
const MISSION_OUTPUT = {
  missionId: 'msn-000000000001',
  forecastRunId: 'fc-000000000001',
  shift: { start: '2026-11-22T14:00:00Z', end: '2026-11-22T22:00:00Z' },
  cells: [{ cellId: 101, rank: 1, risk: 3.2, plannedMinutes: 20, ring: sq(-87.652, 41.85) }],
  tactics: ['visible-presence'],
};
/** A valid body for each scoped route that takes one: only the scope can refuse the call. */
const BODIES: Record<string, unknown> = {
  'POST /api/alerts/:alertId/decision': {
    outcome: 'not-acted',
    reasonCode: 'other',
    reasonText: 'walking the route table',
  },
  'POST /api/missions/:alertId/reports': { kind: 'tactic', tactic: 'foot-patrol', minutes: 5 },
  'POST /api/missions/:id/decision': { decision: 'reject', reason: 'walking the route table' },
  'POST /api/alerts/:alertId/acknowledge': undefined,
  'POST /api/alerts/:alertId/actions': {
    kind: 'protective',
    action: 'contact-victim',
    reasonText: 'walking the route table',
  },
};
const PURPOSE = { 'x-purpose': 'oversight-review; complaint review 2026-17' };

describe.each(DIALECTS)("every alert and mission read is scoped to the caller's unit, on %s", (dialect) => {
  let s: DemoServer;
  let w: Awaited<ReturnType<typeof activeSystem>>;
  let alertId = '';
  const missionId = 'msn-00000000aaaa';
  const stranger: Record<string, { cookie: string; csrf: string; id: string }> = {};
  const as = (
    who: { cookie: string; csrf: string },
    method: string,
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) =>
    s.app.inject({
      method: method as 'GET',
      url,
      payload: payload as object,
      headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, ...headers },
    });
  const urlOf = (url: string) => url.replace(':alertId', alertId).replace(':id', missionId);
  const written = async () => ({
    decisions: (await s.store.db.selectFrom('decisions').select('id').execute()).length,
    reports: (await s.store.db.selectFrom('mission_reports').select('id').execute()).length,
    mission: (
      await s.store.db.selectFrom('missions').select('status').where('id', '=', missionId).executeTakeFirstOrThrow()
    ).status,
  });

  beforeAll(async () => {
    s = await startDemoServer({ demo: false, dialect });
    w = await activeSystem(s, 'Counterweight patrol guidance', forecasterRecord());
    const r = await w.postAlert(1, {
      kind: 'patrol-mission',
      occurredAt: '2026-11-22T14:00:00Z',
      unit: 'district-1',
      output: MISSION_OUTPUT,
      explanation: { summary: 'highest-risk cell', factors: [] },
    });
    if (r.statusCode !== 201) throw new Error(r.body);
    alertId = r.json().id;
    await s.store.db
      .insertInto('forecast_runs')
      .values({
        id: 'fc-000000000001',
        jurisdiction: 'test',
        as_of: '2026-11-22',
        window: '7d',
        model: 'kde',
        include_officer_initiated: 0,
        run: '{}',
        hotspots: '[]',
        explanations: '[]',
        created_by: w.as.analyst.id,
        created_at: '2026-11-22T08:00:00Z',
        log_index: 0,
        sources: '[]',
      })
      .execute();
    await s.store.db
      .insertInto('missions')
      .values({
        id: missionId,
        forecast_run_id: 'fc-000000000001',
        unit: 'district-1',
        shift_start: '2026-11-23T14:00:00Z',
        shift_end: '2026-11-23T22:00:00Z',
        cells: JSON.stringify(MISSION_OUTPUT.cells),
        plan: '{}',
        status: 'proposed',
        proposed_by: w.as.analyst.id,
        proposed_at: '2026-11-22T09:00:00Z',
        decided_by: null,
        decided_at: null,
        reason: null,
        alert_id: null,
        log_index: 0,
      })
      .execute();
    // The same roles in district-2, the officer on shift there (so only the unit can refuse them).
    for (const role of ['officer', 'supervisor', 'analyst', 'oversight'] as const) {
      const u = await createUser(s.ledger, 'system:test-setup', {
        username: `${role}-d2`,
        password: PASSWORD,
        roles: [role],
        unit: 'district-2',
      });
      const login = await s.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: `${role}-d2`, password: PASSWORD },
      });
      stranger[role] = {
        cookie: `cw_session=${login.cookies.find((c) => c.name === 'cw_session')!.value}`,
        csrf: login.json().csrfToken,
        id: u.id,
      };
    }
    const span = {
      startsAt: new Date(Date.now() - 86_400_000).toISOString(),
      endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    };
    const rostered = await w.call('admin', 'POST', '/api/shifts', {
      unit: 'district-2',
      userId: stranger.officer.id,
      ...span,
    });
    if (rostered.statusCode !== 201) throw new Error(rostered.body);
  }, 120_000);
  afterAll(async () => s?.close());

  it('the route table marks every alert and mission route, and exempts only the two writes that read nothing back', () => {
    const reaching = s.routes.filter((r) => UNIT_SCOPED_URL.test(r.url));
    expect(reaching.length).toBeGreaterThanOrEqual(8);
    for (const r of reaching) expect(r.unitScope, `${r.method} ${r.url}`).toBeDefined();
    const exempt = reaching
      .filter((r) => typeof r.unitScope === 'object')
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    expect(exempt).toEqual(['POST /api/missions', 'POST /api/systems/:id/alerts']);
  });

  it("another unit's officer, supervisor and analyst get 404 on every scoped route, as for a missing record, and nothing is written", async () => {
    const before = await written();
    const scoped = s.routes.filter(
      (r) => r.unitScope && typeof r.unitScope === 'string' && r.unitScope !== 'mission-list',
    );
    expect(scoped.map((r) => `${r.method} ${r.url}`).sort()).toEqual([
      'GET /api/alerts/:alertId',
      'GET /api/alerts/:alertId/disclosure',
      'GET /api/missions/:alertId/dosage',
      'POST /api/alerts/:alertId/acknowledge',
      'POST /api/alerts/:alertId/actions',
      'POST /api/alerts/:alertId/decision',
      'POST /api/missions/:alertId/reports',
      'POST /api/missions/:id/decision',
    ]);
    let walked = 0;
    for (const r of scoped) {
      const key = `${r.method} ${r.url}`;
      if (r.method !== 'GET') expect(key in BODIES, `add a valid body for ${key} to BODIES`).toBe(true);
      for (const role of r.roles.filter((x) => x === 'officer' || x === 'supervisor' || x === 'analyst')) {
        // A stated purpose unlocks nothing for a unit member.
        const res = await as(stranger[role], r.method, urlOf(r.url), BODIES[key], PURPOSE);
        expect(res.statusCode, `${role} of district-2: ${key}: ${res.body.slice(0, 200)}`).toBe(404);
        expect(res.body).not.toContain('district-1');
        expect(res.body).not.toContain('risk');
        // The same answer as for an id that does not exist.
        const missing = await as(
          stranger[role],
          r.method,
          urlOf(r.url).replace(alertId, 'alert-0000000000000000').replace(missionId, 'msn-000000000000'),
          BODIES[key],
          PURPOSE,
        );
        expect(missing.statusCode).toBe(404);
        expect(missing.json().code).toBe(res.json().code);
        walked++;
      }
    }
    expect(walked).toBeGreaterThanOrEqual(6);
    expect(await written()).toEqual(before);
  });

  it("another unit's mission list holds none of district-1's missions; asking for district-1 by name is refused (403)", async () => {
    for (const role of ['officer', 'supervisor', 'analyst'] as const) {
      const own = await as(stranger[role], 'GET', '/api/missions');
      expect(own.statusCode, own.body).toBe(200);
      expect(own.json()).toEqual([]);
      const named = await as(stranger[role], 'GET', '/api/missions?unit=district-1', undefined, PURPOSE);
      expect(named.statusCode).toBe(403);
    }
    const mine = await w.call('supervisor', 'GET', '/api/missions');
    expect(mine.json().map((m: { id: string }) => m.id)).toEqual([missionId]);
  });

  it("oversight reads another unit's records only with a stated purpose, and the read is in the access log", async () => {
    const reads = s.routes.filter((r) => r.method === 'GET' && r.unitScope && r.roles.includes('oversight'));
    expect(reads.map((r) => r.url).sort()).toEqual([
      '/api/alerts/:alertId',
      '/api/alerts/:alertId/disclosure',
      '/api/missions',
      '/api/missions/:alertId/dosage',
    ]);
    for (const r of reads) {
      const url = r.url === '/api/missions' ? '/api/missions?unit=district-1' : urlOf(r.url);
      const bare = await as(stranger.oversight, 'GET', url);
      expect(bare.statusCode, `${r.url}: ${bare.body.slice(0, 200)}`).toBe(400);
      expect(bare.json().errors[0].field).toBe('header x-purpose');
      const ok = await as(stranger.oversight, 'GET', url, undefined, PURPOSE);
      expect(ok.statusCode, `${r.url}: ${ok.body.slice(0, 200)}`).toBe(200);
      await expect
        .poll(
          async () =>
            (
              await s.store.db
                .selectFrom('access_log')
                .select(['purpose', 'status'])
                .where('actor_id', '=', stranger.oversight.id)
                .where('route', '=', `GET ${r.url}`)
                .where('status', '=', 200)
                .execute()
            ).map((x) => x.purpose),
          { timeout: 5000 },
        )
        .toEqual([PURPOSE['x-purpose']]);
    }
    // Its own unit's list needs no purpose, and holds none of district-1's missions.
    expect((await as(stranger.oversight, 'GET', '/api/missions')).json()).toEqual([]);
    expect(
      (await as(stranger.oversight, 'GET', '/api/missions?unit=district-1', undefined, PURPOSE))
        .json()
        .map((m: { id: string }) => m.id),
    ).toEqual([missionId]);
  });

  it("the unit's own people still reach every scoped route (the 404s above are about the unit, not the route)", async () => {
    const expected: Record<string, [string, number]> = {
      'GET /api/alerts/:alertId': ['officer', 200],
      'GET /api/alerts/:alertId/disclosure': ['supervisor', 200],
      'GET /api/missions/:alertId/dosage': ['supervisor', 200],
      'POST /api/missions/:alertId/reports': ['officer', 201],
      'POST /api/alerts/:alertId/decision': ['officer', 201],
      'POST /api/missions/:id/decision': ['supervisor', 200],
    };
    for (const [key, [who, status]] of Object.entries(expected)) {
      const [method, url] = key.split(' ');
      const res = await w.call(who, method, urlOf(url), BODIES[key], PURPOSE);
      expect(res.statusCode, `${who}: ${key}: ${res.body.slice(0, 200)}`).toBe(status);
    }
  });
});
