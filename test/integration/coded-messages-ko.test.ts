import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES } from '../../src/domain/messages';
import { registerBundledSources } from '../../src/privacy/sources';
import { activeSystem } from '../support/active-system';
import { startDemoServer, type DemoServer } from '../support/server';
import { caller, signIn, type Call, type Session } from '../support/signed-in';
import { DIALECTS } from '../support/stores';

/**
 * Issue 17 item 5 for src/geo, src/ingest and src/fairness: an error these modules raise reaches the
 * browser with its stable code and parameters, and its detail in Korean when the caller asks for Korean
 * (the same request in English keeps the English wording the CLI and older clients read).
 */
describe.each(DIALECTS)('coded geo, ingest and fairness messages on %s', (dialect) => {
  let s: DemoServer;
  const as: Record<string, Session> = {};
  let call: Call;

  beforeAll(async () => {
    s = await startDemoServer({ demo: false, dialect });
    await registerBundledSources(s.store, s.ledger);
    for (const u of ['analyst', 'oversight', 'admin']) as[u] = await signIn(s.app, u);
    call = caller(s.app, as);
  });
  afterAll(async () => s?.close());

  it('geo: a forecast over a jurisdiction beyond UTM coverage (lat 85) is refused with geo.outsideUtm, in Korean when asked', async () => {
    // Valid WGS84 (|lat| ≤ 90), so the layer is accepted; only the forecast's projection cannot place it.
    const arctic = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { code: 'n1', name: 'North' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [10, 85],
                [10.1, 85],
                [10.1, 85.1],
                [10, 85.1],
                [10, 85],
              ],
            ],
          },
        },
      ],
    };
    expect((await call('analyst', 'POST', '/api/layers?name=arctic&kind=jurisdiction', arctic)).statusCode).toBe(201);
    const body = { jurisdiction: 'arctic', asOf: '2019-01-01' };
    const ko = await call('analyst', 'POST', '/api/forecasts', body, 'ko');
    expect(ko.statusCode).toBe(400);
    expect(ko.json()).toMatchObject({ code: 'geo.outsideUtm', detail: MESSAGES['geo.outsideUtm'].ko });
    expect(ko.json().detail).toBe('점이 UTM 좌표계의 적용 범위 밖에 있습니다');
    // The place the error names is kept as it was (field, expected, got).
    expect(ko.json().errors).toEqual([
      { field: 'lon/lat', expected: 'lon in [-180,180], lat in [-80,84]', got: '10,85' },
    ]);
    const en = await call('analyst', 'POST', '/api/forecasts', body, 'en');
    expect(en.json()).toMatchObject({ code: 'geo.outsideUtm', detail: 'point outside UTM coverage' });
  });

  it('forecast thread: a backtest with no incidents to learn from is refused on the thread with its code, in Korean when asked, and nothing is stored', async () => {
    const square = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { code: 'd1', name: 'Desert' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [-117.1, 39],
                [-117, 39],
                [-117, 39.1],
                [-117.1, 39.1],
                [-117.1, 39],
              ],
            ],
          },
        },
      ],
    };
    expect((await call('analyst', 'POST', '/api/layers?name=desert&kind=jurisdiction', square)).statusCode).toBe(201);
    const listed = async () => ((await call('analyst', 'GET', '/api/backtests')).json() as unknown[]).length;
    const before = await listed();
    const body = { jurisdiction: 'desert', from: '2019-01-01', to: '2019-02-01', stepDays: 14, windows: ['7d'] };
    // computeBacktest raises it on the forecast thread: the error crosses back with its code and fields.
    const ko = await call('analyst', 'POST', '/api/backtests', body, 'ko');
    expect(ko.statusCode, ko.body).toBe(400);
    expect(ko.json()).toMatchObject({
      code: 'forecast.backtest.noIncidents',
      detail: MESSAGES['forecast.backtest.noIncidents'].ko,
      errors: [{ field: 'jurisdiction', expected: 'imported citizen-reported incidents' }],
    });
    const en = await call('analyst', 'POST', '/api/backtests', body, 'en');
    expect(en.json()).toMatchObject({ code: 'forecast.backtest.noIncidents', detail: 'no incidents to backtest on' });
    expect(await listed()).toBe(before);
  });

  it('ingest: an incident CSV without the columns its profile needs is refused with ingest.missingColumns, naming the uploaded file, in Korean when asked', async () => {
    const csv = 'when,what\n2019-01-01,THEFT\n';
    const ko = await call('analyst', 'POST', '/api/imports?profile=chicago&fileName=mine.csv', csv, 'ko', 'text/csv');
    expect(ko.statusCode).toBe(400);
    const p = ko.json();
    expect(p.code).toBe('ingest.missingColumns');
    expect(p.params).toEqual({ file: 'mine.csv', profile: 'chicago' });
    expect(p.detail).toBe('mine.csv에 chicago 프로필에 필요한 열이 없습니다');
    // Row-level findings: each missing column, its expectation in Korean too.
    expect(p.errors.length).toBeGreaterThan(0);
    expect(p.errors[0]).toMatchObject({ file: 'mine.csv', row: 1, expectedCode: 'imports.expected.column' });
    expect(p.errors[0].expected).toBe(`"${p.errors[0].field}" 열`);
    const en = await call('analyst', 'POST', '/api/imports?profile=chicago&fileName=mine.csv', csv, 'en', 'text/csv');
    expect(en.json().detail).toBe('mine.csv lacks columns the chicago profile needs');
  });

  it('ingest: an area layer whose feature has an open ring is refused with ingest.badFeatures naming the layer (no English placeholder), in Korean when asked', async () => {
    const open = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { code: 'a1' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [-87.6, 41.8],
                [-87.5, 41.8],
                [-87.5, 41.9],
                [-87.6, 41.9],
              ],
            ],
          },
        },
      ],
    };
    const ko = await call('analyst', 'POST', '/api/layers?name=open&kind=areas', open, 'ko');
    expect(ko.statusCode).toBe(400);
    expect(ko.json()).toMatchObject({
      code: 'ingest.badFeatures',
      params: { file: 'open', count: 1 },
      detail: 'open: 피처 1개가 올바른 구역이 아닙니다',
      errors: [
        {
          file: 'open',
          row: 1,
          field: 'features[0].geometry.coordinates[0][0]',
          expected: 'a closed ring (first position equals last)',
        },
      ],
    });
    const en = await call('analyst', 'POST', '/api/layers?name=open&kind=areas', open, 'en');
    expect(en.json().detail).toBe('open: 1 feature(s) are not valid areas');
  });

  it('fairness: a bias audit naming a reference group that is not in the data is refused with fairness.referenceNotAudited, in Korean when asked', async () => {
    const ctx = await activeSystem(s, 'Recidivism risk scores (electronic monitoring)');
    const csv = [
      'score_text,two_year_recid,race',
      'High,1,Caucasian',
      'Low,0,Caucasian',
      'Medium,1,African-American',
      'Low,1,African-American',
      'High,0,Hispanic',
      'Low,0,Hispanic',
    ].join('\n');
    const url = `/api/systems/${ctx.systemId}/versions/1/audits?predictedColumn=score_text&positiveValues=Medium,High&labelColumn=two_year_recid&labelPositive=1&groupColumns=race&reference=Martian`;
    const ko = await ctx.call('oversight', 'POST', url, csv, { 'content-type': 'text/csv', 'accept-language': 'ko' });
    expect(ko.statusCode, ko.body.slice(0, 300)).toBe(400);
    const p = JSON.parse(ko.body);
    expect(p).toMatchObject({
      code: 'fairness.referenceNotAudited',
      params: { group: 'Martian' },
      detail: '기준 집단 Martian이(가) 감사한 집단 가운데 없습니다',
    });
    expect(p.errors[0]).toMatchObject({ field: 'reference.group', got: 'Martian' });
    expect(p.errors[0].expected).toContain('Caucasian');
    const en = await ctx.call('oversight', 'POST', url, csv, { 'content-type': 'text/csv', 'accept-language': 'en' });
    expect(JSON.parse(en.body).detail).toBe('reference group Martian is not among the audited groups');
  });
});
