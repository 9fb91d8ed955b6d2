/**
 * The rules the register enforces, as data and pure functions: the system record's required fields,
 * impact assessments (scored by assessment/engine.ts with the Government of Canada AIA rule: level from
 * the raw impact score as a share of its maximum — ≤25% I, ≤50% II, ≤75% III, else IV — with the raw
 * score cut by 15% when mitigation reaches 80% of its maximum), the level floor for person-level risk
 * scoring, controls each level requires, and the activation gate.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError, zodWhere } from '../domain/errors';
import { msg, render, type Message } from '../domain/messages';
import { AUDIT_POLICY } from './audit-policy';
import type { GateAction, GateCheck, GateInput } from './register';
import { classify } from './legal-classification';
import { PURPOSES } from '../privacy/sources';
import { score, type Questionnaire, type ScoreResult } from './assessment/engine';
import { BUILT_IN_QUESTIONNAIRES } from './assessment/human-rights';
import { importSurveyJs } from './assessment/surveyjs';
import { floorLevel } from './assessment/survey-form';

// ---- The record ----

const nonEmpty = z.string().trim().min(1);
export const SystemRecordSchema = z
  .object({
    purpose: z.string().max(4000),
    intendedUse: z.string().max(4000),
    prohibitedUses: z.array(z.string().max(1000)).max(50),
    legalBasis: z.array(z.object({ title: z.string().max(500), url: z.string().max(2000) })).max(20),
    deployingUnit: z.string().max(200),
    provider: z.object({ name: z.string().max(200), procurementRoute: z.string().max(500) }),
    supervisorId: z.string().max(64),
    dataSources: z
      .array(
        z.object({
          name: z.string().max(200),
          provenance: z.string().max(2000),
          legalBasis: z.string().max(1000),
          consent: z.string().max(1000),
          sourceId: z.string().max(64).optional(),
        }),
      )
      .max(50),
    /** What the system uses its data for; each registered source it names must allow this purpose. */
    usePurpose: z.enum(PURPOSES).optional(),
    personalData: z.object({
      categories: z.array(z.string().max(200)).max(50),
      retentionDays: z.number().int().min(0).max(36_500),
    }),
    model: z.object({
      method: z.string().max(2000),
      trainingData: z.string().max(4000),
      evaluation: z.string().max(4000),
      limitations: z.array(z.string().max(1000)).max(50),
    }),
    humanOversight: z.string().max(4000),
    notificationAndContest: z.string().max(4000),
    externalSharing: z.array(z.string().max(1000)).max(50),
    training: z.object({ course: z.string().max(200), validityDays: z.number().int().min(1).max(3650) }),
    monitoringPlan: z.string().max(4000),
    /**
     * The only sources whose outcome data may pause or clear the system: registered data sources (the
     * agency's own records), each fed through an API key oversight authorises for it. The vendor's own
     * alert key may feed a source only where `vendorKey` is true.
     */
    outcomeSources: z
      .array(
        z
          .object({ sourceId: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/), vendorKey: z.boolean().optional() })
          .strict(),
      )
      .max(20)
      .optional(),
    /** The alerts the system will post: kinds and output fields (checked on every alert). */
    outputSchema: z.object({
      kinds: z
        .array(
          z.enum(['patrol-mission', 'cctv-detection', 'crowd-density', 'stalking-proximity', 'risk-score', 'other']),
        )
        .min(1),
      fields: z.record(
        z.string().regex(/^[A-Za-z0-9_]{1,64}$/),
        z.enum(['string', 'number', 'boolean', 'array', 'object']),
      ),
      required: z.array(z.string()).optional(),
    }),
    /** Scores individual people (e.g. recidivism risk): at least impact level III. */
    personLevelRiskScoring: z.boolean().optional(),
    /** Predicts an individual's offending solely from profiling or personality traits: refused (EU AI Act art. 5(1)(d)). */
    profilingOnly: z.boolean().optional(),
    /** Real-time remote biometric identification in public spaces: needs a current authorisation. */
    realTimeRemoteBiometricId: z.boolean().optional(),
    /** Further facts for the legal classification (see legal-classification.ts). */
    remoteBiometricId: z.boolean().optional(),
    biometricCategorisation: z.boolean().optional(),
    emotionRecognition: z.boolean().optional(),
    untargetedFaceScraping: z.boolean().optional(),
    victimRiskAssessment: z.boolean().optional(),
    evidenceReliability: z.boolean().optional(),
    profilingInInvestigation: z.boolean().optional(),
    placeBasedForecasting: z.boolean().optional(),
  })
  .partial()
  .passthrough();

