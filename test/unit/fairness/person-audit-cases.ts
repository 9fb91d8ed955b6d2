/**
 * Seeded random audit inputs (own PRNG, so the cases do not depend on a library's version) covering the
 * options that change the output: reference rule, missing policy, intersections, band, minimum group
 * size, significance, confidence. Used to pin auditColumns' output across refactors.
 */
import type { AuditColumns, AuditOptions } from '../../../src/fairness/person-audit';

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function auditCase(seed: number): { cols: AuditColumns; opts: AuditOptions } {
  const r = mulberry32(seed);
  const int = (n: number) => Math.floor(r() * n);
  const n = [0, 1, 5, 40, 120, 600][int(6)];
  const nAttr = 1 + int(3);
  const attributes = Array.from({ length: nAttr }, (_, a) => {
    const levels = Array.from({ length: 1 + int(4) }, (_, l) => `a${a}v${l}`);
    const missingShare = r() < 0.5 ? 0 : 0.1;
    // skewed level frequencies so groups differ in size; some codes out of range = missing
    const codes = Int32Array.from({ length: n }, () =>
      r() < missingShare
        ? r() < 0.5
          ? -1
          : levels.length + 3
        : Math.min(levels.length - 1, Math.floor(levels.length * r() ** 1.5)),
    );
    return { name: `attr${a}`, levels, codes };
  });
  const bias = attributes[0].levels.map(() => r());
  const predicted = Uint8Array.from({ length: n }, (_, i) =>
    r() < 0.3 + 0.4 * (bias[attributes[0].codes[i]] ?? 0.5) ? 1 : 0,
  );
  const label = Uint8Array.from({ length: n }, (_, i) => (r() < (predicted[i] ? 0.6 : 0.3) ? 1 : 0));
  const opts: AuditOptions = {};
  const pick = int(4);
  if (pick === 1) opts.reference = { mode: 'best' };
  if (pick === 2) opts.reference = { mode: 'named', group: attributes[0].levels[0] };
  if (pick === 3) opts.reference = { mode: 'largest' };
  if (r() < 0.4) opts.missing = 'exclude';
  if (nAttr > 1 && r() < 0.5) opts.intersections = r() < 0.5 ? true : [['attr0', 'attr1']];
  if (r() < 0.3) opts.band = [0.9, 1.1];
  if (r() < 0.5) opts.minGroupSize = [1, 5, 10, 30][int(4)];
  if (r() < 0.3) opts.requireSignificance = true;
  if (r() < 0.2) opts.confidence = 0.9;
  if (r() < 0.2) opts.minExpected = 10;
  if (nAttr > 1 && r() < 0.2) opts.attributes = ['attr1', 'attr0'];
  return { cols: { predicted, label, attributes }, opts };
}

/** Seeds of the pinned cases. */
export const AUDIT_SEEDS = Array.from({ length: 300 }, (_, i) => i + 1);
