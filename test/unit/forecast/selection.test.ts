/**
 * `auto`'s choice among many candidates (robustChoice) is not fooled by noise: with m challengers that
 * are no better than the reference, one of them replaces it in at most about 5% of trials (each is
 * tested at 1 − 0.05/m); a challenger that is really better still wins.
 */
import { describe, expect, it } from 'vitest';
import { robustChoice } from '../../../src/forecast/backtest';
import { pairedComparison } from '../../../src/forecast/evaluation';
import { prng } from '../../../src/forecast/random';

/** Rows of `candidates` scored on `origins` origins: PAI-like noise (a shared origin effect + own noise), plus `lift[i]`. */
function rows(seed: number, candidates: number, origins: number, lift: number[] = []) {
  const rnd = prng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const out: { model: string; origin: string; value: number }[] = [];
  for (let o = 0; o < origins; o++) {
    const shared = 20 + 8 * normal();
    for (let i = 0; i < candidates; i++)
      out.push({ model: `m${i}`, origin: `o${o}`, value: Math.max(0, shared + 6 * normal() + (lift[i] ?? 0)) });
  }
  return out;
}

describe('robustChoice among many candidates', () => {
  const labels = Array.from({ length: 12 }, (_, i) => `m${i}`);

  it('keeps the reference when no challenger is better: switches in ≤ 10% of 100 trials (95% per challenger: over 15%)', () => {
    let switched = 0,
      naive = 0;
    for (let trial = 0; trial < 100; trial++) {
      const r = rows(1000 + trial, labels.length, 20);
      if (robustChoice(r, labels, trial).chosen !== 0) switched++;
      // the same challengers each tested at 95%, without the family-wise level: what the rule guards against
      const by = labels.map((m) => new Map(r.filter((x) => x.model === m).map((x) => [x.origin, x.value])));
      if (labels.slice(1).some((_, i) => pairedComparison(by[i + 1], by[0], trial * 31 + i).lo > 0)) naive++;
    }
    // measured: 7 / 100 switched with the family-wise level, 25 / 100 with 95% each
    expect(switched / 100).toBeLessThanOrEqual(0.1);
    expect(naive / 100).toBeGreaterThan(0.15);
  });

  it('still picks a challenger that is really better, and says at which level', () => {
    const lift = labels.map((_, i) => (i === 7 ? 8 : 0));
    const c = robustChoice(rows(7, labels.length, 25, lift), labels, 3);
    expect(labels[c.chosen]).toBe('m7');
    expect(c.reason).toMatch(/^m7: paired advantage over m0 .*\(99\.55% interval/);
    // the table still reports 95% intervals, and m7's is above zero
    expect(c.table[7].vsReference.ci95[0]).toBeGreaterThan(0);
  });
});
