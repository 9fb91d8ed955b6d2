import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/domain/errors';
import { areaDemographics, loadDemographicsDeclaration } from '../../../src/fairness/demographics';
import { exposureBasis } from '../../../src/fairness/exposure';
import { planFairMissions, planUnconstrained } from '../../../src/fairness/fair-missions';
import { aggregatePlans, placeAudit, placeAuditFromPlans, type AreaInput } from '../../../src/fairness/place-audit';
import { seededRandom } from '../../../src/fairness/stats';

/**
 * Toy city, by hand:
 *   area A: 100 residents (X 80, Y 20), exposure  50, victimization 10, hits 3/10
 *   area B: 200 residents (X 100, Y 100), exposure 100, victimization 30, hits 12/30
 *   area C: 100 residents (X 10, Y 90), exposure 150, victimization 60, hits 30/60
 * Exposure per resident in each area: A 0.5, B 0.5, C 1.5.
 */
const toy: AreaInput[] = [
  { area: 'A', population: 100, residents: { X: 80, Y: 20 }, exposure: 50, victimization: 10, hits: 3, trials: 10 },
  { area: 'B', population: 200, residents: { X: 100, Y: 100 }, exposure: 100, victimization: 30, hits: 12, trials: 30 },
  { area: 'C', population: 100, residents: { X: 10, Y: 90 }, exposure: 150, victimization: 60, hits: 30, trials: 60 },
];

describe('place-based audit on a 3-area toy table (hand-computed)', () => {
  const r = placeAudit(toy, { rule: { minResidents: 10, minVictimization: 10 }, minTrials: 10 });
  const g = (name: string) => r.groups.find((x) => x.group === name)!;

  it('exposure per resident by group, population-weighted', () => {
    // X: 80·0.5 + 100·0.5 + 10·1.5 = 105 over 190 residents = 0.552632; Y: 10 + 50 + 135 = 195 over 210 = 0.928571.
    expect(g('X').exposure).toBeCloseTo(105, 12);
    expect(g('Y').exposure).toBeCloseTo(195, 12);
    expect(g('X').exposurePerResident).toBeCloseTo(105 / 190, 12);
    expect(g('Y').exposurePerResident).toBeCloseTo(195 / 210, 12);
    // Reference "all residents": 300 / 400 = 0.75 → X 0.7368 (fail, < 0.8), Y 1.2381 (pass, ≤ 1.25 … but see victimization).
    expect(g('X').ratioToReference).toBeCloseTo(105 / 190 / 0.75, 12);
    expect(g('Y').ratioToReference).toBeCloseTo(195 / 210 / 0.75, 12);
    expect(r.exposureDisparity).toEqual({ max: 'Y', min: 'X', ratio: 195 / 210 / (105 / 190) }); // 1.6803
    // The verdict's yardstick is victimization (below): X 1.2069, Y 0.9155 → both pass. Without victimization
    // the yardstick is the share of residents, i.e. the ratio to all residents: X 0.7368 fails.
    expect(g('X').verdict).toBe('pass');
    expect(g('Y').verdict).toBe('pass');
    const byPopulation = placeAudit(
      toy.map(({ victimization: _v, ...a }) => a),
      { minResidents: 10 },
    );
    expect(byPopulation.exposureModel.yardstick).toBe('population');
    expect(byPopulation.groups.find((x) => x.group === 'X')!.verdict).toBe('fail');
    expect(byPopulation.groups.find((x) => x.group === 'X')!.reason).toMatch(/0\.737× its share of residents/);
    expect(r.exposureModel.rule).toEqual({ minResidents: 10, minVictimization: 10 });
    // The default small-group rule is the planner's: X's 29 attributed incidents are fewer than 30, so no verdict.
    const strict = placeAudit(toy, { minResidents: 10 });
    expect(strict.groups.find((x) => x.group === 'X')!.verdict).toBe('insufficient-data');
    expect(strict.warnings.join('\n')).toMatch(/X: small group: 29\.0 citizen-reported incidents attributed \(< 30\)/);
  });

  it('exposure relative to the share of citizen-reported victimization, and share gaps', () => {
    // Victimization attributed: X 10·0.8 + 30·0.5 + 60·0.1 = 29, Y 2 + 15 + 54 = 71 (of 100).
    expect(g('X').victimizationShare).toBeCloseTo(0.29, 12);
    expect(g('Y').victimizationShare).toBeCloseTo(0.71, 12);
    // Exposure shares: X 105/300 = 0.35, Y 0.65; population shares X 190/400 = 0.475, Y 0.525.
    expect(g('X').exposureShare).toBeCloseTo(0.35, 12);
    expect(g('X').exposureToVictimization).toBeCloseTo(0.35 / 0.29, 12); // 1.2069
    expect(g('Y').exposureToVictimization).toBeCloseTo(0.65 / 0.71, 12); // 0.9155
    expect(g('X').gapToPopulation).toBeCloseTo(-0.125, 12);
    expect(g('Y').gapToPopulation).toBeCloseTo(0.125, 12);
    expect(g('X').gapToVictimization).toBeCloseTo(0.06, 12);
    expect(g('Y').gapToVictimization).toBeCloseTo(-0.06, 12);
  });

  it('concentration and hit-rate parity', () => {
    // Gini of [50, 100, 150]: 2·(50 + 200 + 450)/(3·300) − 4/3 = 0.2222.
    expect(r.concentration.giniAcrossAreas).toBeCloseTo(2 / 9, 12);
    // Per resident [0.5, 0.5, 1.5] weighted by [100, 200, 100]: 1 − 90000/(400·300) = 0.25.
    expect(r.concentration.giniPerResidentWeighted).toBeCloseTo(0.25, 12);
    expect(r.hitRates!.parity!.highest).toBe('C');
    expect(r.hitRates!.parity!.lowest).toBe('A');
    expect(r.hitRates!.parity!.ratio).toBeCloseTo(0.5 / 0.3, 12);
    expect(r.hitRates!.overall).toBeCloseTo(45 / 100, 12);
    // Group hit rates, population-weighted: X (80·0.3 + 100·0.4 + 10·0.5)/190 = 69/190; Y 91/210.
    expect(g('X').hitRate).toBeCloseTo(69 / 190, 12);
    expect(g('Y').hitRate).toBeCloseTo(91 / 210, 12);
  });

  it('a named reference, unattributed exposure and bad input', () => {
    const named = placeAudit(toy, { reference: 'X', minResidents: 10 });
    expect(named.groups.find((x) => x.group === 'Y')!.ratioToReference).toBeCloseTo(195 / 210 / (105 / 190), 12);
    const empty = placeAudit([...toy, { area: 'park', population: 0, residents: {}, exposure: 30 }], {
      minResidents: 10,
    });
    expect(empty.unattributedExposure).toBe(30);
    expect(empty.warnings.join('\n')).toMatch(/30 of 330 exposure .* not attributed/);
    try {
      placeAudit([{ ...toy[0], exposure: -1 }]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).where[0]).toMatchObject({ row: 1, field: 'areas[0].exposure' });
    }
    expect(() => placeAudit(toy, { reference: 'Z' })).toThrow(/reference group "Z"/);
  });
});

