import { describe, expect, it } from 'vitest';
import { activationGate, approvalGate, consultationGate, resumeGate, type ActivationInput } from '../../../src/registry/gates';
import { DEFAULT_CONTROLS, missingControls, requiredControls, type ControlEvidence } from '../../../src/registry/controls';
import { card, completeRecord } from './helpers';

const NOW = '2026-06-01T00:00:00Z';
const rec = completeRecord();
const ev = (controlId: string, providedBy = 'u-a', recordedAt = '2026-05-01T00:00:00Z'): ControlEvidence => ({ controlId, providedBy, recordedAt });
const allEvidence = [...DEFAULT_CONTROLS.controls.map((c) => ev(c.id)), ev('two-expert-reviews', 'u-b')];

function passing(over: Partial<ActivationInput> = {}): ActivationInput {
  return {
    now: NOW, record: rec,
    assessment: { status: 'approved', level: 4, submittedBy: 'owner-1', approvedBy: 'auditor-1', approvedAt: '2026-05-02T00:00:00Z', unanswered: [] },
    modelCard: card(rec), evidence: allEvidence, latestAudit: { runAt: '2026-05-15T00:00:00Z', passed: true }, authorisations: [],
    ...over,
  };
}
const codes = (i: ActivationInput) => activationGate(i).reasons.map((r) => r.code);

describe('activation gate', () => {
  it('passes a complete, approved, evidenced, audited level-IV system', () => {
    const g = activationGate(passing());
    expect(g.reasons).toEqual([]);
    expect(g.ok).toBe(true);
    expect(g.requiredControls.map((c) => c.id)).toHaveLength(7);
  });
  it('refuses an incomplete record, naming the fields', () => {
    const g = activationGate(passing({ record: completeRecord({ purpose: ' ', monitoringPlan: undefined }) }));
    expect(g.reasons.filter((r) => r.code === 'record-incomplete').map((r) => r.field)).toEqual(['record.purpose', 'record.monitoringPlan']);
  });
  it('refuses without an approved assessment, and an assessment approved by the owner', () => {
    expect(codes(passing({ assessment: null }))).toContain('assessment-missing');
    expect(codes(passing({ assessment: { status: 'submitted', level: 2 } }))).toContain('assessment-not-approved');
    expect(codes(passing({ assessment: { status: 'approved', level: 4, approvedBy: 'owner-1' } }))).toContain('assessment-approved-by-owner');
  });
  it('refuses without a model card, or with another version\'s card', () => {
    expect(codes(passing({ modelCard: null }))).toContain('model-card-missing');
    expect(codes(passing({ modelCard: { ...card(rec), systemVersion: '2.0.0' } }))).toContain('model-card-mismatch');
  });
  it('refuses when required controls lack evidence (two reviews need two different people)', () => {
    const g = activationGate(passing({ evidence: allEvidence.filter((e) => e.providedBy === 'u-a' && e.controlId !== 'board-approval') }));
    expect(g.reasons.filter((r) => r.code === 'control-missing').map((r) => r.field)).toEqual(['two-expert-reviews', 'board-approval']);
  });
  it('bias audit: missing, failed, older than 90 days all refuse', () => {
    expect(codes(passing({ latestAudit: null }))).toContain('bias-audit-missing');
    expect(codes(passing({ latestAudit: { runAt: '2026-05-15T00:00:00Z', passed: false } }))).toContain('bias-audit-failed');
    expect(codes(passing({ latestAudit: { runAt: '2026-03-02T00:00:00Z', passed: true } }))).toContain('bias-audit-stale'); // 91 days
    expect(codes(passing({ latestAudit: { runAt: '2026-03-03T00:00:00Z', passed: true } }))).not.toContain('bias-audit-stale'); // 90 days
  });
  it('level II needs no audit; person-level risk scoring lifts it to III, which does', () => {
    const l2 = passing({ assessment: { status: 'approved', level: 2, approvedBy: 'auditor-1' }, latestAudit: null, evidence: [ev('plain-language-notice'), ev('individual-explanations')] });
    expect(activationGate(l2).ok).toBe(true);
    const scoring = completeRecord({ flags: { personLevelRiskScoring: true } });
    const g = activationGate({ ...l2, record: scoring, modelCard: card(scoring) });
    expect(g.level).toBe(3);
    expect(g.reasons.map((r) => r.code)).toEqual(['control-missing', 'control-missing', 'control-missing', 'bias-audit-missing']);
  });
  it('hard legal gates: profiling-only refused; real-time biometric identification needs a current authorisation', () => {
    expect(codes(passing({ record: completeRecord({ flags: { profilingOnly: true } }) }))).toContain('legal-profiling-only');
    const rbi = completeRecord({ flags: { realTimeRemoteBiometricId: true } });
    expect(codes(passing({ record: rbi, modelCard: card(rbi) }))).toContain('legal-authorisation-missing');
    const auth = { authorisedBy: 'judge-7', authority: 'Seoul District Court', scope: 'missing child search, Gangnam station', issuedAt: '2026-05-30T00:00:00Z', expiresAt: '2026-06-02T00:00:00Z' };
    expect(activationGate(passing({ record: rbi, modelCard: card(rbi), authorisations: [auth] })).ok).toBe(true);
    expect(codes(passing({ record: rbi, modelCard: card(rbi), authorisations: [{ ...auth, expiresAt: '2026-05-31T00:00:00Z' }] }))).toContain('legal-authorisation-expired');
  });
});

