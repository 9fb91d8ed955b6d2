/**
 * Ledger leaves are commitments, not data.
 *
 * A leaf is the RFC 8785 canonical JSON (UTF-8) of
 *   { v: 1, type, time, actor, subjects, payloadHash }
 * where payloadHash = hex(SHA-256(salt || canonical JSON of the payload)) with a random
 * 32-byte salt. The payload (which may hold personal data) and the salt live in an
 * access-controlled side table; the leaf holds only pseudonymous references.
 *
 * Erasure deletes the payload and the salt and appends a tombstone leaf
 *   { v: 1, type: "tombstone", time, actor, erases: <index>, reason }
 * The erased leaf's bytes never change, so every old proof still verifies; without the salt
 * the payload hash no longer links to anything (a low-entropy payload cannot be guessed back).
 *
 * Validation is strict so that no free text can enter a leaf: event types are slugs,
 * actor/subject ids match the pseudonymous-ref pattern, unknown fields are rejected.
 */
import canonicalize from 'canonicalize';
import * as crypto from 'node:crypto';
import type { Where } from '../domain/errors';
import { LedgerError, type LedgerMessage } from './errors';
import { msg } from '../domain/messages';
import { MAX_ENTRY_SIZE } from './tiles';
import { sha256Hex } from './tile-hash.mjs';

export const LEAF_VERSION = 1;

/** Event types the platform writes (others are allowed if they match EVENT_TYPE_PATTERN). */
export const EventType = {
  aiOutput: 'ai.output',
  humanDecision: 'human.decision',
  modelVersion: 'model.version',
  assessmentApproval: 'assessment.approval',
  systemPause: 'system.pause',
  systemResume: 'system.resume',
  keyRotation: 'log.key-rotation',
  tombstone: 'tombstone',
} as const;

/** Lowercase dotted slug, e.g. `ai.output`, `human.decision` (no free text). */
export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9]*(?:[.-][a-z0-9]+){0,7}$/;

/**
 * Pseudonymous reference: `<kind>:<token>`, kind a lowercase slug (`officer`, `system`,
 * `alert`), token 8–128 chars of [A-Za-z0-9_-] and not all digits (so phone and ID numbers,
 * e-mail addresses and names with spaces cannot pass). Use pseudonymousRef() for people.
 */
export const REF_PATTERN = /^[a-z][a-z0-9-]{0,31}:[A-Za-z0-9_-]{8,128}$/;

export const ERASURE_REASONS = [
  'data-subject-request',
  'retention-expired',
  'court-order',
  'unlawful-processing',
] as const;
export type ErasureReason = (typeof ERASURE_REASONS)[number];

export const MAX_SUBJECTS = 64;

export interface EventLeaf {
  v: 1;
  type: string;
  /** UTC ISO 8601 with milliseconds, e.g. 2024-05-01T12:00:00.000Z. */
  time: string;
  actor: string;
  subjects: string[];
  /** Lowercase hex SHA-256(salt || canonical payload). */
  payloadHash: string;
}

export interface TombstoneLeaf {
  v: 1;
  type: 'tombstone';
  time: string;
  actor: string;
  /** Index of the leaf whose payload was erased. */
  erases: number;
  reason: ErasureReason;
}

export type Leaf = EventLeaf | TombstoneLeaf;

/** A 'leaf-invalid' error naming the field (every message here is `ledger.leaf-invalid.*`). */
function fail(message: LedgerMessage & { code: `ledger.leaf-invalid.${string}` }, where: Where): never {
  throw new LedgerError(message, [where]);
}

/**
 * Whether JSON.stringify(value) already is RFC 8785 canonical: only plain objects and arrays, every
 * object's keys in the order JSON.stringify walks them (Object.keys) already sorted by UTF-16 code units.
 * RFC 8785 serialises strings and numbers exactly as JSON.stringify does, so key order is the only
 * difference. O(size of value).
 */
function stringifyIsCanonical(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object')
    return typeof value !== 'function' && typeof value !== 'symbol' && typeof value !== 'bigint';
  if (depth > 64) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++)
      if (value[i] === undefined || !stringifyIsCanonical(value[i], depth + 1)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false; // Date, Map, class instances, toJSON: the general path
  if ('toJSON' in value) return false;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && !(keys[i - 1] < keys[i])) return false;
    const v = (value as Record<string, unknown>)[keys[i]];
    if (v === undefined || !stringifyIsCanonical(v, depth + 1)) return false;
  }
  return true;
}

