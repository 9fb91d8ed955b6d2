import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/domain/errors';
import { activationGate, assess, getQuestionnaire, missingFields } from '../../../src/registry/service-rules';
import { HUMAN_RIGHTS_V1 } from '../../../src/registry/assessment/human-rights';
import type { GateInput, VersionRow } from '../../../src/registry/register';
import { completeRecord, maximalAnswers, minimalAnswers } from '../../support/register-fixtures';

describe('assessments on the tool-exact engine', () => {
  it('our human-rights questionnaire: maximal impact → IV, minimal → I; person-level scoring floors at III', () => {
    expect(assess(HUMAN_RIGHTS_V1, maximalAnswers(), {}).level).toBe(4);
    expect(assess(HUMAN_RIGHTS_V1, minimalAnswers(), {}).level).toBe(1);
    const floored = assess(HUMAN_RIGHTS_V1, minimalAnswers(), { personLevelRiskScoring: true });
    expect(floored.level).toBe(3);
    expect(floored.result.level).toBe(1); // the score itself is unchanged; the floor is recorded beside it
    expect(floored.result.floorReason).toMatch(/person-level/);
  });

  it('refuses unanswered required questions and unknown questionnaires, naming the field', () => {
    expect(() => assess(HUMAN_RIGHTS_V1, {}, {})).toThrow(/unanswered/);
    try {
      assess(HUMAN_RIGHTS_V1, {}, {});
    } catch (e) {
      expect((e as InputError).where.map((w) => w.field)).toContain('answers.privacy-non-suspects');
    }
    expect(() => getQuestionnaire('nope')).toThrow(/unknown questionnaire nope/);
  });
});

describe('activation gate', () => {
  const version = (record: Record<string, unknown>): VersionRow => ({
    systemId: 'sys-000000000001',
    name: 'x',
    ownerId: 'owner',
    version: 1,
    state: 'approved',
    record,
    consultationEndsAt: null,
    updatedAt: '',
  });
  const base = (over: Partial<GateInput> = {}): GateInput => ({
    version: version(completeRecord()),
    assessment: { status: 'approved', level: 1, decidedBy: 'board' },
    hasModelCard: true,
    evidence: [],
    latestAudit: null,
    authorisations: [],
    sourceChecks: [],
    classification: { confirmed: true, answers: {} },
    now: '2026-06-01T00:00:00Z',
    ...over,
  });

  it('passes a complete level-I system and lists everything a bare one lacks', () => {
    expect(activationGate(base()).problems).toEqual([]);
    const bare = activationGate(base({ version: version({}), assessment: null, hasModelCard: false }));
    expect(bare.problems.join('\n')).toMatch(/incomplete: purpose, intendedUse/);
    expect(bare.problems.join('\n')).toMatch(/no impact assessment/);
    expect(bare.problems.join('\n')).toMatch(/no model card/);
    expect(missingFields(completeRecord())).toEqual([]);
  });

  it('refuses a version whose legal classification oversight has not confirmed', () => {
    expect(activationGate(base({ classification: { confirmed: false, answers: {} } })).problems).toEqual([
      'the legal classification has not been confirmed by oversight for this record',
    ]);
  });

  it('a prohibited practice found from the answers (not only record flags) blocks activation', () => {
    const answers = {
      'risk-score.scoresIndividuals': true,
      'risk-score.solelyProfiling': true,
      'risk-score.profilesInInvestigation': false,
    };
    const record = { ...completeRecord(), outputSchema: { kinds: ['risk-score'], fields: { risk: 'number' } } };
    expect(
      activationGate(base({ version: version(record), classification: { confirmed: true, answers } })).problems.join(),
    ).toMatch(/prohibited: .*art\. 5\(1\)\(d\)/);
  });

  it('refuses an assessment approved by the owner, missing controls, and stale or failed audits at level III+', () => {
    expect(
      activationGate(base({ assessment: { status: 'approved', level: 1, decidedBy: 'owner' } })).problems.join(),
    ).toMatch(/separation of duties/);
    const l3 = base({ assessment: { status: 'approved', level: 3, decidedBy: 'board' } });
    expect(activationGate(l3).problems.join()).toMatch(/human-decides-every-case/);
    const evidence = activationGate(l3).requiredControls.map((c) => c.id);
    expect(evidence).toEqual([
      'plain-language-notice',
      'individual-explanations',
      'human-decides-every-case',
      'recurring-reviewer-training',
      'bias-audit-90-days',
    ]);
    expect(activationGate({ ...l3, evidence }).problems).toHaveLength(1);
    expect(activationGate({ ...l3, evidence }).problems[0]).toMatch(
      /bias audit is required at this level: none of version 1 is published, run on a registered dataset and judged against audit policy/,
    );
    expect(
      activationGate({ ...l3, evidence, latestAudit: { id: 7, passed: false, runAt: '2026-05-30T00:00:00Z' } })
        .problems,
    ).toEqual(['the bias audit 7 that counts for the gate failed']);
    expect(
      activationGate({ ...l3, evidence, latestAudit: { id: 7, passed: true, runAt: '2026-02-01T00:00:00Z' } })
        .problems[0],
    ).toMatch(/older than 90 days/);
    expect(
      activationGate({ ...l3, evidence, latestAudit: { id: 7, passed: true, runAt: '2026-05-01T00:00:00Z' } }).problems,
    ).toEqual([]);
  });

  it('hard legal gates: profiling-only prediction is refused; biometric identification needs a current authorisation', () => {
    expect(
      activationGate(base({ version: version({ ...completeRecord(), profilingOnly: true }) })).problems.join(),
    ).toMatch(/prohibited/);
    const bio = version({ ...completeRecord(), realTimeRemoteBiometricId: true });
    expect(activationGate(base({ version: bio })).problems.join()).toMatch(/authorisation/);
    expect(
      activationGate(base({ version: bio, authorisations: [{ expiresAt: '2026-01-01T00:00:00Z' }] })).problems.join(),
    ).toMatch(/authorisation/);
    expect(
      activationGate(base({ version: bio, authorisations: [{ expiresAt: '2027-01-01T00:00:00Z' }] })).problems,
    ).toEqual([]);
  });
});
