import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/domain/errors';
import { resolveProfile } from '../../src/ingest/profiles';
import { readAreaLayer } from '../../src/ingest/read-areas';
import { loadTaxonomy, parseTaxonomy } from '../../src/ingest/taxonomy';
import { layerGeoJson, saveAreaLayer } from '../../src/store/areas';
import type { Store } from '../../src/store/db';
import { importIncidentFile, ImportRejected } from '../../src/store/incidents';
import { DIALECTS, freshStore } from '../support/stores';

const CHICAGO = 'demo/chicago/chicago_crimes_sample_2017_2019.csv';
const AREAS = 'demo/chicago/chicago_community_areas.geojson';
const taxonomy = loadTaxonomy('config/taxonomy.json');
const tmp = mkdtempSync(join(tmpdir(), 'cw-ingest-'));
const write = (name: string, text: string) => {
  const f = join(tmp, name);
  writeFileSync(f, text);
  return f;
};
const count = async (store: Store) =>
  Number(
    (
      await store.db
        .selectFrom('incidents')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const CHI_HEADER = 'id,date,primary_type,description,latitude,longitude,community_area,arrest';

describe.each(DIALECTS)('ingest on %s', (dialect) => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore(dialect);
  });
  afterAll(async () => store.close());

  it('imports the whole Chicago sample, tags origin from the taxonomy, converts local time to UTC', async () => {
    const r = await importIncidentFile(store, CHICAGO, resolveProfile('chicago'), taxonomy);
    expect(r.rowsRead).toBe(25_000);
    expect(r.imported).toBe(25_000);
    expect(r.errorCount).toBe(0);
    // Row 2 of the file: id 11023904, 7/19/2017 13:45 Chicago (CDT, UTC-5) = 18:45Z, WEAPONS VIOLATION → officer.
    const w = await store.db
      .selectFrom('incidents')
      .selectAll()
      .where('source_id', '=', '11023904')
      .executeTakeFirstOrThrow();
    expect(w.occurred_at).toBe('2017-07-19T18:45:00Z');
    expect(w.origin).toBe('officer');
    expect(w.lon).toBeCloseTo(-87.68497621, 7);
    expect(JSON.parse(w.attrs).arrest).toBe(true);
    // Counted independently of the code with python's csv module: 1,204 NARCOTICS rows, 5,948 THEFT rows.
    const narcotics = await store.db
      .selectFrom('incidents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('type', '=', 'NARCOTICS')
      .where('origin', '=', 'officer')
      .executeTakeFirstOrThrow();
    expect(Number(narcotics.n)).toBe(1204);
    const theft = await store.db
      .selectFrom('incidents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('type', '=', 'THEFT')
      .where('origin', '=', 'citizen')
      .executeTakeFirstOrThrow();
    expect(Number(theft.n)).toBe(5948);
  });

  it('re-importing the same file adds nothing', async () => {
    const r = await importIncidentFile(store, CHICAGO, resolveProfile('chicago'), taxonomy);
    expect(r.imported).toBe(0);
    expect(r.duplicates).toBe(25_000);
    expect(await count(store)).toBe(25_000);
  });

  it('imports Portland NIJ (EPSG:2913 international feet) keeping exact duplicate calls as distinct rows, idempotently', async () => {
    const f = 'test/fixtures/ingest/portland_crimes_bur_to_2017-02-28.csv';
    const r = await importIncidentFile(store, f, resolveProfile('portland-nij'), taxonomy);
    expect(r.rowsRead).toBe(5096);
    expect(r.imported).toBe(5096); // 5,079 distinct (date, point) + 17 exact repeats, all kept as the NIJ did
    const again = await importIncidentFile(store, f, resolveProfile('portland-nij'), taxonomy);
    expect(again.imported).toBe(0);
    const first = await store.db
      .selectFrom('incidents')
      .selectAll()
      .where('source', '=', 'nij-portland')
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(first.occurred_at).toBe('2012-03-12T00:00:00Z');
    expect(first.time_precision).toBe('day');
    expect(first.src_crs).toBe('EPSG:2913');
    expect(first.x).toBe(7688186);
    expect(first.lon).toBeGreaterThan(-122.9);
    expect(first.lon).toBeLessThan(-122.4);
  });

  it('refuses Houston rows geocoded to a placeholder point outside the city, then imports the rest with hour precision', async () => {
    const f = 'test/fixtures/ingest/houston_sample.csv';
    // 9 of these 2,000 rows sit at (-95.114129, 31.414044), a geocoder fallback ~190 km north of Houston.
    const err = await importIncidentFile(store, f, resolveProfile('houston'), taxonomy).catch((e) => e);
    expect(err).toBeInstanceOf(ImportRejected);
    expect(err.summary.errorCount).toBe(9);
    expect(err.where[0]).toMatchObject({ row: 18, field: 'x/y', got: '-95.114129, 31.414044' });
    const r = await importIncidentFile(store, f, resolveProfile('houston'), taxonomy, { skipInvalid: true });
    expect(r.imported).toBe(1991);
    const h = await store.db
      .selectFrom('incidents')
      .selectAll()
      .where('source', '=', 'houston-pd')
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(h.occurred_at).toBe('2010-01-01T06:00:00Z');
    expect(h.time_precision).toBe('hour');
    expect(h.type).toBe('MURDER');
  });

  it('refuses a file with one bad row and writes nothing, naming file, row, field and expectation', async () => {
    const before = await count(store);
    const f = write(
      'bad_mixed.csv',
      [
        CHI_HEADER,
        '1,1/2/2018 10:00,THEFT,x,41.8,-87.6,1,false',
        '2,13/45/2018 10:00,THEFT,x,41.8,-87.6,1,false',
        '3,1/2/2018 10:00,THEFT,x,not-a-number,-87.6,1,false',
      ].join('\n'),
    );
    const err = await importIncidentFile(store, f, resolveProfile('chicago'), taxonomy).catch((e) => e);
    expect(err).toBeInstanceOf(ImportRejected);
    expect(err.where).toEqual([
      expect.objectContaining({ file: f, row: 3, field: 'date', got: '13/45/2018 10:00' }),
      expect.objectContaining({ file: f, row: 4, field: 'latitude', expected: 'a finite number' }),
    ]);
    expect(await count(store)).toBe(before);
  });

  it('reports unknown incident types instead of guessing their origin', async () => {
    const f = write(
      'bad_unknown.csv',
      [
        CHI_HEADER,
        '10,1/2/2018 10:00,SPACE PIRACY,x,41.8,-87.6,1,false',
        '11,1/2/2018 10:00,SPACE PIRACY,x,41.8,-87.6,1,false',
      ].join('\n'),
    );
    const err = await importIncidentFile(store, f, resolveProfile('chicago'), taxonomy).catch((e) => e);
    expect(err).toBeInstanceOf(ImportRejected);
    expect(err.summary.unknownTypes).toEqual({ 'SPACE PIRACY': 2 });
    expect(err.message).toContain('SPACE PIRACY');
  });

  it('detects a wrong CRS: State Plane feet declared as lon/lat', async () => {
    const f = write('bad_crs.csv', [CHI_HEADER, '20,1/2/2018 10:00,THEFT,x,1858829,1161120,1,false'].join('\n'));
    const err = await importIncidentFile(store, f, resolveProfile('chicago'), taxonomy).catch((e) => e);
    expect(err).toBeInstanceOf(ImportRejected);
    expect(err.where[0]).toMatchObject({ row: 2, field: 'x/y' });
    expect(err.where[0].expected).toMatch(/another CRS/);
  });

  it('rejects malformed CSV (unbalanced quote) with the line number, writing nothing', async () => {
    const before = await count(store);
    const f = write(
      'bad_quote.csv',
      [
        CHI_HEADER,
        '30,1/2/2018 10:00,THEFT,"unclosed,41.8,-87.6,1,false',
        '31,1/2/2018 10:00,THEFT,x,41.8,-87.6,1,false',
      ].join('\n'),
    );
    const err = await importIncidentFile(store, f, resolveProfile('chicago'), taxonomy).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(/not valid CSV/);
    expect(await count(store)).toBe(before);
  });

  it('rejects a file missing required columns, naming them', async () => {
    const f = write('bad_header.csv', 'id,date\n1,1/2/2018 10:00\n');
    const err = await importIncidentFile(store, f, resolveProfile('chicago'), taxonomy).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.where.map((w: any) => w.field)).toEqual(['primary_type', 'latitude', 'longitude']);
  });

  it('keeps hostile strings out: control characters and oversized text are refused, not stored', async () => {
    const f = write(
      'bad_hostile.csv',
      [
        CHI_HEADER,
        `40,1/2/2018 10:00,THEFT\u0007<script>,x,41.8,-87.6,1,false`,
        `41,1/2/2018 10:00,${'A'.repeat(300)},x,41.8,-87.6,1,false`,
      ].join('\n'),
    );
    const err = await importIncidentFile(store, f, resolveProfile('chicago'), taxonomy).catch((e) => e);
    expect(err).toBeInstanceOf(ImportRejected);
    expect(err.where).toHaveLength(2);
    expect(err.where[1].got.length).toBeLessThan(120);
  });

  it('with skipInvalid, imports the good rows and still reports the bad ones', async () => {
    const f = write(
      'bad_partial.csv',
      [CHI_HEADER, '50,1/2/2018 10:00,THEFT,x,41.8,-87.6,1,false', '51,1/2/2018 10:00,NOPE,x,41.8,-87.6,1,false'].join(
        '\n',
      ),
    );
    const r = await importIncidentFile(store, f, resolveProfile('chicago'), taxonomy, { skipInvalid: true });
    expect(r.imported).toBe(1);
    expect(r.errorCount).toBe(1);
  });

  it('imports the community areas with demographics, projected to WGS84, and replaces on re-import', async () => {
    const layer = readAreaLayer(AREAS, { codeField: 'community_area', nameField: 'name' });
    expect(layer.areas).toHaveLength(77);
    await saveAreaLayer(store, 'chicago-community-areas', 'areas', layer);
    await saveAreaLayer(store, 'chicago-community-areas', 'areas', layer);
    const fc_ = await layerGeoJson(store.db, 'chicago-community-areas');
    expect(fc_!.features).toHaveLength(77);
    const douglas = fc_!.features.find((f) => f.properties.name === 'Douglas')!;
    expect(douglas.properties.Pop2014).toBe(19430);
    expect(douglas.properties.Blk14).toBe(14005);
  });
});

