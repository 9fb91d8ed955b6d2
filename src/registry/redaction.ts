/**
 * Structured redaction for the public register: a redaction names one field path, the legal reason,
 * who decided and when it expires. Applied to a record it replaces that field's value with a marker
 * saying why, instead of hiding the record; an expired redaction no longer applies. Some fields are
 * never redactable: the public always learns what a system is, what it is for, under which law, who
 * runs it and how to contest it.
 */
import { InputError, preview } from '../domain/errors';
import type { SystemRecord } from './record';

export const LEGAL_REASONS = ['national-security', 'ongoing-investigation', 'personal-data', 'security-of-systems', 'commercial-confidentiality', 'court-order'] as const;
export type LegalReason = (typeof LEGAL_REASONS)[number];

export interface Redaction {
  /** Dotted path into the record, array indices as numbers: `model.trainingData`, `dataSources.1.provenance`. */
  path: string;
  reason: LegalReason;
  /** The statute or decision relied on, e.g. "Official Information Disclosure Act art. 9(1)(4)". */
  legalReference: string;
  decidedBy: string;
  decidedAt: string;
  /** Redactions expire; renewal is a new decision. */
  expiresAt: string;
}

export interface RedactionMarker { redacted: true; reason: LegalReason; legalReference: string; decidedBy: string; expiresAt: string }

/** Never withheld (prefixes of paths). */
export const NEVER_REDACTED = ['system', 'purpose', 'intendedUse', 'prohibitedUses', 'legalBasis', 'deployingUnit', 'notification', 'flags', 'outputSchema.kind'] as const;

const PATH = /^[A-Za-z][A-Za-z0-9_]*(\.([A-Za-z][A-Za-z0-9_]*|\d{1,4})){0,7}$/;
const MAX_REDACTION_DAYS = 5 * 365;

/** Validate a redaction decision; throws InputError naming the bad field. */
export function validateRedaction(r: Redaction): Redaction {
  const bad = (field: string, expected: string, got?: unknown) => { throw new InputError('invalid redaction', [{ field: `redaction.${field}`, expected, got: got === undefined ? undefined : preview(got) }]); };
  if (typeof r.path !== 'string' || !PATH.test(r.path)) bad('path', 'a dotted field path such as model.trainingData', r.path);
  const top = r.path.split('.');
  for (const n of NEVER_REDACTED) {
    const parts = n.split('.');
    if (parts.every((p, i) => top[i] === p)) bad('path', `a field that may be withheld (${NEVER_REDACTED.join(', ')} are always public)`, r.path);
  }
  if (!(LEGAL_REASONS as readonly string[]).includes(r.reason)) bad('reason', LEGAL_REASONS.join(' | '), r.reason);
  if (typeof r.legalReference !== 'string' || !r.legalReference.trim() || r.legalReference.length > 500) bad('legalReference', 'the provision or decision relied on (1-500 characters)');
  if (typeof r.decidedBy !== 'string' || !r.decidedBy.trim()) bad('decidedBy', 'who decided');
  const at = Date.parse(r.decidedAt), until = Date.parse(r.expiresAt);
  if (Number.isNaN(at)) bad('decidedAt', 'an ISO 8601 time', r.decidedAt);
  if (Number.isNaN(until) || until <= at) bad('expiresAt', 'an ISO 8601 time after decidedAt', r.expiresAt);
  if (until - at > MAX_REDACTION_DAYS * 86_400_000) bad('expiresAt', `at most ${MAX_REDACTION_DAYS} days after the decision`, r.expiresAt);
  return r;
}

export interface PublicView<T> {
  record: T;
  /** Redactions in force, as shown to the public (the path and the reason are public too). */
  applied: Redaction[];
  /** Redactions whose expiry has passed (the value is public again). */
  expired: Redaction[];
  /** Paths that do not exist in this record (a decision about another version's field). */
  unmatched: Redaction[];
}

/**
 * The public view of a record at `now`: current redactions replaced by markers; the record is never
 * hidden. Person ids (owner, supervisor) are replaced through `pseudonymise` (the operator's keyed
 * pseudonym, see ledger/leaf), never shown raw. Pure: the input is not modified.
 */
export function publicView(record: SystemRecord, redactions: readonly Redaction[], now: string, pseudonymise: (userId: string) => string): PublicView<Record<string, unknown>> {
  const out = structuredClone(record) as Record<string, unknown>;
  if (record.accountableOwnerId) out.accountableOwnerId = pseudonymise(record.accountableOwnerId);
  if (record.supervisorId) out.supervisorId = pseudonymise(record.supervisorId);
  const t = Date.parse(now);
  const applied: Redaction[] = [], expired: Redaction[] = [], unmatched: Redaction[] = [];
  for (const r of redactions) {
    if (!(Date.parse(r.decidedAt) <= t)) continue; // not yet decided at `now`
    if (!(t < Date.parse(r.expiresAt))) { expired.push(r); continue; }
    const parts = r.path.split('.');
    let node: unknown = out;
    for (const p of parts.slice(0, -1)) node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[p] : undefined;
    const last = parts[parts.length - 1];
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, last)) { unmatched.push(r); continue; }
    const marker: RedactionMarker = { redacted: true, reason: r.reason, legalReference: r.legalReference, decidedBy: r.decidedBy, expiresAt: r.expiresAt };
    (node as Record<string, unknown>)[last] = marker;
    applied.push(r);
  }
  return { record: out, applied, expired, unmatched };
}

export function isRedactionMarker(v: unknown): v is RedactionMarker {
  return typeof v === 'object' && v !== null && (v as { redacted?: unknown }).redacted === true && typeof (v as { reason?: unknown }).reason === 'string';
}
