import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeSystem } from '../support/active-system';
import { forecasterRecord } from '../support/register-fixtures';
import { startDemoServer, type DemoServer } from '../support/server';
import { DIALECTS } from '../support/stores';

describe.each(DIALECTS)('drift of the forecaster against its approved backtest pauses it, on %s', (dialect) => {
  let s: DemoServer;
  let w: Awaited<ReturnType<typeof activeSystem>>;
  beforeAll(async () => {
    s = await startDemoServer({ dialect });
    w = await activeSystem(s, 'Counterweight patrol guidance', forecasterRecord());
    await w.call('admin', 'PUT', '/api/forecast/system', { systemId: w.systemId });
  }, 120_000);
  afterAll(async () => s?.close());

  it('compares realized hit rates with the backtest, breaches on a synthetic drop, pauses, and only oversight resumes', async () => {
    const model = 'kde:gaussian:600ft:365';
    const f = await w.call('analyst', 'POST', '/api/forecasts', {
      asOf: '2019-06-01',
      window: '7d',
      cell: '600ft',
      model,
    });
    expect(f.statusCode, f.body).toBe(201);
    const label = f.json().model;
    const bt = await w.call('analyst', 'POST', '/api/backtests', {
      from: '2019-03-04',
      to: '2019-05-20',
      stepDays: 14,
      windows: ['7d'],
      cell: '600ft',
      models: [model],
    });
    expect(bt.statusCode, bt.body).toBe(201);
    const mon = await w.call('oversight', 'POST', `/api/systems/${w.systemId}/monitors`, {
      kind: 'drift',
      backtestId: bt.json().id,
      model: label,
      window: '7d',
      windowDays: 3650,
      minTrials: 30,
    });
    expect(mon.statusCode, mon.body).toBe(201);
    const bad = await w.call('oversight', 'POST', `/api/systems/${w.systemId}/monitors`, {
      kind: 'drift',
      backtestId: 0,
      model: label,
      window: '5d',
      windowDays: 1,
    });
    expect(bad.statusCode).toBe(400);

    const calm = (await w.call('oversight', 'POST', '/api/monitors/run', {}))
      .json()
      .find((r: { monitorId: string }) => r.monitorId === mon.json().id);
    // The forecast's window (2019-06-01 … 06-07) has ended: every citizen report in the city that week is a trial.
    const week = await s.store.db
      .selectFrom('incidents')
      .select((e) => e.fn.countAll<number>().as('n'))
      .where('origin', '=', 'citizen')
      .where('occurred_at', '>=', '2019-06-01T00:00:00Z')
      .where('occurred_at', '<', '2019-06-08T00:00:00Z')
      .executeTakeFirstOrThrow();
    expect(calm.evidence.current.runs).toBe(1);
    expect(calm.evidence.current.trials).toBeLessThanOrEqual(Number(week.n));
    expect(calm.evidence.current.trials).toBeGreaterThan(Number(week.n) * 0.95);
    expect(calm.evidence.baseline.trials).toBeGreaterThan(0);

    // Synthetic breach: pretend the approved backtest caught 95% of incidents in its hotspots.
    const row = await s.store.db
      .selectFrom('backtest_runs')
      .select('summary')
      .where('id', '=', bt.json().id)
      .executeTakeFirstOrThrow();
    const summary = JSON.parse(row.summary);
    summary.totals = summary.totals.map((t: { trials: number }) => ({ ...t, trials: 1000, events: 950 }));
    await s.store.db
      .updateTable('backtest_runs')
      .set({ summary: JSON.stringify(summary) })
      .where('id', '=', bt.json().id)
      .execute();
    const run = (await w.call('oversight', 'POST', '/api/monitors/run', {}))
      .json()
      .find((r: { monitorId: string }) => r.monitorId === mon.json().id);
    expect(run.breached).toBe(true);
    expect(run.paused).toBe(true);
    const state = await s.store.db
      .selectFrom('system_versions')
      .select('state')
      .where('system_id', '=', w.systemId)
      .executeTakeFirstOrThrow();
    expect(state.state).toBe('paused');
    const notes = (await s.app.inject({ url: '/api/incident-notes' })).json();
    expect(JSON.stringify(notes)).toMatch(/drift monitor/);
    expect(
      (
        await w.call('system-owner', 'POST', `/api/systems/${w.systemId}/versions/1/transition`, {
          to: 'active',
          reason: 'it is fine',
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await w.call('oversight', 'POST', `/api/systems/${w.systemId}/versions/1/transition`, {
          to: 'active',
          reason: 'baseline corrected; retrained',
          remedy: 'baseline backtest re-run on corrected data; model retrained',
        })
      ).statusCode,
    ).toBe(200);
  }, 120_000);
});
