/**
 * First-start time with a demo, before and after the example organisation (issue 17 item 6), in process on
 * a fresh SQLite file each run. `dataOnly` is what a first start did before: migrate, build the app, the
 * first admin and the demo's data (startUp without the organisation); `withOrganisation` is startUp as it
 * is now. Prints JSON: per demo, the median and every run of wall and CPU seconds (CPU: all the process's
 * threads, so less sensitive than wall time to other work on the machine).
 *
 *   npx tsx bench/demo-start.ts [runs=3] [chicago,seoul]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureFirstAdmin } from '../src/accounts/accounts';
import { DEMO_TAXONOMY, loadDemoIfFirstStart, type DemoName } from '../src/demo/load-demo';
import { buildApp } from '../src/server/app';
import { startUp } from '../src/server/start';
import { migrate, openStore } from '../src/store/db';

const runs = Number(process.argv[2] ?? 3);
const demos = (process.argv[3] ?? 'chicago,seoul').split(',') as DemoName[];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number) => Math.round(x * 100) / 100;

async function once(demo: DemoName, organisation: boolean): Promise<{ wall: number; cpu: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'cw-bench-demo-'));
  const store = openStore({ sqliteFile: join(dir, 'cw.db') });
  const config = { webDist: 'web/dist', keysDir: join(dir, 'keys'), logOrigin: 'bench.counterweight/log' };
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let close: () => Promise<void>;
  if (organisation) {
    const s = await startUp(store, config, {
      adminPassword: 'a-long-bench-password-1',
      demo: { name: demo, taxonomyFile: DEMO_TAXONOMY[demo] },
    });
    close = () => s.app.close();
  } else {
    await migrate(store);
    const b = await buildApp(store, config);
    await ensureFirstAdmin(b.ledger, 'a-long-bench-password-1');
    await loadDemoIfFirstStart(store, DEMO_TAXONOMY[demo], undefined, b.ledger, demo);
    await b.ledger.drain();
    close = () => b.app.close();
  }
  const c = process.cpuUsage(c0);
  const seconds = { wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
  await close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return seconds;
}

const out: Record<string, unknown> = { runs };
for (const demo of demos) {
  const dataOnly: { wall: number; cpu: number }[] = [];
  const withOrganisation: { wall: number; cpu: number }[] = [];
  // Interleaved, so load on the machine hits both.
  for (let i = 0; i < runs; i++) {
    dataOnly.push(await once(demo, false));
    withOrganisation.push(await once(demo, true));
  }
  const summary = (xs: { wall: number; cpu: number }[]) => ({
    wallMedian: round(median(xs.map((x) => x.wall))),
    cpuMedian: round(median(xs.map((x) => x.cpu))),
    wall: xs.map((x) => round(x.wall)),
    cpu: xs.map((x) => round(x.cpu)),
  });
  out[demo] = { dataOnlySeconds: summary(dataOnly), withOrganisationSeconds: summary(withOrganisation) };
}
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
