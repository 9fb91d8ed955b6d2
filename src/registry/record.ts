/**
 * The AI system record: one record per system AND version (a new model, vendor release or change of
 * purpose is a new version, never an edit in place), and never several technologies under one record:
 * a record names exactly one technology and one output kind. Drafts may be incomplete; a system goes
 * active only when `recordCompleteness` returns nothing. Also the lifecycle: states, allowed
 * transitions and the ledger event a transition writes.
 */
import { z } from 'zod';
import { InputError, preview, type Where } from '../domain/errors';
import { isPseudonymousRef } from '../ledger/leaf';

const text = (max: number) => z.string().max(max);
/** Internal user id (account id). Public views replace these with pseudonymous refs (see redaction.ts). */
export const UserIdSchema = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'a user id');
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'lower-case letters, digits and dashes (2-64)');
const httpUrl = z.string().max(2000).regex(/^https?:\/\/\S+$/, 'an http(s) link');

export const OUTPUT_KINDS = ['patrol-mission', 'cctv-detection', 'crowd-density', 'stalking-proximity', 'risk-score', 'other'] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];

/** Field types an alert may carry; `ref` is a pseudonymous reference (never a name). */
export const OUTPUT_FIELD_TYPES = ['string', 'number', 'integer', 'boolean', 'ref', 'datetime', 'geometry'] as const;

/** JSON-Schema-like description of the alerts a system will post (checked on every alert by review/). */
export const OutputSchemaSchema = z.object({
  kind: z.enum(OUTPUT_KINDS),
  fields: z.record(
    z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'a field name'),
    z.object({ type: z.enum(OUTPUT_FIELD_TYPES), required: z.boolean().default(false), description: text(500).optional() }),
  ),
});

/** Facts that drive the legal classification and level floors; a missing flag means "not claimed". */
export const RecordFlagsSchema = z.object({
  /** Scores individual people (e.g. recidivism risk): at least impact level III. */
  personLevelRiskScoring: z.boolean().default(false),
  /** Predicts a person's offending solely from profiling or personality traits: refused (EU AI Act art. 5(1)(d)). */
  profilingOnly: z.boolean().default(false),
  /** Real-time remote biometric identification in publicly accessible spaces for law enforcement (art. 5(1)(h)). */
  realTimeRemoteBiometricId: z.boolean().default(false),
  /** Remote biometric identification after the fact (Annex III 1(a)). */
  postRemoteBiometricId: z.boolean().default(false),
  /** Categorises people by biometrics to infer race, beliefs, sex life etc. (art. 5(1)(g)). */
  biometricCategorisationSensitive: z.boolean().default(false),
  emotionRecognition: z.boolean().default(false),
  /** Builds face databases by untargeted scraping (art. 5(1)(e)). */
  untargetedFacialScraping: z.boolean().default(false),
  victimRiskAssessment: z.boolean().default(false),
  evidenceReliability: z.boolean().default(false),
  profilingInInvestigation: z.boolean().default(false),
  /** Forecasts places (cells, areas), not people. */
  placeBasedForecasting: z.boolean().default(false),
});

export const SystemRecordSchema = z.object({
  /** Identity: one system, one version, one technology. */
  system: z.object({
    id: slug,
    name: text(200),
    version: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,39}$/, 'a version label such as 1.2.0'),
    technology: text(200),
  }),
  purpose: text(4000).optional(),
  intendedUse: text(4000).optional(),
  prohibitedUses: z.array(text(1000)).max(50).optional(),
  legalBasis: z.array(z.object({ title: text(500), url: httpUrl, provision: text(200).optional() })).max(20).optional(),
  deployingUnit: text(200).optional(),
  provider: z.object({
    name: text(200),
    kind: z.enum(['in-house', 'vendor', 'other-agency']),
    procurementRoute: text(500),
    contractRef: text(200).optional(),
  }).optional(),
  accountableOwnerId: UserIdSchema.optional(),
  supervisorId: UserIdSchema.optional(),
  dataSources: z.array(z.object({
    name: text(200),
    sourceId: text(64).optional(),
    provenance: text(2000),
    legalBasis: text(1000),
    consent: z.enum(['consent', 'not-required-legal-basis', 'public-data', 'unknown']),
    containsPersonalData: z.boolean(),
  })).max(50).optional(),
  personalData: z.object({
    categories: z.array(text(200)).max(50),
    specialCategories: z.array(text(200)).max(50).default([]),
    retentionDays: z.number().int().min(0).max(36_500),
  }).optional(),
  model: z.object({
    method: text(2000),
    trainingData: text(4000),
    evaluation: text(4000),
    evaluationResults: z.array(z.object({ metric: text(100), value: z.number(), interval: z.tuple([z.number(), z.number()]).optional(), dataset: text(200) })).max(100).default([]),
    knownLimitations: z.array(text(1000)).max(50),
  }).optional(),
  humanOversight: z.object({ design: text(4000), humanDecidesEveryCase: z.boolean() }).optional(),
  notification: z.object({ howNotified: text(4000), howToContest: text(4000) }).optional(),
  /** Declared even when empty: an empty list says "shared with no one". */
  externalSharing: z.array(z.object({ recipient: text(200), purpose: text(1000), legalBasis: text(1000) })).max(50).optional(),
  training: z.object({ courseId: slug, validityDays: z.number().int().min(1).max(3650) }).optional(),
  monitoringPlan: z.object({ description: text(4000), metrics: z.array(text(200)).max(50), reviewIntervalDays: z.number().int().min(1).max(3650) }).optional(),
  outputSchema: OutputSchemaSchema.optional(),
  flags: RecordFlagsSchema.default(RecordFlagsSchema.parse({})),
}).strict();

