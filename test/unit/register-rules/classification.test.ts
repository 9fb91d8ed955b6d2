import { describe, expect, it } from 'vitest';
import { classify } from '../../../src/registry/legal-classification';

describe('legal classification with reasons', () => {
  it('profiling-only individual crime prediction is prohibited under art. 5(1)(d) and high-impact in Korea', () => {
    const c = classify({ profilingOnly: true });
    expect(c.euAiAct.category).toBe('prohibited');
    expect(c.euAiAct.basis[0]).toMatchObject({ provision: 'art. 5(1)(d)' });
    expect(c.korea.highImpact).toBe(true);
  });
  it('real-time remote biometric identification is prohibited unless authorised, and also Annex III 1(a)', () => {
    const c = classify({ realTimeRemoteBiometricId: true });
    expect(c.euAiAct.category).toBe('prohibited-unless-authorised');
    expect(c.euAiAct.basis.map((b) => b.provision)).toEqual(['art. 5(1)(h), 5(2)–(3)', 'Annex III 1(a)']);
    expect(c.korea.basis[0].reason).toMatch(/biometric/);
  });
  it('person-level risk scoring (not solely profiling) is high-risk under Annex III 6(d)', () => {
    const c = classify({ personLevelRiskScoring: true });
    expect(c.euAiAct).toMatchObject({ category: 'high-risk', basis: [{ provision: 'Annex III 6(d)' }] });
  });
  it('place-based patrol guidance is not in Annex III, and says why; Korea treated as high-impact by policy', () => {
    const c = classify({ placeBasedForecasting: true });
    expect(c.euAiAct.category).toBe('other');
    expect(c.euAiAct.basis[0].reason).toMatch(/areas, not people/);
    expect(c.korea.highImpact).toBe(true);
  });
  it('a record claiming nothing is "other" and says no listed use is claimed', () => {
    const c = classify({});
    expect(c.euAiAct.category).toBe('other');
    expect(c.korea.highImpact).toBe(false);
    expect(c.korea.basis[0].reason).toMatch(/no listed/);
  });
});
