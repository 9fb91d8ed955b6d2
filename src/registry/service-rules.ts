/**
 * The rules the register enforces, as data and pure functions: the system record's required fields,
 * impact-assessment scoring (the Government of Canada AIA rule: level from the raw impact score as a
 * share of its maximum — ≤25% I, ≤50% II, ≤75% III, else IV — with the raw score cut by 15% when
 * mitigation reaches 80% of its maximum), controls each level requires, and the activation gate.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from '../domain/errors';
import type { GateInput } from './service';
import { PURPOSES } from '../privacy/sources';
import { classify, type LegalFacts } from './legal-classification';
import { scoreSurvey } from './aia-surveyjs';

// ---- The record ----

const nonEmpty = z.string().trim().min(1);
export const SystemRecordSchema = z.object({
  purpose: z.string().max(4000),
  intendedUse: z.string().max(4000),
  prohibitedUses: z.array(z.string().max(1000)).max(50),
  legalBasis: z.array(z.object({ title: z.string().max(500), url: z.string().max(2000) })).max(20),
  deployingUnit: z.string().max(200),
  provider: z.object({ name: z.string().max(200), procurementRoute: z.string().max(500) }),
  supervisorId: z.string().max(64),
  dataSources: z.array(z.object({ name: z.string().max(200), provenance: z.string().max(2000), legalBasis: z.string().max(1000), consent: z.string().max(1000), sourceId: z.string().max(64).optional() })).max(50),
  /** What the system uses its data for; each registered source it names must allow this purpose. */
  usePurpose: z.enum(PURPOSES).optional(),
  personalData: z.object({ categories: z.array(z.string().max(200)).max(50), retentionDays: z.number().int().min(0).max(36_500) }),
  model: z.object({ method: z.string().max(2000), trainingData: z.string().max(4000), evaluation: z.string().max(4000), limitations: z.array(z.string().max(1000)).max(50) }),
  humanOversight: z.string().max(4000),
  notificationAndContest: z.string().max(4000),
  externalSharing: z.array(z.string().max(1000)).max(50),
  training: z.object({ course: z.string().max(200), validityDays: z.number().int().min(1).max(3650) }),
  monitoringPlan: z.string().max(4000),
  /** The alerts the system will post: kinds and output fields (checked on every alert). */
  outputSchema: z.object({
    kinds: z.array(z.enum(['patrol-mission', 'cctv-detection', 'crowd-density', 'stalking-proximity', 'risk-score', 'other'])).min(1),
    fields: z.record(z.string().regex(/^[A-Za-z0-9_]{1,64}$/), z.enum(['string', 'number', 'boolean'])),
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
}).partial().passthrough();

export type SystemRecord = z.infer<typeof SystemRecordSchema>;

