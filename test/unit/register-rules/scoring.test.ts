import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/domain/errors';
import { activationGate, HUMAN_RIGHTS_V1, missingFields, score, scoreAssessment, type Questionnaire } from '../../../src/registry/service-rules';
import type { GateInput, VersionRow } from '../../../src/registry/service';
import { completeRecord, maximalAnswers, minimalAnswers } from '../../support/register-fixtures';

const o = (value: string, weight: number) => ({ value, weight, text: { en: value, ko: value } });
/** Hand-made: raw max 4 + 4 + 2 = 10; mitigation max 5 + 5 = 10. */
const TOY: Questionnaire = {
  id: 'toy', title: { en: 'toy', ko: 'toy' },
  sections: [{ id: 's', title: { en: 's', ko: 's' }, questions: [
    { id: 'r1', kind: 'RS', text: { en: '', ko: '' }, options: [o('a', 0), o('b', 2), o('c', 4)] },
    { id: 'r2', kind: 'RS', multiple: true, text: { en: '', ko: '' }, options: [o('x', 1), o('y', 3)] },
    { id: 'r3', kind: 'RS', text: { en: '', ko: '' }, options: [o('no', 0), o('yes', 2)] },
    { id: 'm1', kind: 'MS', text: { en: '', ko: '' }, options: [o('no', 0), o('part', 3), o('yes', 5)] },
    { id: 'm2', kind: 'MS', text: { en: '', ko: '' }, options: [o('no', 0), o('yes', 5)] },
    { id: 'n1', kind: 'NS', text: { en: '', ko: '' }, options: [o('any', 9)] },
  ] }],
};

describe('impact assessment scoring (Canadian AIA rule)', () => {
  it('maximum answers → level IV; minimum → level I', () => {
    const max = score(TOY, { r1: 'c', r2: ['x', 'y'], r3: 'yes', m1: 'no', m2: 'no' });
    expect(max).toMatchObject({ raw: 10, rawMax: 10, adjusted: 10, percent: 100, level: 4 });
    const min = score(TOY, { r1: 'a', r2: [], r3: 'no', m1: 'yes', m2: 'yes' });
    expect(min).toMatchObject({ raw: 0, level: 1 });
  });

  it('cuts the raw score by 15% exactly when mitigation reaches 80% of its maximum', () => {
    // raw = 2 + 3 + 2 = 7 of 10 → 70% → level III without the cut.
    const at79 = score(TOY, { r1: 'b', r2: ['y'], r3: 'yes', m1: 'part', m2: 'yes' }); // mitigation 8/10 = 80%
    expect(at79.mitigation).toBe(8);
    expect(at79.adjusted).toBeCloseTo(5.95, 10); // 7 × 0.85
    expect(at79.level).toBe(3); // 59.5% → III
    const below = score(TOY, { r1: 'b', r2: ['y'], r3: 'yes', m1: 'no', m2: 'yes' }); // 5/10 = 50%
    expect(below.adjusted).toBe(7);
    // The cut can change the level: raw 8 (80% → IV) becomes 6.8 (68% → III).
    const edge = score(TOY, { r1: 'c', r2: ['x', 'y'], r3: 'no', m1: 'part', m2: 'yes' });
    expect(edge.raw).toBe(8);
    expect(edge.level).toBe(3);
    expect(score(TOY, { r1: 'c', r2: ['x', 'y'], r3: 'no', m1: 'no', m2: 'no' }).level).toBe(4);
  });

  it('level boundaries: 25% is I, just above is II; 50% II; 75% III', () => {
    const lvl = (raw: number) => (raw / 10 <= 0.25 ? 1 : raw / 10 <= 0.5 ? 2 : raw / 10 <= 0.75 ? 3 : 4);
    expect(score(TOY, { r1: 'b', r2: [], r3: 'no', m1: 'no', m2: 'no' }).level).toBe(lvl(2)); // 20% → I
    expect(score(TOY, { r1: 'b', r2: ['x'], r3: 'no', m1: 'no', m2: 'no' }).level).toBe(2); // 30%
    expect(score(TOY, { r1: 'b', r2: ['y'], r3: 'no', m1: 'no', m2: 'no' }).level).toBe(2); // 50%
  });

  it('our human-rights questionnaire: maximal impact → IV, minimal → I; person-level scoring floors at III', () => {
    expect(scoreAssessment(HUMAN_RIGHTS_V1.id, maximalAnswers(), {}).level).toBe(4);
    expect(scoreAssessment(HUMAN_RIGHTS_V1.id, minimalAnswers(), {}).level).toBe(1);
    const floored = scoreAssessment(HUMAN_RIGHTS_V1.id, minimalAnswers(), { personLevelRiskScoring: true });
    expect(floored.level).toBe(3);
    expect(floored.result.floorReason).toMatch(/person-level/);
  });

  it('refuses unknown questions, wrong answers and missing answers, naming the field', () => {
    expect(() => score(TOY, { zz: 'a' })).toThrow(InputError);
    expect(() => score(TOY, { r1: 'nope' })).toThrow(/not an answer to r1/);
    expect(() => score(TOY, { r1: ['a', 'b'] })).toThrow(/one answer/);
    expect(() => scoreAssessment(HUMAN_RIGHTS_V1.id, {}, {})).toThrow(/unanswered/);
  });

  it('property: the level is monotone in the raw score and the adjusted score never exceeds it', () => {
    const pick = (q: (typeof TOY.sections)[0]['questions'][number]) => fc.constantFrom(...q.options.map((x) => x.value));
    const answers = fc.record({ r1: pick(TOY.sections[0].questions[0]), r2: fc.subarray(['x', 'y']), r3: pick(TOY.sections[0].questions[2]), m1: pick(TOY.sections[0].questions[3]), m2: pick(TOY.sections[0].questions[4]) });
    fc.assert(fc.property(answers, answers, (a, b) => {
      const sa = score(TOY, a);
      const sb = score(TOY, b);
      expect(sa.adjusted).toBeLessThanOrEqual(sa.raw);
      if (sa.adjusted < sb.adjusted) expect(sa.level).toBeLessThanOrEqual(sb.level);
    }));
  });
});

