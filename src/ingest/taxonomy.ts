import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ORIGINS, type Origin } from '../domain/incident';
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';

const Label = z.object({ en: z.string().min(1).max(200), ko: z.string().min(1).max(200) });
const TaxonomySchema = z
  .object({
    version: z.literal(1),
    about: z.string().optional(),
    /** Optional named groups (e.g. 112 calls, KNPA five major crimes) with their labels. */
    groups: z.record(z.string().min(1), Label).optional(),
    types: z.record(
      z.string().min(1),
      z.object({
        origin: z.enum(ORIGINS),
        note: z.string().optional(),
        /** What a person reads, in English and Korean (e.g. 절도 / Theft); the key stays what the files say. */
        label: Label.optional(),
        groups: z.array(z.string().min(1)).optional(),
      }),
    ),
  })
  .superRefine((t, ctx) => {
    for (const [k, v] of Object.entries(t.types))
      for (const [i, g] of (v.groups ?? []).entries()) {
        if (!t.groups || !(g in t.groups))
          ctx.addIssue({
            code: 'custom',
            path: ['types', k, 'groups', i],
            message: `a group declared under "groups" (got ${g})`,
          });
      }
  });

/** The agency's editable list of incident types and their origin. Unknown types are reported, never guessed. */
export interface Taxonomy {
  originOf(type: string): Origin | undefined;
  size: number;
  /** Every type (normalised) and its origin, as plain data: what an import thread needs to rebuild the taxonomy. */
  origins?: Readonly<Record<string, Origin>>;
  /** A type's label in `lang`, when the taxonomy gives one (else undefined: show the type as stored). */
  labelOf?(type: string, lang: 'en' | 'ko'): string | undefined;
}

export function normaliseType(type: string): string {
  return type.trim().toUpperCase();
}

export function parseTaxonomy(json: unknown, file = 'taxonomy'): Taxonomy {
  const r = TaxonomySchema.safeParse(json);
  if (!r.success) {
    throw new InputError(
      msg('ingest.badTaxonomy', { file }),
      r.error.issues.map((i) => ({ file, field: i.path.join('.'), expected: i.message })),
    );
  }
  const origins: Record<string, Origin> = {};
  const labels = new Map<string, { en: string; ko: string }>();
  for (const [k, v] of Object.entries(r.data.types)) {
    origins[normaliseType(k)] = v.origin;
    if (v.label) labels.set(normaliseType(k), v.label);
  }
  return { ...taxonomyOf(origins), labelOf: (t, lang) => labels.get(normaliseType(t))?.[lang] };
}

/** A taxonomy from normalised type → origin (as `Taxonomy.origins` carries it). */
export function taxonomyOf(origins: Readonly<Record<string, Origin>>): Taxonomy {
  const map = new Map<string, Origin>(Object.entries(origins));
  return { originOf: (t) => map.get(normaliseType(t)), size: map.size, origins };
}

export function loadTaxonomy(file: string): Taxonomy {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(msg('ingest.cannotReadTaxonomy', { file, reason: (e as Error).message }), [
      { file, expected: 'a JSON file' },
    ]);
  }
  return parseTaxonomy(json, file);
}
