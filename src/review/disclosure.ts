/**
 * The disclosure packet for one decision, for a court or a defence lawyer who trusts nothing we say.
 *
 * A packet (format v2) carries only what the transparency log commits to: for each log entry its
 * receipt (c2sp.org/tlog-proof, with the leaf bytes, the inclusion proof and the signed checkpoint),
 * its payload exactly as committed (RFC 8785 canonical JSON) and the salt. Nothing else: no copy of
 * the alert, the decision or the names beside them. `verifyDisclosure` checks every receipt with a
 * verifier key the checker holds, re-computes every commitment, checks that the entries belong to one
 * alert, and only then derives the view a person reads (the CLI's printout and the PDF) from the
 * verified payloads. Any field it does not expect is refused, so an edited packet either fails, naming
 * the field, or shows exactly what the log committed to.
 */
import { scopedAlert, type Purpose } from './scope';
import PDFDocument from 'pdfkit';
import type { Principal } from '../accounts/accounts';
import { NotFoundError, reasonOf, StateError } from '../domain/errors';
import { msg, render, type Lang, type Message, type MessageCode, type MessageParams } from '../domain/messages';
import {
  newVerifier,
  type NoteVerifier,
  parseLeaf,
  payloadHash,
  type EventLeaf,
  type Leaf,
  type TombstoneLeaf,
  decodeTlogProof,
  verifyTlogProof,
  LedgerError,
} from '../ledger';
import { entryBytes, receiptFor, type Ledger } from '../ledger-service/ledger';
import { userRef } from '../ledger-service/events';
import { systemRef } from '../registry/register';
import type { Executor } from '../store/db';

export const DISCLOSURE_FORMAT = 'counterweight.disclosure/v2';

/** The log entry type each role of a packet entry must have. */
const ROLE_TYPES = {
  alert: 'ai.output',
  decision: 'human.decision',
  expiry: 'alert.expired',
  'assessment-decision': 'assessment.decision',
  'system-registration': 'system.registered',
  'system-record': 'system.draft-edited',
  'model-card': 'model.card',
  tombstone: 'tombstone',
} as const;
export type EntryRole = keyof typeof ROLE_TYPES;
const ROLES = Object.keys(ROLE_TYPES) as EntryRole[];

export interface DisclosedEntry {
  role: EntryRole;
  index: number;
  /** The payload exactly as committed (canonical JSON), null when erased or for a tombstone. */
  payload: string | null;
  /** Hex of the 32-byte salt, null when erased or for a tombstone. */
  salt: string | null;
  /** c2sp.org/tlog-proof receipt; its `extra` line carries the leaf bytes. */
  receipt: string;
}

export interface DisclosurePacket {
  format: typeof DISCLOSURE_FORMAT;
  log: { origin: string };
  alertId: string;
  entries: DisclosedEntry[];
}

// ---- building ----

async function disclosed(db: Executor, role: EntryRole, index: number): Promise<DisclosedEntry> {
  const p = await db
    .selectFrom('ledger_payloads')
    .select(['payload', 'salt'])
    .where('idx', '=', index)
    .executeTakeFirstOrThrow();
  return {
    role,
    index,
    payload: p.payload,
    salt: p.salt === null ? null : Buffer.from(p.salt).toString('hex'),
    receipt: await receiptFor(db, index),
  };
}

/** The latest entry of one of `types` about `ref`, before `before`, whose payload matches. O(entries about ref of those types). */
async function latestEntry(
  db: Executor,
  ref: string,
  types: string[],
  before: number,
  match: (p: Record<string, unknown>) => boolean,
): Promise<number | null> {
  const rows = await db
    .selectFrom('ledger_subjects')
    .innerJoin('ledger_payloads', 'ledger_payloads.idx', 'ledger_subjects.idx')
    .select(['ledger_payloads.idx', 'ledger_payloads.payload'])
    .where('ledger_subjects.ref', '=', ref)
    .where('ledger_payloads.type', 'in', types)
    .where('ledger_payloads.idx', '<', before)
    .orderBy('ledger_payloads.idx', 'desc')
    .execute();
  for (const r of rows) if (r.payload !== null && match(JSON.parse(r.payload))) return r.idx;
  return null;
}