/** A draft may be incomplete but every field present must have the right shape. */
export function validateRecordDraft(record: unknown): Record<string, unknown> {
  const r = SystemRecordSchema.safeParse(record);
  if (!r.success) throw new InputError('the system record is not valid', r.error.issues.map((i) => ({ field: `record.${i.path.join('.')}`, expected: i.message })));
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
  ['dataSources', (r) => (r.dataSources ?? []).length > 0 && r.dataSources!.every((d) => nonEmpty.safeParse(d.provenance).success && nonEmpty.safeParse(d.legalBasis).success)],
  ['personalData', (r) => !!r.personalData && r.personalData.retentionDays > 0],
  ['model', (r) => !!r.model?.method.trim() && !!r.model.trainingData.trim() && !!r.model.evaluation.trim() && r.model.limitations.some((x) => x.trim())],
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

export interface Question {
  id: string;
  /** raw impact, mitigation, or not scored */
  kind: 'RS' | 'MS' | 'NS';
  multiple?: boolean;
  text: { en: string; ko: string };
  options: { value: string; weight: number; text: { en: string; ko: string } }[];
}
export interface Questionnaire {
  id: string;
  title: { en: string; ko: string };
  sections: { id: string; title: { en: string; ko: string }; questions: Question[] }[];
}

const opt = (value: string, weight: number, en: string, ko: string) => ({ value, weight, text: { en, ko } });
const yesNo = (yes: number, no = 0) => [opt('yes', yes, 'Yes', '예'), opt('no', no, 'No', '아니오')];
const q = (id: string, kind: Question['kind'], en: string, ko: string, options = yesNo(kind === 'MS' ? 2 : 3)): Question => ({ id, kind, text: { en, ko }, options });

/** Counterweight's own human-rights questionnaire (privacy, equality, due process, assembly, vulnerable groups, reversibility, scale). */
export const HUMAN_RIGHTS_V1: Questionnaire = {
  id: 'human-rights-v1',
  title: { en: 'Human-rights impact assessment for police AI', ko: '경찰 AI 인권영향평가' },
  sections: [
    { id: 'privacy', title: { en: 'Privacy', ko: '사생활' }, questions: [
      q('privacy-personal', 'RS', 'Does the system process personal data of people who are not suspects?', '용의자가 아닌 사람의 개인정보를 처리합니까?'),
      q('privacy-biometric', 'RS', 'Does it process biometric data (faces, gait, voice)?', '생체정보(얼굴, 걸음걸이, 목소리)를 처리합니까?', yesNo(4)),
      q('privacy-minimised', 'MS', 'Is collection limited to what the stated purpose needs, with a retention period enforced?', '수집이 명시된 목적에 필요한 범위로 제한되고 보존 기간이 강제됩니까?'),
    ] },
    { id: 'equality', title: { en: 'Equality and non-discrimination', ko: '평등과 차별 금지' }, questions: [
      q('equality-enforcement-data', 'RS', 'Is it trained on enforcement-driven records (arrests, stops) rather than citizen reports?', '시민 신고가 아닌 단속 기록(체포, 검문)으로 학습합니까?'),
      q('equality-proxies', 'RS', 'Could its inputs act as proxies for race, ethnicity, religion or nationality?', '입력값이 인종, 민족, 종교, 국적의 대리변수가 될 수 있습니까?'),
      q('equality-audit', 'MS', 'Is a bias audit run before deployment and at a fixed interval after, with published results?', '배포 전과 이후 정기적으로 편향 감사를 하고 결과를 공개합니까?'),
    ] },
    { id: 'due-process', title: { en: 'Due process and presumption of innocence', ko: '적법절차와 무죄추정' }, questions: [
      q('due-person', 'RS', 'Does it make predictions about individual people?', '개인에 대한 예측을 합니까?', yesNo(4)),
      q('due-corroboration', 'MS', 'Is AI output refused as the sole basis for a stop, search or arrest, with corroboration required?', 'AI 결과만으로는 검문, 수색, 체포를 할 수 없고 보강 증거가 필요합니까?', yesNo(3)),
      q('due-contest', 'MS', 'Are affected people notified and able to contest, with a disclosure packet for their lawyer?', '영향을 받는 사람에게 알리고 이의를 제기할 수 있으며 변호인에게 공개 자료를 제공합니까?'),
    ] },
    { id: 'assembly', title: { en: 'Freedom of assembly and expression', ko: '집회와 표현의 자유' }, questions: [
      q('assembly-crowds', 'RS', 'Can it be used on demonstrations, religious gatherings or crowds?', '시위, 종교 집회 또는 군중에 사용될 수 있습니까?'),
    ] },
    { id: 'vulnerable', title: { en: 'Vulnerable groups', ko: '취약 계층' }, questions: [
      q('vulnerable-affected', 'RS', 'Does it affect children, victims, people in poverty or under supervision?', '아동, 피해자, 빈곤층 또는 감독 대상자에게 영향을 줍니까?'),
    ] },
    { id: 'reversibility', title: { en: 'Reversibility', ko: '되돌릴 수 있는가' }, questions: [
      { id: 'reversibility-effect', kind: 'RS', text: { en: 'How reversible are the effects of a wrong output?', ko: '잘못된 결과의 영향은 얼마나 되돌릴 수 있습니까?' }, options: [
        opt('reversible', 0, 'Easily reversible', '쉽게 되돌릴 수 있음'), opt('hard', 2, 'Reversible with difficulty', '어렵게 되돌릴 수 있음'), opt('irreversible', 4, 'Irreversible (e.g. detention, use of force)', '되돌릴 수 없음 (구금, 물리력 사용 등)'),
      ] },
      q('reversibility-human', 'MS', 'Does a named person review every output before any action?', '모든 결과를 행동 전에 지정된 사람이 검토합니까?', yesNo(3)),
    ] },
    { id: 'scale', title: { en: 'Scale', ko: '규모' }, questions: [
      { id: 'scale-people', kind: 'RS', text: { en: 'How many people can it affect in a year?', ko: '1년에 몇 명에게 영향을 줄 수 있습니까?' }, options: [
        opt('few', 0, 'Fewer than 1,000', '1,000명 미만'), opt('many', 2, '1,000 to 100,000', '1,000–100,000명'), opt('city', 4, 'More than 100,000', '100,000명 초과'),
      ] },
      q('scale-pause', 'MS', 'Is there an automatic pause when outcomes drift into disparity?', '결과가 불균형으로 기울면 자동으로 중지됩니까?'),
    ] },
  ],
};

const QUESTIONNAIRES: Record<string, Questionnaire> = { [HUMAN_RIGHTS_V1.id]: HUMAN_RIGHTS_V1 };

export function listQuestionnaires() {
  return Object.values(QUESTIONNAIRES).map((x) => ({ id: x.id, title: x.title.en }));
}
export function getQuestionnaire(id: string): Questionnaire {
  const x = QUESTIONNAIRES[id];
  if (!x) throw new InputError(`unknown questionnaire ${id}`, [{ field: 'questionnaire', expected: Object.keys(QUESTIONNAIRES).join(', ') }]);
  return x;
}

export interface ScoreResult {
  raw: number;
  rawMax: number;
  mitigation: number;
  mitigationMax: number;
  /** Raw score after the 15% reduction when mitigation ≥ 80% of its maximum. */
  adjusted: number;
  percent: number;
  level: 1 | 2 | 3 | 4;
  unanswered: string[];
  floorReason?: string;
}

/** Score answers against a questionnaire. O(questions × options). */
export function score(qn: Questionnaire, answers: Record<string, unknown>): ScoreResult {
  let raw = 0, rawMax = 0, mitigation = 0, mitigationMax = 0;
  const unanswered: string[] = [];
  const known = new Set(qn.sections.flatMap((s) => s.questions.map((x) => x.id)));
  for (const k of Object.keys(answers)) if (!known.has(k)) throw new InputError(`no question ${k} in ${qn.id}`, [{ field: `answers.${k}`, expected: 'a question id of this questionnaire' }]);
  for (const question of qn.sections.flatMap((s) => s.questions)) {
    if (question.kind === 'NS') continue;
    const weights = question.options.map((o) => o.weight);
    const max = question.multiple ? weights.filter((w) => w > 0).reduce((a, b) => a + b, 0) : Math.max(0, ...weights);
    const a = answers[question.id];
    const chosen = a === undefined ? [] : Array.isArray(a) ? a : [a];
    if (chosen.length === 0) unanswered.push(question.id);
    if (!question.multiple && chosen.length > 1) throw new InputError(`question ${question.id} takes one answer`, [{ field: `answers.${question.id}`, expected: 'one value' }]);
    let got = 0;
    for (const v of chosen) {
      const o = question.options.find((x) => x.value === v);
      if (!o) throw new InputError(`"${String(v).slice(0, 40)}" is not an answer to ${question.id}`, [{ field: `answers.${question.id}`, expected: question.options.map((x) => x.value).join(' | ') }]);
      got += o.weight;
    }
    if (question.kind === 'RS') { raw += got; rawMax += max; } else { mitigation += got; mitigationMax += max; }
  }
  const adjusted = mitigationMax > 0 && mitigation >= 0.8 * mitigationMax ? raw * 0.85 : raw;
  const percent = rawMax === 0 ? 0 : (100 * adjusted) / rawMax;
  const level = percent <= 25 ? 1 : percent <= 50 ? 2 : percent <= 75 ? 3 : 4;
  return { raw, rawMax, mitigation, mitigationMax, adjusted, percent, level, unanswered };
}

/** Score and apply the floor rules: any person-level risk scoring is at least level III. */
export function scoreAssessment(questionnaireId: string, answers: Record<string, unknown>, record: Record<string, unknown>): { result: ScoreResult; level: number } {
  const result = score(getQuestionnaire(questionnaireId), answers);
  if (result.unanswered.length) throw new InputError(`${result.unanswered.length} question(s) unanswered`, result.unanswered.map((f) => ({ field: `answers.${f}`, expected: 'an answer' })));
  let level: number = result.level;
  if (record.personLevelRiskScoring === true && level < 3) {
    level = 3;
    result.floorReason = 'person-level risk scoring is at least level III';
  }
  return { result, level };
}

/** The same floor rules for an imported (SurveyJS, Canadian AIA conventions) questionnaire. */
export function scoreImported(id: string, survey: unknown, answers: Record<string, unknown>, record: Record<string, unknown>): { result: ScoreResult; level: number } {
  const result = scoreSurvey(id, survey, answers);
  if (result.unanswered.length) throw new InputError(`${result.unanswered.length} visible question(s) unanswered`, result.unanswered.map((f) => ({ field: `answers.${f}`, expected: 'an answer' })));
  let level: number = result.level;
  if (record.personLevelRiskScoring === true && level < 3) {
    level = 3;
    result.floorReason = 'person-level risk scoring is at least level III';
  }
  return { result, level };
}

// ---- Controls by level, and the gate ----

const ControlsFileSchema = z.object({
  about: z.string().optional(),
  auditIntervalDays: z.number().int().min(1).max(3650),
  controls: z.array(z.object({ id: z.string().regex(/^[a-z0-9-]{2,64}$/), level: z.number().int().min(1).max(4), title: z.string().min(3).max(200) })).min(1),
});

/** Controls by level, configured as data in config/controls.json (read once at start). */
function loadControls(file = 'config/controls.json') {
  const r = ControlsFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!r.success) throw new InputError(`${file} is not a valid controls file`, r.error.issues.map((i) => ({ file, field: i.path.join('.'), expected: i.message })));
  return r.data;
}
const CONTROLS_FILE = loadControls();
export const CONTROLS = CONTROLS_FILE.controls;
export const AUDIT_INTERVAL_DAYS = CONTROLS_FILE.auditIntervalDays;

