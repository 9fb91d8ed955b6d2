import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import { InputError, preview, type Where } from '../domain/errors';
import type { TimePrecision } from '../domain/incident';
import { msg } from '../domain/messages';
import { isKnownCrs } from '../geo';
import { parseNumber, type EncodingChoice } from './encoding';
import { parseIsoLike, parseUsDateTime, type ParsedTime } from './time';

/** One CSV record mapped to incident fields, before origin tagging and projection. */
export interface MappedRow {
  sourceId?: string;
  type: string;
  subtype: string | null;
  iso: string;
  precision: TimePrecision;
  x: number;
  y: number;
  area: string | null;
  attrs: Record<string, string | number | boolean | null>;
}

export type FieldProblem = Omit<Where, 'file' | 'row'>;

/** Read one field of the current record by column name ('' when absent). */
export type Fields = (column: string) => string;

/**
 * How to read one kind of file. Profiles for the public datasets are code; any other agency's export
 * uses the generic profile with a column-mapping file.
 */
export interface Profile {
  name: string;
  description: string;
  /** Default source name; a re-import of the same source ids adds nothing. */
  source: string;
  crs: string;
  /** Plausible WGS84 extent [minLon, minLat, maxLon, maxLat]: a point outside it means a wrong CRS or bad data. */
  bbox?: [number, number, number, number];
  requiredColumns: string[];
  /** The generic profile's column-mapping file: with the name, enough to rebuild the profile on an import thread. */
  mappingFile?: string;
  /** The files' text encoding when the profile knows it (a mapping file's `encoding`); else detected. */
  encoding?: EncodingChoice;
  /** The zone local times are read in (generic profile: the mapping's, or the agency's default). */
  timeZone?: string;
  map(rec: Fields, file: string): MappedRow | FieldProblem[];
}

const MAX_TEXT = 256;
/** Text fields: trimmed, bounded, no control characters (hostile input must not reach the page or the log). */
function text(rec: Fields, col: string, problems: FieldProblem[], required = true, max = MAX_TEXT): string | null {
  const v = rec(col).trim();
  if (!v) {
    if (required)
      problems.push({ field: col, expected: 'a non-empty value', expectedCode: 'imports.expected.nonEmpty', got: '' });
    return null;
  }
  if (v.length > max || /[\u0000-\u001f\u007f]/.test(v)) {
    problems.push({
      field: col,
      expected: `text of at most ${max} printable characters`,
      expectedCode: 'imports.expected.text',
      expectedParams: { max },
      got: preview(v),
    });
    return null;
  }
  return v;
}

function num(rec: Fields, col: string, problems: FieldProblem[]): number {
  const raw = rec(col).trim();
  const v = parseNumber(raw); // "1,395" as Korean exports print numbers
  if (!Number.isFinite(v))
    problems.push({
      field: col,
      expected: 'a finite number',
      expectedCode: 'imports.expected.number',
      got: preview(raw),
    });
  return v;
}

function time(rec: Fields, col: string, parsed: ParsedTime, problems: FieldProblem[], format: string): ParsedTime {
  if (!parsed)
    problems.push({
      field: col,
      expected: format,
      expectedCode: 'imports.expected.time',
      expectedParams: { format },
      got: preview(rec(col)),
    });
  return parsed;
}

function bool(v: string | undefined): boolean | null {
  if (v === undefined || v === '') return null;
  return /^(true|t|1|yes|y)$/i.test(v.trim());
}

export const chicagoProfile: Profile = {
  name: 'chicago',
  description:
    'City of Chicago reported crimes (data portal export): local Chicago time, lon/lat plus Illinois State Plane East feet',
  source: 'chicago-data-portal',
  crs: 'EPSG:4326',
  bbox: [-88.0, 41.6, -87.5, 42.1],
  requiredColumns: ['id', 'date', 'primary_type', 'latitude', 'longitude'],
  map(rec) {
    const p: FieldProblem[] = [];
    const sourceId = text(rec, 'id', p, true, 64);
    const type = text(rec, 'primary_type', p);
    const subtype = text(rec, 'description', p, false);
    const t = time(
      rec,
      'date',
      parseUsDateTime(rec('date'), 'America/Chicago'),
      p,
      'a date like 7/19/2017 13:45 (America/Chicago)',
    );
    const lon = num(rec, 'longitude', p);
    const lat = num(rec, 'latitude', p);
    const area = text(rec, 'community_area', p, false, 16);
    if (p.length || !t || !type || !sourceId) return p;
    return {
      sourceId,
      type,
      subtype,
      iso: t.iso,
      precision: t.precision,
      x: lon,
      y: lat,
      area,
      attrs: {
        arrest: bool(rec('arrest')),
        domestic: bool(rec('domestic')),
        beat: rec('beat') || null,
        district: rec('district') || null,
        ward: rec('ward') || null,
        location_description: rec('location_description').slice(0, 80) || null,
        iucr: rec('iucr') || null,
      },
    };
  },
};

