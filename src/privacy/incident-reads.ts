/**
 * Reads of incident points (exact places, subtypes: personal data about victims and witnesses) under
 * purpose limitation: only incidents of sources whose register record allows the read's purpose are
 * returned; naming a source that does not is refused, and the refusal is logged.
 */
import type { Principal } from '../accounts/accounts';
import type { Ledger } from '../ledger-service/ledger';
import { userRef } from '../ledger-service/events';
import type { Store } from '../store/db';
import { incidentFeatures, type IncidentFilter } from '../store/incident-queries';
import { requirePurpose, sourcesAllowing, type Purpose } from './sources';

export async function readIncidentPoints(
  store: Store,
  ledger: Ledger,
  p: Principal,
  purpose: Purpose,
  filter: IncidentFilter,
  limit: number,
) {
  if (filter.source) await requirePurpose(store, ledger, userRef(p.id), filter.source, purpose, 'read incident points');
  const f = { ...filter, sources: await sourcesAllowing(store.db, purpose) };
  const { featuresJson, matched, returned } = await incidentFeatures(store, f, limit);
  // The features arrive as JSON bytes, built on a reader thread: the reply is written around them, not re-serialised.
  const head = `{"type":"FeatureCollection","purpose":${JSON.stringify(purpose)},"matched":${matched},"returned":${returned},"features":`;
  const json = Buffer.concat([Buffer.from(head), featuresJson, Buffer.from('}')]);
  return { matched, returned, json };
}
