/**
 * Pseudonymous subject references the server mints itself. A sender's subject reference is never
 * trusted to be pseudonymous (no pattern tells `person:John_Smith_1985-03-14` from an opaque id), so
 * every reference the server did not mint is replaced by `pseud:<hex>` = HMAC-SHA256 under a
 * per-installation secret, with a domain-separation prefix. The secret lives in a 0600 file beside the
 * log's signing keys (never in the database, so a dump cannot reverse or recompute pseudonyms; never
 * logged); the raw reference is kept only in the access-controlled subject_pseudonyms table, which
 * erasure deletes. Same reference, same installation: same pseudonym; another installation: another.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Executor } from '../store/db';
import { StateError } from '../domain/errors';
import { msg } from '../domain/messages';
import { nowIso } from '../store/db';

const DOMAIN = 'counterweight/subject-pseudonym/v1\n';
const MINTED = /^pseud:[0-9a-f]{64}$/;
export const PSEUDONYM_SECRET_FILE = 'pseudonym.secret';

export interface Pseudonyms {
  /** The pseudonym of a raw reference (pure: O(length of ref)). */
  of(raw: string): string;
}

/** Whether a reference has the form of a pseudonym this server mints (the form only: see `lookupRefs`). */
export const isMinted = (ref: string) => MINTED.test(ref);

export function pseudonymsFromSecret(secret: Buffer): Pseudonyms {
  if (secret.length < 32) throw new Error('the pseudonym secret must be at least 32 bytes');
  // The secret is captured here and exposed by no property, so no dump or log line prints it.
  return {
    of: (raw: string) => `pseud:${createHmac('sha256', secret).update(DOMAIN).update(raw, 'utf8').digest('hex')}`,
  };
}

/** The installation's pseudonym secret in `dir` (the keys directory), created on first start. */
export function loadOrCreatePseudonyms(dir: string): Pseudonyms {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, PSEUDONYM_SECRET_FILE);
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  const hex = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64,}$/.test(hex)) throw new Error(`${file} does not hold a hex secret of at least 32 bytes`);
  return pseudonymsFromSecret(Buffer.from(hex, 'hex'));
}

/**
 * The secret for a store that may already hold pseudonyms: like the log's signing key, a new secret is
 * made only while nothing was pseudonymised yet. With pseudonyms stored and the secret missing (a wrong
 * or lost CW_KEYS_DIR), or a secret that does not reproduce a stored pseudonym, the server refuses to
 * start: a new secret would give every person a second, unlinkable pseudonym and split their records.
 */
export async function openPseudonymsFor(db: Executor, dir: string): Promise<Pseudonyms> {
  const file = join(dir, PSEUDONYM_SECRET_FILE);
  const stored = await db.selectFrom('subject_pseudonyms').select(['pseudonym', 'raw_ref']).limit(1).executeTakeFirst();
  const minted =
    stored ??
    (await db
      .selectFrom('alerts')
      .select('subject_ref')
      .where('subject_ref', 'like', 'pseud:%')
      .limit(1)
      .executeTakeFirst());
  if (minted && !existsSync(file)) throw new StateError(msg('pseudonyms.missing', { path: file }));
  const p = loadOrCreatePseudonyms(dir);
  if (stored && p.of(stored.raw_ref) !== stored.pseudonym)
    throw new StateError(msg('pseudonyms.mismatch', { path: file }));
  return p;
}

/** Keep raw → pseudonym in the access-controlled table (idempotent). */
export async function rememberPseudonyms(db: Executor, pairs: { raw: string; pseudonym: string }[]): Promise<void> {
  const at = nowIso();
  for (const p of pairs)
    await db
      .insertInto('subject_pseudonyms')
      .values({ pseudonym: p.pseudonym, raw_ref: p.raw, created_at: at })
      .onConflict((oc) => oc.doNothing())
      .execute();
}

/**
 * The references under which a person asked about as `ref` may be stored: the pseudonym of `ref`, and
 * `ref` itself when it is already one of ours (oversight copying a pseudonym from an alert).
 */
export function lookupRefs(pseudonyms: Pseudonyms, ref: string): string[] {
  return isMinted(ref) ? [ref, pseudonyms.of(ref)] : [pseudonyms.of(ref)];
}

/**
 * Erasure: forget the raw references behind these pseudonyms, unless an alert still carries them (its
 * alert_refs rows; a purged alert's are deleted first). O(pseudonyms · log(alerts)).
 */
export async function forgetPseudonyms(db: Executor, pseudonyms: string[]): Promise<number> {
  let n = 0;
  for (const p of new Set(pseudonyms)) {
    if (await anyAlertCarries(db, p)) continue;
    const r = await db.deleteFrom('subject_pseudonyms').where('pseudonym', '=', p).executeTakeFirst();
    n += Number(r.numDeletedRows ?? 0);
  }
  return n;
}

/** Does an unpurged alert carry this ref, as its subject or among its inputs? One index lookup. */
export async function anyAlertCarries(db: Executor, ref: string): Promise<boolean> {
  return !!(await db.selectFrom('alert_refs').select('alert_id').where('ref', '=', ref).limit(1).executeTakeFirst());
}
