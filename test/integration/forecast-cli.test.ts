import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';

describe('counterweight forecast', () => {
  it('refuses a source that is not registered for patrol forecasting, then writes the NIJ GeoJSON once it is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-fc-'));
    const env = { CW_SQLITE_FILE: join(dir, 'cw.db'), CW_KEYS_DIR: join(dir, 'keys') };
    const args = ['forecast', '--incidents', 'test/fixtures/ingest/portland_crimes_bur_to_2017-02-28.csv', '--profile', 'portland-nij',
      '--boundary', 'test/fixtures/forecast/portland_police_districts.epsg2913.geojson', '--as-of', '2017-03-01', '--window', '1mo', '--cell', '600ft', '--model', 'kde:1:365', '--out', join(dir, 'bur.geojson')];
    const refused = await runCli(args, env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/data source "nij-portland" is not registered/);
    expect((await runCli(['source', 'add-bundled'], env)).code).toBe(0);
    const ok = await runCli(args, env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/hotspots \(0\.2\d\d sq mi\) by time-weighted KDE/);
    const fc = JSON.parse(readFileSync(join(dir, 'bur.geojson'), 'utf8'));
    expect(fc.crs.properties.name).toBe('urn:ogc:def:crs:EPSG::2913');
    expect(fc.features[0].properties).toEqual(expect.objectContaining({ hotspot: expect.any(Number), risk: expect.any(Number), explanation_id: null }));
    const run = JSON.parse(readFileSync(join(dir, 'bur.run.json'), 'utf8'));
    expect(run.dataSnapshotHash).toMatch(/^[0-9a-f]{64}$/);
    expect(run.windowEnd).toBe('2017-04-01');
  }, 120_000);
});

describe('counterweight backtest --system', () => {
  it('stores the run and generates the forecaster\'s model card from it, with intervals and limitations', async () => {
    const { openStore, migrate } = await import('../../src/store/db');
    const { createUser } = await import('../../src/accounts/accounts');
    const dir = mkdtempSync(join(tmpdir(), 'cw-bt-'));
    const env = { CW_SQLITE_FILE: join(dir, 'cw.db'), CW_KEYS_DIR: join(dir, 'keys') };
    const store = openStore({ sqliteFile: env.CW_SQLITE_FILE });
    await migrate(store);
    const owner = await createUser(store.db, { username: 'owner', password: 'a-long-test-password', roles: ['system-owner'] });
    await store.db.insertInto('ai_systems').values({ id: 'sys-00000000f0ca', name: 'Counterweight patrol guidance', owner_id: owner.id, created_at: '2026-01-01T00:00:00Z' }).execute();
    await store.db.insertInto('system_versions').values({ system_id: 'sys-00000000f0ca', version: 1, record: '{}', state: 'draft', consultation_ends_at: null, created_by: owner.id, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' }).execute();
    await store.close();
    const r = await runCli(['backtest', '--incidents', 'test/fixtures/ingest/portland_crimes_bur_to_2017-02-28.csv', '--profile', 'portland-nij',
      '--boundary', 'test/fixtures/forecast/portland_police_districts.epsg2913.geojson', '--from', '2016-09-01', '--to', '2016-12-01', '--step', '14', '--windows', '7d,1mo',
      '--cell', '600ft', '--models', 'naive,kde:1:365', '--system', 'sys-00000000f0ca'], env);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.summary).toHaveLength(4);
    const again = openStore({ sqliteFile: env.CW_SQLITE_FILE });
    try {
      const card = JSON.parse((await again.db.selectFrom('model_cards').select('card').executeTakeFirstOrThrow()).card);
      expect(card.kind).toBe('counterweight-forecaster');
      expect(card.trainingData.events).toBe(5096);
      expect(card.evaluation.map((e: { window: string }) => e.window)).toEqual(['7d', '1mo']);
      expect(card.evaluation[0].pai.ci95[0]).toBeLessThanOrEqual(card.evaluation[0].pai.mean);
      expect(card.subgroupResults).toMatch(/no bias audit yet/);
      expect(card.generatedFrom.dataSnapshotHash).toMatch(/^[0-9a-f]{64}$/);
      const run = await again.db.selectFrom('backtest_runs').selectAll().executeTakeFirstOrThrow();
      expect(run.data_snapshot_hash).toBe(card.generatedFrom.dataSnapshotHash);
    } finally {
      await again.close();
    }
  }, 180_000);
});
