/**
 * Attack: one person's read of the incident table must not take the server down for everyone else. On a
 * database of 500,000 incidents (the demo's Chicago file copied 20 times: a modest city's few years) each of
 * these held the request-serving thread, alert intake included, for seconds (bench/_probe-style timings, quiet
 * machine): the incident list an analyst asks for 8.1 s (default 10,000 points) and 5.3 s (50,000), the
 * summary the incident map loads on every visit 2.4 s, a statistics release 9.6 s, the retention run (also
 * daily, on its own) 6.2 s with nothing to coarsen. better-sqlite3 is synchronous: a query runs on the thread
 * that calls it. Now heavy reads run on a reader thread with a read-only connection of its own
 * (src/store/read-thread.ts), and the retention run coarsens incidents in short steps by the time index.
 *
 * Over loopback HTTP against the real server (SQLite file; 240,000 incidents here, a third of them older
 * than the sources' ten-year retention): while each read runs a vendor keeps posting alerts, and there must
 * be no stretch without an answer near the old stalls; run again alone, the serving thread's share of the
 * process's CPU must stay small (a share: the machine's load does not move it); every answer must equal the
 * database's own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeSystem } from '../support/active-system';
import { quickForecastRequest } from '../support/forecasts';
import { whileProbingIntake } from '../support/intake-probe';
import { growIncidents } from '../support/grow-incidents';
import { startDemoServer, type DemoServer } from '../support/server';
import { servingThreadCpuSeconds, servingThreadShare } from '../support/thread-cpu';
import { setSetting } from '../../src/store/settings';

const MAX_GAP_MS = 1_500;
const MAX_SERVING_THREAD_SHARE = 0.4;
const TARGET_ROWS = 240_000;

let s: DemoServer;
let cctv: Awaited<ReturnType<typeof activeSystem>>;
const count = (where = '1 = 1') =>
  Number((s.store.sqlite!.prepare(`SELECT count(*) AS n FROM incidents WHERE ${where}`).get() as { n: number }).n);

beforeAll(async () => {
  s = await startDemoServer({});
  cctv = await activeSystem(s, 'Intake during reads');
  // Copies of the demo's incidents, every third copy 11 years older (past the sources' ten-year retention).
  growIncidents(s.store.sqlite!, TARGET_ROWS, { olderEvery: 3 });
}, 300_000);
afterAll(async () => s?.close());

/** The read once while a vendor keeps posting alerts (intake must keep answering). */
async function probed(who: string, method: string, url: string, payload?: unknown) {
  const { result, maxGap, answered } = await whileProbingIntake(s.url, cctv, () =>
    cctv.call(who, method, url, payload, { 'x-purpose': 'crime-analysis' }),
  );
  expect(result.statusCode, result.body.slice(0, 300)).toBeLessThan(300);
  expect(answered, 'alerts answered while the read ran').toBeGreaterThan(0);
  expect(maxGap, `longest stretch without an answered alert: ${maxGap.toFixed(0)} ms`).toBeLessThan(MAX_GAP_MS);
  return result.json();
}

/**
 * The serving thread's share of the process's CPU during the read alone (no prober: its own requests would
 * be counted as the serving thread's): near 1 when the query runs on the serving thread.
 */
async function shareOf(who: string, method: string, url: string, payload?: unknown) {
  const { result, share } = await servingThreadShare(() =>
    cctv.call(who, method, url, payload, { 'x-purpose': 'crime-analysis' }),
  );
  expect(result.statusCode, result.body.slice(0, 300)).toBeLessThan(300);
  return share;
}

