import { useTranslation } from 'react-i18next';

/** The part of JSON Schema (as zod's toJSONSchema writes it) the record form needs. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: (string | number)[];
  maxLength?: number;
  minLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  /** A map (e.g. output field name → type): rows of name and value. */
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  description?: string;
}

/** `intendedUse` → `Intended use`: the fallback label when no translation names the field. */
export function humanise(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** An empty value of a schema's shape: what a new form starts from. */
export function emptyOf(s: JsonSchema): unknown {
  if (s.type === 'object')
    return Object.fromEntries(
      Object.entries(s.properties ?? {})
        .filter(([k]) => s.required?.includes(k))
        .map(([k, v]) => [k, emptyOf(v)]),
    );
  if (s.type === 'array') return [];
  if (s.type === 'integer' || s.type === 'number') return s.minimum ?? 0;
  if (s.type === 'boolean') return false;
  if (s.enum) return s.enum[0];
  return '';
}

interface FieldProps {
  schema: JsonSchema;
  value: unknown;
  onChange: (v: unknown) => void;
  path: string;
  label: string;
  required: boolean;
  problems: Record<string, string>;
  prefix: string;
}

/** `record.personalData.0.x` → `personalData.x`: the translation key of a field, whatever its index. */
const keyOf = (path: string, prefix: string) => path.replace(/\.\d+(?=\.|$)/g, '').slice(prefix.length + 1);
/** `record.metrics.0.name` → `metrics.0.name`: the field's form name (what the server's problems name). */
const nameOf = (path: string, prefix: string) => path.slice(prefix.length + 1);

/**
 * A form generated from a JSON Schema: every field labelled in plain words (PREFIX.field.PATH in the
 * translations, else the property name in words), help text from PREFIX.help.PATH, the problem for that
 * field (the server's, or validate()'s) shown beside it. Arrays grow and shrink with buttons, a list of
 * fixed choices is a row of checkboxes, a map (name → type) is rows of both; no JSON is typed.
 */
export function SchemaForm({
  schema,
  value,
  onChange,
  problems = {},
  prefix = 'record',
}: {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange: (v: Record<string, unknown>) => void;
  problems?: Record<string, string>;
  prefix?: string;
}) {
  return (
    <ObjectFields
      schema={schema}
      value={value}
      onChange={(v) => onChange(v as Record<string, unknown>)}
      path={prefix}
      problems={problems}
      prefix={prefix}
    />
  );
}

function ObjectFields({
  schema,
  value,
  onChange,
  path,
  problems,
  prefix,
}: {
  schema: JsonSchema;
  value: unknown;
  onChange: (v: unknown) => void;
  path: string;
  problems: Record<string, string>;
  prefix: string;
}) {
  const { t } = useTranslation();
  const obj = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([k, sub]) => {
        const p = `${path}.${k}`;
        return (
          <Field
            key={k}
            schema={sub}
            value={obj[k]}
            path={p}
            problems={problems}
            prefix={prefix}
            required={schema.required?.includes(k) ?? false}
            label={t(`${prefix}.field.${keyOf(p, prefix)}`, { defaultValue: humanise(k) })}
            onChange={(v) => {
              const next = { ...obj };
              if (v === undefined || v === '') delete next[k];
              else next[k] = v;
              onChange(next);
            }}
          />
        );
      })}
    </>
  );
}

