import { describe, expect, it } from 'vitest';
import { feedbackVerdict, simulateUrn } from '../../../src/fairness/feedback-loop';

const seeds = [1, 2, 3, 4, 5, 6, 7, 8];

describe('Ensign et al. correction by sampling (add a discovered incident with probability p_min / p_sent)', () => {
  it('converges to the true share 0.3 / 0.7 over every seed, where the uncorrected urn runs away', () => {
    const corrected = feedbackVerdict({ trueRates: [0.3, 0.7], days: 40_000, correction: 'sample' }, seeds, 0.05);
    expect(corrected.passes).toBe(true);
    expect(corrected.meanError).toBeLessThan(0.03);
    const plain = feedbackVerdict({ trueRates: [0.3, 0.7], days: 40_000 }, seeds, 0.05);
    expect(plain.passes).toBe(false);
  });

  it('three regions: the sampled correction finds 0.2 / 0.3 / 0.5', () => {
    const v = feedbackVerdict(
      { trueRates: [0.2, 0.3, 0.5], days: 60_000, correction: 'sample' },
      seeds.slice(0, 4),
      0.06,
    );
    expect(v.passes).toBe(true);
  });

  it('is deterministic and leaves the weighted correction unchanged', () => {
    expect(simulateUrn({ trueRates: [0.3, 0.7], days: 2000, seed: 3, correction: 'sample' })).toEqual(
      simulateUrn({ trueRates: [0.3, 0.7], days: 2000, seed: 3, correction: 'sample' }),
    );
    expect(simulateUrn({ trueRates: [0.3, 0.7], days: 2000, seed: 3, correction: true })).toEqual(
      simulateUrn({ trueRates: [0.3, 0.7], days: 2000, seed: 3, correction: 'weight' }),
    );
  });
});
