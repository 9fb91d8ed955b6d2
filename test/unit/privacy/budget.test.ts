import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/domain/errors';
import {
  budgetPeriodsOf,
  checkPeriod,
  checkReleaseRequest,
  loadPrivacyPolicy,
  parsePrivacyPolicy,
  type PrivacyPolicy,
} from '../../../src/privacy/budget';
import { alphaOf, releaseTable, seededNoise } from '../../../src/privacy/dp';

const policy: PrivacyPolicy = loadPrivacyPolicy();

function fieldOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e.where[0]?.field;
    throw e;
  }
  return undefined;
}

describe('privacy-budget policy (config/privacy-budget.json)', () => {
  it('ships sensible defaults: a yearly budget per table, at most ε = 1 per release, small cells always suppressed', () => {
    expect(policy).toMatchObject({ budgetPeriod: 'year', maxEpsilonPerTableRelease: 1 });
    expect(policy.epsilonPerTablePerPeriod).toBeLessThanOrEqual(4);
    expect(policy.suppressBelowFloor).toBeGreaterThanOrEqual(5);
  });

  it('attack: a policy that turns suppression off (floor 0, or 1) or allows ε above the period budget is refused', () => {
    for (const floor of [0, 1, 4])
      expect(
        fieldOf(() => parsePrivacyPolicy({ ...policy, suppressBelowFloor: floor, suppressBelowDefault: 10 })),
      ).toBe('suppressBelowFloor');
    expect(
      fieldOf(() => parsePrivacyPolicy({ ...policy, maxEpsilonPerTableRelease: 5, epsilonPerTablePerPeriod: 2 })),
    ).toBe('maxEpsilonPerTableRelease');
    expect(fieldOf(() => parsePrivacyPolicy({ ...policy, minEpsilonPerTableRelease: 0 }))).toBe(
      'minEpsilonPerTableRelease',
    );
  });
});

describe('release requests against the policy', () => {
  it('attack: ε = 10 (near-exact counts) is refused, naming the field and the bound', () => {
    expect(() => checkReleaseRequest({ epsilonPerTable: 10 }, policy)).toThrow(/at most 1 in one release/);
    expect(fieldOf(() => checkReleaseRequest({ epsilonPerTable: 10 }, policy))).toBe('epsilonPerTable');
  });

  it('attack: degenerate ε (5e-324, 0, negative, NaN, ±Infinity, a string) is refused with a field error', () => {
    for (const eps of [5e-324, 0, -0.5, Number.NaN, Infinity, -Infinity, '0.5', null, undefined]) {
      expect(
        fieldOf(() => checkReleaseRequest({ epsilonPerTable: eps }, policy)),
        String(eps),
      ).toBe('epsilonPerTable');
    }
    expect(() => checkReleaseRequest({ epsilonPerTable: 5e-324 }, policy)).toThrow(/at least 0.05/);
    expect(() => checkReleaseRequest({ epsilonPerTable: 0.1234567 }, policy)).toThrow(/6 decimal places/);
    expect(checkReleaseRequest({ epsilonPerTable: 0.2 }, policy).epsilonMicro).toBe(200_000);
  });

  it('attack: a suppression threshold below the floor (0 = publish everything) is refused; the default suppresses below 10', () => {
    for (const sb of [0, 1, 4, 4.5, -3, 1e9])
      expect(
        fieldOf(() => checkReleaseRequest({ epsilonPerTable: 0.5, suppressBelow: sb }, policy)),
        String(sb),
      ).toBe('suppressBelow');
    expect(checkReleaseRequest({ epsilonPerTable: 0.5 }, policy).suppressBelow).toBe(10);
    expect(checkReleaseRequest({ epsilonPerTable: 0.5, suppressBelow: 5 }, policy).suppressBelow).toBe(5);
  });

  it('data periods are months, from ≤ to, and map onto the budget periods they overlap', () => {
    expect(fieldOf(() => checkPeriod({ from: '2018-13', to: '2018-12' }))).toBe('period.from');
    expect(fieldOf(() => checkPeriod({ from: '2018-05', to: '2018-04' }))).toBe('period.to');
    expect(fieldOf(() => checkPeriod({ from: '2018-05' }))).toBe('period.to');
    expect(fieldOf(() => checkPeriod({ from: '0001-01', to: '9999-12' }))).toBe('period.to'); // 10,000 budget rows in one transaction
    expect(checkPeriod({ from: '1980-01', to: '2029-12' })).toEqual({ from: '1980-01', to: '2029-12' });
    expect(budgetPeriodsOf({ from: '2017-11', to: '2019-02' }, 'year')).toEqual(['2017', '2018', '2019']);
    expect(budgetPeriodsOf({ from: '2017-11', to: '2019-02' }, 'quarter')).toEqual([
      '2017-Q4',
      '2018-Q1',
      '2018-Q2',
      '2018-Q3',
      '2018-Q4',
      '2019-Q1',
    ]);
    expect(budgetPeriodsOf({ from: '2018-12', to: '2019-01' }, 'month')).toEqual(['2018-12', '2019-01']);
  });
});

describe('the mechanism refuses degenerate ε itself', () => {
  it('attack: ε = 5e-324 gave α = 1, null counts and a zero margin; now refused with a field error', () => {
    expect(() => alphaOf(5e-324)).toThrow(InputError);
    expect(() => releaseTable('t', [{ key: {}, count: 3 }], { epsilon: 5e-324, rng: seededNoise(1) })).toThrow(
      /degenerate/,
    );
    expect(() => alphaOf(800)).toThrow(/degenerate/); // α underflows to 0: no noise at all
    expect(alphaOf(1e-6)).toBeLessThan(1);
  });
});