describe.each(DIALECTS)('bulk mode on %s', (dialect) => {
  const indexNames = async (store: Store) =>
    dialect === 'sqlite'
      ? (
          await store.db
            .selectFrom('sqlite_master' as never)
            .select('name' as never)
            .where('type' as never, '=', 'index' as never)
            .where('tbl_name' as never, '=', 'incidents' as never)
            .execute()
        ).map((r: any) => r.name)
      : (
          await store.db
            .selectFrom('pg_indexes' as never)
            .select('indexname' as never)
            .where('tablename' as never, '=', 'incidents' as never)
            .execute()
        ).map((r: any) => r.indexname);

  it('rebuilds the secondary indexes after a bulk load, and keeps them when a bulk load fails', async () => {
    const store = await freshStore(dialect);
    const before = (await indexNames(store)).sort();
    expect(before).toEqual(expect.arrayContaining(['incidents_time', 'incidents_type']));
    const f = write(
      'bad_bulk.csv',
      [CHI_HEADER, '1,1/2/2018 10:00,THEFT,x,41.8,-87.6,1,false', '2,1/2/2018 10:00,NOPE,x,41.8,-87.6,1,false'].join(
        '\n',
      ),
    );
    await expect(
      importIncidentFile(store, f, resolveProfile('chicago'), taxonomy, { bulkThresholdRows: 0 }),
    ).rejects.toThrow(ImportRejected);
    expect((await indexNames(store)).sort()).toEqual(before);
    const r = await importIncidentFile(store, CHICAGO, resolveProfile('chicago'), taxonomy, { bulkThresholdRows: 0 });
    expect(r.imported).toBe(25_000);
    expect((await indexNames(store)).sort()).toEqual(before);
    await store.close();
  });
});

describe('readers answer arbitrary bytes with an InputError, never a crash', () => {
  it('property: any CSV-ish text through the chicago profile yields rows or a named InputError', async () => {
    const store = await freshStore('sqlite');
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 400 }), async (body) => {
        const f = write('bad_fuzz.csv', `${CHI_HEADER}\n${body}`);
        try {
          const r = await importIncidentFile(store, f, resolveProfile('chicago'), taxonomy);
          expect(r.errorCount).toBe(0);
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
          expect((e as InputError).where.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 150 },
    );
    await store.close();
  });

  it('property: arbitrary JSON as an area layer is refused with a field path', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const f = write('bad_area.geojson', JSON.stringify(v));
        expect(() => readAreaLayer(f)).toThrow(InputError);
      }),
      { numRuns: 150 },
    );
  });

  it('a taxonomy with a guessed origin value is refused', () => {
    expect(() => parseTaxonomy({ version: 1, types: { THEFT: { origin: 'probably-citizen' } } })).toThrow(InputError);
  });
});
