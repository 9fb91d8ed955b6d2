/**
 * Area demographics for any place, declared in configuration (`config/demographics/<id>.json`): which
 * property of an area layer holds its code, its name, its total residents, and which hold the counts of
 * each resident group, with the group's name in English and Korean. Nothing here names a place: the
 * declaration does. A group with `overlapsOthers: true` (e.g. Hispanic of any race, residents aged 65+)
 * overlaps the other groups: it is reported on its own and never summed with the rest.
 *
 * An area layer is tied to its declaration when it is imported (`--demographics ID`, API field
 * `demographics`); the id is stored with the layer (area_layers.demographics).
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { InputError, type Where } from '../domain/errors';
import { msg } from '../domain/messages';

const label = z.object({ en: z.string().min(1).max(200), ko: z.string().min(1).max(200) }).strict();
const property = z.string().min(1).max(100);
const groupId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and - (max 64)');

export const DemographicsDeclarationSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,127}$/, 'lower-case letters, digits, . _ - (max 128)'),
    label,
    areaCode: property,
    areaName: property,
    population: property,
    groups: z
      .array(z.object({ id: groupId, field: property, label, overlapsOthers: z.boolean().default(false) }).strict())
      .min(1)
      .max(50)
      .refine((g) => new Set(g.map((x) => x.id)).size === g.length, 'group ids must be unique'),
    source: z.string().min(1).max(2000),
  })
  .strict();

export type DemographicsDeclaration = z.infer<typeof DemographicsDeclarationSchema>;
export type DeclaredGroup = DemographicsDeclaration['groups'][number];

/** Residents of one area by group (keys are the declaration's group ids). */
export interface AreaDemographics {
  area: string;
  name?: string;
  /** Total residents (denominator of the residential attribution). */
  population: number;
  /** Residents by group; groups may overlap (see the declaration). */
  residents: Record<string, number>;
}

/** Where declarations live unless a path is given. */
export const DEMOGRAPHICS_DIR = 'config/demographics';

/** The declaration file a `path|id` names. */
export function declarationPath(pathOrId: string, dir = DEMOGRAPHICS_DIR): string {
  if (pathOrId.endsWith('.json') || pathOrId.includes('/') || isAbsolute(pathOrId)) return pathOrId;
  if (!/^[a-z0-9][a-z0-9._-]{0,127}$/.test(pathOrId))
    throw new InputError(msg('demographics.badId', { id: pathOrId.slice(0, 80) }), [
      {
        field: 'demographics',
        expected: 'a declaration id (lower-case letters, digits, . _ -) or a path to its JSON file',
        got: pathOrId.slice(0, 80),
      },
    ]);
  return join(dir, `${pathOrId}.json`);
}

/** Validate a parsed declaration; errors name the file and the field. */
export function parseDemographicsDeclaration(json: unknown, file = 'declaration'): DemographicsDeclaration {
  const r = DemographicsDeclarationSchema.safeParse(json);
  if (r.success) return r.data;
  const where: Where[] = r.error.issues
    .slice(0, 50)
    .map((i) => ({ file, field: i.path.join('.') || '(root)', expected: i.message }));
  throw new InputError(msg('demographics.invalid', { file, fields: where.map((w) => w.field).join(', ') }), where);
}

/** Read and validate `config/demographics/<id>.json` (or the file at a path). */
export function loadDemographicsDeclaration(pathOrId: string, dir = DEMOGRAPHICS_DIR): DemographicsDeclaration {
  const file = declarationPath(pathOrId, dir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError(msg('demographics.notFound', { file }), [
      { file, field: 'demographics', expected: `a declaration file in ${dir}/` },
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(msg('demographics.notJson', { file, reason: (e as Error).message.slice(0, 200) }), [
      { file, expected: 'JSON' },
    ]);
  }
  const d = parseDemographicsDeclaration(json, file);
  if (file !== pathOrId && d.id !== pathOrId)
    throw new InputError(msg('demographics.invalid', { file, fields: 'id' }), [
      { file, field: 'id', expected: pathOrId, got: d.id },
    ]);
  return d;
}

type FeatureLike = { properties?: Record<string, unknown> | null };

/**
 * Residents by area and group from an area layer's features (GeoJSON features, or bare property
 * objects wrapped as `{ properties }`), as the declaration says. Every count must be a number ≥ 0;
 * errors name the feature and the property. O(features × groups).
 */
export function areaDemographics(
  features: FeatureLike[] | { features: FeatureLike[] },
  declaration: DemographicsDeclaration,
): AreaDemographics[] {
  const list = Array.isArray(features) ? features : features.features;
  const where: Where[] = [];
  const seen = new Set<string>();
  const out = list.map((f, i) => {
    const p = f.properties ?? {};
    const num = (k: string) => {
      const raw = p[k];
      const v = typeof raw === 'string' && raw.trim() !== '' ? Number(raw.replace(/,/g, '')) : Number(raw);
      if (raw === null || raw === undefined || raw === '' || typeof raw === 'boolean' || !(v >= 0))
        where.push({
          row: i + 1,
          field: `features[${i}].properties.${k}`,
          expected: 'a count ≥ 0',
          got: String(raw).slice(0, 40),
        });
      return v;
    };
    const code = p[declaration.areaCode];
    if (code === null || code === undefined || code === '')
      where.push({ row: i + 1, field: `features[${i}].properties.${declaration.areaCode}`, expected: 'the area code' });
    else if (seen.has(String(code)))
      where.push({
        row: i + 1,
        field: `features[${i}].properties.${declaration.areaCode}`,
        expected: 'a unique area code',
        got: String(code),
      });
    seen.add(String(code));
    const residents: Record<string, number> = {};
    for (const g of declaration.groups) residents[g.id] = num(g.field);
    const population = num(declaration.population);
    return {
      area: String(code),
      name: p[declaration.areaName] === undefined ? undefined : String(p[declaration.areaName]),
      population,
      residents,
    };
  });
  if (!list.length) where.push({ field: 'features', expected: 'at least one area' });
  if (where.length)
    throw new InputError(
      msg('demographics.badValues', { id: declaration.id, count: where.length }),
      where.slice(0, 100),
    );
  return out;
}
