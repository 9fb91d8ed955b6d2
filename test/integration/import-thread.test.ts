/**
 * Imports through the import thread keep their guarantees on the databases a server runs on: an SQLite
 * FILE (staged, then published in short transactions by the thread's own connection) and PostgreSQL (one
 * transaction on the thread's connection). ingest.test.ts covers in-memory SQLite, where the caller writes.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/domain/errors';
import { resolveProfile } from '../../src/ingest/profiles';
import { loadTaxonomy } from '../../src/ingest/taxonomy';
import { migrate, openStore, type Store } from '../../src/store/db';
import {
  PUBLISH_DUTY,
  PUBLISH_GAP_MS,
  publishPacer,
  stagedSqliteImport,
  STALE_MS,
} from '../../src/store/import-sqlite';
import { importIncidentFile, ImportRejected } from '../../src/store/incidents';
import { freshStore } from '../support/stores';

const CHICAGO = 'demo/chicago/chicago_crimes_sample_2017_2019.csv';
const CHI_HEADER = 'id,date,primary_type,description,latitude,longitude,community_area,arrest';
const taxonomy = loadTaxonomy('config/taxonomy.json');
const tmp = mkdtempSync(join(tmpdir(), 'cw-import-thread-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const f = join(tmp, name);
  writeFileSync(f, text);
  return f;
};
const count = async (store: Store, where?: string) => {
  let q = store.db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n'));
  if (where) q = q.where('source', '=', where);
  return Number((await q.executeTakeFirstOrThrow()).n);
};

const KINDS = ['sqlite-file', 'postgres'] as const;

describe.each(KINDS)('import thread on %s', (kind) => {
  let store: Store;
  beforeAll(async () => {
    store =
      kind === 'postgres'
        ? await freshStore('postgres')
        : openStore({ sqliteFile: join(tmp, `${Math.random().toString(36).slice(2)}.db`) });
    await migrate(store);
  });
  afterAll(async () => store.close());

  it('a file with one bad row writes nothing and names file, row, field and expectation', async () => {
    const f = write(
      `bad_${kind}.csv`,
      [
        CHI_HEADER,
        '1,1/2/2018 10:00,THEFT,x,41.8,-87.6,1,false',
        '2,13/45/2018 10:00,THEFT,x,41.8,-87.6,1,false',
        '3,1/2/2018 10:00,THEFT,x,41.8,oops,1,false',
      ].join('\n'),
    );
    const err = await importIncidentFile(store, f, resolveProfile('chicago'), taxonomy).catch((e) => e);
    expect(err).toBeInstanceOf(ImportRejected);
    expect(err.where).toEqual([
      expect.objectContaining({ file: f, row: 3, field: 'date', got: '13/45/2018 10:00' }),
      expect.objectContaining({ file: f, row: 4, field: 'longitude', expected: 'a finite number' }),
    ]);
    expect(await count(store)).toBe(0);
    expect(await store.db.selectFrom('datasets').selectAll().execute()).toEqual([]);
  });

  it('malformed CSV is an InputError naming the row, and nothing is written', async () => {
    const f = write(
      `quote_${kind}.csv`,
      [
        CHI_HEADER,
        '30,1/2/2018 10:00,THEFT,"unclosed,41.8,-87.6,1,false',
        '31,1/2/2018 10:00,THEFT,x,41.8,-87.6,1,false',
      ].join('\n'),
    );
    const err = await importIncidentFile(store, f, resolveProfile('chicago'), taxonomy).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(/not valid CSV/);
    expect(err.where[0]).toMatchObject({ file: f });
    expect(await count(store)).toBe(0);
  });

  it('imports the 25,000-row sample with progress up to the whole file, then adds nothing on re-import', async () => {
    const progress: [number, number, number][] = [];
    const r = await importIncidentFile(store, CHICAGO, resolveProfile('chicago'), taxonomy, {
      onProgress: (b, t, rows) => progress.push([b, t, rows]),
    });
    expect(r).toMatchObject({ rowsRead: 25_000, imported: 25_000, duplicates: 0, errorCount: 0 });
    expect(await count(store)).toBe(25_000);
    // Counted independently with python's csv module (see ingest.test.ts): 5,948 THEFT rows.
    const theft = await store.db
      .selectFrom('incidents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('type', '=', 'THEFT')
      .where('origin', '=', 'citizen')
      .executeTakeFirstOrThrow();
    expect(Number(theft.n)).toBe(5948);
    const w = await store.db
      .selectFrom('incidents')
      .selectAll()
      .where('source_id', '=', '11023904')
      .executeTakeFirstOrThrow();
    expect(w.occurred_at).toBe('2017-07-19T18:45:00Z');
    expect(w.dataset_id).toBe(r.datasetId);
    const ds = await store.db
      .selectFrom('datasets')
      .selectAll()
      .where('id', '=', r.datasetId)
      .executeTakeFirstOrThrow();
    expect(ds).toMatchObject({
      state: 'done',
      rows_read: 25_000,
      rows_imported: 25_000,
      rows_duplicate: 0,
      file_sha256: r.sha256,
    });
    const total = progress.at(-1)![1];
    expect(progress.at(-1)).toEqual([total, total, 25_000]);
    for (let i = 1; i < progress.length; i++) expect(progress[i][0]).toBeGreaterThanOrEqual(progress[i - 1][0]);

    const again = await importIncidentFile(store, CHICAGO, resolveProfile('chicago'), taxonomy);
    expect(again).toMatchObject({ imported: 0, duplicates: 25_000 });
    expect(await count(store)).toBe(25_000);
  });

  it('with skipInvalid imports the good rows (duplicates inside the file once) and reports the bad ones', async () => {
    const f = write(
      `partial_${kind}.csv`,
      [
        CHI_HEADER,
        '50,1/2/2018 10:00,THEFT,x,41.8,-87.6,1,false',
        '50,1/2/2018 10:00,THEFT,x,41.8,-87.6,1,false',
        '51,1/2/2018 10:00,NOPE,x,41.8,-87.6,1,false',
      ].join('\n'),
    );
    const r = await importIncidentFile(store, f, resolveProfile('chicago'), taxonomy, {
      skipInvalid: true,
      source: 'partial-test',
    });
    expect(r).toMatchObject({ imported: 1, duplicates: 1, errorCount: 1 });
    expect(r.errors[0]).toMatchObject({ row: 4, field: 'type' });
    expect(await count(store, 'partial-test')).toBe(1);
  });
});

describe('publishing into an SQLite file in short transactions', () => {
  let store: Store;
  let dbFile: string;
  beforeAll(async () => {
    dbFile = join(tmp, 'publish.db');
    store = openStore({ sqliteFile: dbFile });
    await migrate(store);
  });
  afterAll(async () => store.close());
  const spec = (datasetId: string) => ({ datasetId, source: 'publish-test', importedBy: null, skipInvalid: false });

  it('a failure midway through publishing removes every row already published and the dataset', async () => {
    // Tiny chunks, so the failure comes after several committed transactions.
    const err = await stagedSqliteImport(
      dbFile,
      CHICAGO,
      resolveProfile('chicago'),
      taxonomy,
      spec('fail-midway'),
      {},
      { targetMs: 0.01, pauseAfterChunk: false, failAfterChunks: 5 },
    ).catch((e) => e);
    expect(err.message).toMatch(/publish failed/);
    expect(await count(store, 'publish-test')).toBe(0);
    expect(await store.db.selectFrom('datasets').selectAll().where('id', '=', 'fail-midway').execute()).toEqual([]);
  });

  it('pauses between chunks add up to a small duty cycle of the lock hold, each gap long enough for a polling writer', async () => {
    // The log writer takes its turn through write-turns.ts; the gaps are only for other writers, which poll
    // in SQLite's busy handler (1, 2, 5, 10 … ms sleeps): a few long gaps serve them, a gap after every chunk is waste.
    const holds: number[] = [];
    const pauses: number[] = [];
    const f = write(
      'paced.csv',
      [
        CHI_HEADER,
        ...Array.from({ length: 3000 }, (_, i) => `${70_000 + i},1/2/2018 10:00,THEFT,x,41.8,-87.6,1,false`),
      ].join('\n'),
    );
    const r = await stagedSqliteImport(
      dbFile,
      f,
      resolveProfile('chicago'),
      taxonomy,
      { ...spec('paced'), source: 'paced-test' },
      {},
      {
        targetMs: 0.01,
        onChunk: (holdMs: number, pauseMs: number) => (holds.push(holdMs), pauses.push(pauseMs)),
      },
    );
    expect(r.imported).toBe(3000);
    expect(holds.length).toBeGreaterThan(5); // tiny chunks: 256 rows each
    const held = holds.reduce((a, b) => a + b, 0);
    const paused = pauses.reduce((a, b) => a + b, 0);
    expect(paused).toBeLessThanOrEqual(PUBLISH_DUTY * held + PUBLISH_GAP_MS);
    for (const p of pauses) expect(p === 0 || p >= PUBLISH_GAP_MS).toBe(true);
  });

  it('no WAL checkpoint runs inside a chunk (the log would wait behind it); the WAL is copied into the file between chunks and at the end', async () => {
    // SQLite's automatic checkpoint runs inside whichever COMMIT crosses the WAL threshold, i.e. inside the
    // import's turn of the write lock, where the log's writer thread waits for it (write-turns.ts). Only a
    // checkpoint writes the main database file, so its size must not change from just before a chunk to
    // just after its commit. Random dates: each chunk dirties many time-index pages (a large WAL).
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const rows = 20_000;
    const f = write(
      'random-dates.csv',
      [
        CHI_HEADER,
        ...Array.from(
          { length: rows },
          (_, i) =>
            `${200_000 + i},${1 + rnd(12)}/${1 + rnd(28)}/2018 ${rnd(24)}:${String(rnd(60)).padStart(2, '0')},THEFT,x,41.8,-87.6,1,false`,
        ),
      ].join('\n'),
    );
    const sizeBefore = statSync(dbFile).size;
    let atStart = 0;
    const grewInside: number[] = [];
    let chunks = 0;
    const r = await stagedSqliteImport(
      dbFile,
      f,
      resolveProfile('chicago'),
      taxonomy,
      { ...spec('no-checkpoint-inside'), source: 'random-dates' },
      {},
      {
        targetMs: 0.01,
        pauseAfterChunk: false,
        beforeChunk: () => void (atStart = statSync(dbFile).size),
        onChunk: () => {
          chunks++;
          const now = statSync(dbFile).size;
          if (now !== atStart) grewInside.push(now - atStart);
        },
      },
    );
    expect(r.imported).toBe(rows);
    expect(chunks).toBeGreaterThan(20);
    expect(grewInside).toEqual([]);
    expect(statSync(dbFile).size).toBeGreaterThan(sizeBefore + rows * 50); // checkpointed by the import itself
    expect(await count(store, 'random-dates')).toBe(rows);
  });

  it('the pacer owes a gap for every PUBLISH_GAP_MS / PUBLISH_DUTY ms of hold, never more', () => {
    const pace = publishPacer();
    const gaps = Array.from({ length: 100 }, () => pace(5)); // 500 ms held in 5 ms chunks
    expect(gaps.filter((g) => g > 0).length).toBe(Math.floor((500 * PUBLISH_DUTY) / PUBLISH_GAP_MS));
    expect(gaps.every((g) => g === 0 || g === PUBLISH_GAP_MS)).toBe(true);
    expect(publishPacer()(1_000)).toBe(PUBLISH_GAP_MS); // one long chunk: one gap, not a debt carried into sleeping
  });

  it('a dataset a crash left importing is removed by the next import once stale, and only then', async () => {
    const long = new Date(Date.now() - STALE_MS - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const recent = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (const [id, at] of [
      ['crashed', long],
      ['running', recent],
    ] as const) {
      await store.db
        .insertInto('datasets')
        .values({
          id,
          source: `src-${id}`,
          file_name: 'x.csv',
          file_sha256: '',
          profile: 'chicago',
          src_crs: 'EPSG:4326',
          rows_read: 0,
          rows_imported: 0,
          rows_duplicate: 0,
          imported_by: null,
          started_at: at,
          finished_at: at,
          state: 'importing',
        })
        .execute();
      await store.db
        .insertInto('incidents')
        .values({
          source: `src-${id}`,
          source_id: '1',
          dataset_id: id,
          type: 'THEFT',
          subtype: null,
          origin: 'citizen',
          occurred_at: at,
          time_precision: 'minute',
          lon: -87.6,
          lat: 41.8,
          x: -87.6,
          y: 41.8,
          src_crs: 'EPSG:4326',
          area: null,
          attrs: '{}',
        })
        .execute();
    }
    const f = write('after_crash.csv', [CHI_HEADER, '60,1/2/2018 10:00,THEFT,x,41.8,-87.6,1,false'].join('\n'));
    const r = await stagedSqliteImport(dbFile, f, resolveProfile('chicago'), taxonomy, spec('after-crash'), {});
    expect(r.imported).toBe(1);
    expect(await count(store, 'src-crashed')).toBe(0);
    expect(await store.db.selectFrom('datasets').select('id').where('id', '=', 'crashed').execute()).toEqual([]);
    expect(await count(store, 'src-running')).toBe(1); // another import still in progress: left alone
  });
});
