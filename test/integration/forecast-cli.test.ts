import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';

describe('counterweight forecast', () => {
  it('refuses a source that is not registered for patrol forecasting, then writes the NIJ GeoJSON once it is, and reproduces it bit for bit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-fc-'));
    const env = { CW_SQLITE_FILE: join(dir, 'cw.db'), CW_KEYS_DIR: join(dir, 'keys') };
    const data = [
      '--incidents',
      'test/fixtures/ingest/portland_crimes_bur_to_2017-02-28.csv',
      '--profile',
      'portland-nij',
      '--boundary',
      'test/fixtures/forecast/portland_police_districts.epsg2913.geojson',
    ];
    const args = [
      'forecast',
      ...data,
      '--as-of',
      '2017-03-01',
      '--window',
      '1mo',
      '--cell',
      '600ft',
      '--model',
      'kde:gaussian:600ft:365',
      '--out',
      join(dir, 'bur.geojson'),
    ];
    const refused = await runCli(args, env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/data source "nij-portland" is not registered/);
    expect((await runCli(['source', 'add-bundled'], env)).code).toBe(0);
    const ok = await runCli(args, env);
    expect(ok.code, ok.stderr).toBe(0);
    // 0.25 sq mi = 6,969,600 sq ft = 19.36 cells of 600 × 600 ft: the minimum area needs 20 whole cells (≈ 0.258 sq mi) unless clipped cells fill it
    expect(ok.stdout).toMatch(/hotspots \(0\.2[5-9]\d sq mi\) by time-weighted KDE/);
    expect(ok.stdout).toMatch(/citizen-reported records only/);
    const fc = JSON.parse(readFileSync(join(dir, 'bur.geojson'), 'utf8'));
    expect(fc.crs.properties.name).toBe('urn:ogc:def:crs:EPSG::2913');
    const hot = fc.features.filter((f: { properties: { hotspot: number } }) => f.properties.hotspot === 1);
    expect(hot.length).toBeGreaterThan(0);
    expect(hot[0].properties.explanation_id).toMatch(/^cell-\d+$/);
    expect(
      fc.features.find((f: { properties: { hotspot: number } }) => f.properties.hotspot === 0).properties
        .explanation_id,
    ).toBeNull();
    const run = JSON.parse(readFileSync(join(dir, 'bur.run.json'), 'utf8'));
    expect(run.dataSnapshotHash).toMatch(/^[0-9a-f]{64}$/);
    expect(run.window.lastDay).toBe('2017-03-31');
    const explanations = JSON.parse(readFileSync(join(dir, 'bur.explanations.json'), 'utf8'));
    expect(explanations.map((e: { explanationId: string }) => e.explanationId).sort()).toEqual(
      hot.map((f: { properties: { explanation_id: string } }) => f.properties.explanation_id).sort(),
    );
    const again = await runCli(['reproduce', '--run', join(dir, 'bur.run.json'), ...data], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/reproduced bit for bit/);
  }, 120_000);

  it('writes the NIJ shapefile (.shp/.shx/.dbf/.prj) with one record per cell', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-fc-'));
    const env = { CW_SQLITE_FILE: join(dir, 'cw.db'), CW_KEYS_DIR: join(dir, 'keys') };
    expect((await runCli(['source', 'add-bundled'], env)).code).toBe(0);
    const r = await runCli(
      [
        'forecast',
        '--incidents',
        'test/fixtures/ingest/portland_crimes_bur_to_2017-02-28.csv',
        '--profile',
        'portland-nij',
        '--boundary',
        'test/fixtures/forecast/portland_police_districts.epsg2913.geojson',
        '--as-of',
        '2017-03-01',
        '--window',
        '7d',
        '--cell',
        '600ft',
        '--model',
        'counts:365',
        '--format',
        'shapefile',
        '--out',
        join(dir, 'bur.shp'),
      ],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    const cells = Number(/: (\d+) cells/.exec(r.stdout)![1]);
    const dbf = readFileSync(join(dir, 'bur.dbf'));
    expect(dbf.readUInt32LE(4)).toBe(cells); // dBASE header: record count
    expect(readFileSync(join(dir, 'bur.prj'), 'utf8')).toMatch(/Oregon_North/);
    expect(readFileSync(join(dir, 'bur.shp')).readInt32BE(0)).toBe(9994); // shapefile magic number
  }, 120_000);

  it('projects lon/lat incidents (Houston, hourly) into their UTM zone and fits the continuous SEPP', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-fc-'));
    const env = { CW_SQLITE_FILE: join(dir, 'cw.db'), CW_KEYS_DIR: join(dir, 'keys') };
    expect((await runCli(['source', 'add-bundled'], env)).code).toBe(0);
    const r = await runCli(
      [
        'forecast',
        '--incidents',
        'test/fixtures/ingest/houston_sample.csv',
        '--profile',
        'houston',
        '--boundary',
        'test/fixtures/forecast/houston_study_area.geojson',
        '--as-of',
        '2010-01-07',
        '--window',
        '7d',
        '--cell',
        '500m',
        '--hotspot-area',
        '2sqkm',
        '--max-area',
        '4sqkm',
        '--model',
        'sepp:10',
        '--out',
        join(dir, 'hou.geojson'),
      ],
      env,
    );
    expect(r.code).toBe(2); // 9 rows of the sample have no coordinates: refused by default, naming them
    expect(r.stderr).toMatch(/9 bad rows[\s\S]*houston_sample\.csv/);
    const skip = await runCli(
      [
        'forecast',
        '--incidents',
        'test/fixtures/ingest/houston_sample.csv',
        '--profile',
        'houston',
        '--skip-invalid',
        '--boundary',
        'test/fixtures/forecast/houston_study_area.geojson',
        '--as-of',
        '2010-01-07',
        '--window',
        '7d',
        '--cell',
        '500m',
        '--hotspot-area',
        '2sqkm',
        '--max-area',
        '4sqkm',
        '--model',
        'sepp:10',
        '--out',
        join(dir, 'hou.geojson'),
      ],
      env,
    );
    expect(skip.code, skip.stderr).toBe(0);
    expect(skip.stderr).toMatch(/skipped 9 bad rows/);
    expect(skip.stdout).toMatch(/by space-time SEPP/);
    const fc = JSON.parse(readFileSync(join(dir, 'hou.geojson'), 'utf8'));
    expect(fc.crs.properties.name).toBe('urn:ogc:def:crs:EPSG::32615'); // UTM zone 15N holds Houston (−96° … −90°)
    const run = fc.counterweight;
    expect(run.diagnostics.theta).toBeGreaterThanOrEqual(0);
    expect(run.outsideJurisdiction).toBeGreaterThan(0); // the sample has points outside the study area (up to 31.4° N)
    const [x] = fc.features[0].geometry.coordinates[0][0];
    expect(x).toBeGreaterThan(160_000); // metres east in zone 15, not degrees
  }, 120_000);

  it("names the bad argument and writes nothing, in the terminal's language", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-fc-'));
    const env = { CW_SQLITE_FILE: join(dir, 'cw.db'), CW_KEYS_DIR: join(dir, 'keys') };
    const base = [
      'forecast',
      '--incidents',
      'test/fixtures/ingest/portland_crimes_bur_to_2017-02-28.csv',
      '--profile',
      'portland-nij',
      '--boundary',
      'test/fixtures/forecast/portland_police_districts.epsg2913.geojson',
      '--out',
      join(dir, 'x.geojson'),
    ];
    expect((await runCli(['source', 'add-bundled'], env)).code).toBe(0);
    for (const [extra, msg] of [
      [['--as-of', '2017-02-30x'], /bad as-of/],
      [['--as-of', '2017-03-01', '--window', '5d'], /bad window "5d"[\s\S]*7d \| 14d \| 1mo \| 2mo \| 3mo/],
      [['--as-of', '2017-03-01', '--model', 'kde:box:600ft'], /model\.kernel[\s\S]*gaussian or quartic/],
      [['--as-of', '2017-03-01', '--format', 'kml'], /bad --format/],
    ] as [string[], RegExp][]) {
      const r = await runCli([...base, ...extra], env);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
    // The same refusals in the terminal's language: CW_LANG=ko (or a Korean LANG) prints them in Korean,
    // places and all, with no English words but the option's own name and value.
    const ko = await runCli([...base, '--as-of', '2017-03-01', '--window', '5d'], { ...env, CW_LANG: 'ko' });
    expect(ko.code, ko.stderr).toBe(2);
    expect(ko.stderr).toMatch(/^오류: /);
    expect(ko.stderr).toContain('필드 "window"');
    expect(ko.stderr).not.toMatch(/\berror\b|\bexpected\b|\bfield\b/);
    const kml = await runCli([...base, '--as-of', '2017-03-01', '--format', 'kml'], { ...env, LANG: 'ko_KR.UTF-8' });
    expect(kml.code, kml.stderr).toBe(2);
    expect(kml.stderr).toContain('오류: --format 값 "kml"이(가) 올바르지 않습니다');
    expect(existsSync(join(dir, 'x.geojson'))).toBe(false);
  }, 120_000);
});

