/**
 * Attack: a large CSV import must not take the server down for everyone else. A 25,000-row upload used
 * to block every request, alert intake included, for seconds. Here the real server (loopback HTTP, SQLite
 * file or PostgreSQL) takes the demo file while a vendor keeps posting alerts every few milliseconds;
 * no gap between answered alerts may exceed a generous bound (the p99 figure is measured in
 * bench/import-under-load.ts, never asserted here: a shared machine makes timings noisy).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerBundledSources } from '../../src/privacy/sources';
import { activeSystem } from '../support/active-system';
import { startDemoServer, type DemoServer } from '../support/server';
import { DIALECTS } from '../support/stores';
import { probeAlertBody } from '../support/intake-probe';
import { servingThreadShare } from '../support/thread-cpu';

const CHICAGO = readFileSync('demo/chicago/chicago_crimes_sample_2017_2019.csv');
// Generous bound for a shared, loaded machine (2 cores, load ~17 when measured). Before the import moved
// to its own thread: longest gap 6.6–13 s (SQLite), 0.9–1.4 s (PostgreSQL). After: gaps 0.26–0.31 s
// (SQLite), 0.4–0.8 s (PostgreSQL, whose own server process competes for the same cores).
const MAX_GAP_MS = 1_500;
// The serving thread's share of this process's CPU while an import runs alone. A share, not a time: it
// does not move with the machine's load (a wall-clock bound on the event loop's stall, 0.8 s, failed a
// loaded full-suite run at 0.86 s while quiet runs measure 13–25 ms). Measured: 0.08–0.18 with parsing
// and writing on the import thread; 0.69 (both databases) with the file parsed on the serving thread,
// as before the import thread.
const MAX_SERVING_THREAD_SHARE = 0.4;

describe.each(DIALECTS)('import availability on %s', (dialect) => {
  let s: DemoServer;
  let ctx: Awaited<ReturnType<typeof activeSystem>>;
  beforeAll(async () => {
    s = await startDemoServer({ demo: false, dialect });
    await registerBundledSources(s.store, s.ledger);
    ctx = await activeSystem(s, 'Intake during import');
  });
  afterAll(async () => s?.close());

  it('keeps answering alert intake while a 25,000-row CSV is imported, and the import still lands whole', async () => {
    const analyst = ctx.as.analyst;
    // Warm the intake path so the first measured alert is not the JIT's.
    let n = 0;
    const postAlert = () =>
      fetch(`${s.url}/api/systems/${ctx.systemId}/alerts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ctx.key}`, 'content-type': 'application/json' },
        body: probeAlertBody(`during-import-${dialect}-${n++}`),
      });
    for (let i = 0; i < 20; i++) expect((await postAlert()).status).toBe(201);

    let importing = true;
    const answeredAt: number[] = [];
    const statuses = new Set<number>();
    const prober = (async () => {
      while (importing) {
        const r = await postAlert();
        await r.arrayBuffer();
        statuses.add(r.status);
        answeredAt.push(performance.now());
        await new Promise((res) => setTimeout(res, 5));
      }
    })();
    // Progress, as a web progress bar would poll it with the job id it chose.
    const jobId = randomUUID();
    const seen: { phase: string; bytesRead: number; rowsRead: number; rowsPublished: number }[] = [];
    const poller = (async () => {
      while (importing) {
        const r = await ctx.call('analyst', 'GET', `/api/imports/jobs/${jobId}`);
        if (r.statusCode === 200) seen.push(r.json());
        await new Promise((res) => setTimeout(res, 50));
      }
    })();
    const started = performance.now();
    const upload = await fetch(`${s.url}/api/imports?profile=chicago&fileName=chicago.csv&jobId=${jobId}`, {
      method: 'POST',
      headers: { cookie: analyst.cookie, 'x-csrf-token': analyst.csrf, 'content-type': 'text/csv' },
      body: CHICAGO,
    });
    const body = await upload.json();
    importing = false;
    await prober;
    await poller;
    expect(upload.status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({ rowsRead: 25_000, imported: 25_000, errorCount: 0 });

    const marks = [started, ...answeredAt];
    let maxGap = 0;
    for (let i = 1; i < marks.length; i++) maxGap = Math.max(maxGap, marks[i] - marks[i - 1]);
    expect([...statuses]).toEqual([201]);
    expect(answeredAt.length).toBeGreaterThan(5);
    expect(
      maxGap,
      `longest stretch without an answered alert: ${maxGap.toFixed(0)} ms over ${answeredAt.length} alerts`,
    ).toBeLessThan(MAX_GAP_MS);

    // Progress moved forward while the import ran and ends at the whole file.
    expect(seen.length).toBeGreaterThan(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i].bytesRead).toBeGreaterThanOrEqual(seen[i - 1].bytesRead);
    expect(seen.some((v) => v.phase === 'reading' && v.bytesRead < CHICAGO.length)).toBe(true);
    const final = (await ctx.call('analyst', 'GET', `/api/imports/jobs/${jobId}`)).json();
    expect(final).toMatchObject({
      id: jobId,
      fileName: 'chicago.csv',
      phase: 'done',
      bytesRead: CHICAGO.length,
      totalBytes: CHICAGO.length,
      rowsRead: 25_000,
      datasetId: body.datasetId,
    });
    if (dialect === 'sqlite') expect(final).toMatchObject({ rowsPublished: 25_000, rowsToPublish: 25_000 });
    expect(body.jobId).toBe(jobId);
  }, 240_000); // a loaded shared machine has taken 60 s for this import

  it('parses and writes an upload off the request-serving thread (its share of the CPU stays small)', async () => {
    // Another 25,000-row file (rows renumbered), nothing else running in this process.
    const csv = Buffer.from(CHICAGO.toString('utf8').replace(/^(\d+),"J/gm, '9$1,"K'));
    const { result: upload, share } = await servingThreadShare(() =>
      fetch(`${s.url}/api/imports?profile=chicago&fileName=chicago-again.csv`, {
        method: 'POST',
        headers: { cookie: ctx.as.analyst.cookie, 'x-csrf-token': ctx.as.analyst.csrf, 'content-type': 'text/csv' },
        body: csv,
      }),
    );
    const body = await upload.json();
    expect(upload.status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({ rowsRead: 25_000, errorCount: 0 });
    expect(body.imported + body.duplicates).toBe(25_000);
    expect(body.imported).toBeGreaterThan(24_000); // rows not renumbered above repeat the first file's
    expect(share, 'serving thread share of the CPU during the import').toBeLessThan(MAX_SERVING_THREAD_SHARE);
  }, 240_000);

  it("another person can neither read an import's progress nor take its id", async () => {
    const jobId = randomUUID();
    const head = 'id,date,primary_type,description,latitude,longitude,community_area,arrest';
    const mine = await ctx.call(
      'analyst',
      'POST',
      `/api/imports?profile=chicago&fileName=one.csv&jobId=${jobId}`,
      `${head}\n900001,1/2/2018 10:00,THEFT,x,41.8,-87.6,1,false\n`,
      { 'content-type': 'text/csv' },
    );
    expect(mine.statusCode).toBe(201);
    expect((await ctx.call('analyst', 'GET', `/api/imports/jobs/${jobId}`)).json()).toMatchObject({
      phase: 'done',
      rowsRead: 1,
    });
    const peek = await ctx.call('admin', 'GET', `/api/imports/jobs/${jobId}`, undefined, { 'accept-language': 'ko' });
    expect(peek.statusCode).toBe(404);
    expect(peek.json().detail).toMatch(/[\uAC00-\uD7A3]/);
    expect((await ctx.call('admin', 'GET', '/api/imports/jobs')).json()).toEqual([]);
    const steal = await ctx.call(
      'admin',
      'POST',
      `/api/imports?profile=chicago&fileName=two.csv&jobId=${jobId}`,
      `${head}\n900002,1/2/2018 10:00,THEFT,x,41.8,-87.6,1,false\n`,
      { 'content-type': 'text/csv' },
    );
    expect(steal.statusCode).toBe(409);
    expect(await s.store.db.selectFrom('incidents').select('id').where('source_id', '=', '900002').execute()).toEqual(
      [],
    );
    expect((await ctx.call('officer', 'GET', `/api/imports/jobs/${jobId}`)).statusCode).toBe(403);
  });
});
