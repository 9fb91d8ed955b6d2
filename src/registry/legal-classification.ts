/**
 * Legal classification of a registered system, with the reasons shown in English and Korean: the EU AI
 * Act (Regulation (EU) 2024/1689: prohibited practices in art. 5, high-risk uses in Annex III) and Korea's
 * Framework Act on AI (in force 22 January 2026; high-impact AI under art. 2(4)).
 *
 * The rules are policy, not code: config/classification.json (validated here at start) holds the yes/no
 * questions the owner must answer for each declared output kind and the rules that map facts to
 * categories with their article citations. Facts are the answers (`<kind>.<question>`), the declared
 * kinds (`kind:<kind>`) and the record's own flags; a flag not set is a fact nobody claimed.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError, zodWhere } from '../domain/errors';
import { MESSAGES, msg, render, type MessageCode } from '../domain/messages';

/** The record's own flags (owner-declared facts), kept alongside the answers. */
export interface LegalFacts {
  profilingOnly?: boolean;
  personLevelRiskScoring?: boolean;
  realTimeRemoteBiometricId?: boolean;
  remoteBiometricId?: boolean;
  biometricCategorisation?: boolean;
  emotionRecognition?: boolean;
  untargetedFaceScraping?: boolean;
  victimRiskAssessment?: boolean;
  evidenceReliability?: boolean;
  profilingInInvestigation?: boolean;
  placeBasedForecasting?: boolean;
}
const RECORD_FLAGS: (keyof LegalFacts)[] = [
  'profilingOnly',
  'personLevelRiskScoring',
  'realTimeRemoteBiometricId',
  'remoteBiometricId',
  'biometricCategorisation',
  'emotionRecognition',
  'untargetedFaceScraping',
  'victimRiskAssessment',
  'evidenceReliability',
  'profilingInInvestigation',
  'placeBasedForecasting',
];

export interface Basis {
  law: 'EU AI Act' | 'Korea AI Framework Act';
  provision: string;
  provisionKo?: string;
  /** Message code of the reason (domain/messages.ts), and its text in English and Korean. */
  code: MessageCode;
  reason: string;
  reasonKo: string;
}

export type EuCategory = 'prohibited' | 'prohibited-unless-authorised' | 'high-risk' | 'other';
export interface Classification {
  euAiAct: { category: EuCategory; basis: Basis[] };
  korea: { highImpact: boolean; basis: Basis[] };
}

// ---- Policy file ----

const messageCode = z.string().refine((c) => c in MESSAGES, 'a message code defined in src/domain/messages.ts');
const factName = z
  .string()
  .regex(/^(kind:)?[A-Za-z-]+(\.[A-Za-z]+)?$/, 'a fact: a record flag, <kind>.<question> or kind:<kind>');
const Clause = z.object({ all: z.array(factName), none: z.array(factName).optional() }).strict();
const When = { anyOf: z.array(Clause).min(1) };
const Citation = {
  provision: z.string().min(1).max(100),
  provisionKo: z.string().max(100).optional(),
  reason: messageCode,
};
export const ClassificationPolicySchema = z
  .object({
    about: z.string().optional(),
    questions: z.record(
      z.string().regex(/^[a-z-]+$/),
      z.array(z.object({ id: z.string().regex(/^[A-Za-z]{2,64}$/), text: messageCode }).strict()).min(1),
    ),
    eu: z
      .object({
        rules: z.array(
          z
            .object({
              category: z.enum(['prohibited', 'prohibited-unless-authorised', 'high-risk']),
              ...Citation,
              ...When,
            })
            .strict(),
        ),
        otherwise: z.array(z.object({ ...Citation, ...When }).strict()).min(1),
      })
      .strict(),
    korea: z
      .object({
        rules: z.array(z.object({ ...Citation, ...When }).strict()),
        otherwise: z.array(z.object({ highImpact: z.boolean(), ...Citation, ...When }).strict()).min(1),
      })
      .strict(),
  })
  .strict()
  .superRefine((p, ctx) => {
    // Every answer a rule names must be a question of that kind, so a typo cannot silently never fire.
    const known = new Set([
      ...RECORD_FLAGS,
      ...Object.keys(p.questions).map((k) => `kind:${k}`),
      ...Object.entries(p.questions).flatMap(([k, qs]) => qs.map((q) => `${k}.${q.id}`)),
    ]);
    const check = (rules: { anyOf: { all: string[]; none?: string[] }[] }[], path: string) =>
      rules.forEach((r, i) =>
        r.anyOf.forEach((c, j) =>
          [...c.all, ...(c.none ?? [])].forEach((f) => {
            if (!known.has(f))
              ctx.addIssue({
                code: 'custom',
                path: [path, 'rules', i, 'anyOf', j],
                message: `a known fact (record flag, <kind>.<question> or kind:<kind>), not ${f}`,
              });
          }),
        ),
      );
    check(p.eu.rules, 'eu');
    check(p.eu.otherwise, 'eu');
    check(p.korea.rules, 'korea');
    check(p.korea.otherwise, 'korea');
  });
export type ClassificationPolicy = z.infer<typeof ClassificationPolicySchema>;