describe('plans → cells → areas', () => {
  it('concentration of daily plans, by hand', () => {
    // 4 cells; plans {0,1}, {0,1}, {0,2}: selections 6, counts [3,2,1,0].
    const a = aggregatePlans([{ cells: [0, 1] }, { cells: [0, 1] }, { cells: [0, 2], dosage: [10, 5] }], 4);
    expect(Array.from(a.selectionsByCell)).toEqual([3, 2, 1, 0]);
    expect(Array.from(a.exposureByCell)).toEqual([12, 2, 5, 0]);
    // Consecutive Jaccard: {0,1}/{0,1} = 1; {0,1}/{0,2} = 1/3; mean 2/3.
    expect(a.concentration.meanConsecutiveOverlap).toBeCloseTo(2 / 3, 12);
    expect(a.concentration.chosenEveryPlan).toBe(1);
    expect(a.concentration.chosenHalfOrMore).toBe(2);
    expect(a.concentration.distinctCellsChosen).toBe(3);
    // Gini of [3,2,1,0] → sorted [0,1,2,3]: 2·(0 + 2 + 6 + 12)/(4·6) − 5/4 = 0.41667.
    expect(a.concentration.giniOfSelections).toBeCloseTo((2 * 20) / 24 - 5 / 4, 12);
    expect(() => aggregatePlans([{ cells: [4] }], 4)).toThrow(/cell 4 is out of range/);
  });

  it('the same toy city from plans gives the same audit', () => {
    // Cells 0,1 → A, 2 → B, 3 → C; dosage chosen so areas get 50, 100, 150.
    const r = placeAuditFromPlans(
      {
        plans: [
          { cells: [0, 2, 3], dosage: [25, 50, 75] },
          { cells: [1, 2, 3], dosage: [25, 50, 75] },
        ],
        cellCount: 4,
        cellArea: [0, 0, 1, 2],
        areas: toy.map(({ area, population, residents }) => ({ area, population, residents })),
        victimization: [10, 30, 60],
      },
      { minResidents: 10 },
    );
    expect(r.groups.find((x) => x.group === 'Y')!.exposurePerResident).toBeCloseTo(195 / 210, 12);
    expect(r.cells.meanConsecutiveOverlap).toBeCloseTo(0.5, 12); // {0,2,3} vs {1,2,3}: 2/4
  });
});

