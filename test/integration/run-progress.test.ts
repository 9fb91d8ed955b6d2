import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, type Principal } from '../../src/accounts/accounts';
import { createForecast } from '../../src/forecast-service/forecasts';
import { DEMO_ORGANISATIONS } from '../../src/demo/demo-texts';
import { activeSystem } from '../support/active-system';
import { forecasterRecord } from '../support/register-fixtures';
import { PASSWORD, startDemoServer, type DemoServer } from '../support/server';
import { DIALECTS } from '../support/stores';

interface View {
  phase: string;
  done: number;
  total: number;
  kind: string;
  resultId: string | null;
}

/**
 * Issue 17 item 8: a backtest and a forecast report progress while they run (the same scheme as imports: the
 * client's job id on the POST, GET /api/jobs/:id polled meanwhile), and the server answers those polls
 * between backtest origins instead of only after the run.
 */
describe.each(DIALECTS)('progress of forecasts and backtests on %s (Chicago demo)', (dialect) => {
  let s: DemoServer;
  let w: Awaited<ReturnType<typeof activeSystem>>;
  let other = '';

  beforeAll(async () => {
    s = await startDemoServer({ dialect });
    w = await activeSystem(s, 'Counterweight patrol guidance', forecasterRecord());
    await createUser(s.ledger, 'system:test-setup', { username: 'analyst-2', password: PASSWORD, roles: ['analyst'] });
    const r = await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'analyst-2', password: PASSWORD },
    });
    other = `cw_session=${r.cookies.find((c) => c.name === 'cw_session')!.value}`;
  }, 180_000);
  afterAll(async () => s?.close());

  /** POST with a job id and poll its progress until the POST answers: every view seen, then the last. */
  async function runWatched(url: string, body: unknown) {
    const jobId = randomUUID();
    let finished = false;
    const post = w.call('analyst', 'POST', `${url}?jobId=${jobId}`, body).finally(() => (finished = true));
    const seen: View[] = [];
    // As a page does: a poll, then a pause (a timer, so the run gets its turns in between).
    while (!finished) {
      const g = await w.call('analyst', 'GET', `/api/jobs/${jobId}`);
      if (g.statusCode === 200) seen.push(g.json());
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const r = await post;
    const last = (await w.call('analyst', 'GET', `/api/jobs/${jobId}`)).json() as View;
    return { r, seen, last, jobId };
  }

  it('a backtest reports origins done of the total while it runs, then done with its id', async () => {
    // 2019-01-07 to 2019-04-01 every 14 days: 7 origins (hand-counted: Jan 7, 21, Feb 4, 18, Mar 4, 18, Apr 1).
    const { r, seen, last, jobId } = await runWatched('/api/backtests', {
      from: '2019-01-07',
      to: '2019-04-01',
      stepDays: 14,
      windows: ['7d'],
      cell: '1000ft',
      models: ['counts', 'counts:365'],
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(last).toMatchObject({ kind: 'backtest', phase: 'done', done: 7, total: 7, resultId: String(r.json().id) });
    const computing = seen.filter((v) => v.phase === 'computing');
    // Polls were answered between origins: some view shows part of the origins done.
    expect(
      computing.some((v) => v.done > 0 && v.done < 7 && v.total === 7),
      JSON.stringify(seen),
    ).toBe(true);
    // Never backwards.
    const order = ['queued', 'loading', 'computing', 'storing', 'done'];
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [seen[i - 1], seen[i]];
      expect(order.indexOf(b.phase)).toBeGreaterThanOrEqual(order.indexOf(a.phase));
      if (a.phase === b.phase) expect(b.done).toBeGreaterThanOrEqual(a.done);
    }
    // Someone else's job is as unknown as a made-up one, also to oversight (who follows its own audits here).
    const foreign = await s.app.inject({ method: 'GET', url: `/api/jobs/${jobId}`, headers: { cookie: other } });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('jobs.notFound');
    expect((await w.call('oversight', 'GET', `/api/jobs/${jobId}`)).statusCode).toBe(404);
    expect((await w.call('officer', 'GET', `/api/jobs/${jobId}`)).statusCode).toBe(403);
  }, 300_000);

  it('a forecast reports its phases and ends done with its forecast id; a failed one ends failed', async () => {
    const { r, last } = await runWatched('/api/forecasts', {
      asOf: '2019-06-01',
      window: '7d',
      cell: '1000ft',
      model: 'counts:365',
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(last).toMatchObject({ kind: 'forecast', phase: 'done', done: 1, total: 1, resultId: r.json().id });
    const failed = await runWatched('/api/forecasts', { asOf: '2001-01-01', window: '7d', model: 'counts:365' });
    expect(failed.r.statusCode).toBe(400);
    expect(failed.last.phase).toBe('failed');
  }, 300_000);

  /** The progress a forecast reports, recorded as it is reported (not polled: every report counts). */
  async function recorded(model: string) {
    const user = await s.store.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'analyst')
      .executeTakeFirstOrThrow();
    const p: Principal = { kind: 'user', id: user.id, name: 'analyst', roles: ['analyst'], unit: 'district-1' };
    const demo = DEMO_ORGANISATIONS.chicago.forecast!;
    const seen: { phase: string; done: number; total: number; stage?: string }[] = [];
    await createForecast(
      s.store,
      s.ledger,
      p,
      {
        asOf: demo.asOf,
        window: '7d',
        cell: demo.cell,
        hotspotArea: demo.hotspotArea,
        maxArea: demo.maxArea,
        model,
        includeOfficerInitiated: false,
        seed: 1,
      },
      { phase: (phase, done = 0, total = 0, stage) => seen.push({ phase, done, total, stage }) },
    );
    const fit = seen.filter((e) => e.phase === 'computing').map((e) => (e.total ? e.done / e.total : 0));
    return { seen, inside: fit.filter((f) => f > 0 && f < 1) };
  }

  it("the demo forecast's model fit reports steps inside the computing phase, not one 0 → 1 jump", async () => {
    const { seen, inside } = await recorded(DEMO_ORGANISATIONS.chicago.forecast!.model);
    // Fit, hotspots, explanations: 1/3 and 2/3 lie strictly inside.
    expect(inside.length).toBeGreaterThan(1);
    expect(seen.filter((e) => e.phase === 'computing').map((e) => `${e.stage}:${e.done}/${e.total}`)).toEqual([
      'fit:0/1',
      'fit:1/3',
      'hotspots:2/3',
      'explanations:3/3',
    ]);
  }, 120_000);
});