export type SystemRecord = z.infer<typeof SystemRecordSchema>;
export type SystemRecordInput = z.input<typeof SystemRecordSchema>;
export type RecordFlags = z.infer<typeof RecordFlagsSchema>;

/** Turn zod issues into the project's error shape (field paths like `record.dataSources.0.provenance`). */
export function zodWhere(issues: z.core.$ZodIssue[], prefix: string): Where[] {
  return issues.slice(0, 100).map((i) => ({ field: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || prefix, expected: i.message }));
}

/** Validate a (possibly incomplete) record; throws InputError naming every bad field. */
export function parseRecord(input: unknown): SystemRecord {
  const r = SystemRecordSchema.safeParse(input);
  if (!r.success) throw new InputError('the system record is not valid', zodWhere(r.error.issues, 'record'));
  return r.data;
}

export interface MissingField { field: string; problem: string }

const blank = (s: string | undefined) => !s || !s.trim();

/**
 * Every field a record lacks or fills insufficiently before it may go live. Empty means complete.
 * Rules are about substance, not just presence: a legal basis needs a link, every data source needs
 * provenance and a legal basis, personal data needs a retention period, the model needs limitations.
 */
export function recordCompleteness(record: SystemRecord): MissingField[] {
  const out: MissingField[] = [];
  const need = (ok: boolean, field: string, problem: string) => { if (!ok) out.push({ field, problem }); };
  const r = record;
  need(!blank(r.system.name), 'system.name', 'a name');
  need(!blank(r.system.technology), 'system.technology', 'the one technology this record covers');
  need(!blank(r.purpose), 'purpose', 'the purpose');
  need(!blank(r.intendedUse), 'intendedUse', 'the intended use');
  need((r.prohibitedUses ?? []).some((x) => !blank(x)), 'prohibitedUses', 'at least one prohibited use');
  need((r.legalBasis ?? []).some((x) => !blank(x.title)), 'legalBasis', 'at least one legal basis with a link');
  need(!blank(r.deployingUnit), 'deployingUnit', 'the deploying unit');
  need(!!r.provider && !blank(r.provider.name) && !blank(r.provider.procurementRoute), 'provider', 'provider name and procurement route');
  need(!!r.accountableOwnerId, 'accountableOwnerId', 'an accountable owner');
  need(!!r.supervisorId, 'supervisorId', 'a named human supervisor');
  const ds = r.dataSources ?? [];
  need(ds.length > 0, 'dataSources', 'at least one data source');
  ds.forEach((d, i) => {
    need(!blank(d.provenance), `dataSources.${i}.provenance`, 'where the data comes from');
    need(!blank(d.legalBasis), `dataSources.${i}.legalBasis`, 'the legal basis for using it');
    need(d.consent !== 'unknown', `dataSources.${i}.consent`, 'consent or the legal basis replacing it');
  });
  const personal = ds.some((d) => d.containsPersonalData);
  need(!!r.personalData, 'personalData', 'personal data categories and retention (empty categories if none)');
  if (r.personalData && personal) {
    need(r.personalData.categories.length > 0, 'personalData.categories', 'the categories of personal data processed');
    need(r.personalData.retentionDays > 0, 'personalData.retentionDays', 'a retention period');
  }
  if (!r.model) out.push({ field: 'model', problem: 'the model description' });
  else {
    need(!blank(r.model.method), 'model.method', 'the method');
    need(!blank(r.model.trainingData), 'model.trainingData', 'the training data');
    need(!blank(r.model.evaluation) || r.model.evaluationResults.length > 0, 'model.evaluation', 'evaluation results');
    need(r.model.knownLimitations.some((x) => !blank(x)), 'model.knownLimitations', 'at least one known limitation');
  }
  need(!!r.humanOversight && !blank(r.humanOversight.design), 'humanOversight', 'the human oversight design');
  need(!!r.notification && !blank(r.notification.howNotified), 'notification.howNotified', 'how affected people are notified');
  need(!!r.notification && !blank(r.notification.howToContest), 'notification.howToContest', 'how affected people can contest');
  need(r.externalSharing !== undefined, 'externalSharing', 'external data sharing (an empty list if none)');
  need(!!r.training, 'training', 'the training users need (course and validity)');
  need(!!r.monitoringPlan && !blank(r.monitoringPlan.description), 'monitoringPlan', 'a monitoring plan');
  need(!!r.outputSchema && Object.keys(r.outputSchema.fields).length > 0, 'outputSchema', 'the alerts the system will post, with their fields');
  return out;
}

