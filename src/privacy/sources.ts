/**
 * The data-source register and purpose limitation. Data collected for one purpose (e.g. immigration
 * biometrics) may not be used for another (e.g. policing) unless the source's record names that
 * purpose or a recorded legal basis for it; every refusal is written to the transparency log.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AccessError, InputError, NotFoundError, StateError } from '../domain/errors';
import { msg } from '../domain/messages';
import type { Ledger } from '../ledger-service/ledger';
import { nowIso, type Executor, type Store } from '../store/db';
import { applyRedactionRows } from '../domain/redaction';

/**
 * The registered purposes: what a source may be used for, and the only answers a person may give when
 * a read of personal data asks why (`x-purpose: <purpose>[; <case reference>]`). The last four are
 * oversight's and the courts' purposes for reading records, which sources need not list.
 */
export const PURPOSES = [
  'crime-analysis',
  'patrol-forecasting',
  'alert-review',
  'fairness-audit',
  'public-statistics',
  'research',
  'immigration-control',
  'identity-verification',
  'other',
  'patrol-measurement',
  'oversight-review',
  'legal-proceedings',
  'subject-access',
] as const;
export type Purpose = (typeof PURPOSES)[number];

export const SourceRecordSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
    name: z.string().min(3).max(200),
    provenance: z.string().min(3).max(2000),
    collectingBody: z.string().min(2).max(200),
    legalBasis: z.string().min(3).max(1000),
    consentStatus: z.string().min(3).max(500),
    personalDataCategories: z.array(z.string().max(200)).max(50),
    purposes: z.array(z.enum(PURPOSES)).min(1),
    /** Another purpose allowed only on a legal basis recorded here (who decided, which law). */
    additionalBases: z
      .array(
        z.object({
          purpose: z.enum(PURPOSES),
          basis: z.string().min(3).max(1000),
          decidedBy: z.string().min(2).max(200),
        }),
      )
      .default([]),
    retentionDays: z.number().int().min(1).max(36_500),
    sharingAgreements: z.array(z.string().max(500)).max(50),
  })
  .strict();
export type SourceRecord = z.infer<typeof SourceRecordSchema>;

/** Every purpose a record allows, listed or on a recorded legal basis. */
function allowedPurposes(rec: SourceRecord): Set<Purpose> {
  return new Set<Purpose>([...rec.purposes, ...rec.additionalBases.map((b) => b.purpose)]);
}

function parseSourceRecord(raw: unknown): SourceRecord {
  const r = SourceRecordSchema.safeParse(raw);
  if (!r.success)
    throw new InputError(
      msg('privacy.invalidSource'),
      r.error.issues.map((i) => ({ field: i.path.join('.'), expected: i.message })),
    );
  return r.data;
}

/** The purposes a new version would add to what the source's latest version allows (none for a first version). */
export async function wideningOf(db: Executor, rec: SourceRecord): Promise<Purpose[]> {
  const prev = await getSource(db, rec.id);
  if (!prev) return [];
  const before = allowedPurposes(prev);
  return [...allowedPurposes(rec)].filter((p) => !before.has(p));
}

/**
 * Register a data source or a new version of it. Narrowing takes effect at once; a version that
 * widens what the source may be used for is refused here: it goes through `proposeSourceChange`, with
 * a recorded legal basis, and takes effect only when a second person approves it.
 */
export async function registerSource(
  store: Store,
  ledger: Ledger,
  actor: string,
  raw: unknown,
): Promise<{ id: string; version: number }> {
  const rec = parseSourceRecord(raw);
  const added = await wideningOf(store.db, rec);
  if (added.length) throw new StateError(msg('privacy.sourceWidening', { source: rec.id, purposes: added.join(', ') }));
  return writeSourceVersion(store, ledger, actor, rec);
}

async function writeSourceVersion(
  store: Store,
  ledger: Ledger,
  actor: string,
  data: SourceRecord,
): Promise<{ id: string; version: number }> {
  const prev = await store.db
    .selectFrom('data_sources')
    .select('version')
    .where('id', '=', data.id)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  const version = (prev?.version ?? 0) + 1;
  const entry = await ledger.append({
    type: 'data.source-registered',
    actor,
    subjects: [`source:${data.id.padEnd(8, '-')}`],
    payload: { version, ...data },
  });
  await store.db
    .insertInto('data_sources')
    .values({
      id: data.id,
      version,
      record: JSON.stringify(data),
      created_by: actor,
      created_at: nowIso(),
      log_index: entry.index,
    })
    .execute();
  return { id: data.id, version };
}

