import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ORIGINS, type Origin } from '../domain/incident';
import { InputError } from '../domain/errors';

const TaxonomySchema = z.object({
  version: z.literal(1),
  about: z.string().optional(),
  types: z.record(z.string().min(1), z.object({ origin: z.enum(ORIGINS), note: z.string().optional() })),
});

/** The agency's editable list of incident types and their origin. Unknown types are reported, never guessed. */
export interface Taxonomy {
  originOf(type: string): Origin | undefined;
  size: number;
}

export function normaliseType(type: string): string {
  return type.trim().toUpperCase();
}

export function parseTaxonomy(json: unknown, file = 'taxonomy'): Taxonomy {
  const r = TaxonomySchema.safeParse(json);
  if (!r.success) {
    throw new InputError(
      `${file} is not a valid taxonomy`,
      r.error.issues.map((i) => ({ file, field: i.path.join('.'), expected: i.message })),
    );
  }
  const map = new Map<string, Origin>();
  for (const [k, v] of Object.entries(r.data.types)) map.set(normaliseType(k), v.origin);
  return { originOf: (t) => map.get(normaliseType(t)), size: map.size };
}

export function loadTaxonomy(file: string): Taxonomy {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`cannot read taxonomy ${file}: ${(e as Error).message}`, [{ file, expected: 'a JSON file' }]);
  }
  return parseTaxonomy(json, file);
}
