/**
 * Alert intake while reads that grow with the incident table run: the Chicago demo grown to N incidents
 * (its file copied, positions jittered), a vendor posting an alert every ~5 ms over loopback HTTP. For each
 * read: its wall time, the longest stretch without an answered alert (ms), the alerts answered, and the serving
 * thread's share of this process's CPU (1 = everything on the serving thread). Prints one JSON object.
 *   npx tsx bench/reads-under-load.ts [incidents=500000]
 *
 * Measured 2026-12-05 on the shared 2-core VM at 500,000 incidents (before = reads on the serving thread,
 * load ~5 from a test run; after = reader and forecast threads, at 7b66492, load 1.7), longest gap:
 *   incident list, 10,000 points:  8,063 ms (0 alerts answered) -> 73 ms (26 answered), share 0.25
 *   incident list, 50,000 points:  5,308 -> 122 ms, share 0.26
 *   the map's summary:             2,369 -> 15 ms, share 0.19
 *   statistics release:            9,576 -> 47 ms, share 0.21
 *   retention run, nothing to do:  6,166 -> 16 ms
 *   forecast, malformed (400):     5,037 -> 5 ms
 *   forecast, KDE 600 ft 7 d:      5,000+ -> 43 ms (9.5 s in all, 960 alerts answered), share 0.17
 *   trade-off curve, 10 cells:     1,581 -> 180 ms, share 0.23
 */
import { loadavg } from 'node:os';
import { activeSystem } from '../test/support/active-system';
import { quickForecast, quickForecastRequest } from '../test/support/forecasts';
import { measureWhileProbing } from '../test/support/intake-probe';
import { forecasterRecord } from '../test/support/register-fixtures';
import { growIncidents } from '../test/support/grow-incidents';
import { startDemoServer } from '../test/support/server';

const target = Number(process.argv[2] ?? 500_000);
const s = await startDemoServer({});
const w = await activeSystem(s, 'Patrol guidance', forecasterRecord());
const cctv = await activeSystem(s, 'Intake probe');
const firstId = await quickForecast(w, '2019-06-03');

growIncidents(s.store.sqlite!, target);

const measure = (run: () => Promise<{ statusCode: number; body: string }>) =>
  measureWhileProbing(s.url, cctv, run, 500); // the malformed forecast's 400 is the answer measured

const forecast = (model: string) =>
  w.call('analyst', 'POST', '/api/forecasts', { ...quickForecastRequest('2019-06-03'), model });
const results = {
  incidentList10k: await measure(() => w.call('analyst', 'GET', '/api/incidents')),
  incidentList50k: await measure(() => w.call('analyst', 'GET', '/api/incidents?limit=50000')),
  incidentSummary: await measure(() => w.call('analyst', 'GET', '/api/incidents/summary')),
  statisticsRelease: await measure(() =>
    w.call('oversight', 'POST', '/api/statistics/releases', { epsilonPerTable: 0.5 }),
  ),
  retentionRun: await measure(() => w.call('oversight', 'POST', '/api/retention/run', {})),
  forecastMalformed: await measure(() => forecast('kde')),
  forecastKde600ft7d: await measure(() =>
    w.call('analyst', 'POST', '/api/forecasts', quickForecastRequest('2019-06-03')),
  ),
  tradeoffCurve10Cells: await measure(() =>
    w.call('supervisor', 'GET', `/api/forecasts/${firstId}/fairness-tradeoff?budget=10`),
  ),
};
console.log(
  JSON.stringify({ bench: 'reads-under-load', incidents: target, results, loadAverage: loadavg()[0] }, null, 2),
);
await s.close();