/** RFC 8785 canonical JSON text of a JSON value: JSON.stringify when that is already canonical (the usual case), else `canonicalize`. */
export function canonicalJson(value: unknown): string {
  if (stringifyIsCanonical(value)) return JSON.stringify(value);
  let s: string | undefined;
  try {
    s = canonicalize(value);
  } catch (e) {
    fail(msg('ledger.leaf-invalid.canonicalReason', { reason: (e as Error).message }), {
      field: 'payload',
      expected: 'JSON value',
    });
  }
  if (s === undefined) fail(msg('ledger.leaf-invalid.canonical'), { field: 'payload', expected: 'JSON value' });
  return s;
}

/** RFC 8785 canonical JSON bytes of a JSON value. */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalJson(value), 'utf8');
}

export function isPseudonymousRef(ref: unknown): ref is string {
  return typeof ref === 'string' && REF_PATTERN.test(ref) && !/^[^:]+:[0-9]+$/.test(ref);
}

/**
 * Deterministic pseudonym for a person or record id: `<kind>:` + base64url(HMAC-SHA256(key,
 * kind + ":" + id))[:22] (128 bits). The key stays with the operator; without it the
 * reference cannot be linked back to the id.
 */
export function pseudonymousRef(kind: string, key: Uint8Array, id: string): string {
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(kind))
    fail(msg('ledger.leaf-invalid.refKind', { kind: JSON.stringify(kind) }), { field: 'kind' });
  if (key.length < 16) fail(msg('ledger.leaf-invalid.pseudonymKey'), { field: 'key' });
  const mac = crypto.createHmac('sha256', key).update(`${kind}:${id}`, 'utf8').digest('base64url');
  // a 22-char base64url token of random bytes is all digits with negligible probability; guard anyway
  const token = /^[0-9]+$/.test(mac.slice(0, 22)) ? `p${mac.slice(0, 21)}` : mac.slice(0, 22);
  return `${kind}:${token}`;
}

function checkTime(t: unknown, field: string): string {
  if (typeof t !== 'string' || Number.isNaN(Date.parse(t)) || new Date(t).toISOString() !== t) {
    fail(msg('ledger.leaf-invalid.time', { field }), {
      field,
      expected: 'YYYY-MM-DDTHH:MM:SS.sssZ',
      got: String(t).slice(0, 40),
    });
  }
  return t;
}

// The same few actors and subjects recur in nearly every entry: remember refs already checked (bounded).
const checkedRefs = new Set<string>();

function checkRef(r: unknown, field: string): string {
  if (typeof r === 'string' && checkedRefs.has(r)) return r;
  if (!isPseudonymousRef(r)) {
    fail(msg('ledger.leaf-invalid.ref', { field }), {
      field,
      expected: '<kind>:<token>, token 8-128 of [A-Za-z0-9_-], not all digits',
      got: String(r).slice(0, 40),
    });
  }
  if (checkedRefs.size >= 4096) checkedRefs.clear();
  checkedRefs.add(r);
  return r;
}

const EVENT_KEYS = ['actor', 'payloadHash', 'subjects', 'time', 'type', 'v'];
const TOMBSTONE_KEYS = ['actor', 'erases', 'reason', 'time', 'type', 'v'];