describe('approval and resume gates (separation of duties)', () => {
  const submitted = { status: 'submitted' as const, level: 3 as const, submittedBy: 'analyst-9', unanswered: [] };
  it('the owner can never approve their own system, even holding the oversight role', () => {
    expect(approvalGate(submitted, { userId: 'owner-1', roles: ['oversight', 'system-owner'] }, rec).map((r) => r.code)).toEqual(['approver-is-owner']);
  });
  it('refuses the supervisor, the submitter, non-oversight roles, unsubmitted and incomplete assessments', () => {
    expect(approvalGate(submitted, { userId: 'supervisor-1', roles: ['oversight'] }, rec).map((r) => r.code)).toEqual(['approver-is-supervisor']);
    expect(approvalGate(submitted, { userId: 'analyst-9', roles: ['oversight'] }, rec).map((r) => r.code)).toEqual(['approver-is-submitter']);
    expect(approvalGate(submitted, { userId: 'x', roles: ['analyst'] }, rec).map((r) => r.code)).toEqual(['approver-not-oversight']);
    expect(approvalGate({ ...submitted, status: 'draft', unanswered: ['q1'] }, { userId: 'x', roles: ['oversight'] }, rec).map((r) => r.code)).toEqual(['assessment-not-submitted', 'assessment-incomplete']);
    expect(approvalGate(submitted, { userId: 'auditor-1', roles: ['oversight'] }, rec)).toEqual([]);
  });
  it('the owner cannot resume a paused system', () => {
    expect(resumeGate({ userId: 'owner-1', roles: ['oversight'] }, rec).map((r) => r.code)).toEqual(['approver-is-owner']);
    expect(resumeGate({ userId: 'auditor-1', roles: ['oversight'] }, rec)).toEqual([]);
  });
  it('consultation closes only after its period, with every comment answered', () => {
    expect(consultationGate({ closesAt: '2026-06-02T00:00:00Z', comments: [{ id: 'c1', responded: false }] }, NOW).map((r) => r.code)).toEqual(['consultation-open', 'comments-unanswered']);
    expect(consultationGate({ closesAt: '2026-05-02T00:00:00Z', comments: [{ id: 'c1', responded: true }] }, NOW)).toEqual([]);
  });
});

describe('controls as data', () => {
  it('each level includes the lower ones', () => {
    const ids = (l: 1 | 2 | 3 | 4) => requiredControls(l, rec).map((c) => c.id);
    expect(ids(1)).toEqual([]);
    expect(ids(2)).toEqual(['plain-language-notice', 'individual-explanations']);
    expect(ids(3)).toEqual([...ids(2), 'human-decides-every-case', 'recurring-reviewer-training', 'bias-audit-90-days']);
    expect(ids(4)).toEqual([...ids(3), 'two-expert-reviews', 'board-approval']);
  });
  it('recurring evidence expires', () => {
    const req = requiredControls(3, rec).filter((c) => c.id === 'recurring-reviewer-training');
    expect(missingControls(req, [ev('recurring-reviewer-training', 'u', '2025-05-01T00:00:00Z')], NOW)[0].reason).toMatch(/expired/);
    expect(missingControls(req, [ev('recurring-reviewer-training', 'u', '2025-06-10T00:00:00Z')], NOW)).toEqual([]);
  });
});
