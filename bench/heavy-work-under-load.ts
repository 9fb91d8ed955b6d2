/**
 * Alert intake while the server's heavy work runs: a forecast (`auto`), a backtest and a fairness
 * trade-off curve on the Chicago demo, each while a vendor posts an alert every ~5 ms over loopback HTTP.
 * The server runs in this process (startDemoServer, SQLite file), so its serving thread's CPU can be read:
 * for each run, the longest stretch without an answered alert (ms), the number answered, the run's wall
 * time, and the serving thread's share of the process's CPU (1 = everything on the serving thread).
 * Prints one JSON object.   npx tsx bench/heavy-work-under-load.ts
 *
 * Measured 2026-12-05 on the shared 2-core VM, quiet (a temporary test with the same probe; before = the
 * work on the serving thread in steps, after = forecast and planning threads):
 *   auto forecast 250 ft 7 d:  longest gap 4,594 -> 479 ms, share 0.88 -> 0.20 (29 s)
 *   auto forecast 500 ft 1 mo: 11,114 -> 357 ms, share 0.97 -> 0.18 (49-56 s)
 *   backtest, a year of weekly origins, 250 ft: 2,737 -> 433 ms, share 0.91 -> 0.18 (64-69 s)
 *   trade-off curve, 200 cells: one alert answered in 52 s -> intake kept answering (86 s on the thread)
 */
import { loadavg } from 'node:os';
import { activeSystem } from '../test/support/active-system';
import { quickForecast } from '../test/support/forecasts';
import { measureWhileProbing } from '../test/support/intake-probe';
import { forecasterRecord } from '../test/support/register-fixtures';
import { startDemoServer } from '../test/support/server';

const s = await startDemoServer({});
const w = await activeSystem(s, 'Patrol guidance', forecasterRecord());
const cctv = await activeSystem(s, 'Intake probe');
const firstId = await quickForecast(w, '2019-06-03');

const measure = (run: () => Promise<{ statusCode: number; body: string }>) => measureWhileProbing(s.url, cctv, run);

const results = {
  autoForecast250ft7d: await measure(() =>
    w.call('analyst', 'POST', '/api/forecasts', { asOf: '2019-06-01', window: '7d', cell: '250ft' }),
  ),
  backtest250ftYearWeekly: await measure(() =>
    w.call('analyst', 'POST', '/api/backtests', {
      from: '2018-06-01',
      to: '2019-06-01',
      stepDays: 7,
      windows: ['7d', '1mo'],
      cell: '250ft',
    }),
  ),
  tradeoffCurve40Cells: await measure(() =>
    w.call('supervisor', 'GET', `/api/forecasts/${firstId}/fairness-tradeoff?budget=40`),
  ),
};
console.log(JSON.stringify({ bench: 'heavy-work-under-load', results, loadAverage: loadavg()[0] }, null, 2));
await s.close();