/** Validate a leaf object; throws a LedgerError naming the field. */
export function validateLeaf(obj: unknown): Leaf {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
    fail(msg('ledger.leaf-invalid.notObject'), { field: '' });
  const o = obj as Record<string, unknown>;
  if (o.v !== LEAF_VERSION)
    fail(msg('ledger.leaf-invalid.version', { version: String(JSON.stringify(o.v)) }), {
      field: 'v',
      expected: String(LEAF_VERSION),
    });
  if (typeof o.type !== 'string' || o.type.length > 64 || !EVENT_TYPE_PATTERN.test(o.type)) {
    fail(msg('ledger.leaf-invalid.type'), {
      field: 'type',
      expected: EVENT_TYPE_PATTERN.source,
      got: String(o.type).slice(0, 40),
    });
  }
  const allowed = o.type === 'tombstone' ? TOMBSTONE_KEYS : EVENT_KEYS;
  for (const k of Object.keys(o))
    if (!allowed.includes(k))
      fail(msg('ledger.leaf-invalid.unexpectedField', { field: k }), { field: k, expected: allowed.join(', ') });
  for (const k of allowed) if (!(k in o)) fail(msg('ledger.leaf-invalid.missingField', { field: k }), { field: k });
  if (o.type === 'tombstone') {
    checkTime(o.time, 'time');
    checkRef(o.actor, 'actor');
    if (!Number.isSafeInteger(o.erases) || (o.erases as number) < 0)
      fail(msg('ledger.leaf-invalid.erases'), { field: 'erases', expected: 'non-negative integer' });
    if (!ERASURE_REASONS.includes(o.reason as ErasureReason))
      fail(msg('ledger.leaf-invalid.reason'), {
        field: 'reason',
        expected: ERASURE_REASONS.join(' | '),
        got: String(o.reason).slice(0, 40),
      });
    return o as unknown as TombstoneLeaf;
  }
  checkEventFields(o.type, o.time, o.actor, o.subjects, o.payloadHash, false);
  return o as unknown as EventLeaf;
}

/**
 * The checks of validateLeaf for an event leaf's fields, without the key-set check. `built`: the
 * caller made the hash itself and the time came from a Date, so neither needs checking.
 */
function checkEventFields(
  type: unknown,
  time: unknown,
  actor: unknown,
  subjects: unknown,
  payloadHash: unknown,
  built: boolean,
): void {
  if (typeof type !== 'string' || type.length > 64 || !EVENT_TYPE_PATTERN.test(type) || type === 'tombstone') {
    fail(msg('ledger.leaf-invalid.type'), {
      field: 'type',
      expected: EVENT_TYPE_PATTERN.source,
      got: String(type).slice(0, 40),
    });
  }
  if (!built) checkTime(time, 'time');
  checkRef(actor, 'actor');
  if (!Array.isArray(subjects) || subjects.length > MAX_SUBJECTS)
    fail(msg('ledger.leaf-invalid.subjects', { max: MAX_SUBJECTS }), { field: 'subjects' });
  for (let i = 0; i < subjects.length; i++) checkRef(subjects[i], `subjects[${i}]`);
  if (subjects.length > 1 && new Set(subjects as string[]).size !== subjects.length)
    fail(msg('ledger.leaf-invalid.subjectsRepeat'), { field: 'subjects' });
  if (!built && (typeof payloadHash !== 'string' || !/^[0-9a-f]{64}$/.test(payloadHash)))
    fail(msg('ledger.leaf-invalid.payloadHash'), { field: 'payloadHash' });
}

function encodeLeaf(leaf: Leaf): Buffer {
  validateLeaf(leaf);
  const bytes = canonicalBytes(leaf);
  if (bytes.length > MAX_ENTRY_SIZE)
    fail(msg('ledger.leaf-invalid.tooLarge', { bytes: bytes.length, max: MAX_ENTRY_SIZE }), { field: 'subjects' });
  return bytes;
}

let hashScratch = Buffer.allocUnsafe(4096);
/**
 * Where the append path keeps salt ‖ UTF-8 payload: `reserve(n)` returns a buffer with n writable bytes
 * at `at` (the log's pending batch, which hands these bytes to the writer without a copy or a string).
 */
export interface PayloadArea {
  reserve(bytes: number): { buf: Buffer; at: number };
}
const scratchArea: PayloadArea = {
  reserve(bytes) {
    if (bytes > 1 << 20) return { buf: Buffer.allocUnsafe(bytes), at: 0 }; // a huge payload: not kept afterwards
    if (bytes > hashScratch.length) hashScratch = Buffer.allocUnsafe(Math.max(bytes, hashScratch.length * 2));
    return { buf: hashScratch, at: 0 };
  },
};

/**
 * hex(SHA-256(salt ‖ UTF-8 payload)), the salt being the 32 bytes of `salt` at `saltAt`; salt ‖ payload
 * is written into `area` (a reused scratch buffer by default). Returns the hash and the bytes written.
 */
