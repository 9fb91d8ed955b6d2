/**
 * Attack and availability: forecasts, backtests and reproductions compute on the request-serving thread
 * (in steps, between other requests) and hold every incident they read in memory. Before this they started
 * at once, however many were sent: a few people (or one, in several tabs) starting backtests together held
 * the serving thread between alerts and as many copies of the incidents as there were runs. Now they take
 * the same turns as imports and audits (src/store/work-queue.ts). The server here allows one at a time,
 * one waiting, one per person, and the test holds the one turn itself, as a long import would:
 * - a forecast waits as 'queued' to its owner and stores nothing until its turn, then runs;
 * - with the waiting place taken, another person's reproduction is refused (503, Retry-After, in Korean);
 * - the same person's backtest is refused (429): one place per person;
 * - nothing refused is stored or logged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeSystem } from '../support/active-system';
import { forecasterRecord } from '../support/register-fixtures';
import { startDemoServer, type DemoServer } from '../support/server';

let s: DemoServer;
let w: Awaited<ReturnType<typeof activeSystem>>;

beforeAll(async () => {
  s = await startDemoServer({ config: { backgroundWork: { running: 1, waiting: 1, perOwner: 1 } } });
  w = await activeSystem(s, 'Patrol guidance', forecasterRecord());
}, 180_000);
afterAll(async () => s?.close());

/** Hold the server's one turn, as a long import would, until `release` is called. */
function holdTheTurn() {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const done = s.backgroundWork.run('test:holder', () => held);
  return { release, done };
}

async function until(cond: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 20)))
    if (await cond()) return;
  throw new Error('condition not met in time');
}

async function stored() {
  await s.ledger.drain(); // appends already accepted are on disk before counting
  const count = async (table: 'forecast_runs' | 'backtest_runs' | 'ledger_payloads') =>
    Number(
      (
        await s.store.db
          .selectFrom(table)
          .select((e) => e.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    forecasts: await count('forecast_runs'),
    backtests: await count('backtest_runs'),
    log: await count('ledger_payloads'),
  };
}

const FORECAST = { asOf: '2019-06-01', window: '7d', cell: '600ft', model: 'kde:gaussian:600ft:365' };
const ko = { 'accept-language': 'ko' };

describe('forecasts, backtests and reproductions take turns on the server', () => {
  it('a forecast waits as queued, others are refused, nothing refused is stored, and the turn lets it run', async () => {
    // A forecast with the turn free runs at once (a reproduction needs one to re-run).
    const first = await w.call('analyst', 'POST', '/api/forecasts', FORECAST);
    expect(first.statusCode, first.body).toBe(201);
    const forecastId: string = first.json().id;
    expect(s.backgroundWork.counts).toEqual({ running: 0, waiting: 0 });

    const turn = holdTheTurn();
    const jobId = crypto.randomUUID();
    let answered = false;
    const waiting = w
      .call('analyst', 'POST', `/api/forecasts?jobId=${jobId}`, { ...FORECAST, asOf: '2019-05-01' })
      .finally(() => (answered = true));
    await until(() => s.backgroundWork.counts.waiting === 1);
    const poll = await w.call('analyst', 'GET', `/api/jobs/${jobId}`);
    expect(poll.json()).toMatchObject({ kind: 'forecast', phase: 'queued', fraction: 0 });
    expect(answered).toBe(false);
    const before = await stored();

    // Another person, the one waiting place taken: 503 with when to come back, in Korean.
    const busy = await w.call('oversight', 'POST', `/api/forecasts/${forecastId}/reproduce`, undefined, ko);
    expect(busy.statusCode, busy.body).toBe(503);
    expect(Number(busy.headers['retry-after'])).toBeGreaterThan(0);
    expect(busy.json().code).toBe('jobs.serverBusy');
    expect(busy.json().detail).toMatch(/예측/);
    // The same person again, a backtest: 429, one place per person.
    const mine = await w.call(
      'analyst',
      'POST',
      '/api/backtests',
      { from: '2019-03-01', to: '2019-04-01', windows: ['7d'], cell: '600ft', models: ['kde:gaussian:600ft:365'] },
      ko,
    );
    expect(mine.statusCode, mine.body).toBe(429);
    expect(mine.json().code).toBe('jobs.tooManyOfYours');
    expect(Number(mine.headers['retry-after'])).toBeGreaterThan(0);
    // Nothing was computed, stored or logged for the waiting or the refused runs.
    expect(await stored()).toEqual(before);

    turn.release();
    await turn.done;
    const r = await waiting;
    expect(r.statusCode, r.body.slice(0, 300)).toBe(201);
    expect((await w.call('analyst', 'GET', `/api/jobs/${jobId}`)).json()).toMatchObject({
      phase: 'done',
      resultId: r.json().id,
    });
    expect((await stored()).forecasts).toBe(before.forecasts + 1);
    expect(s.backgroundWork.counts).toEqual({ running: 0, waiting: 0 });

    // With the turn free, the reproduction runs and matches.
    const again = await w.call('oversight', 'POST', `/api/forecasts/${forecastId}/reproduce`);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ reproduced: true });
  }, 120_000);
});