export type SystemRecord = z.infer<typeof SystemRecordSchema>;

/** A draft may be incomplete but every field present must have the right shape. */
export function validateRecordDraft(record: unknown): Record<string, unknown> {
  const r = SystemRecordSchema.safeParse(record);
  if (!r.success) throw new InputError(msg('register.invalidRecord'), zodWhere(r.error.issues, 'record'));
  return r.data as Record<string, unknown>;
}

const REQUIRED: [string, (r: SystemRecord) => boolean][] = [
  ['purpose', (r) => !!r.purpose?.trim()],
  ['intendedUse', (r) => !!r.intendedUse?.trim()],
  ['prohibitedUses', (r) => (r.prohibitedUses ?? []).some((x) => x.trim())],
  ['legalBasis', (r) => (r.legalBasis ?? []).some((x) => x.title.trim() && /^https?:\/\//.test(x.url))],
  ['deployingUnit', (r) => !!r.deployingUnit?.trim()],
  ['provider', (r) => !!r.provider?.name.trim() && !!r.provider.procurementRoute.trim()],
  ['supervisorId', (r) => !!r.supervisorId?.trim()],
  [
    'dataSources',
    (r) =>
      (r.dataSources ?? []).length > 0 &&
      r.dataSources!.every((d) => nonEmpty.safeParse(d.provenance).success && nonEmpty.safeParse(d.legalBasis).success),
  ],
  ['personalData', (r) => !!r.personalData && r.personalData.retentionDays > 0],
  [
    'model',
    (r) =>
      !!r.model?.method.trim() &&
      !!r.model.trainingData.trim() &&
      !!r.model.evaluation.trim() &&
      r.model.limitations.some((x) => x.trim()),
  ],
  ['humanOversight', (r) => !!r.humanOversight?.trim()],
  ['notificationAndContest', (r) => !!r.notificationAndContest?.trim()],
  ['training', (r) => !!r.training?.course.trim()],
  ['monitoringPlan', (r) => !!r.monitoringPlan?.trim()],
  ['outputSchema', (r) => !!r.outputSchema && Object.keys(r.outputSchema.fields).length > 0],
];

/** Fields a record still lacks before it may go live. */
export function missingFields(record: Record<string, unknown>): string[] {
  const r = SystemRecordSchema.safeParse(record);
  if (!r.success) return ['record (invalid)'];
  return REQUIRED.filter(([, ok]) => !ok(r.data)).map(([f]) => f);
}

// ---- Questionnaires and scoring ----

// ---- Impact assessments: questionnaires as data, scored by the tool-exact engine (assessment/engine.ts) ----

/** Built-in questionnaires, for pickers. */
export function listQuestionnaires() {
  return [...BUILT_IN_QUESTIONNAIRES.values()].map((x) => ({ id: x.id, version: x.version, title: x.title.en }));
}

/** A built-in questionnaire by id, or an InputError naming the ids there are. */
export function getQuestionnaire(id: string): Questionnaire {
  const x = BUILT_IN_QUESTIONNAIRES.get(id);
  if (!x)
    throw new InputError(msg('assessment.unknownQuestionnaire', { id }), [
      { field: 'questionnaire', expected: [...BUILT_IN_QUESTIONNAIRES.keys()].join(', ') },
    ]);
  return x;
}

/**
 * An imported SurveyJS questionnaire (Canadian AIA conventions) as the engine scores it: the AIA tool's
 * maxima over every scored question, the mitigation maximum halved, the 15% cut rounded.
 */
export function importedQuestionnaire(id: string, surveyjs: unknown) {
  return importSurveyJs(surveyjs, { id, version: 'imported' });
}

export type AssessmentResult = ScoreResult & { floorReason?: string };

/**
 * Score answers and apply the floor rule: any person-level risk scoring is at least level III.
 * Every required question shown for these answers must be answered.
 */
export function assess(
  q: Questionnaire,
  answers: Record<string, unknown>,
  record: Record<string, unknown>,
): { result: AssessmentResult; level: number } {
  const result: AssessmentResult = score(q, answers);
  if (result.unanswered.length)
    throw new InputError(
      msg('assessment.unanswered', { count: result.unanswered.length }),
      result.unanswered.map((f) => ({ field: `answers.${f}`, expected: 'an answer' })),
    );
  const { level, floored } = floorLevel(result.level, record);
  if (floored) result.floorReason = 'person-level risk scoring is at least level III';
  return { result, level };
}

// ---- Controls by level, and the gate ----

const ControlsFileSchema = z.object({
  about: z.string().optional(),
  auditIntervalDays: z.number().int().min(1).max(3650),
  controls: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z0-9-]{2,64}$/),
        level: z.number().int().min(1).max(4),
        title: z.string().min(3).max(200),
        /** Korean title; `law`: the legal duties the control serves (config/legal-duties.json). */
        titleKo: z.string().min(1).max(200).optional(),
        law: z.array(z.string()).optional(),
      }),
    )
    .min(1),
});