describe('activation gate', () => {
  const version = (record: Record<string, unknown>): VersionRow => ({ systemId: 'sys-000000000001', name: 'x', ownerId: 'owner', version: 1, state: 'approved', record, consultationEndsAt: null, updatedAt: '' });
  const base = (over: Partial<GateInput> = {}): GateInput => ({
    version: version(completeRecord()), assessment: { status: 'approved', level: 1, decidedBy: 'board' }, hasModelCard: true, evidence: [], latestAudit: null, authorisations: [], sourceChecks: [], now: '2026-06-01T00:00:00Z', ...over,
  });

  it('passes a complete level-I system and lists everything a bare one lacks', () => {
    expect(activationGate(base()).problems).toEqual([]);
    const bare = activationGate(base({ version: version({}), assessment: null, hasModelCard: false }));
    expect(bare.problems.join('\n')).toMatch(/incomplete: purpose, intendedUse/);
    expect(bare.problems.join('\n')).toMatch(/no impact assessment/);
    expect(bare.problems.join('\n')).toMatch(/no model card/);
    expect(missingFields(completeRecord())).toEqual([]);
  });

  it('refuses an assessment approved by the owner, missing controls, and stale or failed audits at level III+', () => {
    expect(activationGate(base({ assessment: { status: 'approved', level: 1, decidedBy: 'owner' } })).problems.join()).toMatch(/separation of duties/);
    const l3 = base({ assessment: { status: 'approved', level: 3, decidedBy: 'board' } });
    expect(activationGate(l3).problems.join()).toMatch(/human-decides-every-case/);
    const evidence = activationGate(l3).requiredControls.map((c) => c.id);
    expect(evidence).toEqual(['plain-language-notice', 'individual-explanations', 'human-decides-every-case', 'recurring-reviewer-training', 'bias-audit-90-days']);
    expect(activationGate({ ...l3, evidence }).problems).toEqual(['a bias audit is required at this level and none has been run']);
    expect(activationGate({ ...l3, evidence, latestAudit: { passed: false, runAt: '2026-05-30T00:00:00Z' } }).problems).toEqual(['the latest bias audit failed']);
    expect(activationGate({ ...l3, evidence, latestAudit: { passed: true, runAt: '2026-02-01T00:00:00Z' } }).problems[0]).toMatch(/older than 90 days/);
    expect(activationGate({ ...l3, evidence, latestAudit: { passed: true, runAt: '2026-05-01T00:00:00Z' } }).problems).toEqual([]);
  });

  it('hard legal gates: profiling-only prediction is refused; biometric identification needs a current authorisation', () => {
    expect(activationGate(base({ version: version({ ...completeRecord(), profilingOnly: true }) })).problems.join()).toMatch(/prohibited/);
    const bio = version({ ...completeRecord(), realTimeRemoteBiometricId: true });
    expect(activationGate(base({ version: bio })).problems.join()).toMatch(/authorisation/);
    expect(activationGate(base({ version: bio, authorisations: [{ expiresAt: '2026-01-01T00:00:00Z' }] })).problems.join()).toMatch(/authorisation/);
    expect(activationGate(base({ version: bio, authorisations: [{ expiresAt: '2027-01-01T00:00:00Z' }] })).problems).toEqual([]);
  });
});
