/**
 * Provenance: the SHA-256 of the canonical, sorted training incidents (the data snapshot), and the run
 * record {dataSnapshotHash, config, codeVersion, seed} that reproduces a forecast bit for bit.
 */
import { createHash } from 'node:crypto';
import type { ForecastIncident } from './data';

/**
 * SHA-256 over the incidents sorted by (t, id, type, origin, x, y), one canonical JSON line each with keys
 * in a fixed order. Independent of input order. O(n log n).
 */
export function dataSnapshotHash(incidents: readonly ForecastIncident[]): string {
  const sorted = [...incidents].sort(
    (a, b) =>
      a.t - b.t ||
      cmp(a.id, b.id) ||
      cmp(a.type, b.type) ||
      cmp(a.origin, b.origin) ||
      a.x - b.x ||
      a.y - b.y ||
      cmp(a.timePrecision, b.timePrecision),
  );
  const h = createHash('sha256');
  for (const e of sorted) h.update(`${JSON.stringify([e.id, e.type, e.origin, e.t, e.timePrecision, e.x, e.y])}\n`);
  return h.digest('hex');
}
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface RunRecord<C = unknown> {
  dataSnapshotHash: string;
  config: C;
  codeVersion: string;
  seed: number;
}

/** SHA-256 of a Float64Array's bytes: a compact fingerprint to compare two forecasts bit for bit. */
export function riskFingerprint(risk: Float64Array): string {
  return createHash('sha256')
    .update(new Uint8Array(risk.buffer, risk.byteOffset, risk.byteLength))
    .digest('hex');
}