function saltedHash(
  salt: Uint8Array,
  saltAt: number,
  payloadJson: string,
  area: PayloadArea,
): { hash: string; written: number } {
  const worst = 32 + 3 * payloadJson.length; // UTF-8 takes at most 3 bytes per UTF-16 unit
  const { buf, at } = area.reserve(worst);
  for (let i = 0; i < 32; i++) buf[at + i] = salt[saltAt + i];
  const n = buf.write(payloadJson, at + 32, 'utf8');
  const region = buf.subarray(at, at + 32 + n);
  const hash = sha256Hex(region); // one-shot, where salt ‖ payload were written: half the cost of a Hash object
  return { hash, written: 32 + n };
}

/** hex(SHA-256(salt || canonical payload bytes)). */
export function payloadHash(salt: Uint8Array, canonicalPayload: Uint8Array): string {
  return crypto.createHash('sha256').update(salt).update(canonicalPayload).digest('hex');
}

export interface BuiltLeaf<L extends Leaf = EventLeaf> {
  leaf: L;
  /** The log entry: canonical JSON bytes of the leaf. */
  bytes: Buffer;
}

export interface BuiltEventLeaf extends BuiltLeaf<EventLeaf> {
  /** Random 32-byte salt: store with the payload, delete on erasure. */
  salt: Buffer;
  /** Canonical JSON of the payload (what the side table keeps). */
  payloadJson: string;
}

/** Build an event leaf committing to `payload` (any JSON value). O(payload + subjects). */
export function buildLeaf(
  input: { type: string; time: Date | string; actor: string; subjects: string[]; payload: unknown },
  salt: Uint8Array = crypto.randomBytes(32),
): BuiltEventLeaf {
  if (salt.length !== 32) fail(msg('ledger.leaf-invalid.salt'), { field: 'salt' });
  const time = input.time instanceof Date ? isoOf(input.time) : input.time;
  const subjects = [...input.subjects];
  const e = encodeEvent(input.type, time, input.time instanceof Date, input.actor, subjects, input.payload, salt, 0);
  const leaf: EventLeaf = {
    v: LEAF_VERSION,
    type: input.type,
    time,
    actor: input.actor,
    subjects,
    payloadHash: e.payloadHash,
  };
  return { leaf, bytes: e.bytes, salt: Buffer.from(salt), payloadJson: e.payloadJson };
}

/** A Date as leaf time; a clear error for an invalid one. */
export function isoOf(d: Date): string {
  if (Number.isNaN(d.getTime()))
    fail(msg('ledger.leaf-invalid.date'), { field: 'time', expected: 'YYYY-MM-DDTHH:MM:SS.sssZ' });
  return d.toISOString();
}

/**
 * The entry bytes of an event leaf committing to `payload` with the 32-byte salt at `salt[saltAt…]`
 * (buildLeaf's core, without a leaf object or a salt copy). `timeFromDate`: `time` came from
 * Date.toISOString, so only its form is trusted when it has the 24-character form of years 0–9999.
 * O(payload + subjects).
 */
export function encodeEvent(
  type: string,
  time: string,
  timeFromDate: boolean,
  actor: string,
  subjects: readonly string[],
  payload: unknown,
  salt: Uint8Array,
  saltAt: number,
  area: PayloadArea = scratchArea,
): { bytes: Buffer; payloadJson: string; payloadHash: string; saltedPayloadBytes: number } {
  const e = encodeEventInput(type, time, timeFromDate, actor, subjects, payload, salt, saltAt, area);
  return {
    bytes: Buffer.from(e.leafInput.slice(1), 'latin1'),
    payloadJson: e.payloadJson,
    payloadHash: e.payloadHash,
    saltedPayloadBytes: e.saltedPayloadBytes,
  };
}

/**
 * The log's append path (100k a second): as encodeEvent, but the entry comes as its RFC 6962 leaf hash
 * input, "\0" + the canonical JSON, a string of one-byte characters (every character of a validated
 * leaf is ASCII). The pending batch writes it once, where it is then hashed and sent to the writer,
 * with no Buffer per entry.
 */