/** The tombstone recording the erasure of entry `index`. O(tombstones after it). */
async function tombstoneOf(db: Executor, index: number): Promise<number | null> {
  const rows = await db
    .selectFrom('ledger_payloads')
    .select('idx')
    .where('type', '=', 'tombstone')
    .where('idx', '>', index)
    .orderBy('idx')
    .execute();
  for (const r of rows) {
    const leaf = parseLeaf(await entryBytes(db, r.idx));
    if (leaf.type === 'tombstone' && (leaf as TombstoneLeaf).erases === index) return r.idx;
  }
  return null;
}

/** Assemble the packet of an alert from the log: the alert, its decision or expiry, and the register entries in force when it was raised. */
export async function buildDisclosure(db: Executor, ledger: Ledger, alertId: string): Promise<DisclosurePacket> {
  const a = await db
    .selectFrom('alerts')
    .select(['id', 'system_id', 'version', 'log_index'])
    .where('id', '=', alertId)
    .executeTakeFirst();
  if (!a) throw new NotFoundError(msg('disclosure.noAlert', { alertId }));
  await ledger.drain();
  const d = await db
    .selectFrom('decisions')
    .select(['outcome', 'log_index'])
    .where('alert_id', '=', alertId)
    .executeTakeFirst();
  const assessment = await db
    .selectFrom('assessments')
    .select('log_index')
    .where('system_id', '=', a.system_id)
    .where('version', '=', a.version)
    .where('status', 'in', ['approved', 'rejected'])
    .where('log_index', '<', a.log_index)
    .orderBy('log_index', 'desc')
    .limit(1)
    .executeTakeFirst();
  const sys = systemRef(a.system_id);
  const ofVersion = (p: Record<string, unknown>) => p.systemId === a.system_id && p.version === a.version;
  const wanted: [EntryRole, number | null | undefined][] = [
    ['alert', a.log_index],
    [d?.outcome === 'expired' ? 'expiry' : 'decision', d?.log_index],
    ['assessment-decision', assessment?.log_index],
    [
      'system-registration',
      await latestEntry(db, sys, ['system.registered'], a.log_index, (p) => p.systemId === a.system_id),
    ],
    ['system-record', await latestEntry(db, sys, ['system.draft-edited'], a.log_index, ofVersion)],
    ['model-card', await latestEntry(db, sys, ['model.card'], a.log_index, ofVersion)],
  ];
  const alertErased =
    (await db.selectFrom('ledger_payloads').select('payload').where('idx', '=', a.log_index).executeTakeFirstOrThrow())
      .payload === null;
  const entries: DisclosedEntry[] = [];
  for (const [role, index] of wanted) {
    if (index === null || index === undefined) continue;
    // An erased alert payload no longer says which version it came from: nothing ties version-bound entries to it.
    if (alertErased && (role === 'assessment-decision' || role === 'system-record' || role === 'model-card')) continue;
    entries.push(await disclosed(db, role, index));
  }
  for (const e of [...entries]) {
    if (e.payload !== null) continue;
    const t = await tombstoneOf(db, e.index);
    if (t !== null) entries.push(await disclosed(db, 'tombstone', t));
  }
  return { format: DISCLOSURE_FORMAT, log: { origin: ledger.origin }, alertId, entries };
}

// ---- verifying ----

export interface DisclosureCheck {
  ok: boolean;
  /** The packet field the check is about, e.g. `entries[1].payload` (JSON path). */
  path: string;
  message: Message;
}

type Payload = Record<string, unknown>;
interface Person {
  userId: string;
  ref: string;
}
/** A part of the view whose payload was erased (a tombstone in the packet says why). */
export interface ErasedPart {
  erased: true;
  logIndex: number;
  reason: string;
}
export const isErased = (x: object): x is ErasedPart =>
  (x as { erased?: unknown }).erased === true && 'reason' in x && !('loggedAt' in x);

