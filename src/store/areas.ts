import { randomUUID } from 'node:crypto';
import { InputError } from '../domain/errors';
import { areaDemographics, loadDemographicsDeclaration } from '../fairness';
import type { AreaLayer } from '../ingest/read-areas';
import { insertMany, nowIso, type Executor, type Store } from './db';
import { msg } from '../domain/messages';

/**
 * Store a validated area layer in one transaction. Re-importing a layer by the same name replaces it.
 * `demographics` names the declaration (config/demographics/<id>.json) of its resident groups: every
 * feature must fit it, or nothing is written.
 */
export async function saveAreaLayer(
  store: Store,
  name: string,
  kind: 'jurisdiction' | 'areas',
  layer: AreaLayer,
  opts: { demographics?: string } = {},
): Promise<{ layerId: string; areas: number; demographics: string | null }> {
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(name))
    throw new InputError(msg('store.badLayerName', { name }), [
      { field: '--name', expected: 'lower-case letters, digits, . _ - (max 64)' },
    ]);
  let demographics: string | null = null;
  if (opts.demographics) {
    const d = loadDemographicsDeclaration(opts.demographics);
    areaDemographics(
      layer.areas.map((a) => ({ properties: { code: a.code, name: a.name, ...a.attrs } })),
      d,
    );
    demographics = d.id;
  }
  const layerId = randomUUID();
  await store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('area_layers').where('name', '=', name).execute();
    await trx
      .insertInto('area_layers')
      .values({
        id: layerId,
        name,
        kind,
        src_crs: layer.srcCrs,
        file_sha256: layer.sha256,
        feature_count: layer.areas.length,
        created_at: nowIso(),
        demographics,
      })
      .execute();
    await insertMany(
      store,
      trx,
      'areas',
      layer.areas.map((a) => ({
        layer_id: layerId,
        code: a.code,
        name: a.name,
        geometry: JSON.stringify(a.geometry),
        min_lon: a.bbox[0],
        min_lat: a.bbox[1],
        max_lon: a.bbox[2],
        max_lat: a.bbox[3],
        attrs: JSON.stringify(a.attrs),
      })),
      ['layer_id', 'code'],
    );
  });
  return { layerId, areas: layer.areas.length, demographics };
}

export async function listLayers(db: Executor) {
  return db.selectFrom('area_layers').selectAll().orderBy('name').execute();
}

/** A layer as a GeoJSON FeatureCollection in WGS84, for maps and audits. */
export async function layerGeoJson(db: Executor, name: string) {
  const layer = await db.selectFrom('area_layers').selectAll().where('name', '=', name).executeTakeFirst();
  if (!layer) return undefined;
  const rows = await db.selectFrom('areas').selectAll().where('layer_id', '=', layer.id).orderBy('code').execute();
  return {
    type: 'FeatureCollection' as const,
    name: layer.name,
    kind: layer.kind,
    demographics: layer.demographics ?? null,
    features: rows.map((r) => ({
      type: 'Feature' as const,
      id: r.code,
      properties: { code: r.code, name: r.name, ...JSON.parse(r.attrs) },
      geometry: JSON.parse(r.geometry),
    })),
  };
}
