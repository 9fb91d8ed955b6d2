/**
 * The reader threads (src/store/read-thread.ts) on every kind of store: an SQLite file (reads on a thread's
 * read-only connection), in-memory SQLite and PostgreSQL (reads on the store's own connection). Each must give
 * the rows the store's connection gives, and the thread must be unable to write, whatever SQL reaches it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openStore, type Store } from '../../src/store/db';
import { incidentFeatures } from '../../src/store/incident-queries';
import { incidentFeature } from '../../src/store/read-shapes';
import { readRows, readThreadCounts } from '../../src/store/read-thread';
import { freshStore } from '../support/stores';

const dir = mkdtempSync(join(tmpdir(), 'cw-read-thread-'));
const stores: Record<string, Store> = {};

async function seed(store: Store) {
  await store.db
    .insertInto('datasets')
    .values({
      id: 'ds-1',
      source: 'test',
      file_name: 'f.csv',
      file_sha256: 'x'.repeat(64),
      profile: 'test',
      src_crs: 'EPSG:4326',
      rows_read: 300,
      rows_imported: 300,
      rows_duplicate: 0,
      imported_by: 'user:test',
      started_at: '2026-01-01T00:00:00Z',
      finished_at: '2026-01-01T00:00:00Z',
    })
    .execute();
  const rows = Array.from({ length: 300 }, (_, i) => ({
    source: i % 3 === 0 ? 'other' : 'test',
    source_id: `r${i}`,
    dataset_id: 'ds-1',
    type: i % 2 ? 'BURGLARY' : 'THEFT',
    subtype: i % 5 ? 'FORCIBLE' : null,
    origin: 'citizen',
    // Ties on purpose: newest first must then order by id.
    occurred_at: `2025-0${1 + (i % 9)}-01T00:00:00Z`,
    time_precision: 'minute',
    lon: -87.6 + i / 1000,
    lat: 41.8 + i / 2000,
    x: null,
    y: null,
    src_crs: 'EPSG:4326',
    area: i % 7 ? `A${i % 7}` : null,
    attrs: '{}',
  }));
  await store.db.insertInto('incidents').values(rows).execute();
}

beforeAll(async () => {
  stores.file = openStore({ sqliteFile: join(dir, 'cw.db') });
  await migrate(stores.file);
  stores.memory = await freshStore('sqlite');
  stores.postgres = await freshStore('postgres');
  for (const s of Object.values(stores)) await seed(s);
}, 120_000);
afterAll(async () => {
  for (const s of Object.values(stores)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

const byType = (s: Store) =>
  s.db
    .selectFrom('incidents')
    .select(['type', 'source', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['type', 'source'])
    .orderBy('type')
    .orderBy('source');

describe.each(['file', 'memory', 'postgres'])('reads on %s', (kind) => {
  it("gives the store connection's rows, in order, for several queries at once", async () => {
    const s = stores[kind];
    const before = readThreadCounts();
    const [groups, [span]] = await readRows(
      s,
      byType(s),
      s.db.selectFrom('incidents').select((eb) => [eb.fn.min('occurred_at').as('first'), eb.fn.countAll().as('n')]),
    );
    const expected = await byType(s).execute();
    expect(groups.map((g) => ({ ...g, n: Number(g.n) }))).toEqual(expected.map((g) => ({ ...g, n: Number(g.n) })));
    expect(Number(span.n)).toBe(300);
    expect(span.first).toBe('2025-01-01T00:00:00Z');
    const after = readThreadCounts();
    // Only an SQLite file is read on a reader thread.
    expect(after.readerThread - before.readerThread).toBe(kind === 'file' ? 1 : 0);
    expect(after.storeConnection - before.storeConnection).toBe(kind === 'file' ? 0 : 1);
  });

  it('builds the incident points newest first, ties by id, with the JSON the shape gives', async () => {
    const s = stores[kind];
    const r = await incidentFeatures(s, { sources: ['test'] }, 50);
    expect(r.matched).toBe(200);
    expect(r.returned).toBe(50);
    const rows = await s.db
      .selectFrom('incidents')
      .select(['id', 'source', 'source_id', 'type', 'subtype', 'origin', 'occurred_at', 'time_precision'])
      .select(['lon', 'lat', 'area'])
      .where('source', '=', 'test')
      .orderBy('occurred_at', 'desc')
      .orderBy('id', 'desc')
      .limit(50)
      .execute();
    const features = JSON.parse(r.featuresJson.toString('utf8'));
    expect(features).toEqual(rows.map((x) => incidentFeature({ ...x, id: Number(x.id) })));
    expect(features[0].properties.occurredAt).toBe('2025-09-01T00:00:00Z');
    expect(features[0].id).toBeGreaterThan(features[1].id);
  });
});

describe('the reader thread cannot write', () => {
  it('refuses an INSERT, an UPDATE, a DELETE and a DROP sent as a read, and the file is unchanged', async () => {
    const s = stores.file;
    const attempts = [
      s.db
        .insertInto('datasets')
        .values({
          id: 'ds-evil',
          source: 'evil',
          file_name: 'e.csv',
          file_sha256: 'y'.repeat(64),
          profile: 'evil',
          src_crs: 'EPSG:4326',
          rows_read: 0,
          rows_imported: 0,
          rows_duplicate: 0,
          imported_by: 'user:evil',
          started_at: '2026-01-01T00:00:00Z',
          finished_at: '2026-01-01T00:00:00Z',
        })
        .returning('id'),
      s.db.updateTable('incidents').set({ lon: 0 }).returning('id'),
      { compile: () => sql`DELETE FROM incidents RETURNING id`.compile(s.db) },
    ];
    // Statements that return rows, so that only the read-only connection stands in the way.
    for (const q of attempts) await expect(readRows(s, q as never)).rejects.toThrow(/readonly/i);
    await expect(readRows(s, { compile: () => sql`DROP TABLE incidents`.compile(s.db) } as never)).rejects.toThrow();
    expect(
      Number(
        (
          await s.db
            .selectFrom('datasets')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(1);
    const moved = await s.db.selectFrom('incidents').select('id').where('lon', '=', 0).execute();
    expect(moved).toEqual([]);
    const [[left]] = await readRows(
      s,
      s.db.selectFrom('incidents').select((eb) => eb.fn.countAll().as('n')),
    );
    expect(Number(left.n)).toBe(300);
  });

  it('answers many reads at once, more than it has threads, each with its own rows', async () => {
    const s = stores.file;
    const results = await Promise.all(
      Array.from({ length: 7 }, (_, k) =>
        readRows(s, s.db.selectFrom('incidents').select('source_id').where('source_id', '=', `r${k}`)),
      ),
    );
    expect(results.map(([rows]) => rows[0].source_id)).toEqual(Array.from({ length: 7 }, (_, k) => `r${k}`));
  });
});
