import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  openCheckpoint,
  generateKeyPair,
  keyIdHex,
  newSigner,
  newVerifier,
  verifierKeyOf,
  type NoteSigner,
  parseNote,
} from '../ledger';
import { StateError } from '../domain/errors';
import { msg } from '../domain/messages';
import type { Store } from '../store/db';
import { latestCheckpoint } from './checkpoints';

/**
 * The log's signing keys live in files outside the database (0600), so a database dump never holds
 * them. `current.key` signs; keys in `previous/` still co-sign checkpoints until retired, so a
 * verifier holding either key keeps working across a rotation.
 */
export interface LogKeys {
  origin: string;
  signers: NoteSigner[];
  /** Verifier key strings (C2SP signed-note vkey), current first. */
  verifierKeys: string[];
  /** The signer key strings, current first: only for handing to the log's writer thread (a function, so no dump or log line prints them). */
  signerKeys(): string[];
}

const ORIGIN_RE = /^[a-z0-9.-]+(\/[A-Za-z0-9._-]+)*$/;

/**
 * The keys in `dir`, creating the origin file and a signing key if absent. Does not look at any log:
 * writers of a stored log use openLogKeysFor, which calls this only while the log is empty.
 */
export function loadOrCreateLogKeys(dir: string, origin = 'counterweight.local/log'): LogKeys {
  mkdirSync(join(dir, 'previous'), { recursive: true, mode: 0o700 });
  const originFile = join(dir, 'origin');
  if (!existsSync(originFile)) {
    if (!ORIGIN_RE.test(origin)) throw new Error(`log origin "${origin}" must look like host/path`);
    writeFileSync(originFile, `${origin}\n`, { mode: 0o600 });
  }
  const current = join(dir, 'current.key');
  if (!existsSync(current))
    writeFileSync(current, `${generateKeyPair(readFileSync(originFile, 'utf8').trim()).signerKey}\n`, { mode: 0o600 });
  return loadLogKeys(dir);
}

/**
 * The keys already in `dir`; never creates one. For commands that only read them (verifier keys,
 * audits, exports, rotation): a mistyped --keys-dir must be an error, not a new, unrelated key.
 */
export function loadLogKeys(dir: string): LogKeys {
  const originFile = join(dir, 'origin');
  const current = join(dir, 'current.key');
  for (const f of [originFile, current]) {
    if (!existsSync(f))
      throw new Error(
        `no log signing keys in ${dir}: ${f} is missing (the server creates them on its first start; or set --keys-dir / CW_KEYS_DIR)`,
      );
  }
  const logOrigin = readFileSync(originFile, 'utf8').trim();
  chmodSync(current, 0o600);
  const previous = join(dir, 'previous');
  const files = [
    current,
    ...(existsSync(previous) ? readdirSync(previous) : [])
      .filter((f) => f.endsWith('.key'))
      .sort()
      .map((f) => join(previous, f)),
  ];
  const skeys = files.map((f) => readFileSync(f, 'utf8').trim());
  return {
    origin: logOrigin,
    signers: skeys.map((k) => newSigner(k)),
    verifierKeys: skeys.map((k) => verifierKeyOf(k)),
    signerKeys: () => skeys.slice(),
  };
}

/**
 * The keys that may sign this store's log. Every writer (server start, every CLI command that appends)
 * comes through here: a key is created only while the log is empty (size 0, no checkpoint); once it
 * holds entries, the keys must already be in `dir` and must be the ones that signed its latest
 * checkpoint. Otherwise a command run from another directory, or with a mistyped CW_KEYS_DIR, would
 * start signing an existing log with a fresh, unrelated key. Refuses before creating any file.
 */
export async function openLogKeysFor(store: Store, dir: string, origin = 'counterweight.local/log'): Promise<LogKeys> {
  const state = await store.db.selectFrom('ledger_state').select('size').where('id', '=', 1).executeTakeFirst();
  const size = Number(state?.size ?? 0);
  const cp = await latestCheckpoint(store.db);
  if (size === 0 && !cp) return loadOrCreateLogKeys(dir, origin);
  const missing = [join(dir, 'current.key'), join(dir, 'origin')].find((f) => !existsSync(f));
  if (missing)
    throw new StateError(msg('logKeys.missing', { size: Math.max(size, cp?.size ?? 0), path: resolve(missing) }));
  const keys = loadLogKeys(dir);
  if (cp) {
    // Retired keys still prove lineage: rotate + retire with no append in between leaves the latest
    // checkpoint signed only by a key that is now in retired/.
    const retiredDir = join(dir, 'retired');
    const retired = existsSync(retiredDir)
      ? readdirSync(retiredDir)
          .filter((f) => f.endsWith('.key'))
          .map((f) => verifierKeyOf(readFileSync(join(retiredDir, f), 'utf8').trim()))
      : [];
    try {
      openCheckpoint(cp.note, [...keys.verifierKeys, ...retired].map(newVerifier), keys.origin);
    } catch {
      const signedBy = parseNote(cp.note)
        .signatures.map((s) => `${s.name}+${keyIdHex(s.keyId)}`)
        .join(', ');
      const held = keys.verifierKeys.map((k) => k.split('+').slice(0, 2).join('+')).join(', ');
      throw new StateError(msg('logKeys.mismatch', { dir: resolve(dir), keys: held, size: cp.size, signedBy }));
    }
  }
  return keys;
}

/** Make a new current key; the old one moves to previous/ and keeps co-signing until retired. */
export function rotateLogKey(dir: string): LogKeys {
  const keys = loadLogKeys(dir);
  mkdirSync(join(dir, 'previous'), { recursive: true, mode: 0o700 });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  renameSync(join(dir, 'current.key'), join(dir, 'previous', `${stamp}.key`));
  writeFileSync(join(dir, 'current.key'), `${generateKeyPair(keys.origin).signerKey}\n`, { mode: 0o600 });
  return loadLogKeys(dir);
}

/** Stop co-signing with previous keys (after verifiers have the new key). */
export function retirePreviousKeys(dir: string): void {
  loadLogKeys(dir); // there must be keys here
  const prev = join(dir, 'previous');
  mkdirSync(prev, { recursive: true, mode: 0o700 });
  mkdirSync(join(dir, 'retired'), { recursive: true, mode: 0o700 });
  for (const f of readdirSync(prev)) renameSync(join(prev, f), join(dir, 'retired', f));
}
