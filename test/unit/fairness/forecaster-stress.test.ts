import { describe, expect, it } from 'vitest';
import { exposureBasis } from '../../../src/fairness/exposure';
import {
  layerCity,
  recentCountsModel,
  stressTestForecaster,
  topRegionModel,
} from '../../../src/fairness/forecaster-stress';
import { MESSAGES, render, storedMessage, type Message } from '../../../src/domain/messages';

const en = (reasons: Message[]) => reasons.map((r) => render(r, 'en')).join('\n');

const city = { trueRates: [3, 7], reportingProb: 0.3, discoveryPerShare: 0.6 };

describe('feedback-loop stress test on a forecaster (synthetic city)', () => {
  it('a count forecaster trained on citizen reports only follows the true crime share; trained on discovered incidents it drifts', () => {
    const v = stressTestForecaster(recentCountsModel(), city, { days: 365, seeds: [1, 2, 3, 4, 5], tolerance: 0.05 });
    expect(v.trueShares).toEqual([0.3, 0.7]);
    expect(v.reportedOnly.maxDistance).toBeLessThan(0.05);
    expect(v.passes).toBe(true);
    // Fixed point with discovered incidents, by hand: recorded_r ∝ λ_r (0.3 + 0.7·0.6·2·s_r);
    // s = 3(0.3 + 0.84 s) / (3(0.3 + 0.84 s) + 7(0.3 + 0.84 (1 − s))) solves to s ≈ 0.15 (not 0.3).
    expect(v.withDiscovered.meanAllocation[0]).toBeGreaterThan(0.12);
    expect(v.withDiscovered.meanAllocation[0]).toBeLessThan(0.2);
    expect(v.runawayWhenDiscovered).toBe(true);
    expect(v.amplification).toBeGreaterThan(0.08);
    expect(render(v.reasons[1], 'en')).toMatch(/feeds on its own patrols/);
  });

  it('deployed on discovered incidents, the same model fails the gate', () => {
    const v = stressTestForecaster(recentCountsModel(), city, {
      days: 365,
      seeds: [1, 2, 3],
      tolerance: 0.05,
      deployedWith: 'reported+discovered',
    });
    expect(v.passes).toBe(false);
  });

  it('a winner-takes-all hotspot plan cannot match the crime share whatever it learns from', () => {
    const v = stressTestForecaster(topRegionModel(1), city, { days: 200, seeds: [1, 2], tolerance: 0.1 });
    expect(v.reportedOnly.meanAllocation).toEqual([0, 1]);
    expect(v.reportedOnly.maxDistance).toBeCloseTo(0.3, 12);
    expect(v.passes).toBe(false);
  });

  it('is deterministic for the same seeds and rejects a model that returns the wrong shape', () => {
    const a = stressTestForecaster(recentCountsModel(56), city, { days: 120, seeds: [7] });
    const b = stressTestForecaster(recentCountsModel(56), city, { days: 120, seeds: [7] });
    expect(a).toEqual(b);
    expect(() => stressTestForecaster(() => [1], city, { days: 10, seeds: [1] })).toThrow(
      /returned 1 values for 2 regions/,
    );
    expect(() => stressTestForecaster(() => [1, Number.NaN], city, { days: 10, seeds: [1] })).toThrow(
      /returned NaN for region 1/,
    );
  });

  it('with the one exposure model, judges each arm as the planner and the audit would: the runaway arm under-protects one group', () => {
    // Region 0: 1,000 X residents; region 1: 1,000 Y residents. A year of citizen reports, 300 vs 700: X's share 0.3, Y's 0.7.
    const areas = [
      { area: 'r0', population: 1000, residents: { X: 1000, Y: 0 } },
      { area: 'r1', population: 1000, residents: { X: 0, Y: 1000 } },
    ];
    const basis = exposureBasis({ areas, victimization: [300, 700], period: { from: '2018-01-01', to: '2019-01-01' } });
    const c = layerCity(basis, [300, 700], { reportsPerDay: 3 });
    expect(c.trueRates).toEqual([3, 7].map((x) => (x * 0.3) / 0.3));
    const v = stressTestForecaster(
      recentCountsModel(),
      { ...c, discoveryPerShare: 0.6 },
      { days: 365, seeds: [1, 2, 3], tolerance: 0.05 },
    );
    const rep = v.groupExposure!.reportedOnly,
      disc = v.groupExposure!.withDiscovered;
    // Reported only: allocation ≈ true share, so each group's ratio ≈ 1 (allocation share ÷ 0.3 and ÷ 0.7).
    expect(rep.groups.find((g) => g.group === 'X')!.ratio!).toBeCloseTo(v.reportedOnly.meanAllocation[0] / 0.3, 9);
    expect(rep.withinBand).toBe(true);
    expect(rep.rule).toEqual({ minResidents: 1000, minVictimization: 30 });
    expect(v.passes).toBe(true);
    // With discovered incidents X's allocation falls to ≈ 0.15 (see above): 0.15 / 0.3 ≈ 0.5, under-protected.
    expect(disc.withinBand).toBe(false);
    expect(disc.groups.find((g) => g.group === 'X')!.ratio!).toBeLessThan(0.8);
    expect(en(v.reasons)).toMatch(/discovered incidents puts groups outside the band: X 0\.\d+/);
    // Deployed on discovered incidents, the band decides too.
    expect(
      stressTestForecaster(
        recentCountsModel(),
        { ...c, discoveryPerShare: 0.6 },
        { days: 365, seeds: [1], tolerance: 0.5, deployedWith: 'reported+discovered' },
      ).passes,
    ).toBe(false);
    expect(() =>
      stressTestForecaster(
        recentCountsModel(),
        { trueRates: [1, 2, 3], exposure: { basis } },
        { days: 10, seeds: [1] },
      ),
    ).toThrow(/3 regions but the exposure model has 2 areas/);
  });

  it("a small group gets no verdict and does not fail the test (the planner's small-group rule)", () => {
    const areas = [
      { area: 'r0', population: 1000, residents: { X: 1000, Y: 0 } },
      { area: 'r1', population: 1000, residents: { X: 0, Y: 1000 } },
    ];
    const basis = exposureBasis({ areas, victimization: [20, 700] });
    const v = stressTestForecaster(topRegionModel(1), layerCity(basis, [20, 700], { reportsPerDay: 3 }), {
      days: 60,
      seeds: [1],
      tolerance: 0.1,
    });
    const x = v.groupExposure!.reportedOnly.groups.find((g) => g.group === 'X')!;
    expect(x.estimable).toBe(false);
    expect(x.verdict).toBe('insufficient-data');
    expect(v.groupExposure!.reportedOnly.withinBand).toBe(true);
    expect(en(v.reasons)).toMatch(/no verdict for X/);
  });

  it('a failing stress test gives its reasons as messages: in Korean they have Hangul and no English sentence', () => {
    const v = stressTestForecaster(recentCountsModel(), city, {
      days: 365,
      seeds: [1, 2, 3],
      tolerance: 0.05,
      deployedWith: 'reported+discovered',
    });
    expect(v.passes).toBe(false);
    expect(v.reasons.map((r) => r.code)).toEqual(['stress.withinDiscovered', 'stress.runaway']);
    // Every English sentence a stress test can give, by its distinctive words.
    const english = Object.entries(MESSAGES)
      .filter(([k]) => k.startsWith('stress.'))
      .map(([, m]) => m.en.split('{{')[0].trim())
      .filter((t) => t.length > 10);
    expect(english.length).toBeGreaterThanOrEqual(9);
    for (const r of v.reasons) {
      const ko = render(r, 'ko');
      expect(ko).toMatch(/[\uac00-\ud7a3]/);
      expect(ko).not.toMatch(/[A-Za-z]{4,}/); // numbers, but no English words
      for (const e of english) expect(ko).not.toContain(e);
    }
    // The runaway reason names the drift in both languages.
    expect(render(v.reasons[1], 'ko')).toContain(v.withDiscovered.maxDistance.toFixed(3));
  });

  it('a reason stored as an English sentence by an older version is still shown, marked as original text in Korean', () => {
    const old = 'learning from discovered incidents drifts to 0.180 from the truth: the model feeds on its own patrols';
    expect(render(storedMessage(old), 'en')).toBe(old);
    expect(render(storedMessage(old), 'ko')).toBe(`${old}(원문)`);
    const coded = { code: 'stress.runaway', params: { distance: '0.180' } };
    expect(render(storedMessage(coded), 'ko')).toMatch(/^순찰 중 발견한 사건으로 학습하면 실제와의 차이가 0\.180까지/);
  });
});
