import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveProfile } from '../../src/ingest/profiles';
import { loadTaxonomy } from '../../src/ingest/taxonomy';
import { copyLines } from '../../src/store/import-postgres';
import { importIncidentFile, ImportRejected } from '../../src/store/incidents';
import type { Store } from '../../src/store/db';
import { freshStore } from '../support/stores';

// Issue 20 item 6: PostgreSQL imports go through COPY (import-postgres.ts). The rows must arrive exactly as
// the row-by-row path (in-memory SQLite here) stores them, whatever characters the fields hold; a file's
// repeated id keeps its first row; a bad row writes nothing.
const HEADER =
  '"id","case_number","date","block","iucr","primary_type","description","location_description","arrest","domestic","beat","district","ward","community_area","fbi_code","x_coordinate","y_coordinate","year","updated_on","latitude","longitude","location"\n';
const row = (id: number, description: string, lat = '41.88', type = 'THEFT') =>
  `${id},"JA${id}","3/${1 + (id % 27)}/2018 10:15","024XX W SOME ST","0820","${type}","${description.replace(/"/g, '""')}","STREET",FALSE,FALSE,832,8,15,66,"6",1161120,1858829,2018,"2/10/2019 15:50",${lat},-87.7,"(${lat}, -87.7)"\n`;

describe('COPY imports on PostgreSQL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-copy-'));
  const stores: Store[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const open = async (d: 'sqlite' | 'postgres') => {
    const s = await freshStore(d);
    stores.push(s);
    return s;
  };
  // The reader refuses control characters in text fields; backslashes (COPY's escape) and the rest pass.
  const strange = ['back\\slash \\N and \\t', 'quote " and comma,', '한국어 설명 ✓', '\\', '\\N', ''];

  it('stores every field exactly as the row-by-row path does, first of repeated ids kept, re-import adds nothing', async () => {
    const file = join(dir, 'strange.csv');
    writeFileSync(
      file,
      HEADER + strange.map((d, i) => row(1000 + i, d)).join('') + row(1000, 'second copy of id 1000'),
    );
    const read = async (s: Store) =>
      await s.db
        .selectFrom('incidents')
        .select([
          'source_id',
          'type',
          'subtype',
          'origin',
          'occurred_at',
          'time_precision',
          'lon',
          'lat',
          'x',
          'y',
          'src_crs',
          'area',
          'attrs',
        ])
        .orderBy('source_id')
        .execute();
    const [sq, pg] = [await open('sqlite'), await open('postgres')];
    const profile = resolveProfile('chicago');
    const taxonomy = loadTaxonomy('config/taxonomy.json');
    const a = await importIncidentFile(sq, file, profile, taxonomy);
    const b = await importIncidentFile(pg, file, profile, taxonomy);
    expect([b.imported, b.duplicates]).toEqual([strange.length, 1]);
    expect([b.imported, b.duplicates]).toEqual([a.imported, a.duplicates]);
    expect(await read(pg)).toEqual(await read(sq));
    const stored = await read(pg);
    // The descriptions really reached the table (in subtype or attrs), backslashes intact.
    for (const d of strange.filter(Boolean))
      expect(stored.some((r) => r.subtype === d || Object.values(JSON.parse(r.attrs)).includes(d))).toBe(true);
    const again = await importIncidentFile(pg, file, profile, taxonomy);
    expect([again.imported, again.duplicates]).toEqual([0, strange.length + 1]);
    const ds = await pg.db
      .selectFrom('datasets')
      .select(['rows_imported', 'rows_duplicate'])
      .orderBy('started_at')
      .execute();
    expect(ds.map((d) => [d.rows_imported, d.rows_duplicate]).sort()).toEqual([
      [0, strange.length + 1],
      [strange.length, 1],
    ]);
  });

  it('a bad row rolls the whole import back: no incidents, no dataset', async () => {
    const pg = await open('postgres');
    const file = join(dir, 'bad.csv');
    writeFileSync(file, HEADER + row(1, 'fine') + row(2, 'fine', 'not-a-latitude') + row(3, 'fine'));
    await expect(
      importIncidentFile(pg, file, resolveProfile('chicago'), loadTaxonomy('config/taxonomy.json')),
    ).rejects.toBeInstanceOf(ImportRejected);
    expect(await pg.db.selectFrom('incidents').select('id').execute()).toEqual([]);
    expect(await pg.db.selectFrom('datasets').select('id').execute()).toEqual([]);
  });

  it('COPY text escapes backslash, tab, newline and carriage return, and writes NULL as \\N', () => {
    const r = {
      source_id: 'a\\b',
      type: 't\tt',
      subtype: null,
      origin: 'citizen' as const,
      occurred_at: 'x\ny',
      time_precision: 'r\rr',
      lon: 1.5,
      lat: -2,
      x: 0,
      y: 0,
      src_crs: 'EPSG:4326',
      area: null,
      attrs: '{}',
    };
    expect(copyLines([r])).toBe('a\\\\b\tt\\tt\t\\N\tcitizen\tx\\ny\tr\\rr\t1.5\t-2\t0\t0\tEPSG:4326\t\\N\t{}\n');
  });
});
