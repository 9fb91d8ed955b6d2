import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { ProblemNote } from '../../components/ProblemNote';
import { formatDateTime } from '../../time';
import { Section, useAction, type LayerRow } from './common';

/** The coordinate systems the server can project from (src/geo). */
const CRS = ['EPSG:4326', 'EPSG:3857', 'EPSG:2913', 'EPSG:3435', 'EPSG:2278', 'EPSG:5179', 'EPSG:5186', 'EPSG:5174'];

interface Picked {
  text: string;
  fields: string[];
  features: number;
  /** The CRS the file declares (GeoJSON 2008 `crs` member), if it names an EPSG code. */
  declared: string | null;
}

/** A layer name the server accepts, from the file's name. */
const layerNameOf = (file: string) =>
  file
    .replace(/\.(geo)?json$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 64);

/** Read a GeoJSON file in the browser: the property names of its first feature, and any declared CRS. */
function pick(text: string): Picked | null {
  try {
    const json = JSON.parse(text) as {
      type?: string;
      features?: { properties?: Record<string, unknown> }[];
      crs?: { properties?: { name?: string } };
    };
    if (json?.type !== 'FeatureCollection' || !Array.isArray(json.features)) return null;
    const code = /EPSG:*(\d{4,6})/i.exec(json.crs?.properties?.name ?? '');
    return {
      text,
      fields: Object.keys(json.features[0]?.properties ?? {}),
      features: json.features.length,
      declared: code ? `EPSG:${code[1]}` : null,
    };
  } catch {
    return null;
  }
}

/**
 * Area layers: a jurisdiction boundary or areas (districts, beats) uploaded as GeoJSON. The file is read
 * here so its property names fill the code and name choices; the server validates every feature.
 */
export function AreaLayers({ layers, reload }: { layers: LayerRow[]; reload: () => void }) {
  const { t } = useTranslation();
  const act = useAction(reload);
  const [file, setFile] = useState<Picked | null>(null);
  const [unreadable, setUnreadable] = useState(false);
  const [f, setF] = useState({ name: '', kind: 'areas', codeField: '', nameField: '', crs: '' });

  const choose = async (chosen: File | undefined) => {
    setFile(null);
    setUnreadable(false);
    if (!chosen) return;
    const p = pick(await chosen.text());
    if (!p) return setUnreadable(true);
    setFile(p);
    setF({
      name: layerNameOf(chosen.name),
      kind: f.kind,
      codeField: p.fields.find((x) => /^(code|id|.*_code|.*cd)$/i.test(x)) ?? p.fields[0] ?? '',
      nameField: p.fields.find((x) => /name/i.test(x)) ?? '',
      crs: p.declared ?? '',
    });
  };

  const upload = () =>
    act.run(
      async () => {
        if (!file) throw new Error(t('admin.layers.chooseFile'));
        const q = new URLSearchParams({ name: f.name, kind: f.kind });
        if (f.codeField) q.set('codeField', f.codeField);
        if (f.nameField) q.set('nameField', f.nameField);
        if (f.crs) q.set('crs', f.crs);
        await api(`/api/layers?${q}`, { method: 'POST', body: file.text });
      },
      t('admin.layers.uploaded', { name: f.name }),
    );

  const fieldSelect = (name: 'codeField' | 'nameField', label: string, optional: boolean) => (
    <label>
      {label}
      <select
        name={name === 'codeField' ? 'layer-code-field' : 'layer-name-field'}
        value={f[name]}
        onChange={(e) => setF({ ...f, [name]: e.target.value })}
      >
        {optional && <option value="">{t('admin.layers.sameAsCode')}</option>}
        {(file?.fields ?? []).map((x) => (
          <option key={x} value={x} translate="no">
            {x}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <Section id="area-layers" title={t('admin.layers.title')}>
      <p className="note">{t('admin.layers.help')}</p>
      <table className="register" data-testid="layers">
        <thead>
          <tr>
            <th>{t('admin.layers.name')}</th>
            <th>{t('admin.layers.kind')}</th>
            <th>{t('admin.layers.features')}</th>
            <th>{t('admin.layers.crs')}</th>
            <th>{t('admin.layers.added')}</th>
          </tr>
        </thead>
        <tbody>
          {layers.map((l) => (
            <tr key={l.name} data-layer={l.name}>
              <td translate="no">{l.name}</td>
              <td>{t(`admin.layers.kind.${l.kind}`)}</td>
              <td data-count={l.featureCount}>{l.featureCount.toLocaleString()}</td>
              <td translate="no">{l.srcCrs}</td>
              <td>{formatDateTime(l.createdAt)}</td>
            </tr>
          ))}
          {layers.length === 0 && (
            <tr>
              <td colSpan={5}>{t('admin.layers.none')}</td>
            </tr>
          )}
        </tbody>
      </table>
      <div className="panel">
        <h3>{t('admin.layers.new')}</h3>
        <label>
          {t('admin.layers.file')}
          <input
            type="file"
            name="layer-file"
            accept=".geojson,.json,application/geo+json,application/json"
            onChange={(e) => void choose(e.target.files?.[0])}
          />
        </label>
        {unreadable && (
          <p role="alert" className="error" data-testid="layer-unreadable">
            {t('admin.layers.notGeoJson')}
          </p>
        )}
        {file && (
          <p className="note" data-testid="layer-file-summary">
            {t('admin.layers.fileSummary', { count: file.features, fields: file.fields.length })}
          </p>
        )}
        <label>
          {t('admin.layers.name')}
          <input name="layer-name" value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} />
        </label>
        <label>
          {t('admin.layers.kind')}
          <select name="layer-kind" value={f.kind} onChange={(e) => setF({ ...f, kind: e.target.value })}>
            <option value="areas">{t('admin.layers.kind.areas')}</option>
            <option value="jurisdiction">{t('admin.layers.kind.jurisdiction')}</option>
          </select>
        </label>
        {fieldSelect('codeField', t('admin.layers.codeField'), false)}
        {fieldSelect('nameField', t('admin.layers.nameField'), true)}
        <label>
          {t('admin.layers.crs')}
          <select name="layer-crs" value={f.crs} onChange={(e) => setF({ ...f, crs: e.target.value })}>
            <option value="">{t('admin.layers.crsDeclared')}</option>
            {CRS.map((c) => (
              <option key={c} value={c} translate="no">
                {c}
              </option>
            ))}
          </select>
        </label>
        <button name="upload-layer" onClick={upload} disabled={!file}>
          {t('admin.layers.upload')}
        </button>
      </div>
      {act.done && (
        <p className="note" role="status" data-testid="layers-done">
          {act.done}
        </p>
      )}
      <ProblemNote error={act.error} testId="layers-error" />
    </Section>
  );
}