export function encodeEventInput(
  type: string,
  time: string,
  timeFromDate: boolean,
  actor: string,
  subjects: readonly string[],
  payload: unknown,
  salt: Uint8Array,
  saltAt: number,
  area: PayloadArea,
): { leafInput: string; payloadJson: string; payloadHash: string; saltedPayloadBytes: number } {
  if (type === 'tombstone') fail(msg('ledger.leaf-invalid.tombstoneBuild'), { field: 'type' });
  checkEventFields(type, time, actor, subjects, undefined, true);
  if (!(timeFromDate && time.length === 24)) checkTime(time, 'time');
  const payloadJson = canonicalJson(payload);
  const { hash: payloadHash, written } = saltedHash(salt, saltAt, payloadJson, area);
  const leafInput = eventLeafInput(actor, payloadHash, subjects, time, type);
  if (leafInput.length - 1 > MAX_ENTRY_SIZE)
    fail(msg('ledger.leaf-invalid.tooLarge', { bytes: leafInput.length - 1, max: MAX_ENTRY_SIZE }), {
      field: 'subjects',
    });
  return { leafInput, payloadJson, payloadHash, saltedPayloadBytes: written };
}

/**
 * "\0" + the RFC 8785 canonical JSON of a validated event leaf, written directly instead of through the
 * generic canonicaliser (the append hot path). Valid: every field is an ASCII slug, ref, ISO time or hex
 * digest, none holds a character JSON escapes, and the keys are written in RFC 8785 order (UTF-16 code
 * units). Property-tested equal to canonicalize() in test/unit/ledger/leaf-encoding.test.ts.
 */
function eventLeafInput(
  actor: string,
  payloadHash: string,
  subjects: readonly string[],
  time: string,
  type: string,
): string {
  let list = '';
  for (let i = 0; i < subjects.length; i++) list += (i ? ',"' : '"') + subjects[i] + '"';
  return `\0{"actor":"${actor}","payloadHash":"${payloadHash}","subjects":[${list}],"time":"${time}","type":"${type}","v":${LEAF_VERSION}}`;
}

/** Build a tombstone recording that the payload of leaf `erases` was deleted. */
export function buildTombstone(input: {
  time: Date | string;
  actor: string;
  erases: number;
  reason: ErasureReason;
}): BuiltLeaf<TombstoneLeaf> {
  const leaf: TombstoneLeaf = {
    v: LEAF_VERSION,
    type: 'tombstone',
    time: input.time instanceof Date ? isoOf(input.time) : input.time,
    actor: input.actor,
    erases: input.erases,
    reason: input.reason,
  };
  return { leaf, bytes: encodeLeaf(leaf) };
}

/** Parse leaf bytes strictly: valid UTF-8 JSON, canonical form, valid fields. */
export function parseLeaf(bytes: Uint8Array): Leaf {
  let text: string;
  let obj: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    obj = JSON.parse(text);
  } catch {
    throw new LedgerError(msg('ledger.leaf-not-json'), [{ field: 'leaf' }]);
  }
  const leaf = validateLeaf(obj);
  if (!canonicalBytes(obj).equals(Buffer.from(bytes)))
    throw new LedgerError(msg('ledger.leaf-not-canonical'), [{ field: 'leaf' }]);
  return leaf;
}

/**
 * Check that `payload` with `salt` is what the leaf commits to. Throws 'payload-mismatch'
 * (or 'leaf-*' for a bad leaf, 'payload-tombstone' for a tombstone).
 */
export function verifyPayload(leaf: Uint8Array | Leaf, payload: unknown, salt: Uint8Array): void {
  const l = leaf instanceof Uint8Array ? parseLeaf(leaf) : validateLeaf(leaf);
  if (l.type === 'tombstone') throw new LedgerError(msg('ledger.payload-tombstone'), [{ field: 'type' }]);
  const bytes = payload instanceof Uint8Array ? Buffer.from(payload) : canonicalBytes(payload);
  if (payloadHash(salt, bytes) !== (l as EventLeaf).payloadHash) {
    throw new LedgerError(msg('ledger.payload-mismatch'), [{ field: 'payloadHash' }]);
  }
}

/** A tombstone must come after the leaf it erases, and must not erase a tombstone. */
export function checkTombstone(tombstone: TombstoneLeaf, ownIndex: number, erased: Leaf): void {
  if (tombstone.erases >= ownIndex)
    throw new LedgerError(msg('ledger.tombstone-order', { index: ownIndex, erases: tombstone.erases }), [
      { field: 'erases' },
    ]);
  if (erased.type === 'tombstone')
    throw new LedgerError(msg('ledger.tombstone-target', { index: tombstone.erases }), [{ field: 'erases' }]);
}