describe('Chicago community areas (real 2014 demographics)', () => {
  const declaration = loadDemographicsDeclaration('chicago-community-areas-2014');
  const groups = declaration.groups.map((g) => ({ id: g.id, label: g.label, overlapsOthers: g.overlapsOthers }));
  const areas = areaDemographics(
    (
      JSON.parse(readFileSync('test/fixtures/chicago-areas/community-areas-demographics.json', 'utf8')) as Record<
        string,
        unknown
      >[]
    ).map((p) => ({ properties: p })),
    declaration,
  );

  it('reads 77 areas; exposure proportional to population passes for every group', () => {
    expect(areas).toHaveLength(77);
    expect(areas.reduce((s, a) => s + a.population, 0)).toBe(2733835);
    const r = placeAudit(
      areas.map((a) => ({ ...a, exposure: a.population * 0.01 })),
      { groups },
    );
    expect(r.groupsOverlap).toBe(true); // Hispanic of any race, declared so
    expect(r.overlappingGroups).toEqual(['hispanic']);
    expect(r.groups.at(-1)!.group).toBe('hispanic');
    for (const g of r.groups) expect(g.ratioToReference!).toBeCloseTo(1, 9);
    expect(r.groups.filter((g) => g.verdict === 'fail')).toEqual([]);
  });

  it('patrols concentrated where Black residents live show up as a disparity', () => {
    const r = placeAudit(
      areas.map((a) => ({ ...a, exposure: a.residents.black })),
      { groups },
    );
    const black = r.groups.find((g) => g.group === 'black')!;
    const white = r.groups.find((g) => g.group === 'white')!;
    expect(black.ratioToReference!).toBeGreaterThan(1.5);
    expect(white.ratioToReference!).toBeLessThan(0.8);
    expect(black.verdict).toBe('fail');
  });
});

describe('planner and audit agree: one exposure model', () => {
  it('on real Chicago demographics, the audit of every plan the planner makes repeats its ratios and verdicts', () => {
    const declaration = loadDemographicsDeclaration('chicago-community-areas-2014');
    const groups = declaration.groups.map((g) => ({ id: g.id, label: g.label, overlapsOthers: g.overlapsOthers }));
    const areas = areaDemographics(
      (
        JSON.parse(readFileSync('test/fixtures/chicago-areas/community-areas-demographics.json', 'utf8')) as Record<
          string,
          unknown
        >[]
      ).map((p) => ({ properties: p })),
      declaration,
    );
    const rnd = seededRandom(3);
    // Victimization: residents ÷ 100, more where more Black residents live (as reported crime often is).
    const victimization = areas.map((a) =>
      Math.round((a.population / 100) * (0.5 + (2 * a.residents.black) / Math.max(1, a.population))),
    );
    const basis = exposureBasis({ areas, groups, victimization });
    const n = 220;
    const cellArea = Array.from({ length: n }, () => Math.floor(rnd() * areas.length));
    const risk = cellArea.map((a) => rnd() * (0.3 + victimization[a] / 300));
    for (const budget of [20, 40]) {
      for (const plan of [
        planUnconstrained({ risk, cellArea, basis, budget }),
        planFairMissions({ risk, cellArea, basis, budget }, 1.25),
      ]) {
        const audit = placeAuditFromPlans(
          { plans: [{ cells: plan.cells }], cellCount: n, cellArea, areas, victimization },
          { groups },
        );
        for (const g of [...plan.exposure.groups, ...plan.exposure.overlappingGroups]) {
          const a = audit.groups.find((x) => x.group === g.group)!;
          expect(a.exposureToVictimization).toBeCloseTo(g.ratio!, 12);
          expect(a.verdict).toBe(g.verdict);
        }
        expect(audit.exposureModel.withinBand).toBe(plan.feasible);
      }
      const fair = planFairMissions({ risk, cellArea, basis, budget }, 1.25);
      expect(fair.feasible).toBe(true);
      expect(fair.expectedHitsKept).toBeLessThanOrEqual(1);
    }
  });
});