/** Controls by level, configured as data in config/controls.json (read once at start). */
function loadControls(file = 'config/controls.json') {
  const r = ControlsFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!r.success)
    throw new InputError(
      msg('register.badControlsFile', { file }),
      r.error.issues.map((i) => ({ file, field: i.path.join('.'), expected: i.message })),
    );
  return r.data;
}
const CONTROLS_FILE = loadControls();
export const CONTROLS = CONTROLS_FILE.controls;
export const AUDIT_INTERVAL_DAYS = CONTROLS_FILE.auditIntervalDays;

export function requiredControls(level: number) {
  return CONTROLS.filter((c) => c.level <= level);
}

/**
 * Every reason this version may not go live (empty when it may), each also as a checklist item: its
 * message and the action that clears it. `problems` is the checklist in English.
 */
export function activationGate(input: GateInput): {
  problems: string[];
  checks: GateCheck[];
  requiredControls: { id: string; title: string }[];
} {
  const checks: GateCheck[] = [];
  const add = (action: GateAction, message: Message) => checks.push({ action, message });
  const record = input.version.record;
  const missing = missingFields(record);
  if (missing.length) add('record', msg('gate.recordIncomplete', { fields: missing.join(', ') }));
  const legal = classify(record, input.classification.answers);
  if (!input.classification.confirmed) add('classification', msg('gate.classificationUnconfirmed'));
  if (legal.euAiAct.category === 'prohibited')
    add(
      'record',
      msg('gate.prohibited', {
        reasons: legal.euAiAct.basis
          .filter((b) => b.provision.startsWith('art. 5'))
          .map((b) => `${b.reason} (EU AI Act ${b.provision})`)
          .join('; '),
      }),
    );
  if (record.realTimeRemoteBiometricId === true && !input.authorisations.some((a) => a.expiresAt > input.now))
    add('authorisation', msg('gate.biometricAuthorisation'));
  for (const c of input.sourceChecks)
    if (!c.ok)
      checks.push({ action: 'sources', message: c.message ?? msg('gate.sourceRefused', { reason: c.reason }) });
  const a = input.assessment;
  if (!a) add('assessment', msg('gate.noAssessment'));
  else if (a.status !== 'approved') add('assessment', msg('gate.assessmentNotApproved', { status: a.status }));
  else if (a.decidedBy === input.version.ownerId) add('assessment', msg('gate.selfApproved'));
  if (!input.hasModelCard) add('model-card', msg('gate.noModelCard'));
  const level = a?.level ?? 1;
  const required = requiredControls(level);
  const absent = required.filter((c) => !input.evidence.includes(c.id));
  if (absent.length)
    add('controls', msg('gate.controlsWithoutEvidence', { controls: absent.map((c) => c.id).join(', ') }));
  if (level >= 3) {
    // Only an audit that counts (published, not by the owner's side, registered data, current policy) opens the gate.
    const cutoff = new Date(Date.parse(input.now) - AUDIT_INTERVAL_DAYS * 86_400_000).toISOString();
    const audit = input.latestAudit;
    if (!audit)
      add('audit', msg('audits.gateNoAudit', { version: input.version.version, policy: AUDIT_POLICY.version }));
    else if (!audit.passed) add('audit', msg('audits.gateFailed', { auditId: audit.id }));
    else if (audit.runAt < cutoff)
      add('audit', msg('audits.gateStale', { auditId: audit.id, days: AUDIT_INTERVAL_DAYS }));
  }
  return {
    problems: checks.map((c) => render(c.message)),
    checks,
    requiredControls: required.map(({ id, title }) => ({ id, title })),
  };
}
