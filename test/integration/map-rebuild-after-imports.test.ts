/**
 * Availability: after imports the map's cluster indexes are rebuilt once, when imports go quiet, not once
 * per file. Each rebuild reads every incident position on a thread, and back-to-back imports each started
 * one, taking CPU from alert intake while the next file imported (bench/import-under-load.ts). Over HTTP,
 * on a real server and SQLite file:
 * - three imports back to back start no more index builds than one import does;
 * - none is missed: once quiet, the map answers from a full index holding every imported incident.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterIndexBuilds } from '../../src/maps/cluster-index-thread';
import { clusterBuildPolicy } from '../../src/maps/incident-clusters';
import { activeSystem } from '../support/active-system';
import { startDemoServer, type DemoServer } from '../support/server';

const CSV = readFileSync('demo/chicago/chicago_crimes_sample_2017_2019.csv', 'utf8');
const [HEADER, ...LINES] = CSV.trimEnd().split('\n');
const slice = (from: number, n: number) => [HEADER, ...LINES.slice(from, from + n)].join('\n') + '\n';

let s: DemoServer;
let as: Awaited<ReturnType<typeof activeSystem>>['as'];
const saved = { ...clusterBuildPolicy };

beforeAll(async () => {
  clusterBuildPolicy.rebuildQuietMs = 400;
  s = await startDemoServer({ demo: false });
  as = (await activeSystem(s, 'Map rebuilds')).as;
}, 120_000);
afterAll(async () => {
  Object.assign(clusterBuildPolicy, saved);
  await s?.close();
});

const built = () => clusterIndexBuilds().ownThread + clusterIndexBuilds().servingThread;

/** Wait until no index build has started for `quietMs` (the rebuild delay has passed and builds are done). */
async function settled(quietMs = 1_500): Promise<number> {
  let last = built();
  for (let still = Date.now(); Date.now() - still < quietMs; await new Promise((r) => setTimeout(r, 50)))
    if (built() !== last) ((last = built()), (still = Date.now()));
  return last;
}

async function importSlice(from: number, n: number, name: string) {
  const r = await fetch(`${s.url}/api/imports?profile=chicago&fileName=${name}`, {
    method: 'POST',
    headers: { cookie: as.analyst.cookie, 'x-csrf-token': as.analyst.csrf, 'content-type': 'text/csv' },
    body: slice(from, n),
  });
  expect(r.status, (await r.clone().text()).slice(0, 300)).toBe(201);
}

describe('map indexes after imports', () => {
  it('three imports back to back start no more index builds than one, and the map then holds every row', async () => {
    const start = await settled();
    await importSlice(0, 200, 'one.csv');
    const afterOne = (await settled()) - start;
    expect(afterOne).toBeGreaterThan(0); // one import is followed by a rebuild

    const before = built();
    await importSlice(200, 200, 'two.csv');
    await importSlice(400, 200, 'three.csv');
    await importSlice(600, 200, 'four.csv');
    expect(built()).toBe(before); // nothing rebuilt between the files
    const afterThree = (await settled()) - before;
    expect(afterThree).toBe(afterOne);

    // The index built after the series holds all 800 rows: a full (not coarse) answer with every incident.
    const r = await fetch(`${s.url}/api/incidents/clusters?bbox=-180,-85,180,85&zoom=3`, {
      headers: { cookie: as.analyst.cookie, 'x-purpose': 'crime-analysis' },
    });
    const body = (await r.json()) as { total: number; coarse?: boolean };
    const n = Number(
      (
        await s.store.db
          .selectFrom('incidents')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(n).toBeGreaterThan(700);
    expect(body.coarse).toBe(false);
    expect(body.total).toBe(n);
    expect(built()).toBe(before + afterThree); // answered from the index built after the series
  }, 120_000);
});