// ---- Lifecycle ----

export const STATES = ['draft', 'consultation', 'approved', 'active', 'paused', 'retired'] as const;
export type LifecycleState = (typeof STATES)[number];

/**
 * Allowed transitions. Consultation and approval can send a version back to draft for changes;
 * approval is of a version, so an approved version can only go live, go back, or be retired.
 * Retired is final: a system comes back only as a new version.
 */
const NEXT: Record<LifecycleState, readonly LifecycleState[]> = {
  draft: ['consultation', 'retired'],
  consultation: ['draft', 'approved', 'retired'],
  approved: ['active', 'draft', 'retired'],
  active: ['paused', 'retired'],
  paused: ['active', 'retired'],
  retired: [],
};

export function nextStates(state: LifecycleState): readonly LifecycleState[] {
  return NEXT[state];
}

/** What a transition requires beyond being allowed: who may do it and which gate runs. */
export interface TransitionRule {
  /** Roles allowed to request it (any one suffices). */
  roles: readonly ('system-owner' | 'oversight' | 'admin')[];
  /** The activation gate (gates.ts) must pass. */
  activationGate: boolean;
  /** The system's owner may not perform it (separation of duties). */
  notByOwner: boolean;
  /** The consultation gate (gates.ts): the comment period closed and every comment answered. */
  consultationClosed: boolean;
}

export type TransitionCheck = { ok: true; rule: TransitionRule } | { ok: false; reason: string };

export function checkTransition(from: LifecycleState, to: LifecycleState): TransitionCheck {
  if (!STATES.includes(from)) return { ok: false, reason: `unknown state ${preview(from)}` };
  if (!STATES.includes(to)) return { ok: false, reason: `unknown state ${preview(to)}` };
  if (!NEXT[from].includes(to)) {
    const allowed = NEXT[from];
    return { ok: false, reason: `${from} → ${to} is not allowed${allowed.length ? ` (from ${from}: ${allowed.join(', ')})` : ' (retired is final; register a new version)'}` };
  }
  const rule: TransitionRule = { roles: ['system-owner'], activationGate: false, notByOwner: false, consultationClosed: false };
  if (to === 'approved') return { ok: true, rule: { ...rule, roles: ['oversight'], notByOwner: true, consultationClosed: true } };
  if (to === 'active') return { ok: true, rule: { ...rule, roles: from === 'paused' ? ['oversight'] : ['system-owner', 'oversight'], activationGate: true, notByOwner: from === 'paused' } };
  if (to === 'paused') return { ok: true, rule: { ...rule, roles: ['system-owner', 'oversight', 'admin'] } };
  if (to === 'retired') return { ok: true, rule: { ...rule, roles: ['system-owner', 'oversight', 'admin'] } };
  if (to === 'draft' && from !== 'consultation') return { ok: true, rule: { ...rule, roles: ['system-owner', 'oversight'] } };
  return { ok: true, rule };
}

/** The ledger payload of a transition: who (pseudonymous ref), why, when. Throws on a bad ref. */
export interface TransitionEvent {
  type: 'registry.transition';
  systemId: string;
  version: string;
  from: LifecycleState;
  to: LifecycleState;
  actor: string;
  reason: string;
  at: string;
}

export function transitionEvent(e: Omit<TransitionEvent, 'type'>): TransitionEvent {
  const c = checkTransition(e.from, e.to);
  if (!c.ok) throw new InputError(c.reason, [{ field: 'to', expected: nextStates(e.from).join(' | ') || 'nothing (final)', got: preview(e.to) }]);
  if (!isPseudonymousRef(e.actor)) throw new InputError('the actor must be a pseudonymous reference', [{ field: 'actor', expected: 'kind:base64url (see ledger/leaf REF_PATTERN)', got: preview(e.actor) }]);
  if (!e.reason.trim() || e.reason.length > 2000) throw new InputError('a transition needs a reason', [{ field: 'reason', expected: '1-2000 characters' }]);
  if (Number.isNaN(Date.parse(e.at))) throw new InputError('bad time', [{ field: 'at', expected: 'ISO 8601 UTC', got: preview(e.at) }]);
  return { type: 'registry.transition', ...e };
}
