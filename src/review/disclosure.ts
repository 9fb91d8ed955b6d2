/**
 * The disclosure packet for one decision: everything a defence attorney or a court needs to check it
 * without trusting us — the alert, the system record and assessment in force, the model card, the
 * explanation, the decision and who is responsible, and for each log entry its leaf, its payload with
 * the salt (so the commitment can be re-computed) and a c2sp.org/tlog-proof receipt under a signed
 * checkpoint. `counterweight verify disclosure` checks it offline.
 */
import PDFDocument from 'pdfkit';
import { NotFoundError } from '../domain/errors';
import { canonicalBytes, parseLeaf, verifyPayload, type EventLeaf } from '../ledger/leaf';
import { newVerifier } from '../ledger/keys';
import { verifyTlogProof } from '../ledger/proof';
import { entryBytes, receiptFor, type Ledger } from '../ledger-service/ledger';
import { modelCard } from '../registry/service';
import type { Executor } from '../store/db';
import { alertView, responsibilityChain } from './review';

export const DISCLOSURE_FORMAT = 'counterweight.disclosure/v1';

export interface DisclosedEntry {
  role: string;
  index: number;
  leaf: string; // base64 of the leaf bytes
  payload: unknown | null; // null when erased
  salt: string | null;
  receipt: string;
}

export interface DisclosurePacket {
  format: typeof DISCLOSURE_FORMAT;
  generatedAt: string;
  log: { origin: string; verifierKeys: string[] };
  alert: ReturnType<typeof alertView>;
  decision: Record<string, unknown> | null;
  system: { id: string; name: string; version: number; record: unknown; assessment: unknown; modelCard: unknown };
  responsibility: Awaited<ReturnType<typeof responsibilityChain>>;
  entries: DisclosedEntry[];
  notice: string;
}

async function disclosed(db: Executor, role: string, index: number): Promise<DisclosedEntry> {
  const p = await db.selectFrom('ledger_payloads').select(['payload', 'salt']).where('idx', '=', index).executeTakeFirstOrThrow();
  return {
    role, index, leaf: (await entryBytes(db, index)).toString('base64'),
    payload: p.payload === null ? null : JSON.parse(p.payload), salt: p.salt === null ? null : p.salt.toString('hex'), receipt: await receiptFor(db, index),
  };
}

export async function buildDisclosure(db: Executor, ledger: Ledger, alertId: string): Promise<DisclosurePacket> {
  const a = await db.selectFrom('alerts').selectAll().where('id', '=', alertId).executeTakeFirst();
  if (!a) throw new NotFoundError(`no alert ${alertId}`);
  await ledger.drain();
  const d = await db.selectFrom('decisions').selectAll().where('alert_id', '=', alertId).executeTakeFirst();
  const v = await db.selectFrom('system_versions').innerJoin('ai_systems', 'ai_systems.id', 'system_versions.system_id').select(['ai_systems.name', 'system_versions.record'])
    .where('system_id', '=', a.system_id).where('version', '=', a.version).executeTakeFirstOrThrow();
  const assessment = await db.selectFrom('assessments').select(['id', 'questionnaire', 'level', 'status', 'result', 'decided_by', 'decided_at', 'decision_reason', 'log_index'])
    .where('system_id', '=', a.system_id).where('version', '=', a.version).orderBy('submitted_at', 'desc').limit(1).executeTakeFirst();
  const entries = [await disclosed(db, 'alert', a.log_index)];
  if (d) entries.push(await disclosed(db, d.outcome === 'expired' ? 'expiry' : 'decision', d.log_index));
  if (assessment?.log_index != null) entries.push(await disclosed(db, 'assessment-decision', assessment.log_index));
  return {
    format: DISCLOSURE_FORMAT,
    generatedAt: new Date().toISOString(),
    log: { origin: ledger.origin, verifierKeys: ledger.keys.verifierKeys },
    alert: alertView(a),
    decision: d ? { id: d.id, outcome: d.outcome, reasonCode: d.reason_code, reasonText: d.reason_text, enforcementAction: d.enforcement_action, corroboration: d.corroboration ? JSON.parse(d.corroboration) : null, decidedAt: d.decided_at, secondsToDecide: d.seconds_to_decide } : null,
    system: { id: a.system_id, name: v.name, version: a.version, record: JSON.parse(v.record), assessment: assessment ? { ...assessment, result: JSON.parse(assessment.result) } : null, modelCard: (await modelCard(db, a.system_id, a.version)) ?? null },
    responsibility: await responsibilityChain(db, alertId),
    entries,
    notice: 'AI output is advisory and is never the sole basis for a stop, search or arrest. Verify this packet with: counterweight verify disclosure FILE --key <the log verifier key obtained independently>.',
  };
}

export interface DisclosureCheck {
  ok: boolean;
  checks: { what: string; ok: boolean; detail: string }[];
}