export function requiredControls(level: number) {
  return CONTROLS.filter((c) => c.level <= level);
}

/** Every reason this version may not go live; empty when it may. */
export function activationGate(input: GateInput): { problems: string[]; requiredControls: { id: string; title: string }[] } {
  const problems: string[] = [];
  const record = input.version.record;
  const missing = missingFields(record);
  if (missing.length) problems.push(`the record is incomplete: ${missing.join(', ')}`);
  const legal = classify(record as LegalFacts);
  if (legal.euAiAct.category === 'prohibited') problems.push(`prohibited: ${legal.euAiAct.basis.filter((b) => b.provision.startsWith('art. 5')).map((b) => `${b.reason} (EU AI Act ${b.provision})`).join('; ')}`);
  if (record.realTimeRemoteBiometricId === true && !input.authorisations.some((a) => a.expiresAt > input.now)) {
    problems.push('real-time remote biometric identification needs a current authorisation (who authorised, scope, expiry)');
  }
  for (const c of input.sourceChecks) if (!c.ok) problems.push(`data source ${c.sourceId}: ${c.reason}`);
  const a = input.assessment;
  if (!a) problems.push('no impact assessment has been submitted');
  else if (a.status !== 'approved') problems.push(`the impact assessment is ${a.status}, not approved by oversight`);
  else if (a.decidedBy === input.version.ownerId) problems.push('the assessment was approved by the system owner (separation of duties)');
  if (!input.hasModelCard) problems.push('there is no model card');
  const level = a?.level ?? 1;
  const required = requiredControls(level);
  const absent = required.filter((c) => !input.evidence.includes(c.id));
  if (absent.length) problems.push(`required controls without evidence: ${absent.map((c) => c.id).join(', ')}`);
  if (level >= 3) {
    const cutoff = new Date(Date.parse(input.now) - AUDIT_INTERVAL_DAYS * 86_400_000).toISOString();
    if (!input.latestAudit) problems.push('a bias audit is required at this level and none has been run');
    else if (!input.latestAudit.passed) problems.push('the latest bias audit failed');
    else if (input.latestAudit.runAt < cutoff) problems.push(`the latest bias audit is older than ${AUDIT_INTERVAL_DAYS} days`);
  }
  return { problems, requiredControls: required.map(({ id, title }) => ({ id, title })) };
}
