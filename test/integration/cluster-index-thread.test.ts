/**
 * Issue 16 item 7: after an import the map's cluster index is rebuilt on a thread of its own, reading the
 * positions on its own connection, so the request-serving thread (alert intake) does not stall for it. Shown
 * without timings: with this thread's own connection closed the index is still built (so it was read
 * elsewhere), and it is the very index the serving thread would have built; the thread opens the file
 * read-only (a missing file is an error, never created); and it never keeps a process alive.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveProfile } from '../../src/ingest/profiles';
import { loadTaxonomy } from '../../src/ingest/taxonomy';
import { buildClusterIndex, type ClusterIndex } from '../../src/maps/cluster-index';
import { buildClusterIndexFor } from '../../src/maps/cluster-index-thread';
import { migrate, openStore, sameDatabaseFor, type Store } from '../../src/store/db';
import { incidentPositions, type IncidentFilter } from '../../src/store/incident-queries';
import { importIncidentFile } from '../../src/store/incidents';
import { DIALECTS, freshPostgresUrl } from '../support/stores';

const PORTLAND = 'test/fixtures/portland-nij/crimes_bur_to_2017-02-28.csv';
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir() {
  const d = mkdtempSync(join(tmpdir(), 'cw-cluster-thread-'));
  dirs.push(d);
  return d;
}

async function importedStore(dialect: (typeof DIALECTS)[number]): Promise<{ store: Store; reopen(): Store }> {
  const opts =
    dialect === 'sqlite' ? { sqliteFile: join(tempDir(), 'cw.db') } : { databaseUrl: await freshPostgresUrl() };
  const store = openStore(opts);
  await migrate(store);
  await importIncidentFile(store, PORTLAND, resolveProfile('portland-nij'), loadTaxonomy('config/taxonomy.json'));
  return { store, reopen: () => openStore(opts) };
}

const columns = (ci: ClusterIndex) => [ci.code, ci.ids, ci.lon, ci.lat, ci.sumLon, ci.sumLat].map((a) => [...a]);

describe.each(DIALECTS)('the cluster-index thread on %s', (dialect) => {
  it('builds the index the serving thread would, reading on its own connection (this one closed)', async () => {
    const { store, reopen } = await importedStore(dialect);
    const filters: IncidentFilter[] = [{}, { from: '2016-06-01', to: '2016-09-01' }, { sources: ['none-such'] }];
    const expected: ClusterIndex[] = [];
    for (const f of filters) expected.push(buildClusterIndex(await incidentPositions(store, f)));
    expect(expected[0].ids.length).toBeGreaterThan(1000);
    expect(expected[1].ids.length).toBeGreaterThan(0);
    expect(expected[1].ids.length).toBeLessThan(expected[0].ids.length);
    expect(expected[2].ids.length).toBe(0);
    expect(sameDatabaseFor(store)).toBeDefined();
    // Close this thread's connection: an index built here would now fail; the thread's does not.
    await store.close();
    await expect(incidentPositions(store, {})).rejects.toThrow();
    const built = await Promise.all(filters.map((f) => buildClusterIndexFor(store, f)));
    built.forEach((ci, k) => {
      expect(ci.ids.length).toBe(expected[k].ids.length);
      expect(columns(ci)).toEqual(columns(expected[k]));
    });
    // The store can be opened again afterwards: the thread left nothing locked.
    const again = reopen();
    const n = await again.db
      .selectFrom('incidents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(expected[0].ids.length);
    await again.close();
  });
});

describe('the cluster-index thread', () => {
  it('opens the database file read-only: a missing file is an error and is not created', async () => {
    const missing = join(tempDir(), 'gone', 'cw.db');
    const store = { location: missing } as Store;
    await expect(buildClusterIndexFor(store, {})).rejects.toThrow(/unable to open|directory does not exist|no such/i);
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(join(missing, '..'))).toBe(false);
  });

  it('an in-memory store (which no other thread can open) is built on the serving thread', async () => {
    const store = openStore({ sqliteFile: ':memory:' });
    await migrate(store);
    expect(sameDatabaseFor(store)).toBeUndefined();
    await importIncidentFile(store, PORTLAND, resolveProfile('portland-nij'), loadTaxonomy('config/taxonomy.json'));
    const ci = await buildClusterIndexFor(store, {});
    expect(columns(ci)).toEqual(columns(buildClusterIndex(await incidentPositions(store, {}))));
    await store.close();
  });

  it('never keeps a process alive: a script that builds an index exits by itself', async () => {
    const { store } = await importedStore('sqlite');
    await store.close();
    // A script file, not -e: a worker inherits the parent's flags, and --input-type does not apply to files.
    const script = join(tempDir(), 'build-once.mjs');
    writeFileSync(
      script,
      `import { buildClusterIndexFor } from ${JSON.stringify(resolve('src/maps/cluster-index-thread.ts'))};
      const ci = await buildClusterIndexFor({ location: ${JSON.stringify(store.location)} }, {});
      console.log(ci.ids.length);`,
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.error, r.stderr).toBeUndefined();
    expect(r.status, r.stderr).toBe(0);
    expect(Number(r.stdout.trim())).toBeGreaterThan(1000);
  });
});