describe('counterweight backtest --system', () => {
  it("stores the run and generates the forecaster's model card from it, with intervals and limitations", async () => {
    const { openStore, migrate } = await import('../../src/store/db');
    const { createUser } = await import('../../src/accounts/accounts');
    const { Ledger } = await import('../../src/ledger-service/ledger');
    const { loadOrCreateLogKeys } = await import('../../src/ledger-service/log-keys');
    const dir = mkdtempSync(join(tmpdir(), 'cw-bt-'));
    const env = { CW_SQLITE_FILE: join(dir, 'cw.db'), CW_KEYS_DIR: join(dir, 'keys') };
    const store = openStore({ sqliteFile: env.CW_SQLITE_FILE });
    await migrate(store);
    const ledger = new Ledger(store, loadOrCreateLogKeys(env.CW_KEYS_DIR, 'counterweight.local/log'), {
      writerThread: false,
    });
    const owner = await createUser(ledger, 'system:test-setup', {
      username: 'owner',
      password: 'a-long-test-password',
      roles: ['system-owner'],
    });
    await ledger.close();
    await store.db
      .insertInto('ai_systems')
      .values({
        id: 'sys-00000000f0ca',
        name: 'Counterweight patrol guidance',
        owner_id: owner.id,
        created_at: '2026-01-01T00:00:00Z',
      })
      .execute();
    await store.db
      .insertInto('system_versions')
      .values({
        system_id: 'sys-00000000f0ca',
        version: 1,
        record: '{}',
        state: 'draft',
        consultation_ends_at: null,
        created_by: owner.id,
        created_at: '2026-01-01T00:00:00Z',
        updated_at: '2026-01-01T00:00:00Z',
      })
      .execute();
    await store.close();
    expect((await runCli(['source', 'add-bundled'], env)).code).toBe(0);
    const r = await runCli(
      [
        'backtest',
        '--incidents',
        'test/fixtures/ingest/portland_crimes_bur_to_2017-02-28.csv',
        '--profile',
        'portland-nij',
        '--boundary',
        'test/fixtures/forecast/portland_police_districts.epsg2913.geojson',
        '--from',
        '2016-09-01',
        '--to',
        '2016-12-01',
        '--step',
        '14',
        '--windows',
        '7d,1mo',
        '--cell',
        '600ft',
        '--models',
        'counts,kde:gaussian:600ft:365',
        '--system',
        'sys-00000000f0ca',
      ],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.summary).toHaveLength(4);
    const again = openStore({ sqliteFile: env.CW_SQLITE_FILE });
    try {
      const card = JSON.parse((await again.db.selectFrom('model_cards').select('card').executeTakeFirstOrThrow()).card);
      expect(card.source).toBe('counterweight-backtest');
      expect(card.data.description).toMatch(/^5096 incidents \(citizen-reported records only\)/);
      // the chosen model (best 7d PAI) first, compared against all-history counts
      const best7 = out.summary
        .filter((x: { window: string }) => x.window === '7d')
        .reduce((a: any, b: any) => (b.pai.mean > a.pai.mean ? b : a));
      expect(card.model.name).toBe(best7.model);
      expect(card.metrics.map((m: { name: string }) => m.name)).toEqual([
        'PAI (7d)',
        'PEI (7d)',
        'PAI (1mo)',
        'PEI (1mo)',
      ]);
      expect(card.metrics[0].value).toBeCloseTo(best7.pai.mean, 12);
      expect(card.metrics[0].interval).toEqual([best7.pai.lo, best7.pai.hi]);
      expect(card.limitations.join(' ')).toMatch(/no subgroup results yet/);
      expect(card.data.snapshotHash).toMatch(/^[0-9a-f]{64}$/);
      expect(out.summary[0].hitRateCurve.map((h: { share: number }) => h.share)).toEqual([
        0.005, 0.01, 0.02, 0.05, 0.1, 0.2,
      ]);
      expect(out.paired.length).toBeLessThanOrEqual(2);
      const run = await again.db.selectFrom('backtest_runs').selectAll().executeTakeFirstOrThrow();
      expect(run.data_snapshot_hash).toBe(card.data.snapshotHash);
    } finally {
      await again.close();
    }
  }, 180_000);
});
