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
  /** Every type (normalised) and its origin, as plain data: what an import thread needs to rebuild the taxonomy. */
  origins?: Readonly<Record<string, Origin>>;
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
  const origins: Record<string, Origin> = {};
  for (const [k, v] of Object.entries(r.data.types)) origins[normaliseType(k)] = v.origin;
  return taxonomyOf(origins);
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
    throw new InputError(`cannot read taxonomy ${file}: ${(e as Error).message}`, [{ file, expected: 'a JSON file' }]);
  }
  return parseTaxonomy(json, file);
}
