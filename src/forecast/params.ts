/**
 * Forecast parameters as people type them (`250ft`, `0.25sqmi`, `kde:gaussian:600ft:365`, `1mo`), turned
 * into CRS units and model parameters. Shared by the CLI and the HTTP API; every error names the field.
 */
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import { MODEL_NAMES, modelFamily, type ModelParams } from './models';

const M_PER_FT = 0.3048;
const M_PER_MI = 1609.344;
export const FORECAST_WINDOWS = ['7d', '14d', '1mo', '2mo', '3mo'];
const WINDOWS = FORECAST_WINDOWS;

/**
 * In a CRS measured in feet (international, or US survey feet as EPSG:3435), `ft` means the CRS's own
 * foot: "600ft" is 600 units, not 599.9988 US feet. The two feet differ by 2 parts per million.
 */
const isFootCrs = (unitMetres: number) => Math.abs(unitMetres - M_PER_FT) < 1e-5;

/** `250ft`, `76m`, or a bare number in CRS units → CRS units. */
export function parseLength(v: string, unitMetres: number, field: string): number {
  const m = /^(\d+(?:\.\d+)?)(ft|m)?$/.exec(v);
  if (!m || !(Number(m[1]) > 0))
    throw new InputError(msg('forecast.badValue', { field, value: v }), [
      { field, expected: 'a positive length like 250ft, 76m or a number in the CRS unit', got: v },
    ]);
  if (m[2] === 'ft' && isFootCrs(unitMetres)) return Number(m[1]);
  const metres = m[2] === 'ft' ? Number(m[1]) * M_PER_FT : m[2] === 'm' ? Number(m[1]) : Number(m[1]) * unitMetres;
  return metres / unitMetres;
}

/** `0.25sqmi`, `650000sqm`, `7000000sqft` or a bare number in CRS units² → CRS units². */
export function parseArea(v: string, unitMetres: number, field: string): number {
  const m = /^(\d+(?:\.\d+)?)(sqmi|sqft|sqm|sqkm)?$/.exec(v);
  if (!m || !(Number(m[1]) > 0))
    throw new InputError(msg('forecast.badValue', { field, value: v }), [
      { field, expected: 'a positive area like 0.25sqmi, 650000sqm or 7000000sqft', got: v },
    ]);
  if (isFootCrs(unitMetres) && (m[2] === 'sqmi' || m[2] === 'sqft'))
    return Number(m[1]) * (m[2] === 'sqmi' ? 5280 ** 2 : 1);
  const perUnit = { sqmi: M_PER_MI ** 2, sqft: M_PER_FT ** 2, sqm: 1, sqkm: 1e6 }[m[2] as 'sqmi'] ?? unitMetres ** 2;
  return (Number(m[1]) * perUnit) / unitMetres ** 2;
}

/**
 * A model on the command line: `auto`, or a registered family's syntax (`counts[:DAYS]`,
 * `prospective:RADIUS:WEEKS`, `kde:gaussian|quartic:BANDWIDTH:HALFLIFE_DAYS`, …). Lengths take units
 * (250ft) or are in CRS units.
 */
export function parseModel(v: string, unitMetres: number): ModelParams | 'auto' {
  const [name, ...a] = v.split(':');
  if (name === 'auto') return 'auto';
  const bad = (field: string, expected: string, got?: string): never => {
    throw new InputError(msg('forecast.badModel', { model: v }), [
      { field: `model.${field}`, expected, ...(got === undefined ? {} : { got }) },
    ]);
  };
  const num = (s: string | undefined, field: string, def?: number) => {
    if (s === undefined && def !== undefined) return def;
    const n = Number(s);
    if (!(n > 0)) bad(field, 'a positive number', String(s));
    return n;
  };
  const len = (s: string | undefined, field: string) =>
    s === undefined ? bad(field, 'a length like 500ft') : parseLength(s, unitMetres, `model.${field}`);
  const family = modelFamily(name);
  if (!family)
    throw new InputError(msg('forecast.unknownModel', { model: v }), [
      { field: 'model', expected: modelChoices(), got: v },
    ]);
  return family.parse(name as ModelParams['model'], a, { num, len, bad });
}

/** Every way to name a model on the command line: `auto | learned | ensemble | counts[:DAYS] | …`. */
export function modelChoices(): string {
  const syntax = (name: string) => {
    const f = modelFamily(name)!;
    return f.syntax[f.names.indexOf(name as ModelParams['model'])];
  };
  return ['auto', ...MODEL_NAMES.map(syntax)].join(' | ');
}

export function parseWindow(w: string, field: string): string {
  if (!WINDOWS.includes(w))
    throw new InputError(msg('forecast.badValue', { field, value: w }), [
      { field, expected: WINDOWS.join(' | '), got: w },
    ]);
  return w;
}

export function parseDate(v: string, field: string): number {
  const t = /^\d{4}-\d{2}-\d{2}$/.test(v) ? Date.parse(`${v}T00:00:00Z`) : NaN;
  if (!Number.isFinite(t))
    throw new InputError(msg('forecast.badValue', { field, value: v }), [
      { field, expected: 'a date YYYY-MM-DD', got: v },
    ]);
  return t;
}

export function parseCount(v: string, field: string, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw new InputError(msg('forecast.badValue', { field, value: v }), [
      { field, expected: `an integer from 0 to ${max}`, got: v },
    ]);
  return n;
}
