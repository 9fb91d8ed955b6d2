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