function Field({ schema, value, onChange, path, label, required, problems, prefix }: FieldProps) {
  const { t } = useTranslation();
  const help = t(`${prefix}.help.${keyOf(path, prefix)}`, { defaultValue: '' });
  const problem = problems[path];
  const name = nameOf(path, prefix);
  const note = (
    <>
      {help && <span className="help">{help}</span>}
      {problem !== undefined && (
        <span className="error" role="alert" data-field={name}>
          {t('form.checkField', { field: label })} <span className="note">{problem}</span>
        </span>
      )}
    </>
  );
  const mark = required ? ' *' : '';
  const enumLabel = (o: string | number) => t(`${prefix}.enum.${o}`, { defaultValue: String(o) });
  if (schema.type === 'object' && schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    // A map: one row per entry, its name typed, its value chosen (e.g. an output field and its type).
    const entries = Object.entries((value && typeof value === 'object' ? value : {}) as Record<string, unknown>);
    const valueSchema = schema.additionalProperties;
    const set = (list: [string, unknown][]) => onChange(Object.fromEntries(list));
    return (
      <fieldset data-field={name}>
        <legend>
          {label}
          {mark}
        </legend>
        {note}
        {entries.map(([k, v], i) => (
          <div key={i} className="array-item">
            <label>
              {t('form.entryName')}
              <input
                name={`${name}.${i}.name`}
                value={k}
                onChange={(e) => set(entries.map((x, j) => (j === i ? [e.target.value, x[1]] : x)))}
              />
            </label>
            <Field
              schema={valueSchema}
              value={v}
              path={`${path}.${i}.value`}
              label={t('form.entryValue')}
              required
              problems={problems}
              prefix={prefix}
              onChange={(nv) => set(entries.map((x, j) => (j === i ? [x[0], nv] : x)))}
            />
            <button type="button" name={`remove-${name}-${i}`} onClick={() => set(entries.filter((_, j) => j !== i))}>
              {t('form.remove')}
            </button>
          </div>
        ))}
        <button
          type="button"
          name={`add-${name}`}
          onClick={() => set([...entries, [`field${entries.length + 1}`, emptyOf(valueSchema)]])}
        >
          {t('form.add', { what: label })}
        </button>
      </fieldset>
    );
  }
  if (schema.type === 'object') {
    return (
      <fieldset data-field={name}>
        <legend>
          {label}
          {mark}
        </legend>
        {note}
        <ObjectFields
          schema={schema}
          value={value ?? emptyOf(schema)}
          onChange={onChange}
          path={path}
          problems={problems}
          prefix={prefix}
        />
      </fieldset>
    );
  }
  if (schema.type === 'array' && schema.items?.enum) {
    // A set of fixed choices: a checkbox each.
    const picked = Array.isArray(value) ? value : [];
    return (
      <fieldset data-field={name}>
        <legend>
          {label}
          {mark}
        </legend>
        {note}
        {schema.items.enum.map((o) => (
          <label key={o} className="check">
            <input
              type="checkbox"
              name={`${name}.${o}`}
              checked={picked.includes(o)}
              onChange={(e) => onChange(e.target.checked ? [...picked, o] : picked.filter((x) => x !== o))}
            />
            {enumLabel(o)}
          </label>
        ))}
      </fieldset>
    );
  }
  if (schema.type === 'array' && schema.items) {
    const list = Array.isArray(value) ? value : [];
    const items = schema.items;
    return (
      <fieldset data-field={name}>
        <legend>
          {label}
          {mark}
        </legend>
        {note}
        {list.map((item, i) => (
          <div key={i} className="array-item">
            {items.type === 'object' ? (
              <fieldset>
                <legend>
                  {label} {i + 1}
                </legend>
                <ObjectFields
                  schema={items}
                  value={item}
                  path={`${path}.${i}`}
                  problems={problems}
                  prefix={prefix}
                  onChange={(v) => onChange(list.map((x, j) => (j === i ? v : x)))}
                />
              </fieldset>
            ) : (
              <Field
                schema={items}
                value={item}
                path={`${path}.${i}`}
                label={`${label} ${i + 1}`}
                required={false}
                problems={problems}
                prefix={prefix}
                onChange={(v) => onChange(list.map((x, j) => (j === i ? v : x)))}
              />
            )}
            <button type="button" name={`remove-${name}-${i}`} onClick={() => onChange(list.filter((_, j) => j !== i))}>
              {t('form.remove')}
            </button>
          </div>
        ))}
        <button type="button" name={`add-${name}`} onClick={() => onChange([...list, emptyOf(items)])}>
          {t('form.add', { what: label })}
        </button>
      </fieldset>
    );
  }
  if (schema.enum) {
    return (
      <label>
        {label}
        {mark}
        <select name={name} value={String(value ?? '')} onChange={(e) => onChange(e.target.value || undefined)}>
          <option value="" />
          {schema.enum.map((o) => (
            <option key={o} value={o}>
              {enumLabel(o)}
            </option>
          ))}
        </select>
        {note}
      </label>
    );
  }
  if (schema.type === 'boolean') {
    return (
      <label className="check">
        <input type="checkbox" name={name} checked={value === true} onChange={(e) => onChange(e.target.checked)} />
        {label}
        {note}
      </label>
    );
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    return (
      <label>
        {label}
        {mark}
        <input
          type="number"
          name={name}
          step={schema.type === 'integer' ? 1 : 'any'}
          value={value === undefined ? '' : String(value)}
          onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
        />
        {note}
      </label>
    );
  }
  const long = (schema.maxLength ?? 0) >= 2000;
  return (
    <label>
      {label}
      {mark}
      {long ? (
        <textarea name={name} rows={3} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input name={name} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} />
      )}
      {note}
    </label>
  );
}

