/** Area layers (jurisdictions, districts) saved and logged together, as the web app, the CLI and the demo add them. */
import type { AreaLayer } from '../ingest/read-areas';
import { recordAreaLayer } from '../ledger-service/events';
import type { Ledger } from '../ledger-service/ledger';
import { saveAreaLayer } from '../store/areas';
import type { Store } from '../store/db';

/**
 * Save a layer under `name` (replacing one of that name) and log it with the layer's file hash, or with
 * `sha256` when the layer was built from more than one file (the hash of what it was built from).
 */
export async function publishAreaLayer(
  store: Store,
  ledger: Ledger,
  actor: string,
  name: string,
  kind: 'jurisdiction' | 'areas',
  layer: AreaLayer,
  opts: { demographics?: string; sha256?: string } = {},
): Promise<{ layerId: string; areas: number; demographics: string | null }> {
  const r = await saveAreaLayer(store, name, kind, layer, { demographics: opts.demographics });
  const sha256 = opts.sha256 ?? layer.sha256;
  await recordAreaLayer(ledger, actor, { layerId: r.layerId, name, kind, sha256, areas: r.areas });
  return r;
}