export function parseClassificationPolicy(json: unknown, file = 'config/classification.json'): ClassificationPolicy {
  const r = ClassificationPolicySchema.safeParse(json);
  if (!r.success)
    throw new InputError(
      msg('register.badClassificationPolicy', { file }),
      zodWhere(r.error.issues, '').map((w) => ({ ...w, file })),
    );
  return r.data;
}

export const CLASSIFICATION_POLICY = parseClassificationPolicy(
  JSON.parse(readFileSync('config/classification.json', 'utf8')),
);

// ---- Questions and answers ----

export type Answers = Record<string, boolean>;

const kindsOf = (record: Record<string, unknown>): string[] =>
  (record.outputSchema as { kinds?: string[] } | undefined)?.kinds ?? [];

/** The questions the owner must answer for the record's declared output kinds, with their texts. */
export function questionsFor(record: Record<string, unknown>, policy = CLASSIFICATION_POLICY) {
  return kindsOf(record).flatMap((kind) =>
    (policy.questions[kind] ?? []).map((q) => ({
      id: `${kind}.${q.id}`,
      kind,
      code: q.text as MessageCode,
      text: render(msg(q.text as MessageCode), 'en'),
      textKo: render(msg(q.text as MessageCode), 'ko'),
    })),
  );
}

/**
 * Check the owner's answers: every question for the declared kinds answered true or false, nothing else.
 * Throws an InputError naming each missing or unexpected answer.
 */
export function validateAnswers(
  record: Record<string, unknown>,
  answers: Record<string, unknown>,
  policy = CLASSIFICATION_POLICY,
): Answers {
  const qs = questionsFor(record, policy);
  const ids = new Set(qs.map((q) => q.id));
  const where = [];
  for (const q of qs)
    if (typeof answers[q.id] !== 'boolean')
      where.push({
        field: `answers.${q.id}`,
        expected: render(msg('register.classification.expectedYesNo', { question: q.text })),
        ...(answers[q.id] === undefined ? {} : { got: String(answers[q.id]).slice(0, 40) }),
      });
  for (const k of Object.keys(answers))
    if (!ids.has(k))
      where.push({
        field: `answers.${k}`,
        expected: render(msg('register.classification.unknownQuestion', { kinds: kindsOf(record).join(', ') })),
      });
  if (where.length) throw new InputError(msg('register.classification.unanswered', { count: where.length }), where);
  return Object.fromEntries(qs.map((q) => [q.id, answers[q.id] as boolean]));
}

// ---- Classification ----

function facts(record: Record<string, unknown>, answers: Answers): Set<string> {
  const f = new Set<string>();
  for (const k of RECORD_FLAGS) if (record[k] === true) f.add(k);
  for (const k of kindsOf(record)) f.add(`kind:${k}`);
  for (const [k, v] of Object.entries(answers)) if (v === true) f.add(k);
  return f;
}

const holds = (f: Set<string>, r: { anyOf: { all: string[]; none?: string[] }[] }) =>
  r.anyOf.some((c) => c.all.every((x) => f.has(x)) && !(c.none ?? []).some((x) => f.has(x)));

function basis(law: Basis['law'], r: { provision: string; provisionKo?: string; reason: string }): Basis {
  const code = r.reason as MessageCode;
  return {
    law,
    provision: r.provision,
    ...(r.provisionKo ? { provisionKo: r.provisionKo } : {}),
    code,
    reason: render(msg(code), 'en'),
    reasonKo: render(msg(code), 'ko'),
  };
}

const SEVERITY: EuCategory[] = ['prohibited', 'prohibited-unless-authorised', 'high-risk'];

/**
 * Classify from the record's flags and declared kinds plus the owner's answers. The EU category is the
 * most severe rule that fires; every firing rule is a reason, most severe first. O(rules × clauses).
 */
export function classify(
  record: LegalFacts | Record<string, unknown>,
  answers: Answers = {},
  policy = CLASSIFICATION_POLICY,
): Classification {
  const f = facts(record as Record<string, unknown>, answers);
  const eu = policy.eu.rules
    .filter((r) => holds(f, r))
    .sort((a, b) => SEVERITY.indexOf(a.category) - SEVERITY.indexOf(b.category));
  const category: EuCategory = eu[0]?.category ?? 'other';
  const euBasis = eu.length
    ? eu.map((r) => basis('EU AI Act', r))
    : [
        basis(
          'EU AI Act',
          policy.eu.otherwise.find((r) => holds(f, r)) ?? policy.eu.otherwise[policy.eu.otherwise.length - 1],
        ),
      ];
  const kr = policy.korea.rules.filter((r) => holds(f, r));
  const krOther = kr.length
    ? undefined
    : (policy.korea.otherwise.find((r) => holds(f, r)) ?? policy.korea.otherwise[policy.korea.otherwise.length - 1]);
  return {
    euAiAct: { category, basis: euBasis },
    korea: {
      highImpact: kr.length > 0 || !!krOther?.highImpact,
      basis: kr.length
        ? kr.map((r) => basis('Korea AI Framework Act', r))
        : [basis('Korea AI Framework Act', krOther!)],
    },
  };
}