export const houstonProfile: Profile = {
  name: 'houston',
  description: 'Houston Police Department offences (2010): UTC timestamps with the hour, lon/lat',
  source: 'houston-pd',
  crs: 'EPSG:4326',
  bbox: [-96.0, 29.3, -94.8, 30.3],
  requiredColumns: ['time', 'offense', 'lon', 'lat'],
  map(rec) {
    const p: FieldProblem[] = [];
    const type = text(rec, 'offense', p);
    const t = time(rec, 'time', parseIsoLike(rec('time'), 'UTC'), p, 'a UTC time like 2010-01-01 06:00:00');
    const lon = num(rec, 'lon', p);
    const lat = num(rec, 'lat', p);
    if (p.length || !t || !type) return p;
    return {
      type,
      subtype: text(rec, 'premise', p, false),
      iso: t.iso,
      precision: 'hour',
      x: lon,
      y: lat,
      area: text(rec, 'beat', p, false, 16),
      attrs: { location: rec('location').slice(0, 80) || null },
    };
  },
};

/** NIJ Real-Time Crime Forecasting Challenge (Portland): date only, EPSG:2913 international feet, type from the file name. */
export const portlandNijProfile: Profile = {
  name: 'portland-nij',
  description:
    'NIJ Real-Time Crime Forecasting Challenge calls for service (Portland, OR): date only, EPSG:2913 (international feet); type from the file name',
  source: 'nij-portland',
  crs: 'EPSG:2913',
  bbox: [-123.0, 45.3, -122.3, 45.8],
  requiredColumns: ['occ_date', 'x_coordina', 'y_coordina', 'call_group_type', 'case_desc_type'],
  map(rec, file) {
    const p: FieldProblem[] = [];
    const name = basename(file).toLowerCase();
    const type = name.includes('bur')
      ? 'BURGLARY'
      : name.includes('veh')
        ? 'MOTOR VEHICLE THEFT'
        : name.includes('str')
          ? 'STREET CRIME'
          : undefined;
    if (!type)
      p.push({
        field: '(file name)',
        expected: 'a file name containing bur, veh or str (the NIJ categories)',
        got: preview(basename(file)),
      });
    const t = time(rec, 'occ_date', parseIsoLike(rec('occ_date')), p, 'a date YYYY-MM-DD');
    const x = num(rec, 'x_coordina', p);
    const y = num(rec, 'y_coordina', p);
    if (p.length || !t || !type) return p;
    return {
      type,
      subtype: `${rec('call_group_type')}/${rec('case_desc_type')}`,
      iso: t.iso,
      precision: 'day',
      x,
      y,
      area: null,
      attrs: { call_group_type: rec('call_group_type') || null, case_desc_type: rec('case_desc_type') || null },
    };
  },
};

const MappingSchema = z.object({
  source: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lower-case letters, digits, . _ - (max 64)'),
  crs: z.string().regex(/^EPSG:\d{4,6}$/, 'an EPSG code like EPSG:4326'),
  encoding: z.enum(['utf-8', 'cp949', 'euc-kr', 'auto']).default('auto'),
  /** Absent: the agency's time zone (settings `agency.timeZone`, e.g. Asia/Seoul), else UTC. */
  timeZone: z.string().optional(),
  dateFormat: z.enum(['iso', 'us']).default('iso'),
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
  columns: z.object({
    id: z.string().optional(),
    type: z.string(),
    subtype: z.string().optional(),
    date: z.string(),
    x: z.string(),
    y: z.string(),
    area: z.string().optional(),
  }),
  attrs: z.array(z.string()).max(32).default([]),
});

