/**
 * Policy gates as pure functions: every reason a system version may NOT become active, and every
 * reason an approver may not approve an assessment. They return all reasons at once (a person fixing
 * a system wants the whole list), each with a stable code for adapters and tests.
 * Separation of duties: the system's owner never approves its assessment nor resumes it.
 */
import type { Level } from './assessment/engine';
import { classify, type Authorisation } from './classification';
import { DEFAULT_CONTROLS, effectiveLevel, missingControls, requiredControls, type Control, type ControlEvidence, type ControlsConfig } from './controls';
import type { ModelCard } from './model-card';
import { recordCompleteness, type SystemRecord } from './record';

export interface GateReason { code: string; message: string; field?: string }

export interface AssessmentState {
  status: 'draft' | 'submitted' | 'approved' | 'rejected';
  /** Level from the score (engine.ts), before floor rules. */
  level: Level;
  submittedBy?: string;
  approvedBy?: string;
  approvedAt?: string;
  /** Required questions left unanswered (from the score). */
  unanswered?: string[];
}

export interface AuditState { runAt: string; passed: boolean }

export interface ActivationInput {
  now: string;
  record: SystemRecord;
  assessment: AssessmentState | null;
  modelCard: ModelCard | null;
  evidence: readonly ControlEvidence[];
  latestAudit: AuditState | null;
  authorisations: readonly Authorisation[];
  controls?: ControlsConfig;
}

export interface GateResult { ok: boolean; reasons: GateReason[]; level: Level | null; requiredControls: Control[] }

/** Every reason this version may not go active; ok when there is none. */
export function activationGate(input: ActivationInput): GateResult {
  const config = input.controls ?? DEFAULT_CONTROLS;
  const reasons: GateReason[] = [];
  const { record, assessment: a, now } = input;

  for (const m of recordCompleteness(record)) reasons.push({ code: 'record-incomplete', field: `record.${m.field}`, message: `the record lacks ${m.problem}` });

  for (const g of classify(record.flags, input.authorisations, now).hardGates) reasons.push({ code: `legal-${g.code}`, message: g.message });

  if (!a) reasons.push({ code: 'assessment-missing', message: 'no impact assessment has been submitted' });
  else {
    if (a.status !== 'approved') reasons.push({ code: 'assessment-not-approved', message: `the impact assessment is ${a.status}, not approved by oversight` });
    else if (!a.approvedBy) reasons.push({ code: 'assessment-not-approved', message: 'the approval does not say who approved' });
    else if (a.approvedBy === record.accountableOwnerId) reasons.push({ code: 'assessment-approved-by-owner', message: 'the assessment was approved by the system\'s own owner (separation of duties)' });
    if (a.unanswered?.length) reasons.push({ code: 'assessment-incomplete', message: `${a.unanswered.length} required question(s) unanswered` });
  }

  if (!input.modelCard) reasons.push({ code: 'model-card-missing', message: 'there is no model card' });
  else if (input.modelCard.systemId !== record.system.id || input.modelCard.systemVersion !== record.system.version) {
    reasons.push({ code: 'model-card-mismatch', message: `the model card is for ${input.modelCard.systemId}@${input.modelCard.systemVersion}, not ${record.system.id}@${record.system.version}` });
  }

  let level: Level | null = null;
  let required: Control[] = [];
  if (a) {
    level = effectiveLevel(a.level, record, config).level;
    required = requiredControls(a.level, record, config);
    for (const m of missingControls(required, input.evidence, now)) reasons.push({ code: 'control-missing', field: m.control.id, message: `required control "${m.control.title}": ${m.reason}` });
    if (required.some((c) => c.id === config.biasAuditControl)) {
      const au = input.latestAudit;
      const maxAgeMs = config.auditIntervalDays * 86_400_000;
      if (!au) reasons.push({ code: 'bias-audit-missing', message: 'a bias audit is required at this level and none has been run' });
      else if (!au.passed) reasons.push({ code: 'bias-audit-failed', message: 'the latest bias audit failed' });
      else if (Date.parse(now) - Date.parse(au.runAt) > maxAgeMs) reasons.push({ code: 'bias-audit-stale', message: `the latest bias audit (${au.runAt}) is older than ${config.auditIntervalDays} days` });
    }
  }
  return { ok: reasons.length === 0, reasons, level, requiredControls: required };
}

export interface Actor { userId: string; roles: readonly string[] }

/** Separation of duties: the owner and the named supervisor run the system; they never judge it. */
export function conflictOfInterest(actor: Actor, record: Pick<SystemRecord, 'accountableOwnerId' | 'supervisorId'>): GateReason[] {
  const out: GateReason[] = [];
  if (record.accountableOwnerId && actor.userId === record.accountableOwnerId) out.push({ code: 'approver-is-owner', message: 'the system\'s owner cannot approve or resume their own system' });
  if (record.supervisorId && actor.userId === record.supervisorId) out.push({ code: 'approver-is-supervisor', message: 'the system\'s named supervisor cannot approve or resume it' });
  return out;
}

/** Every reason `approver` may not approve this assessment. */
export function approvalGate(assessment: AssessmentState, approver: Actor, record: SystemRecord): GateReason[] {
  const out: GateReason[] = [];
  if (!approver.roles.includes('oversight')) out.push({ code: 'approver-not-oversight', message: 'only oversight (auditor, review board) approves assessments' });
  out.push(...conflictOfInterest(approver, record));
  if (assessment.submittedBy && assessment.submittedBy === approver.userId) out.push({ code: 'approver-is-submitter', message: 'whoever answered the assessment cannot approve it' });
  if (assessment.status !== 'submitted') out.push({ code: 'assessment-not-submitted', message: `the assessment is ${assessment.status}; only a submitted assessment can be approved` });
  if (assessment.unanswered?.length) out.push({ code: 'assessment-incomplete', message: `${assessment.unanswered.length} required question(s) unanswered` });
  return out;
}

/** Every reason `actor` may not resume a paused system. */
export function resumeGate(actor: Actor, record: SystemRecord): GateReason[] {
  const out: GateReason[] = [];
  if (!actor.roles.includes('oversight')) out.push({ code: 'resumer-not-oversight', message: 'only oversight resumes a paused system' });
  out.push(...conflictOfInterest(actor, record));
  return out;
}

/** Consultation may end in approval only after its comment period closed and every comment was answered in public. */
export function consultationGate(c: { closesAt: string; comments: readonly { id: string; responded: boolean }[] }, now: string): GateReason[] {
  const out: GateReason[] = [];
  if (Date.parse(now) < Date.parse(c.closesAt)) out.push({ code: 'consultation-open', message: `the comment period runs until ${c.closesAt}` });
  const open = c.comments.filter((x) => !x.responded);
  if (open.length) out.push({ code: 'comments-unanswered', message: `${open.length} comment(s) have no published response` });
  return out;
}
