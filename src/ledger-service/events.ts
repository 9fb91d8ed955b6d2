/**
 * How the platform's own actions are written to the log: one function per event, so every service
 * records the same fields. Actors and subjects are pseudonymous references; details go in the payload.
 */
import type { Ledger } from './ledger';

export const userRef = (id: string | null | undefined) => (id ? `user:${id}` : 'system:anonymous-caller');
export const datasetRef = (id: string) => `dataset:${id}`;

export function recordImport(
  ledger: Ledger,
  actor: string,
  d: {
    datasetId: string;
    source: string;
    profile: string;
    sha256: string;
    rowsRead: number;
    imported: number;
    duplicates: number;
    rejected: number;
  },
) {
  return ledger.append({ type: 'data.import', actor, subjects: [datasetRef(d.datasetId)], payload: d });
}

export function recordAreaLayer(
  ledger: Ledger,
  actor: string,
  d: { layerId: string; name: string; kind: string; sha256: string; areas: number },
) {
  return ledger.append({ type: 'data.area-layer', actor, subjects: [`layer:${d.layerId}`], payload: d });
}
