/**
 * Legal duties mapped onto what the register enforces (config/legal-duties.json): each duty cites its
 * article in English and Korean, quotes its text in both languages, and names the controls whose evidence
 * the activation gate requires (config/controls.json) and the platform mechanisms that carry it out.
 * Which duties apply follows from the record and its legal classification: high-impact duties when the
 * classification finds the system high-impact, personal-data duties when the record declares personal data.
 *
 * Also the example register entries (config/register-examples/*.json): records for the kinds of system
 * the seed documents name, marked as examples, classified by the same rules as a real record. They are
 * never written to the register or the log.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError, type Where } from '../domain/errors';
import { msg, type Lang } from '../domain/messages';
import { classify, validateAnswers, type Classification } from './legal-classification';
import { CONTROLS, missingFields, validateRecordDraft } from './service-rules';

const Text = z.object({ en: z.string().min(1).max(2000), ko: z.string().min(1).max(2000) }).strict();
const id = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/);

const LegalDutiesSchema = z
  .object({
    about: z.string().optional(),
    frameworks: z.record(id, z.object({ title: Text, url: z.string().url() }).strict()),
    mechanisms: z.record(id, Text),
    duties: z
      .array(
        z
          .object({
            id,
            framework: id,
            appliesWhen: z.enum(['korea-high-impact', 'personal-data']),
            article: Text,
            text: Text,
            controls: z.array(id),
            mechanisms: z.array(id),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();
export type LegalDuties = z.infer<typeof LegalDutiesSchema>;
export type LegalDuty = LegalDuties['duties'][number];

/** Validate a duties file: every framework, control and mechanism it names exists, and every duty is carried by something. */
export function parseLegalDuties(
  json: unknown,
  file = 'config/legal-duties.json',
  controlIds = CONTROLS.map((c) => c.id),
): LegalDuties {
  const r = LegalDutiesSchema.safeParse(json);
  if (!r.success)
    throw new InputError(
      msg('legal.invalid', { file }),
      r.error.issues.map((i) => ({ file, field: i.path.join('.'), expected: i.message })),
    );
  const d = r.data;
  const where: Where[] = [];
  const controls = new Set(controlIds);
  d.duties.forEach((duty, i) => {
    if (!(duty.framework in d.frameworks))
      where.push({
        file,
        field: `duties[${i}].framework`,
        expected: `one of ${Object.keys(d.frameworks).join(', ')}`,
        got: duty.framework,
      });
    duty.controls.forEach((c, j) => {
      if (!controls.has(c))
        where.push({
          file,
          field: `duties[${i}].controls[${j}]`,
          expected: 'a control of config/controls.json',
          got: c,
        });
    });
    duty.mechanisms.forEach((m, j) => {
      if (!(m in d.mechanisms))
        where.push({
          file,
          field: `duties[${i}].mechanisms[${j}]`,
          expected: 'a mechanism listed under "mechanisms"',
          got: m,
        });
    });
    if (!duty.controls.length && !duty.mechanisms.length)
      where.push({ file, field: `duties[${i}]`, expected: 'at least one control or mechanism that carries the duty' });
  });
  if (new Set(d.duties.map((x) => x.id)).size !== d.duties.length)
    where.push({ file, field: 'duties', expected: 'unique duty ids' });
  if (where.length) throw new InputError(msg('legal.invalid', { file }), where);
  return d;
}

export const LEGAL_DUTIES = parseLegalDuties(JSON.parse(readFileSync('config/legal-duties.json', 'utf8')));

/** A duty as a person reads it in `lang`, with its framework and what carries it. */
export function describeDuty(d: LegalDuty, lang: Lang, duties = LEGAL_DUTIES) {
  const fw = duties.frameworks[d.framework];
  return {
    id: d.id,
    framework: d.framework,
    frameworkTitle: fw.title[lang],
    url: fw.url,
    article: d.article[lang],
    text: d.text[lang],
    appliesWhen: d.appliesWhen,
    controls: d.controls.map((c) => ({ id: c, title: controlTitle(c, lang) })),
    mechanisms: d.mechanisms.map((m) => ({ id: m, text: duties.mechanisms[m][lang] })),
  };
}

/** A control's title in `lang` (config/controls.json `title` / `titleKo`). */
export function controlTitle(controlId: string, lang: Lang): string {
  const c = CONTROLS.find((x) => x.id === controlId) as { title: string; titleKo?: string } | undefined;
  return c ? (lang === 'ko' && c.titleKo ? c.titleKo : c.title) : controlId;
}

/** The duties that bind a record, given its classification. */
export function dutiesFor(
  record: Record<string, unknown>,
  classification: Classification,
  duties = LEGAL_DUTIES,
): LegalDuty[] {
  const categories = ((record.personalData as { categories?: string[] } | undefined)?.categories ?? []).filter(
    (c) => !/^none\b/i.test(c.trim()),
  );
  return duties.duties.filter((d) =>
    d.appliesWhen === 'korea-high-impact' ? classification.korea.highImpact : categories.length > 0,
  );
}

/** The duties each control serves, for the controls the gate requires. */
export function lawOfControl(controlId: string, duties = LEGAL_DUTIES): LegalDuty[] {
  return duties.duties.filter((d) => d.controls.includes(controlId));
}

// ---- Example register entries ----

const ExampleSchema = z
  .object({
    example: z.literal(true),
    id: z.string().regex(/^example-[a-z0-9-]{1,60}$/),
    name: Text,
    notice: Text,
    record: z.record(z.string(), z.unknown()),
    answers: z.record(z.string(), z.boolean()),
    expected: z.object({ koreaHighImpact: z.boolean(), euCategory: z.string() }).strict(),
  })
  .strict();

export interface RegisterExample {
  id: string;
  example: true;
  name: { en: string; ko: string };
  notice: { en: string; ko: string };
  record: Record<string, unknown>;
  answers: Record<string, boolean>;
  expected: { koreaHighImpact: boolean; euCategory: string };
  classification: Classification;
  duties: LegalDuty[];
}

/**
 * Read every example: each must be a complete, valid record with every classification question answered,
 * and must classify as its file says (so an example never drifts from the rules it illustrates).
 */
export function loadRegisterExamples(dir = 'config/register-examples'): RegisterExample[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      const r = ExampleSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (!r.success)
        throw new InputError(
          msg('legal.badExample', { file }),
          r.error.issues.map((i) => ({ file, field: i.path.join('.'), expected: i.message })),
        );
      const e = r.data;
      const record = validateRecordDraft(e.record);
      const missing = missingFields(record);
      if (missing.length)
        throw new InputError(
          msg('legal.badExample', { file }),
          missing.map((m) => ({ file, field: `record.${m}`, expected: 'a complete record' })),
        );
      const answers = validateAnswers(record, e.answers);
      const classification = classify(record, answers);
      if (
        classification.korea.highImpact !== e.expected.koreaHighImpact ||
        classification.euAiAct.category !== e.expected.euCategory
      ) {
        throw new InputError(msg('legal.badExample', { file }), [
          {
            file,
            field: 'expected',
            expected: `koreaHighImpact ${classification.korea.highImpact}, euCategory ${classification.euAiAct.category} (what the rules give)`,
            got: JSON.stringify(e.expected),
          },
        ]);
      }
      return {
        ...e,
        example: true as const,
        record,
        answers,
        classification,
        duties: dutiesFor(record, classification),
      };
    });
}