/**
 * Verify a packet offline with a verifier key the checker trusts (not the one the packet carries):
 * each receipt (signature + inclusion), each leaf equals the receipt's entry, each payload+salt
 * re-computes the leaf's commitment, and the alert and decision in the packet match their payloads.
 */
export function verifyDisclosure(packet: DisclosurePacket, trustedKeys: string[]): DisclosureCheck {
  const checks: DisclosureCheck['checks'] = [];
  const add = (what: string, fn: () => string) => {
    try {
      checks.push({ what, ok: true, detail: fn() });
    } catch (e) {
      checks.push({ what, ok: false, detail: (e as Error).message });
    }
  };
  if (packet.format !== DISCLOSURE_FORMAT) checks.push({ what: 'format', ok: false, detail: `not a ${DISCLOSURE_FORMAT} packet` });
  const verifiers = trustedKeys.map(newVerifier);
  for (const e of packet.entries ?? []) {
    const leaf = Buffer.from(e.leaf, 'base64');
    add(`${e.role} entry ${e.index}: in the signed log`, () => {
      const v = verifyTlogProof(e.receipt, { origin: packet.log.origin, logVerifiers: verifiers }, { entry: leaf });
      if (v.index !== e.index) throw new Error(`receipt is for entry ${v.index}, not ${e.index}`);
      return `included at ${v.index} of ${v.checkpoint.size}`;
    });
    add(`${e.role} entry ${e.index}: payload matches its commitment`, () => {
      if (e.payload === null) return 'payload erased (a tombstone in the log records why)';
      verifyPayload(leaf, e.payload, Buffer.from(e.salt ?? '', 'hex'));
      return 'salted hash re-computed';
    });
  }
  const payloadOf = (role: string) => (packet.entries.find((x) => x.role === role)?.payload ?? null) as Record<string, unknown> | null;
  add('the alert shown is the alert logged', () => {
    const p = payloadOf('alert');
    if (!p || p.alertId !== packet.alert.id || !canonicalBytes(p.output).equals(canonicalBytes(packet.alert.output))) throw new Error('alert differs from its log entry');
    return packet.alert.id;
  });
  if (packet.decision) {
    add('the decision shown is the decision logged', () => {
      const p = payloadOf('decision') ?? payloadOf('expiry');
      if (!p) throw new Error('no decision entry');
      if (p.decisionId && p.decisionId !== packet.decision!.id) throw new Error('decision id differs from its log entry');
      if (p.outcome && p.outcome !== packet.decision!.outcome) throw new Error('outcome differs from its log entry');
      if (p.alertLogIndex !== packet.alert.logIndex) throw new Error('decision does not point at this alert\'s log entry');
      const leaf = parseLeaf(Buffer.from(packet.entries.find((x) => x.role !== 'alert')!.leaf, 'base64')) as EventLeaf;
      return `${String(p.outcome ?? 'expired')} by ${leaf.actor}`;
    });
  }
  return { ok: checks.length > 0 && checks.every((c) => c.ok), checks };
}

/** A readable PDF of the packet (the JSON stays the evidence; the PDF is for people). */
export function disclosurePdf(p: DisclosurePacket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Disclosure packet ${p.alert.id}`, Author: 'Counterweight' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    const h = (t: string) => doc.moveDown(0.6).font('Helvetica-Bold').fontSize(12).text(t).font('Helvetica').fontSize(9);
    const kv = (k: string, v: unknown) => doc.text(`${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
    doc.font('Helvetica-Bold').fontSize(16).text('Disclosure packet').font('Helvetica').fontSize(9);
    kv('Generated', p.generatedAt);
    doc.text(p.notice);
    h('Alert');
    kv('Id', p.alert.id); kv('System', `${p.system.name} (${p.system.id}) version ${p.system.version}`); kv('Kind', p.alert.kind); kv('Model version', p.alert.modelVersion);
    kv('Occurred', p.alert.occurredAt); kv('Unit', p.alert.unit); kv('Subject (pseudonymous)', p.alert.subjectRef ?? 'none'); kv('Output', p.alert.output); kv('Confidence', p.alert.confidence ?? 'not given');
    h('Explanation given by the system');
    doc.text(String((p.alert.explanation as { summary?: string }).summary ?? ''));
    h('Decision');
    if (p.decision) for (const [k, v] of Object.entries(p.decision)) kv(k, v ?? '—');
    else doc.text('No decision recorded yet.');
    h('Who is responsible');
    for (const [k, v] of Object.entries(p.responsibility)) kv(k, v ? JSON.stringify(v) : '— none recorded');
    h('Impact assessment in force');
    kv('Assessment', p.system.assessment ?? 'none');
    h('Transparency-log entries');
    for (const e of p.entries) kv(`${e.role} #${e.index}`, e.payload === null ? 'payload erased' : 'payload and salt included');
    kv('Log', p.log.origin);
    doc.end();
  });
}