/** What a verified packet shows: every value here comes from a verified payload or leaf. */
export interface VerifiedDisclosure {
  format: typeof DISCLOSURE_FORMAT;
  alertId: string;
  log: { origin: string; size: number; root: string };
  alert: (Payload & { id: string; logIndex: number; loggedAt: string }) | ErasedPart;
  decision: (Payload & { id?: string; logIndex: number; loggedAt: string }) | ErasedPart | null;
  responsibility: {
    reviewer: Person | null;
    supervisorOnDuty: { userId: string } | null;
    assessmentApprover: (Person & { assessmentId: unknown; decision: unknown; at: string }) | null;
    systemOwner: Person | null;
  };
  system: { id: string; version: number | null; name: unknown; record: unknown; recordLogIndex: number | null } | null;
  assessment: (Payload & { logIndex: number; decidedAt: string }) | null;
  modelCard: { card: unknown; logIndex: number; by: string } | null;
  entries: { role: EntryRole; index: number; type: string; time: string; erasedBy: number | null }[];
}

export interface DisclosureReport {
  ok: boolean;
  checks: DisclosureCheck[];
  /** Null unless every check passed: nothing of a failed packet is shown. */
  view: VerifiedDisclosure | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const SALT_HEX = /^[0-9a-f]{64}$/;
const PACKET_KEYS = ['alertId', 'entries', 'format', 'log'];
const ENTRY_KEYS = ['index', 'payload', 'receipt', 'role', 'salt'];

interface Checked {
  i: number;
  e: DisclosedEntry;
  leaf: Leaf;
  payload: Payload | null;
  size: number;
  root: string;
}

/**
 * Verify a packet offline against verifier keys the checker trusts (never ones the packet carries).
 * `expectedOrigin`: the log the checker expects, when they know it. O(entries × (receipt proof + payload)).
 */
export function verifyDisclosure(packet: unknown, trustedKeys: string[], expectedOrigin?: string): DisclosureReport {
  const checks: DisclosureCheck[] = [];
  const pass = (path: string, code: MessageCode, params?: Record<string, string | number>) =>
    checks.push({ ok: true, path, message: msg(code, params) });
  const fail = (path: string, code: MessageCode, params?: MessageParams) => {
    checks.push({ ok: false, path, message: msg(code, params) });
  };
  const done = (view: VerifiedDisclosure | null): DisclosureReport => {
    const ok = checks.length > 0 && checks.every((c) => c.ok) && view !== null;
    return { ok, checks, view: ok ? view : null };
  };

  if (!isObject(packet)) {
    fail('', 'disclosure.notObject', { path: '(packet)' });
    return done(null);
  }
  if (packet.format !== DISCLOSURE_FORMAT) {
    fail('format', 'disclosure.format', {
      got: JSON.stringify(packet.format ?? null).slice(0, 60),
      want: DISCLOSURE_FORMAT,
    });
    return done(null);
  }
  for (const k of Object.keys(packet)) if (!PACKET_KEYS.includes(k)) fail(k, 'disclosure.unexpectedField', { path: k });
  let origin: string | null = null;
  if (!isObject(packet.log)) fail('log', 'disclosure.notObject', { path: 'log' });
  else {
    for (const k of Object.keys(packet.log))
      if (k !== 'origin') fail(`log.${k}`, 'disclosure.unexpectedField', { path: `log.${k}` });
    if (typeof packet.log.origin !== 'string' || packet.log.origin === '')
      fail('log.origin', 'disclosure.expect.origin', { path: 'log.origin' });
    else if (expectedOrigin !== undefined && packet.log.origin !== expectedOrigin)
      fail('log.origin', 'disclosure.originMismatch', { got: packet.log.origin, want: expectedOrigin });
    else origin = packet.log.origin;
  }
  const alertId = typeof packet.alertId === 'string' && packet.alertId !== '' ? packet.alertId : null;
  if (alertId === null) fail('alertId', 'disclosure.expect.alertId', { path: 'alertId' });
  if (!Array.isArray(packet.entries) || packet.entries.length === 0 || packet.entries.length > 64) {
    fail('entries', 'disclosure.expect.entries', { path: 'entries' });
    return done(null);
  }
  let verifiers: NoteVerifier[] = [];
  try {
    verifiers = trustedKeys.map(newVerifier);
  } catch (e) {
    fail('--key', 'disclosure.badKey', { reason: reasonOf(e) });
    return done(null);
  }

  // Each entry: its shape, its receipt under a trusted signature, its role, its payload's commitment.
  const good: Checked[] = [];
  packet.entries.forEach((raw: unknown, i: number) => {
    const at = `entries[${i}]`;
    if (!isObject(raw)) {
      fail(at, 'disclosure.notObject', { path: at });
      return;
    }
    let shapeOk = true;
    const bad = (k: string, expected: MessageCode) => {
      fail(`${at}.${k}`, k in raw ? expected : 'disclosure.missingField', {
        path: `${at}.${k}`,
        roles: ROLES.join(' | '),
      });
      shapeOk = false;
    };
    for (const k of Object.keys(raw))
      if (!ENTRY_KEYS.includes(k)) {
        fail(`${at}.${k}`, 'disclosure.unexpectedField', { path: `${at}.${k}` });
        shapeOk = false;
      }
    if (!ROLES.includes(raw.role as EntryRole)) bad('role', 'disclosure.expect.role');
    if (!Number.isSafeInteger(raw.index) || (raw.index as number) < 0) bad('index', 'disclosure.expect.index');
    if (raw.payload !== null && typeof raw.payload !== 'string') bad('payload', 'disclosure.expect.payload');
    if (raw.salt !== null && (typeof raw.salt !== 'string' || !SALT_HEX.test(raw.salt)))
      bad('salt', 'disclosure.expect.salt');
    if (typeof raw.receipt !== 'string') bad('receipt', 'disclosure.expect.receipt');
    if (!shapeOk) return;
    const e = raw as unknown as DisclosedEntry;

    let leaf: Leaf;
    let size: number;
    let root: string;
    try {
      const proof = decodeTlogProof(e.receipt);
      if (!proof.extra) throw new LedgerError(msg('ledger.proof-no-entry.receipt'));
      const signedOrigin = proof.checkpoint.split('\n')[0];
      const v = verifyTlogProof(proof, { origin: signedOrigin, logVerifiers: verifiers });
      if (origin !== null && signedOrigin !== origin) {
        fail('log.origin', 'disclosure.originMismatch', { got: origin, want: signedOrigin });
        return;
      }
      if (v.index !== e.index) {
        fail(`${at}.index`, 'disclosure.indexMismatch', { got: e.index, want: v.index });
        return;
      }
      leaf = parseLeaf(v.entry!);
      size = v.checkpoint.size;
      root = v.checkpoint.root.toString('base64');
      pass(`${at}.receipt`, 'disclosure.included', { index: v.index, type: leaf.type, origin: signedOrigin, size });
    } catch (err) {
      fail(`${at}.receipt`, 'disclosure.receiptInvalid', { reason: reasonOf(err) });
      return;
    }
    if (ROLE_TYPES[e.role] !== leaf.type) {
      fail(`${at}.role`, 'disclosure.roleMismatch', { got: e.role, type: leaf.type });
      return;
    }
    if (leaf.type === 'tombstone') {
      if (e.payload !== null) {
        fail(`${at}.payload`, 'disclosure.expect.tombstoneNull', { path: `${at}.payload` });
        return;
      }
      if (e.salt !== null) {
        fail(`${at}.salt`, 'disclosure.expect.tombstoneNull', { path: `${at}.salt` });
        return;
      }
      good.push({ i, e, leaf, payload: null, size, root });
      return;
    }
    if (e.payload === null) {
      if (e.salt !== null) {
        fail(`${at}.salt`, 'disclosure.expect.erasedSaltNull', { path: `${at}.salt` });
        return;
      }
      good.push({ i, e, leaf, payload: null, size, root }); // erased: a tombstone in the packet must say so (checked below)
      return;
    }
    // A payload with no salt cannot be checked: the payload is what would be shown unchecked, so it is named.
    if (e.salt === null) {
      fail(`${at}.payload`, 'disclosure.payloadWithoutSalt', { index: e.index });
      return;
    }
    // The commitment is over the exact bytes, so the text must be the canonical JSON that was committed.
    if (payloadHash(Buffer.from(e.salt, 'hex'), Buffer.from(e.payload, 'utf8')) !== (leaf as EventLeaf).payloadHash) {
      fail(`${at}.payload`, 'disclosure.payloadMismatch', { index: e.index });
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(e.payload);
    } catch {
      fail(`${at}.payload`, 'disclosure.notObject', { path: `${at}.payload` });
      return;
    }
    if (!isObject(payload)) {
      fail(`${at}.payload`, 'disclosure.notObject', { path: `${at}.payload` });
      return;
    }
    pass(`${at}.payload`, 'disclosure.payloadMatches', { index: e.index });
    good.push({ i, e, leaf, payload, size, root });
  });
  if (alertId === null || checks.some((c) => !c.ok)) return done(null);

  // One entry per role (tombstones aside); erased payloads need their tombstone; every entry belongs to this alert.
  const byRole = new Map<EntryRole, Checked>();
  for (const c of good) {
    if (c.e.role === 'tombstone') continue;
    if (byRole.has(c.e.role)) fail(`entries[${c.i}].role`, 'disclosure.duplicateRole', { role: c.e.role });
    else byRole.set(c.e.role, c);
  }
  const erasedBy = new Map<number, { tombstone: number; reason: string }>();
  for (const t of good.filter((c) => c.e.role === 'tombstone')) {
    const leaf = t.leaf as TombstoneLeaf;
    const target = good.find((c) => c.e.index === leaf.erases && c.e.role !== 'tombstone');
    if (!target || target.payload !== null || leaf.erases >= t.e.index)
      fail(`entries[${t.i}].role`, 'disclosure.strayTombstone', { index: t.e.index, erases: leaf.erases });
    else erasedBy.set(leaf.erases, { tombstone: t.e.index, reason: leaf.reason });
  }
  for (const c of good)
    if (c.e.role !== 'tombstone' && c.payload === null && !erasedBy.has(c.e.index))
      fail(`entries[${c.i}].payload`, 'disclosure.erasedNoTombstone', { index: c.e.index });

  const alert = byRole.get('alert');
  if (!alert) {
    fail('entries', 'disclosure.noAlertEntry');
    return done(null);
  }
  const subjectsOf = (c: Checked) => (c.leaf.type === 'tombstone' ? [] : (c.leaf as EventLeaf).subjects);
  const actorOf = (c: Checked) => c.leaf.actor;
  const notThis = (c: Checked, code: MessageCode, params: Record<string, string | number> = {}) =>
    fail(`entries[${c.i}].payload`, code, {
      role: c.e.role,
      index: c.e.index,
      alertId: alertId!,
      alertIndex: alert.e.index,
      ...params,
    });
  const ap = alert.payload;
  // An erased alert still names its alert in the leaf's subjects.
  if (!subjectsOf(alert).includes(`alert:${alertId}`))
    fail('alertId', 'disclosure.alertMismatch', { got: alertId, index: alert.e.index });
  if (
    ap &&
    (ap.alertId !== alertId ||
      typeof ap.systemId !== 'string' ||
      !Number.isSafeInteger(ap.version) ||
      actorOf(alert) !== systemRef(ap.systemId as string))
  ) {
    fail('alertId', 'disclosure.alertMismatch', { got: alertId, index: alert.e.index });
  }
  // The alert's system: from its payload, or (payload erased) from its leaf, whose actor is the system. Its
  // version is only in the payload, so an erased alert ties no version-bound register entry.
  const systemId = ap
    ? (ap.systemId as string)
    : actorOf(alert).startsWith('system:')
      ? actorOf(alert).slice('system:'.length)
      : null;
  const version = ap ? (ap.version as number) : null;
  // Register entries are tied by their payloads, so an erased one ties nothing.
  const ofSystem = (c: Checked) =>
    c.payload !== null &&
    systemId !== null &&
    c.payload.systemId === systemId &&
    subjectsOf(c).includes(systemRef(systemId));
  const ofVersion = (c: Checked) => ofSystem(c) && version !== null && c.payload!.version === version;
  const beforeAlert = (c: Checked) => c.e.index < alert.e.index;

  const dec = byRole.get('decision') ?? byRole.get('expiry');
  if (byRole.has('decision') && byRole.has('expiry'))
    fail(`entries[${byRole.get('expiry')!.i}].role`, 'disclosure.duplicateRole', { role: 'decision' });
  if (dec) {
    const p = dec.payload;
    if (
      !subjectsOf(dec).includes(`alert:${alertId}`) ||
      (p && (p.alertId !== alertId || p.alertLogIndex !== alert.e.index))
    )
      notThis(dec, 'disclosure.link.alert');
    else if (p && dec.e.role === 'decision' && actorOf(dec) !== userRef(p.reviewerId as string))
      notThis(dec, 'disclosure.link.reviewer', { actor: actorOf(dec) });
    else if (dec.e.index <= alert.e.index) notThis(dec, 'disclosure.link.order');
    else pass(`entries[${dec.i}].payload`, 'disclosure.linked', { role: dec.e.role, index: dec.e.index, alertId });
  }
  for (const role of ['assessment-decision', 'system-record', 'model-card'] as const) {
    const c = byRole.get(role);
    if (!c) continue;
    if (!ofVersion(c) || !beforeAlert(c))
      notThis(c, version === null ? 'disclosure.link.erasedAlert' : 'disclosure.link.version', {
        systemId: systemId ?? '?',
        version: version ?? '?',
      });
    else pass(`entries[${c.i}].payload`, 'disclosure.linked', { role, index: c.e.index, alertId });
  }
  const reg = byRole.get('system-registration');
  if (reg) {
    if (!ofSystem(reg) || !beforeAlert(reg)) notThis(reg, 'disclosure.link.system', { systemId: systemId ?? '?' });
    else
      pass(`entries[${reg.i}].payload`, 'disclosure.linked', {
        role: 'system-registration',
        index: reg.e.index,
        alertId,
      });
  }
  if (checks.some((c) => !c.ok)) return done(null);
  return done(deriveView(origin!, alertId, alert, byRole, erasedBy, good));
}

/** The view a person reads, derived from verified payloads and leaves only. */
function deriveView(
  origin: string,
  alertId: string,
  alert: Checked,
  byRole: Map<EntryRole, Checked>,
  erasedBy: Map<number, { tombstone: number; reason: string }>,
  all: Checked[],
): VerifiedDisclosure {
  const erased = (c: Checked) => ({
    erased: true as const,
    logIndex: c.e.index,
    reason: erasedBy.get(c.e.index)!.reason,
  });
  const person = (ref: string): Person | null =>
    ref.startsWith('user:') ? { userId: ref.slice('user:'.length), ref } : null;
  const without = (p: Payload, ...keys: string[]) =>
    Object.fromEntries(Object.entries(p).filter(([k]) => !keys.includes(k)));
  const ap = alert.payload;
  const dec = byRole.get('decision') ?? byRole.get('expiry');
  const ass = byRole.get('assessment-decision');
  const reg = byRole.get('system-registration');
  const rec = byRole.get('system-record');
  const card = byRole.get('model-card');
  const latest = all.reduce((m, c) => (c.size > m.size ? c : m), all[0]);
  const version = ap ? (ap.version as number) : null;
  const systemId = ap
    ? (ap.systemId as string)
    : alert.leaf.actor.startsWith('system:')
      ? alert.leaf.actor.slice('system:'.length)
      : null;
  const record = rec?.payload
    ? { record: rec.payload.record, recordLogIndex: rec.e.index }
    : reg?.payload && version === 1
      ? { record: reg.payload.record, recordLogIndex: reg.e.index }
      : { record: null, recordLogIndex: null };
  return {
    format: DISCLOSURE_FORMAT,
    alertId,
    log: { origin, size: latest.size, root: latest.root },
    alert: ap
      ? { id: alertId, ...without(ap, 'alertId'), logIndex: alert.e.index, loggedAt: alert.leaf.time }
      : erased(alert),
    decision: !dec
      ? null
      : dec.payload
        ? {
            ...(dec.e.role === 'expiry' ? { outcome: 'expired' } : {}),
            ...(dec.payload.decisionId ? { id: dec.payload.decisionId as string } : {}),
            ...without(dec.payload, 'decisionId', 'alertId'),
            logIndex: dec.e.index,
            loggedAt: dec.leaf.time,
          }
        : erased(dec),
    responsibility: {
      reviewer: dec?.e.role === 'decision' ? person(dec.leaf.actor) : null,
      supervisorOnDuty: typeof dec?.payload?.supervisorId === 'string' ? { userId: dec.payload.supervisorId } : null,
      assessmentApprover:
        ass && person(ass.leaf.actor)
          ? {
              ...person(ass.leaf.actor)!,
              assessmentId: ass.payload?.assessmentId ?? null,
              decision: ass.payload?.decision ?? null,
              at: ass.leaf.time,
            }
          : null,
      systemOwner: reg ? person(reg.leaf.actor) : null,
    },
    system: systemId === null ? null : { id: systemId, version, name: reg?.payload?.name ?? null, ...record },
    assessment: ass?.payload
      ? { ...without(ass.payload, 'systemId', 'version'), logIndex: ass.e.index, decidedAt: ass.leaf.time }
      : null,
    modelCard: card?.payload ? { card: card.payload.card, logIndex: card.e.index, by: card.leaf.actor } : null,
    entries: all.map((c) => ({
      role: c.e.role,
      index: c.e.index,
      type: c.leaf.type,
      time: c.leaf.time,
      erasedBy: erasedBy.get(c.e.index)?.tombstone ?? null,
    })),
  };
}

// ---- showing ----

export interface ViewSection {
  heading: string;
  rows: [string, string][];
}

const FIELD_LABELS: Record<string, MessageCode> = {
  id: 'disclosure.field.id',
  systemId: 'disclosure.field.system',
  version: 'disclosure.field.version',
  kind: 'disclosure.field.kind',
  modelVersion: 'disclosure.field.modelVersion',
  occurredAt: 'disclosure.field.occurredAt',
  receivedAt: 'disclosure.field.receivedAt',
  unit: 'disclosure.field.unit',
  place: 'disclosure.field.place',
  subjectRef: 'disclosure.field.subjectRef',
  output: 'disclosure.field.output',
  confidence: 'disclosure.field.confidence',
  explanation: 'disclosure.field.explanation',
  inputRefs: 'disclosure.field.inputRefs',
  outcome: 'disclosure.field.outcome',
  reasonCode: 'disclosure.field.reasonCode',
  reasonText: 'disclosure.field.reasonText',
  enforcementAction: 'disclosure.field.enforcementAction',
  corroboration: 'disclosure.field.corroboration',
  decidedAt: 'disclosure.field.decidedAt',
  reviewerId: 'disclosure.field.reviewer',
  supervisorId: 'disclosure.field.supervisor',
  expiredAt: 'disclosure.field.expiredAt',
  alertLogIndex: 'disclosure.field.alertLogIndex',
  idempotencyKey: 'disclosure.field.idempotencyKey',
  ttlMinutes: 'disclosure.field.ttlMinutes',
  name: 'disclosure.field.name',
  record: 'disclosure.field.record',
  recordLogIndex: 'disclosure.field.recordLogIndex',
  assessmentId: 'disclosure.field.assessmentId',
  decision: 'disclosure.field.decision',
  level: 'disclosure.field.level',
  reason: 'disclosure.field.reason',
  card: 'disclosure.field.card',
  by: 'disclosure.field.by',
  logIndex: 'disclosure.field.logIndex',
  loggedAt: 'disclosure.field.loggedAt',
};
/** Fields in the order a reader wants them (those above first, in that order; any others after). */
const FIELD_ORDER = new Map(Object.keys(FIELD_LABELS).map((k, i) => [k, i]));

const show = (v: unknown) => (typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v));