describe('heavy reads of the incident table run off the serving thread', () => {
  it('lists 50,000 incident points while intake keeps answering (before: 5.3 s with no alert answered at 500,000 rows)', async () => {
    const body = await probed('analyst', 'GET', '/api/incidents?limit=50000');
    expect(body.matched).toBe(count());
    expect(body.returned).toBe(50_000);
    // Newest first, ties by id: the first point is the database's newest.
    const newest = s.store
      .sqlite!.prepare('SELECT id FROM incidents ORDER BY occurred_at DESC, id DESC LIMIT 1')
      .get() as { id: number };
    expect(body.features[0].id).toBe(newest.id);
    const share = await shareOf('analyst', 'GET', '/api/incidents?limit=50000');
    expect(share, 'serving thread share of the CPU during the list').toBeLessThan(MAX_SERVING_THREAD_SHARE);
  }, 180_000);

  it("answers the map's summary while intake keeps answering (before: 2.4 s at 500,000 rows)", async () => {
    const body = await probed('analyst', 'GET', '/api/incidents/summary');
    expect(body.total).toBe(count());
    const burglary = body.types.find((t: { type: string; origin: string }) => t.type === 'BURGLARY');
    expect(burglary?.count).toBe(count("type = 'BURGLARY' AND origin = 'citizen'"));
    expect(body.sources.reduce((a: number, x: { count: number }) => a + x.count, 0)).toBe(count());
    const share = await shareOf('analyst', 'GET', '/api/incidents/summary');
    expect(share, 'serving thread share of the CPU during the summary').toBeLessThan(MAX_SERVING_THREAD_SHARE);
  }, 180_000);

  it('publishes a statistics release while intake keeps answering (before: 9.6 s at 500,000 rows)', async () => {
    const body = await probed('oversight', 'POST', '/api/statistics/releases', { epsilonPerTable: 0.5 });
    const release = (await cctv.call('oversight', 'GET', `/api/statistics/releases/${body.id}`)).json();
    const incidents = release.tables.find((t: { name: string }) => t.name === 'incidents-by-area-month-origin');
    expect(incidents.cells.length).toBeGreaterThan(100);
    const share = await shareOf('oversight', 'POST', '/api/statistics/releases', { epsilonPerTable: 0.5 });
    expect(share, 'serving thread share of the CPU during the release').toBeLessThan(MAX_SERVING_THREAD_SHARE);
  }, 180_000);

  it("reads a forecast's incidents off the serving thread (before: 5 s with no alert answered at 500,000 rows)", async () => {
    const body = await probed('analyst', 'POST', '/api/forecasts', quickForecastRequest('2019-06-03'));
    const stored = (await cctv.call('analyst', 'GET', `/api/forecasts/${body.id}`)).json();
    // Every incident before the as-of date inside the jurisdiction's box, of the one source the demo holds.
    expect(stored.run.trainingIncidents).toBeGreaterThan(100_000);
    const share = await shareOf('analyst', 'POST', '/api/forecasts', quickForecastRequest('2019-06-03'));
    expect(share, 'serving thread share of the CPU during a forecast').toBeLessThan(MAX_SERVING_THREAD_SHARE);
  }, 300_000);

  it('refuses a malformed forecast request before reading any incident (before: a 5 s stall for a 400)', async () => {
    // CPU seconds of the serving thread, not wall time: reading the 240,000 incidents costs it about a second.
    for (const bad of [
      { asOf: '2019-06-03', window: '7d', cell: '600ft', model: 'kde' },
      { asOf: '2019-06-03', window: 'soon', cell: '600ft' },
      { asOf: '2019-06-03', window: '7d', cell: '600ft', hotspotArea: 'everything' },
    ]) {
      const cpu0 = servingThreadCpuSeconds();
      const r = await cctv.call('analyst', 'POST', '/api/forecasts', bad);
      const cpu = servingThreadCpuSeconds() - cpu0;
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().code, r.body).toMatch(/^(forecast|input|server)\./);
      expect(cpu, `serving thread CPU to refuse ${JSON.stringify(bad)}`).toBeLessThan(0.2);
    }
  }, 180_000);

  it('places ten years of victimization by area for a trade-off curve, read on a reader thread and placed in steps, while intake keeps answering', async () => {
    const forecast = await probed('analyst', 'POST', '/api/forecasts', quickForecastRequest('2019-06-03'));
    await setSetting(s.store.db, 'fairness.victimizationDays', '3650');
    try {
      const curve = await probed('supervisor', 'GET', `/api/forecasts/${forecast.id}/fairness-tradeoff?budget=5`);
      // Every citizen-reported incident of the ten years before the forecast, placed in an area or outside all.
      // (At 500,000 incidents the placement in one piece held intake for 1.6 s; at this file's scale it stays
      // under the bound either way, so this case checks the steps' result, not the old stall.)
      const placed = count("origin = 'citizen' AND occurred_at >= '2009-06-05' AND occurred_at < '2019-06-03'");
      expect(placed).toBeGreaterThan(100_000);
      expect(curve.victimizationPeriod).toEqual({ from: '2009-06-05T00:00:00Z', to: '2019-06-03T00:00:00Z' });
      expect(curve.points.length).toBeGreaterThan(0);
    } finally {
      await setSetting(s.store.db, 'fairness.victimizationDays', '365');
    }
  }, 300_000);

  it('coarsens every incident past retention while intake keeps answering (before: 6.2 s with nothing to coarsen)', async () => {
    const old = count("occurred_at < '2015-12-01'");
    expect(old).toBeGreaterThan(50_000);
    const body = await probed('oversight', 'POST', '/api/retention/run');
    expect(body.incidentsCoarsened['chicago-data-portal']).toBe(old);
    expect(count(`occurred_at < '2015-12-01' AND attrs != '{"purged":"retention"}'`)).toBe(0);
    expect(
      count(`occurred_at < '2015-12-01' AND (subtype IS NOT NULL OR abs(round(lon * 100) - lon * 100) > 1e-6)`),
    ).toBe(0);
    expect(count(`occurred_at >= '2017-01-01' AND attrs = '{"purged":"retention"}'`)).toBe(0);
    // A second run finds nothing left to do, quickly and without holding intake.
    const again = await probed('oversight', 'POST', '/api/retention/run');
    expect(again.incidentsCoarsened).toEqual({});
    // The walk down the time index runs on a reader thread: a run with nothing to do costs the serving thread little.
    const share = await shareOf('oversight', 'POST', '/api/retention/run');
    expect(share, 'serving thread share of the CPU during a run with nothing to do').toBeLessThan(
      MAX_SERVING_THREAD_SHARE,
    );
  }, 180_000);
});