/** Ask to widen a source's purposes, naming the legal basis; a second person must approve it. */
export async function proposeSourceChange(
  store: Store,
  ledger: Ledger,
  proposer: { id: string; actor: string },
  raw: unknown,
  legalBasis: string,
) {
  const rec = parseSourceRecord(raw);
  const added = await wideningOf(store.db, rec);
  if (!added.length)
    throw new InputError(msg('privacy.sourceNotWidening', { source: rec.id }), [
      {
        field: 'record.purposes',
        expected: 'a purpose the source does not allow yet (narrowing needs no approval: register it directly)',
      },
    ]);
  if (legalBasis.trim().length < 10)
    throw new InputError(msg('privacy.sourceWideningBasis'), [
      { field: 'legalBasis', expected: 'the law or decision that allows the new purpose, at least 10 characters' },
    ]);
  const row = await store.db
    .insertInto('source_proposals')
    .values({
      source_id: rec.id,
      record: JSON.stringify(rec),
      legal_basis: legalBasis.trim(),
      proposed_by: proposer.id,
      proposed_at: nowIso(),
      status: 'pending',
      decided_by: null,
      decided_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await ledger.append({
    type: 'data.source-widening-proposed',
    actor: proposer.actor,
    subjects: [`source:${rec.id.padEnd(8, '-')}`],
    payload: { proposalId: row.id, sourceId: rec.id, adds: added, legalBasis: legalBasis.trim() },
  });
  return { proposalId: Number(row.id), status: 'pending' as const, adds: added };
}

/** The second person approves (the new version is registered) or refuses a widening. */
export async function decideSourceChange(
  store: Store,
  ledger: Ledger,
  decider: { id: string; actor: string },
  proposalId: number,
  approve: boolean,
) {
  const p = await store.db.selectFrom('source_proposals').selectAll().where('id', '=', proposalId).executeTakeFirst();
  if (!p) throw new NotFoundError(msg('privacy.sourceProposalNotFound', { id: proposalId }));
  if (p.status !== 'pending')
    throw new StateError(msg('privacy.sourceProposalDecided', { id: proposalId, status: p.status }));
  if (p.proposed_by === decider.id) throw new AccessError(msg('privacy.holdSamePerson'));
  const moved = await store.db
    .updateTable('source_proposals')
    .set({ status: approve ? 'approved' : 'refused', decided_by: decider.id, decided_at: nowIso() })
    .where('id', '=', proposalId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1)
    throw new StateError(msg('privacy.sourceProposalDecided', { id: proposalId, status: 'decided meanwhile' }));
  await ledger.append({
    type: approve ? 'data.source-widening-approved' : 'data.source-widening-refused',
    actor: decider.actor,
    subjects: [`source:${p.source_id.padEnd(8, '-')}`],
    payload: { proposalId, sourceId: p.source_id, legalBasis: p.legal_basis },
  });
  if (!approve) return { proposalId, status: 'refused' as const };
  const v = await writeSourceVersion(store, ledger, decider.actor, JSON.parse(p.record) as SourceRecord);
  return { proposalId, status: 'approved' as const, ...v };
}

/**
 * Widenings waiting for a second person, oldest first: what each adds to the source as it is now, the
 * legal basis, and who proposed it (a decider must be someone else).
 */
export async function pendingSourceProposals(db: Executor) {
  const rows = await db
    .selectFrom('source_proposals')
    .leftJoin('users', 'users.id', 'source_proposals.proposed_by')
    .select([
      'source_proposals.id',
      'source_proposals.source_id',
      'source_proposals.record',
      'source_proposals.legal_basis',
      'source_proposals.proposed_by',
      'source_proposals.proposed_at',
      'source_proposals.status',
      'users.display_name',
    ])
    .where('source_proposals.status', '=', 'pending')
    .orderBy('source_proposals.id')
    .execute();
  const out = [];
  for (const r of rows) {
    const record = JSON.parse(r.record) as SourceRecord;
    out.push({
      id: Number(r.id),
      sourceId: r.source_id,
      adds: await wideningOf(db, record),
      purposes: [...record.purposes],
      legalBasis: r.legal_basis,
      proposedBy: r.proposed_by,
      proposedByName: r.display_name ?? r.proposed_by,
      proposedAt: r.proposed_at,
      status: r.status,
    });
  }
  return out;
}

export async function getSource(db: Executor, id: string): Promise<(SourceRecord & { version: number }) | undefined> {
  const row = await db
    .selectFrom('data_sources')
    .selectAll()
    .where('id', '=', id)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { ...(JSON.parse(row.record) as SourceRecord), version: row.version } : undefined;
}

/** The public view: every source's latest record with structured redactions applied (expired ones lapse). */
export async function listSources(db: Executor) {
  const rows = await db.selectFrom('data_sources').selectAll().orderBy('id').orderBy('version', 'desc').execute();
  const latest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) if (!latest.has(r.id)) latest.set(r.id, r);
  const red = await db.selectFrom('source_redactions').selectAll().execute();
  return [...latest.values()].map((r) => ({
    ...(applyRedactionRows(
      JSON.parse(r.record),
      red.filter((x) => x.source_id === r.id),
    ) as SourceRecord),
    version: r.version,
    registeredAt: r.created_at,
    logIndex: r.log_index,
  }));
}

export async function redactSourceField(
  store: Store,
  ledger: Ledger,
  actor: string,
  decidedBy: string,
  sourceId: string,
  r: { field: string; legalReason: string; expiresAt: string },
) {
  if (!(await getSource(store.db, sourceId))) throw new NotFoundError(msg('privacy.noSource', { sourceId }));
  if (['id', 'purposes', 'retentionDays'].includes(r.field))
    throw new InputError(msg('privacy.neverWithheld', { field: r.field }), [
      { field: 'field', expected: 'a descriptive field such as provenance or sharingAgreements' },
    ]);
  await store.db
    .insertInto('source_redactions')
    .values({
      source_id: sourceId,
      field: r.field,
      legal_reason: r.legalReason,
      decided_by: decidedBy,
      expires_at: r.expiresAt,
      created_at: nowIso(),
    })
    .execute();
  await ledger.append({
    type: 'data.source-redaction',
    actor,
    subjects: [`source:${sourceId.padEnd(8, '-')}`],
    payload: { sourceId, ...r },
  });
}

/** Purpose limitation: allowed when the source lists the purpose or records a legal basis for it. */
export function purposeAllowed(
  src: SourceRecord,
  purpose: Purpose,
): { ok: true; basis: string } | { ok: false; reason: string } {
  if (src.purposes.includes(purpose)) return { ok: true, basis: `listed purpose of ${src.id}` };
  const extra = src.additionalBases.find((b) => b.purpose === purpose);
  if (extra) return { ok: true, basis: `${extra.basis} (decided by ${extra.decidedBy})` };
  return {
    ok: false,
    reason: `source ${src.id} was collected for ${src.purposes.join(', ')}; using it for ${purpose} needs a recorded legal basis`,
  };
}

/** The registered sources whose latest record allows `purpose` (listed, or on a recorded legal basis). */
export async function sourcesAllowing(db: Executor, purpose: Purpose): Promise<string[]> {
  const rows = await db
    .selectFrom('data_sources')
    .select(['id', 'version', 'record'])
    .orderBy('id')
    .orderBy('version', 'desc')
    .execute();
  const latest = new Map<string, SourceRecord>();
  for (const r of rows) if (!latest.has(r.id)) latest.set(r.id, JSON.parse(r.record) as SourceRecord);
  return [...latest.entries()].filter(([, src]) => purposeAllowed(src, purpose).ok).map(([id]) => id);
}

/** Check a use of a source; a refusal is logged before it is thrown. */
export async function requirePurpose(
  store: Store,
  ledger: Ledger,
  actor: string,
  sourceId: string,
  purpose: Purpose,
  use: string,
): Promise<SourceRecord> {
  const src = await getSource(store.db, sourceId);
  if (!src) {
    await ledger.append({
      type: 'privacy.purpose-refused',
      actor,
      subjects: [],
      payload: { sourceId, purpose, use, reason: 'source not registered' },
    });
    throw new InputError(
      msg('privacy.sourceNotRegistered', { source: sourceId }),
      [{ field: 'source', expected: 'the id of a registered data source' }],
      409,
    );
  }
  const d = purposeAllowed(src, purpose);
  if (!d.ok) {
    await ledger.append({
      type: 'privacy.purpose-refused',
      actor,
      subjects: [`source:${sourceId.padEnd(8, '-')}`],
      payload: { sourceId, purpose, use, reason: d.reason },
    });
    throw new InputError(
      msg('privacy.purposeLimitation', { reason: d.reason }),
      [
        {
          field: 'purpose',
          expected: `one of the purposes ${sourceId} allows: ${[...src.purposes, ...src.additionalBases.map((b) => b.purpose)].join(', ')}`,
          got: purpose,
        },
      ],
      403,
    );
  }
  return src;
}

/** The source records bundled in config/sources (the public datasets the profiles read). */
export async function registerBundledSources(store: Store, ledger: Ledger, dir = 'config/sources'): Promise<string[]> {
  const done: string[] = [];
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith('.json'))
    .sort()) {
    const rec = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    if (!(await getSource(store.db, rec.id))) {
      await registerSource(store, ledger, 'system:counterweight-setup', rec);
      done.push(rec.id);
    }
  }
  return done;
}

export async function sourceHistory(db: Executor, id: string) {
  const rows = await db.selectFrom('data_sources').selectAll().where('id', '=', id).orderBy('version').execute();
  if (!rows.length) throw new NotFoundError(msg('privacy.noSource', { sourceId: id }));
  const red = await db.selectFrom('source_redactions').selectAll().where('source_id', '=', id).execute();
  return rows.map((r) => ({
    version: r.version,
    record: applyRedactionRows(JSON.parse(r.record), red),
    createdAt: r.created_at,
    logIndex: r.log_index,
  }));
}