/** The verified view as labelled sections, in `lang`: what the CLI prints and the PDF shows. */
export function viewSections(v: VerifiedDisclosure, lang: Lang): ViewSection[] {
  const t = (code: MessageCode, params?: Record<string, string | number>) => render(msg(code, params), lang);
  const label = (k: string) => (FIELD_LABELS[k] ? t(FIELD_LABELS[k]) : k);
  const rank = (k: string) => FIELD_ORDER.get(k) ?? FIELD_ORDER.size;
  const rowsOf = (o: Record<string, unknown>): [string, string][] =>
    Object.entries(o)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => rank(a) - rank(b))
      .map(([k, x]) => [label(k), show(x)]);
  const none = t('disclosure.view.none');
  const erasedRow = (o: { logIndex: number; reason: string }): [string, string][] => [
    [t('disclosure.view.erased', { index: o.logIndex, reason: o.reason }), ''],
  ];
  const who = (p: { userId: string } | null) => (p ? p.userId : none);
  return [
    { heading: t('disclosure.view.alert'), rows: isErased(v.alert) ? erasedRow(v.alert) : rowsOf(v.alert) },
    {
      heading: t('disclosure.view.decision'),
      rows: !v.decision ? [[none, '']] : isErased(v.decision) ? erasedRow(v.decision) : rowsOf(v.decision),
    },
    {
      heading: t('disclosure.view.responsibility'),
      rows: [
        [t('disclosure.view.reviewer'), who(v.responsibility.reviewer)],
        [t('disclosure.view.supervisorOnDuty'), who(v.responsibility.supervisorOnDuty)],
        [
          t('disclosure.view.assessmentApprover'),
          v.responsibility.assessmentApprover
            ? `${v.responsibility.assessmentApprover.userId} (${show(v.responsibility.assessmentApprover.decision)}, ${v.responsibility.assessmentApprover.at})`
            : none,
        ],
        [t('disclosure.view.systemOwner'), who(v.responsibility.systemOwner)],
      ],
    },
    { heading: t('disclosure.view.system'), rows: v.system ? rowsOf(v.system) : [[none, '']] },
    { heading: t('disclosure.view.assessment'), rows: v.assessment ? rowsOf(v.assessment) : [[none, '']] },
    { heading: t('disclosure.view.modelCard'), rows: v.modelCard ? rowsOf(v.modelCard) : [[none, '']] },
    {
      heading: t('disclosure.view.entries', { origin: v.log.origin, size: v.log.size }),
      rows: v.entries.map((e) => [
        `${e.role} #${e.index}`,
        `${e.type} ${e.time}${e.erasedBy !== null ? ` — ${t('disclosure.view.erasedBy', { tombstone: e.erasedBy })}` : ''}`,
      ]),
    },
  ];
}

