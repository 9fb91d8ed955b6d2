/**
 * An import is a use of its source (src/privacy/incident-imports.ts): the purpose is checked before a row
 * is read, the import is logged with the file's hash and counts, and an uploaded file's name can never
 * become a path outside the upload's own temporary directory. Both databases.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/domain/errors';
import { resolveProfile } from '../../src/ingest/profiles';
import { loadTaxonomy } from '../../src/ingest/taxonomy';
import { importForAnalysis, importUploadedFile } from '../../src/privacy/incident-imports';
import { registerBundledSources, registerSource } from '../../src/privacy/sources';
import { startDemoServer, type DemoServer } from '../support/server';
import { DIALECTS } from '../support/stores';

const CHICAGO = readFileSync('demo/chicago/chicago_crimes_sample_2017_2019.csv', 'utf8');
/** The header and the first 40 rows of the demo file: a small real file. */
const SMALL = Buffer.from(`${CHICAGO.split('\n').slice(0, 41).join('\n')}\n`);
const ACTOR = 'user:test-analyst';

describe.each(DIALECTS)('incident imports on %s', (dialect) => {
  let s: DemoServer;
  const profile = resolveProfile('chicago');
  const taxonomy = loadTaxonomy('config/taxonomy.json');
  const datasets = async () => (await s.store.db.selectFrom('datasets').select('id').execute()).length;
  const entries = async (type: string) =>
    (await s.store.db.selectFrom('ledger_payloads').select('idx').where('type', '=', type).execute()).length;

  beforeAll(async () => {
    s = await startDemoServer({ demo: false, dialect });
    await registerBundledSources(s.store, s.ledger);
  });
  afterAll(async () => s?.close());

  it('an upload is imported, and logged with its hash and counts under the name it was sent as', async () => {
    const r = await importUploadedFile(s.store, s.ledger, ACTOR, SMALL, '범죄-2017.csv', profile, taxonomy, {});
    expect(r).toMatchObject({ file: '범죄-2017.csv', rowsRead: 40, imported: 40, errorCount: 0 });
    await s.ledger.drain();
    const row = await s.store.db
      .selectFrom('ledger_payloads')
      .select(['type', 'payload'])
      .where('idx', '=', r.logIndex)
      .executeTakeFirstOrThrow();
    expect(row.type).toBe('data.import');
    expect(String(row.payload)).toContain(createHash('sha256').update(SMALL).digest('hex'));
    expect(String(row.payload)).toContain(r.datasetId);
  });

  it('a source that does not allow crime analysis is refused before a row is written, and the refusal is logged', async () => {
    await registerSource(s.store, s.ledger, ACTOR, {
      ...JSON.parse(readFileSync('config/sources/chicago-data-portal.json', 'utf8')),
      id: 'stats-only-import',
      purposes: ['public-statistics'],
    });
    const before = { datasets: await datasets(), refused: await entries('privacy.purpose-refused') };
    const file = 'stats.csv';
    await expect(
      importUploadedFile(s.store, s.ledger, ACTOR, SMALL, file, profile, taxonomy, { source: 'stats-only-import' }),
    ).rejects.toThrow(InputError);
    await s.ledger.drain();
    expect(await datasets()).toBe(before.datasets);
    expect(await entries('privacy.purpose-refused')).toBe(before.refused + 1);
  });

  it.each(['../escape.csv', '.hidden.csv', 'a/b.csv', 'a\\b.csv', '', 'x'.repeat(121), 'nul\0.csv'])(
    'a file name that is not plain (%j) is refused before anything is written',
    async (name) => {
      const before = await datasets();
      const e = await importUploadedFile(s.store, s.ledger, ACTOR, SMALL, name, profile, taxonomy, {}).catch((x) => x);
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).messageCode).toBe('imports.badFileName');
      expect((e as InputError).where[0]).toMatchObject({ field: 'fileName' });
      expect(await datasets()).toBe(before);
    },
  );

  it('a bad file is refused whole, and its errors name the uploaded file, never the temporary path', async () => {
    const bad = Buffer.from(
      `${CHICAGO.split('\n')[0]}\n1,JA1,not a date,x,0820,THEFT,x,STREET,false,false,1,1,1,1,6,1,1,2018,x,41.8,-87.6,x\n`,
    );
    const before = await datasets();
    const e = await importUploadedFile(s.store, s.ledger, ACTOR, bad, 'bad.csv', profile, taxonomy, {}).catch((x) => x);
    expect(e).toBeInstanceOf(InputError);
    expect(JSON.stringify({ message: e.message, where: e.where, params: e.messageParams })).not.toMatch(/cw-upload-/);
    expect((e as InputError).where.some((w) => w.file === 'bad.csv')).toBe(true);
    expect(await datasets()).toBe(before);
  });

  it('the command line path (importForAnalysis) logs the same record', async () => {
    const before = await entries('data.import');
    const r = await importForAnalysis(
      s.store,
      s.ledger,
      ACTOR,
      'test/fixtures/portland-nij/crimes_bur_to_2017-02-28.csv',
      resolveProfile('portland-nij'),
      taxonomy,
      { why: 'test import' },
    );
    expect(r.imported).toBeGreaterThan(0);
    await s.ledger.drain();
    expect(await entries('data.import')).toBe(before + 1);
  });
});
