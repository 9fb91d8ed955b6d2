/**
 * Issue 22 item 1, the deployment gate's stress test: it runs on the forecaster's areas layer and judges
 * the forecaster by the one exposure model — the layer's declared groups, the planner's victimization
 * basis (the year before the as-of date) and its small-group rule — and refuses a layer that declares
 * no demographics. Chicago demo, on both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupExposure } from '../../src/fairness/exposure';
import { basisForForecast, loadPlaceModel } from '../../src/forecast-service/fairness';
import { activeSystem } from '../support/active-system';
import { forecasterRecord } from '../support/register-fixtures';
import { startDemoServer, type DemoServer } from '../support/server';
import { DIALECTS } from '../support/stores';

describe.each(DIALECTS)(
  "the stress test judges the forecaster by the layer's declared residents (Chicago demo) on %s",
  (dialect) => {
    let s: DemoServer;
    let w: Awaited<ReturnType<typeof activeSystem>>;
    beforeAll(async () => {
      s = await startDemoServer({ dialect });
      // Approval of the forecaster already needs a passed stress test: on this installation it runs on the layer.
      w = await activeSystem(s, 'Counterweight patrol guidance', forecasterRecord());
    }, 240_000);
    afterAll(async () => s?.close());

    it("reports the same groups, ratios and small groups as the planner's exposure model for the same date", async () => {
      const r = await w.call('oversight', 'POST', `/api/systems/${w.systemId}/versions/1/stress-test`, {
        model: 'counts:56',
        asOf: '2019-06-01',
        days: 120,
        seeds: [1],
      });
      expect(r.statusCode, r.body).toBe(201);
      const body = r.json();
      expect(body.city).toMatchObject({
        layer: expect.any(String),
        demographics: 'chicago-community-areas-2014',
        asOf: '2019-06-01',
        areas: 77,
        rule: { minResidents: 1000, minVictimization: 30 },
      });
      expect(body.city.victimizationPeriod).toEqual({ from: '2018-06-01T00:00:00Z', to: '2019-06-01T00:00:00Z' });
      expect(body.groups.map((g: { group: string }) => g.group).sort()).toEqual([
        'american-indian',
        'asian',
        'black',
        'hispanic',
        'other',
        'pacific-islander',
        'white',
      ]);

      // Recomputed from the stored allocation with the planner's own basis: the same ratios to 1e-9.
      const stored = JSON.parse(
        (await s.store.db.selectFrom('audits').select('report').where('id', '=', body.id).executeTakeFirstOrThrow())
          .report,
      );
      const model = await loadPlaceModel(s.store.db);
      const { basis } = await basisForForecast(s.store, model, '2019-06-01');
      const again = groupExposure(basis, stored.reportedOnly.meanAllocation);
      for (const g of [...again.groups, ...again.overlappingGroups]) {
        const x = body.groups.find((y: { group: string }) => y.group === g.group);
        expect(Math.abs(x.ratio - g.ratio!), g.group).toBeLessThan(1e-9);
        expect(x.estimable).toBe(g.estimable);
      }
      // A forecaster that follows citizen reports keeps every estimable group near 1.
      expect(stored.groupExposure.reportedOnly.withinBand).toBe(true);

      // The trade-off curve of a forecast at the same date names the same estimable and small groups.
      const f = await w.call('analyst', 'POST', '/api/forecasts', {
        asOf: '2019-06-01',
        window: '7d',
        cell: '1000ft',
        model: 'counts:365',
      });
      expect(f.statusCode, f.body).toBe(201);
      const curve = (
        await w.call('supervisor', 'GET', `/api/forecasts/${f.json().id}/fairness-tradeoff?budget=10`)
      ).json();
      const estimable = (gs: { id?: string; group?: string; estimable: boolean }[]) =>
        gs
          .filter((g) => g.estimable)
          .map((g) => g.id ?? g.group)
          .sort();
      expect(estimable(body.groups)).toEqual(estimable(curve.groups));
      expect(curve.rule).toEqual(body.city.rule);
      expect(curve.victimizationPeriod).toEqual(body.city.victimizationPeriod);
    }, 240_000);

    it('refuses a layer without a demographics declaration, naming the layer and the field, in Korean too, and stores nothing', async () => {
      const square = {
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { code: 'a1', name: 'one' },
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [-87.7, 41.8],
                  [-87.6, 41.8],
                  [-87.6, 41.9],
                  [-87.7, 41.9],
                  [-87.7, 41.8],
                ],
              ],
            },
          },
        ],
      };
      expect((await w.call('analyst', 'POST', '/api/layers?name=undeclared&kind=areas', square)).statusCode).toBe(201);
      const before = await s.store.db
        .selectFrom('audits')
        .select('id')
        .where('kind', '=', 'forecaster-stress')
        .execute();
      const r = await w.call(
        'oversight',
        'POST',
        `/api/systems/${w.systemId}/versions/1/stress-test`,
        { areasLayer: 'undeclared', days: 60, seeds: [1] },
        { 'accept-language': 'ko' },
      );
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().code).toBe('demographics.noDeclaration');
      expect(r.json().detail).toMatch(/구역 레이어 undeclared에 인구 구성 선언이 없습니다/);
      expect(r.json().errors).toEqual([expect.objectContaining({ field: 'areasLayer', got: 'undeclared' })]);
      const en = await w.call('oversight', 'POST', `/api/systems/${w.systemId}/versions/1/stress-test`, {
        areasLayer: 'undeclared',
        days: 60,
        seeds: [1],
      });
      expect(en.json().detail).toMatch(/area layer undeclared declares no demographics/);
      // Synthetic crime rates make no sense on a real layer: refused, not ignored.
      const rates = await w.call('oversight', 'POST', `/api/systems/${w.systemId}/versions/1/stress-test`, {
        trueRates: [1, 2],
        days: 60,
        seeds: [1],
      });
      expect(rates.statusCode).toBe(400);
      expect(rates.json().code).toBe('stress.trueRatesWithLayer');
      expect(
        await s.store.db.selectFrom('audits').select('id').where('kind', '=', 'forecaster-stress').execute(),
      ).toHaveLength(before.length);
    }, 120_000);
  },
);