/**
 * A readable PDF of a verified packet: it takes only the verifier's output, so it can show nothing
 * the log did not commit to. (Standard PDF fonts carry no Hangul, so the PDF is in English; the CLI
 * prints the same view in Korean too.)
 */
export function disclosurePdf(v: VerifiedDisclosure, opts: { compress?: boolean } = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const id = v.alertId;
    const doc = new PDFDocument({
      size: 'A4',
      margin: 50,
      compress: opts.compress ?? true,
      info: { Title: `Disclosure packet ${id}`, Author: 'Counterweight' },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc
      .font('Helvetica-Bold')
      .fontSize(16)
      .text(render(msg('disclosure.view.title'), 'en'))
      .font('Helvetica')
      .fontSize(9);
    doc.text(render(msg('disclosure.view.notice'), 'en'));
    doc.moveDown(0.3).text(render(msg('disclosure.completeness', { alertId: v.alertId }), 'en'));
    for (const s of viewSections(v, 'en')) {
      doc.moveDown(0.6).font('Helvetica-Bold').fontSize(12).text(s.heading).font('Helvetica').fontSize(9);
      for (const [k, val] of s.rows) doc.text(val ? `${k}: ${val}` : k);
    }
    doc.end();
  });
}

// ---- the service the server and the CLI call ----