type Translate = (key: string, params?: Record<string, unknown>) => string;

/**
 * Check a value against its schema before it is sent, as the server would: each problem in plain words
 * (in the shown language) under the field's form path. `complete`: required fields and minimum lengths
 * count too (a model card); a draft record checks only what is filled in. O(fields).
 */
export function validate(
  schema: JsonSchema,
  value: unknown,
  t: Translate,
  { prefix = 'record', complete = false }: { prefix?: string; complete?: boolean } = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (s: JsonSchema, v: unknown, path: string, required: boolean) => {
    const empty = v === undefined || v === null || v === '';
    if (empty) {
      if (complete && required) out[path] = t('form.required');
      return;
    }
    if (s.type === 'object' && typeof v === 'object' && !Array.isArray(v)) {
      const obj = v as Record<string, unknown>;
      for (const [k, sub] of Object.entries(s.properties ?? {}))
        walk(sub, obj[k], `${path}.${k}`, s.required?.includes(k) ?? false);
      if (s.additionalProperties && typeof s.additionalProperties === 'object')
        Object.entries(obj).forEach(([k, x], i) => {
          if (s.propertyNames?.pattern && !new RegExp(s.propertyNames.pattern).test(k))
            out[`${path}.${i}.name`] = t('form.pattern');
          walk(s.additionalProperties as JsonSchema, x, `${path}.${i}.value`, true);
        });
      return;
    }
    if (s.type === 'array' && Array.isArray(v)) {
      if (s.minItems !== undefined && v.length < s.minItems && (complete || v.length > 0))
        out[path] = t('form.minItems', { min: s.minItems });
      else if (s.maxItems !== undefined && v.length > s.maxItems) out[path] = t('form.maxItems', { max: s.maxItems });
      if (s.items && !s.items.enum) v.forEach((x, i) => walk(s.items!, x, `${path}.${i}`, true));
      return;
    }
    if (s.type === 'integer' || s.type === 'number') {
      const n = Number(v);
      if (!Number.isFinite(n)) out[path] = t('form.notNumber');
      else if (s.type === 'integer' && !Number.isInteger(n)) out[path] = t('form.notWhole');
      else if (s.minimum !== undefined && n < s.minimum) out[path] = t('form.atLeast', { min: s.minimum });
      else if (s.maximum !== undefined && n > s.maximum) out[path] = t('form.atMost', { max: s.maximum });
      return;
    }
    if (typeof v === 'string') {
      if (s.enum && !s.enum.includes(v)) out[path] = t('form.choose');
      else if (s.maxLength !== undefined && v.length > s.maxLength) out[path] = t('form.tooLong', { max: s.maxLength });
      else if (complete && s.minLength !== undefined && v.trim().length < s.minLength) out[path] = t('form.required');
      else if (s.pattern && !new RegExp(s.pattern).test(v)) out[path] = t('form.pattern');
    }
  };
  walk(schema, value, prefix, true);
  return out;
}

/**
 * A stored value cut to what its schema's form edits: keys the schema does not name are left out (e.g. a
 * card generated from a backtest carries provenance the owner's form has no field for). O(size of value).
 */
export function fitToSchema(s: JsonSchema, v: unknown): unknown {
  if (s.type === 'object' && s.properties && v && typeof v === 'object' && !Array.isArray(v)) {
    const obj = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(s.properties)
        .filter(([k]) => obj[k] !== undefined && obj[k] !== null)
        .map(([k, sub]) => [k, fitToSchema(sub, obj[k])]),
    );
  }
  if (s.type === 'array' && s.items && Array.isArray(v)) return v.map((x) => fitToSchema(s.items!, x));
  return v;
}

/**
 * Where each problem of a refused record goes: a server field like `body/record/provider/name` or
 * `record.provider.name` becomes the form path `record.provider.name`.
 */
export function problemsByField(
  errors: { field?: string; expected?: string }[] | undefined,
  prefix = 'record',
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors ?? []) {
    if (!e.field) continue;
    const path = e.field
      .replace(/^body[/.]?/, '')
      .replace(/\//g, '.')
      .replace(/^\./, '');
    const key = path.startsWith(prefix) ? path : `${prefix}.${path}`;
    out[key] = e.expected ?? '';
  }
  return out;
}