/** The generic profile: any CSV, described by a column-mapping JSON file; times default to `defaultTimeZone`. */
export function genericProfile(mappingFile: string, defaultTimeZone = 'UTC'): Profile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(mappingFile, 'utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new InputError(msg('ingest.cannotReadMapping', { file: mappingFile, reason: (e as Error).message }), [
      { file: mappingFile, expected: 'a JSON mapping file' },
    ]);
  }
  const r = MappingSchema.safeParse(raw);
  if (!r.success) {
    throw new InputError(
      msg('ingest.badMapping', { file: mappingFile }),
      r.error.issues.map((i) => ({ file: mappingFile, field: i.path.join('.'), expected: i.message })),
    );
  }
  const m = { ...r.data, timeZone: r.data.timeZone ?? defaultTimeZone };
  if (!isKnownCrs(m.crs))
    throw new InputError(msg('geo.unknownCrs', { crs: m.crs }), [
      {
        file: mappingFile,
        field: 'crs',
        expected: 'a CRS this build knows (EPSG:4326, 3857, 2913, 3435, 2278, 5179, 5186, 5174)',
      },
    ]);
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: m.timeZone });
  } catch {
    throw new InputError(msg('ingest.unknownTimeZone', { zone: m.timeZone }), [
      { file: mappingFile, field: 'timeZone', expected: 'an IANA zone such as America/Chicago' },
    ]);
  }
  const c = m.columns;
  return {
    name: 'generic',
    description: `generic CSV mapped by ${basename(mappingFile)}`,
    mappingFile,
    timeZone: m.timeZone,
    encoding: m.encoding,
    source: m.source,
    crs: m.crs,
    bbox: m.bbox,
    requiredColumns: [c.type, c.date, c.x, c.y, ...(c.id ? [c.id] : [])],
    map(rec) {
      const p: FieldProblem[] = [];
      const sourceId = c.id ? text(rec, c.id, p, true, 128) : undefined;
      const type = text(rec, c.type, p);
      const raw = rec(c.date);
      const parsed = m.dateFormat === 'us' ? parseUsDateTime(raw, m.timeZone) : parseIsoLike(raw, m.timeZone);
      const t = time(
        rec,
        c.date,
        parsed,
        p,
        m.dateFormat === 'us' ? 'a date like 7/19/2017 13:45' : 'a date like 2017-07-19 or 2017-07-19 13:45:00',
      );
      const x = num(rec, c.x, p);
      const y = num(rec, c.y, p);
      if (p.length || !t || !type || sourceId === null) return p;
      const attrs: MappedRow['attrs'] = {};
      for (const a of m.attrs) attrs[a] = rec(a).slice(0, 80) || null;
      return {
        sourceId,
        type,
        subtype: c.subtype ? text(rec, c.subtype, p, false) : null,
        iso: t.iso,
        precision: t.precision,
        x,
        y,
        area: c.area ? text(rec, c.area, p, false, 64) : null,
        attrs,
      };
    },
  };
}

export const BUILTIN_PROFILES: Record<string, Profile> = {
  chicago: chicagoProfile,
  houston: houstonProfile,
  'portland-nij': portlandNijProfile,
};

/** The built-in profiles as a person chooses one: name, the files it reads (English), its default source and CRS. */
export function builtinProfileList(): { name: string; description: string; source: string; crs: string }[] {
  return Object.entries(BUILTIN_PROFILES).map(([name, p]) => ({
    name,
    description: p.description,
    source: p.source,
    crs: p.crs,
  }));
}

export function resolveProfile(name: string, mappingFile?: string, defaultTimeZone?: string): Profile {
  if (name === 'generic') {
    if (!mappingFile)
      throw new InputError(msg('ingest.genericNeedsMapping'), [
        { field: '--mapping', expected: 'a path to a mapping JSON file' },
      ]);
    return genericProfile(mappingFile, defaultTimeZone);
  }
  const p = BUILTIN_PROFILES[name];
  if (!p)
    throw new InputError(msg('ingest.unknownProfile', { name: preview(name) }), [
      { field: '--profile', expected: `one of ${[...Object.keys(BUILTIN_PROFILES), 'generic'].join(', ')}` },
    ]);
  return p;
}