/** Build the packet of an alert and check it against this log's own keys: a packet that would not verify is never handed out. */
export async function verifiedDisclosure(
  db: Executor,
  ledger: Ledger,
  alertId: string,
): Promise<{ packet: DisclosurePacket; view: VerifiedDisclosure }> {
  const packet = await buildDisclosure(db, ledger, alertId);
  const r = verifyDisclosure(packet, ledger.keys.verifierKeys, ledger.origin);
  if (!r.view) {
    const problems = r.checks
      .filter((c) => !c.ok)
      .map((c) => `${c.path}: ${render(c.message, 'en')}`)
      .join('; ');
    throw new StateError(msg('disclosure.selfCheck', { alertId, problems }), 500);
  }
  return { packet, view: r.view };
}

/**
 * The disclosure of an alert for a person: oversight for any unit, a supervisor only for their own
 * unit's alerts. JSON packet, or the PDF rendered from the verified view.
 */
export async function discloseAlert(
  db: Executor,
  ledger: Ledger,
  p: Principal,
  alertId: string,
  format: 'json' | 'pdf',
  purpose: Purpose,
): Promise<{ packet: DisclosurePacket } | { pdf: Buffer }> {
  // Scoped like every other read of an alert: another unit gets 404, oversight states a purpose.
  await scopedAlert(db, p, alertId, purpose);
  const { packet, view } = await verifiedDisclosure(db, ledger, alertId);
  return format === 'pdf' ? { pdf: await disclosurePdf(view) } : { packet };
}
