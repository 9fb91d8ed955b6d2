import { useTranslation } from 'react-i18next';

/** The part of JSON Schema (as zod's toJSONSchema writes it) the record form needs. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: (string | number)[];
  maxLength?: number;
  minimum?: number;
  maximum?: number;
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
}

/**
 * A form generated from a JSON Schema: every field labelled in plain words (record.field.PATH in the
 * translations, else the property name in words), help text from record.help.PATH, the server's problem for
 * that field shown beside it. Arrays grow and shrink with buttons; no JSON is typed.
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
    />
  );
}

function ObjectFields({
  schema,
  value,
  onChange,
  path,
  problems,
}: {
  schema: JsonSchema;
  value: unknown;
  onChange: (v: unknown) => void;
  path: string;
  problems: Record<string, string>;
}) {
  const { t } = useTranslation();
  const obj = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([k, sub]) => {
        const p = `${path}.${k}`;
        const key = p.replace(/\.\d+(?=\.|$)/g, '').replace(/^record\./, '');
        return (
          <Field
            key={k}
            schema={sub}
            value={obj[k]}
            path={p}
            problems={problems}
            required={schema.required?.includes(k) ?? false}
            label={t(`record.field.${key}`, { defaultValue: humanise(k) })}
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

function Field({ schema, value, onChange, path, label, required, problems }: FieldProps) {
  const { t } = useTranslation();
  const key = path.replace(/\.\d+(?=\.|$)/g, '').replace(/^record\./, '');
  const help = t(`record.help.${key}`, { defaultValue: '' });
  const problem = problems[path];
  const name = path.replace(/^record\./, '');
  const note = (
    <>
      {help && <span className="help">{help}</span>}
      {problem !== undefined && (
        <span className="error" role="alert" data-field={name}>
          {t('form.checkField', { field: label })}{' '}
          <span className="note" translate="no">
            {problem}
          </span>
        </span>
      )}
    </>
  );
  const mark = required ? ' *' : '';
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
        />
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
              {t(`record.enum.${o}`, { defaultValue: String(o) })}
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
          min={schema.minimum}
          max={schema.maximum}
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
        <textarea
          name={name}
          rows={3}
          maxLength={schema.maxLength}
          value={String(value ?? '')}
          onChange={(e) => onChange(e.target.value)}
        />
      ) : (
        <input
          name={name}
          maxLength={schema.maxLength}
          value={String(value ?? '')}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {note}
    </label>
  );
}

/**
 * Where each problem of a refused record goes: a server field like `body/record/provider/name` or
 * `record.provider.name` becomes the form path `record.provider.name`.
 */
export function problemsByField(errors: { field?: string; expected?: string }[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors ?? []) {
    if (!e.field) continue;
    const path = e.field
      .replace(/^body[/.]?/, '')
      .replace(/\//g, '.')
      .replace(/^\./, '');
    const key = path.startsWith('record') ? path : `record.${path}`;
    out[key] = e.expected ?? '';
  }
  return out;
}
