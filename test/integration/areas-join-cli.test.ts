/**
 * `areas import --join`: boundaries plus a table, from the command line, on SQLite and PostgreSQL. The
 * by-name join reads a CP949 table with Korean headers; a table with an unknown district saves nothing.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { layerGeoJson } from '../../src/store/areas';
import { openStore } from '../../src/store/db';
import { runCli } from '../support/cli';
import { DIALECTS, freshPostgresUrl } from '../support/stores';

const DIR = 'demo/seoul';
const BOUNDARIES = `${DIR}/seoul_municipalities_geo_simple.json`;

describe.each(DIALECTS)('areas import --join on %s', (dialect) => {
  it('joins residents by code and a Korean CP949 table by district name; a bad key stops the import', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-join-'));
    const env: Record<string, string> =
      dialect === 'postgres'
        ? { DATABASE_URL: await freshPostgresUrl(), CW_KEYS_DIR: join(dir, 'keys') }
        : { DATABASE_URL: '', CW_SQLITE_FILE: join(dir, 'cw.db'), CW_KEYS_DIR: join(dir, 'keys') };
    // The same residents, re-published as a Korean agency would: CP949, Korean headers, names not codes.
    const rows = readFileSync(`${DIR}/seoul_population_2017q1_by_gu.csv`, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const koTable = join(dir, '자치구별_고령인구.csv');
    writeFileSync(
      koTable,
      iconv.encode(
        `자치구,65세 이상\r\n${rows.map((r) => `${r[1]},"${Number(r[6]).toLocaleString('en-US')}"`).join('\r\n')}\r\n`,
        'cp949',
      ),
    );
    const koMapping = join(dir, 'old.mapping.json');
    writeFileSync(koMapping, JSON.stringify({ key: '자치구', counts: { age65plus_by_name: '65세 이상' } }));

    const byCode = await runCli(
      [
        'areas',
        'import',
        BOUNDARIES,
        '--name',
        'seoul-gu',
        '--code-field',
        'code',
        '--name-field',
        'name',
        '--join',
        `${DIR}/seoul_population_2017q1_by_gu.csv`,
        '--join-mapping',
        `${DIR}/population.mapping.json`,
      ],
      env,
    );
    expect(byCode.stderr).toBe('');
    expect(byCode.code).toBe(0);
    const byName = await runCli(
      [
        'areas',
        'import',
        BOUNDARIES,
        '--name',
        'seoul-gu-names',
        '--code-field',
        'code',
        '--name-field',
        'name',
        '--join',
        koTable,
        '--join-mapping',
        koMapping,
        '--join-on',
        'name',
      ],
      env,
    );
    expect(byName.code).toBe(0);

    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, `gu_code,population\n11010,1\n99999,2\n`);
    const badMapping = join(dir, 'bad.mapping.json');
    writeFileSync(badMapping, JSON.stringify({ key: 'gu_code', counts: { population: 'population' } }));
    const refused = await runCli(
      ['areas', 'import', BOUNDARIES, '--name', 'seoul-bad', '--join', bad, '--join-mapping', badMapping],
      env,
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('99999');

    const store = openStore(
      dialect === 'postgres' ? { databaseUrl: env.DATABASE_URL } : { sqliteFile: env.CW_SQLITE_FILE },
    );
    try {
      const sum = async (layer: string, k: string) =>
        (await layerGeoJson(store.db, layer))!.features.reduce((t, f) => t + Number(f.properties[k as 'code']), 0);
      expect(await sum('seoul-gu', 'population')).toBe(10_197_604);
      expect(await sum('seoul-gu', 'registered_foreigners')).toBe(270_636);
      expect(await sum('seoul-gu-names', 'age65plus_by_name')).toBe(1_321_458);
      expect(await layerGeoJson(store.db, 'seoul-bad')).toBeUndefined();
    } finally {
      await store.close();
    }
  }, 120_000);
});
