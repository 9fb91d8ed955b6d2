/**
 * Encrypted, self-checking backups of one installation: a consistent database snapshot (SQLite's online
 * backup API; pg_dump's one-transaction snapshot on PostgreSQL) together with the log's signing keys and
 * the pseudonym secret (the keys directory), which a database dump never holds.
 *
 * File layout (all integers big-endian):
 *   MAGIC (8) ‖ header length (4) ‖ header JSON ‖ AES-256-GCM ciphertext ‖ GCM tag (16)
 * The header (KDF parameters, salt, IV, a passphrase check value) is the cipher's additional data, so
 * a changed header fails authentication like a changed byte of ciphertext. The plaintext is
 *   manifest length (4) ‖ manifest JSON ‖ the parts, in manifest order
 * and the manifest names each part with its size and SHA-256, the schema version (applied migrations)
 * and the log head at the snapshot. Restore authenticates the whole file before writing anything.
 *
 * Cost: one pass over the snapshot to hash it and one to encrypt it, O(database size), streamed (flat
 * memory); the KDF (scrypt, N = 2^17) takes ~0.3 s and 128 MiB once per backup or restore.
 */
import { spawn } from 'node:child_process';
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  scrypt,
  timingSafeEqual,
} from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readSync,
  closeSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  lstatSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InputError, StateError } from '../domain/errors';
import { msg } from '../domain/messages';
import { openCheckpoint, newVerifier, verifyConsistency, parseLeaf, type TombstoneLeaf } from '../ledger';
import { entryBytes, proveConsistency } from '../ledger-service/ledger';
import { latestCheckpoint } from '../ledger-service/checkpoints';
import { openLogKeysFor } from '../ledger-service/log-keys';
import { MIGRATIONS } from '../store/migrations/index';
import { migrate, nowIso, openStore, redactUrl, type Store } from '../store/db';

const MAGIC = Buffer.from('CWBKUP01', 'latin1');
const TAG_BYTES = 16;
/** scrypt N = 2^17, r = 8 (128 MiB): OWASP's minimum for scrypt. Restore accepts at most MAX_* from a header. */
const KDF = { name: 'scrypt', N: 2 ** 17, r: 8, p: 1 } as const;
const MAX_N = 2 ** 20;
const MAX_R = 16;
const MAX_P = 4;
const CHECK_LABEL = 'counterweight backup passphrase check v1';
/** A header larger than this is not one of ours (a cheap refusal before any KDF work). */
const MAX_HEADER = 4096;

export interface BackupPart {
  /** `database` or `keys/<relative path>`. */
  name: string;
  bytes: number;
  sha256: string;
}

export interface BackupManifest {
  format: 'counterweight-backup';
  version: 1;
  createdAt: string;
  dialect: 'sqlite' | 'postgres';
  /** `sqlite`: the database file; `pg_dump`: pg_dump's custom format. */
  databaseFormat: 'sqlite' | 'pg_dump';
  /** Migrations applied to the snapshot, in order: its schema version. */
  migrations: string[];
  /** The log at the snapshot: its size and latest signed checkpoint (null: empty log). */
  log: { size: number; checkpoint: string | null };
  parts: BackupPart[];
}

interface Header {
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  cipher: 'aes-256-gcm';
  iv: string;
  /** HMAC of a fixed label under a key derived with the encryption key: tells a wrong passphrase from a tampered file. */
  check: string;
}

/** A passphrase from a file (first line) or the CW_BACKUP_PASSPHRASE variable; never from argv, which `ps` and shell history show. */
export function readPassphrase(file: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const p = file ? readFileSync(file, 'utf8').split(/\r?\n/)[0] : env.CW_BACKUP_PASSPHRASE;
  if (!p)
    throw new InputError(msg('backup.noPassphrase'), [
      {
        field: file ? 'passphrase-file' : 'CW_BACKUP_PASSPHRASE',
        file,
        expected: 'a passphrase of at least 12 characters',
      },
    ]);
  if (p.length < 12)
    throw new InputError(msg('backup.shortPassphrase'), [
      { field: file ? 'passphrase-file' : 'CW_BACKUP_PASSPHRASE', file, expected: 'at least 12 characters' },
    ]);
  return p;
}

function deriveKeys(passphrase: string, kdf: Header['kdf']): Promise<{ enc: Buffer; check: Buffer }> {
  return new Promise((ok, fail) =>
    scrypt(
      passphrase.normalize('NFC'),
      Buffer.from(kdf.salt, 'base64'),
      64,
      { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r + 1024 * 1024 },
      (e, key) => {
        if (e) fail(e);
        else
          ok({ enc: key.subarray(0, 32), check: createHmac('sha256', key.subarray(32)).update(CHECK_LABEL).digest() });
      },
    ),
  );
}

/** The tables of the store's schema (PostgreSQL: the connection's current schema). */
async function appliedMigrations(store: Store): Promise<string[]> {
  const rows = await store.db
    .selectFrom('kysely_migration' as never)
    .select('name' as never)
    .orderBy('name' as never)
    .execute();
  return (rows as { name: string }[]).map((r) => r.name);
}

/** Every regular file under dir, as paths relative to it (sorted, '/'-separated). */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

async function sha256OfFile(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Connection arguments for the PostgreSQL tools: the password goes in the environment, never argv. */
function pgToolArgs(url: string): { conn: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const env = { ...process.env };
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  u.password = '';
  return { conn: u.toString(), env };
}

function runTool(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (e) => fail(new StateError(msg('backup.toolMissing', { tool: cmd, cause: e.message }))));
    child.on('close', (code) =>
      code === 0
        ? ok()
        : fail(
            new StateError(
              msg('backup.toolFailed', { tool: cmd, code: code ?? -1, cause: stderr.trim().slice(0, 2000) }),
            ),
          ),
    );
  });
}

/** The PostgreSQL client tool `name`: CW_PG_BIN, else PATH. */
const pgTool = (name: string) => (process.env.CW_PG_BIN ? join(process.env.CW_PG_BIN, name) : name);

export interface BackupOptions {
  store: Store;
  /** The keys directory (CW_KEYS_DIR): log signing keys and the pseudonym secret. */
  keysDir: string;
  out: string;
  passphrase: string;
  /** Only for PostgreSQL: the database URL for pg_dump (the store's own pool never sees the tool). */
  databaseUrl?: string;
}

/**
 * Write an encrypted backup to `out` (via a temporary file renamed into place, 0600). The database
 * snapshot is consistent: SQLite's backup API copies one committed state while writers go on; pg_dump
 * reads in one REPEATABLE READ transaction. The log head recorded in the manifest is read before the
 * snapshot, so the snapshot's log extends it.
 */
export async function writeBackup(o: BackupOptions): Promise<BackupManifest> {
  const keyFiles = filesUnder(o.keysDir);
  if (!keyFiles.includes('current.key')) throw new StateError(msg('backup.noKeys', { path: resolve(o.keysDir) }));
  const work = mkdtempSync(join(tmpdir(), 'cw-backup-'));
  const tmpOut = `${o.out}.partial-${process.pid}`;
  try {
    const cp = await latestCheckpoint(o.store.db);
    const migrations = await appliedMigrations(o.store);
    const dbFile = join(work, 'database');
    let databaseFormat: BackupManifest['databaseFormat'];
    if (o.store.sqlite) {
      await o.store.sqlite.backup(dbFile);
      databaseFormat = 'sqlite';
    } else {
      if (!o.databaseUrl) throw new Error('writeBackup: a PostgreSQL store needs databaseUrl for pg_dump');
      const { conn, env } = pgToolArgs(o.databaseUrl);
      await runTool(
        pgTool('pg_dump'),
        ['--format=custom', '--no-owner', '--no-privileges', '--file', dbFile, '--dbname', conn],
        env,
      );
      databaseFormat = 'pg_dump';
    }
    const parts: BackupPart[] = [
      { name: 'database', bytes: statSync(dbFile).size, sha256: await sha256OfFile(dbFile) },
    ];
    const keyBytes = keyFiles.map((f) => readFileSync(join(o.keysDir, f)));
    keyFiles.forEach((f, i) =>
      parts.push({
        name: `keys/${f}`,
        bytes: keyBytes[i].length,
        sha256: createHash('sha256').update(keyBytes[i]).digest('hex'),
      }),
    );
    const manifest: BackupManifest = {
      format: 'counterweight-backup',
      version: 1,
      createdAt: new Date().toISOString(),
      dialect: o.store.dialect,
      databaseFormat,
      migrations,
      log: { size: cp?.size ?? 0, checkpoint: cp?.note ?? null },
      parts,
    };

    const kdf = { ...KDF, salt: randomBytes(16).toString('base64') };
    const keys = await deriveKeys(o.passphrase, kdf);
    const header: Header = {
      kdf,
      cipher: 'aes-256-gcm',
      iv: randomBytes(12).toString('base64'),
      check: keys.check.toString('base64'),
    };
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const prefix = Buffer.concat([MAGIC, u32(headerBytes.length), headerBytes]);
    const cipher = createCipheriv('aes-256-gcm', keys.enc, Buffer.from(header.iv, 'base64'));
    cipher.setAAD(prefix);
    const manifestBytes = Buffer.from(JSON.stringify(manifest), 'utf8');
    async function* plaintext() {
      yield u32(manifestBytes.length);
      yield manifestBytes;
      yield* createReadStream(dbFile);
      for (const b of keyBytes) yield b;
    }
    mkdirSync(dirname(resolve(o.out)), { recursive: true });
    writeFileSync(tmpOut, prefix, { mode: 0o600 });
    await pipeline(Readable.from(plaintext()), cipher, createWriteStream(tmpOut, { flags: 'a' }));
    writeFileSync(tmpOut, cipher.getAuthTag(), { flag: 'a' });
    renameSync(tmpOut, o.out);
    return manifest;
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(tmpOut, { force: true });
  }
}

export interface RestoreTarget {
  /** PostgreSQL: an existing, empty database. */
  databaseUrl?: string;
  /** SQLite: a file that does not exist yet. */
  sqliteFile?: string;
  /** A keys directory with no keys in it yet (created if missing). */
  keysDir: string;
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** Migrations this version ran on the restored database (newer than the backup's schema). */
  migrated: string[];
  /** The restored log's size, and that its head is consistent with the checkpoint recorded at backup. */
  logSize: number;
  /** Payloads the restored log records as erased that the snapshot still held, now deleted again. */
  erasuresReapplied: number;
}

/** `length` bytes of an open file from `position` (the file's length was checked by the caller). */
function readAt(fd: number, length: number, position: number): Buffer {
  const b = Buffer.alloc(length);
  readSync(fd, b, 0, length, position);
  return b;
}

/** Read and authenticate a backup; returns its manifest and the decrypted plaintext's file (in `work`). */
async function openBackup(
  file: string,
  passphrase: string,
  work: string,
): Promise<{ manifest: BackupManifest; plain: string; partsAt: number }> {
  const where = [{ file }];
  if (!existsSync(file)) throw new InputError(msg('backup.notFound', { file }), where);
  const size = statSync(file).size;
  const fd = openSync(file, 'r');
  let header: Header;
  let prefixLen: number;
  try {
    const head = readAt(fd, 12, 0);
    if (size < 12 + TAG_BYTES || !head.subarray(0, 8).equals(MAGIC))
      throw new InputError(msg('backup.notBackup', { file }), [
        { file, expected: 'a file written by counterweight backup' },
      ]);
    const hlen = head.readUInt32BE(8);
    if (hlen > MAX_HEADER || 12 + hlen + TAG_BYTES > size)
      throw new InputError(msg('backup.tampered', { file }), [{ file, field: 'header' }]);
    const hb = readAt(fd, hlen, 12);
    prefixLen = 12 + hlen;
    try {
      header = JSON.parse(hb.toString('utf8')) as Header;
    } catch {
      throw new InputError(msg('backup.tampered', { file }), [{ file, field: 'header' }]);
    }
    const k = header.kdf;
    if (
      k?.name !== 'scrypt' ||
      !(k.N >= 2 && k.N <= MAX_N && (k.N & (k.N - 1)) === 0) ||
      !(k.r >= 1 && k.r <= MAX_R) ||
      !(k.p >= 1 && k.p <= MAX_P) ||
      header.cipher !== 'aes-256-gcm'
    ) {
      throw new InputError(msg('backup.tampered', { file }), [
        { file, field: 'header.kdf', expected: `scrypt with N ≤ ${MAX_N}, r ≤ ${MAX_R}, p ≤ ${MAX_P}; aes-256-gcm` },
      ]);
    }
  } finally {
    closeSync(fd);
  }
  const keys = await deriveKeys(passphrase, header.kdf);
  const check = Buffer.from(header.check ?? '', 'base64');
  if (check.length !== keys.check.length || !timingSafeEqual(check, keys.check))
    throw new InputError(msg('backup.wrongPassphrase', { file }), [{ file, field: 'passphrase' }], 401);

  const fd2 = openSync(file, 'r');
  let tagBuf: Buffer;
  let prefix: Buffer;
  try {
    tagBuf = readAt(fd2, TAG_BYTES, size - TAG_BYTES);
    prefix = readAt(fd2, prefixLen, 0);
  } finally {
    closeSync(fd2);
  }
  const decipher = createDecipheriv('aes-256-gcm', keys.enc, Buffer.from(header.iv, 'base64'));
  decipher.setAAD(prefix);
  decipher.setAuthTag(tagBuf);
  const plain = join(work, 'plain');
  try {
    await pipeline(
      createReadStream(file, { start: prefixLen, end: size - TAG_BYTES - 1 }),
      decipher,
      createWriteStream(plain, { mode: 0o600 }),
    );
  } catch {
    throw new InputError(msg('backup.tampered', { file }), [
      { file, field: 'ciphertext', expected: 'the bytes counterweight backup wrote (authentication failed)' },
    ]);
  }
  const pfd = openSync(plain, 'r');
  let manifest: BackupManifest;
  let partsAt: number;
  try {
    const mb = readAt(pfd, readAt(pfd, 4, 0).readUInt32BE(0), 4);
    manifest = JSON.parse(mb.toString('utf8')) as BackupManifest;
    partsAt = 4 + mb.length;
  } finally {
    closeSync(pfd);
  }
  if (manifest.format !== 'counterweight-backup' || manifest.version !== 1)
    throw new InputError(msg('backup.notBackup', { file }), [{ file, field: 'manifest.format' }]);
  // The tag already vouches for every byte; the checksums also catch a writer that stored the wrong part.
  let at = partsAt;
  for (const p of manifest.parts) {
    if (p.name.split('/').some((s) => s === '..' || s === '') || p.name.startsWith('/'))
      throw new InputError(msg('backup.tampered', { file }), [{ file, field: `manifest.parts.${p.name}` }]);
    const h = createHash('sha256');
    if (p.bytes > 0)
      for await (const c of createReadStream(plain, { start: at, end: at + p.bytes - 1 })) h.update(c as Buffer);
    if (h.digest('hex') !== p.sha256)
      throw new InputError(msg('backup.tampered', { file }), [
        { file, field: `parts.${p.name}`, expected: `sha256 ${p.sha256}` },
      ]);
    at += p.bytes;
  }
  return { manifest, plain, partsAt };
}

/** Copy plaintext bytes [start, start + bytes) to a new file (0600). */
async function extract(plain: string, start: number, bytes: number, to: string): Promise<void> {
  const src = bytes > 0 ? createReadStream(plain, { start, end: start + bytes - 1 }) : Readable.from([]);
  await pipeline(src, createWriteStream(to, { mode: 0o600, flags: 'wx' }) as Writable);
}

async function isEmptyPostgres(url: string): Promise<boolean> {
  const store = openStore({ databaseUrl: url });
  try {
    const r = await store.pg!.query(
      'SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = current_schema()',
    );
    return r.rows[0].n === 0;
  } finally {
    await store.close();
  }
}

/**
 * Restore a backup onto an empty target on this machine: authenticate the whole file (wrong passphrase
 * and tampering are refused before anything is written), check that the target database and keys
 * directory are empty and that the backup's schema is one this version knows, then write the database
 * and the keys, run the migrations newer than the backup, and check that the restored log is signed by
 * the restored keys and extends the checkpoint recorded at backup time.
 */
export async function restoreBackup(file: string, passphrase: string, target: RestoreTarget): Promise<RestoreResult> {
  const work = mkdtempSync(join(tmpdir(), 'cw-restore-'));
  const written: string[] = [];
  try {
    const { manifest, plain, partsAt } = await openBackup(file, passphrase, work);
    const known = new Set(MIGRATIONS.map(([name]) => name));
    const unknown = manifest.migrations.filter((m) => !known.has(m));
    if (unknown.length) throw new StateError(msg('backup.newerSchema', { file, migrations: unknown.join(', ') }));
    const pgTarget = manifest.dialect === 'postgres';
    if (pgTarget && !target.databaseUrl)
      throw new InputError(msg('backup.needsDatabaseUrl', { file }), [
        { field: 'DATABASE_URL', expected: 'postgres://… of an empty database' },
      ]);
    if (!pgTarget && target.databaseUrl)
      throw new InputError(msg('backup.needsSqlite', { file }), [
        { field: 'DATABASE_URL', expected: 'unset: this backup is of an SQLite database' },
      ]);
    const sqliteFile = target.sqliteFile ?? './data/counterweight.db';
    if (!pgTarget && existsSync(sqliteFile) && statSync(sqliteFile).size > 0)
      throw new StateError(msg('backup.targetNotEmpty', { target: resolve(sqliteFile) }));
    if (pgTarget && !(await isEmptyPostgres(target.databaseUrl!)))
      throw new StateError(msg('backup.targetNotEmpty', { target: redactUrl(target.databaseUrl!) }));
    const keyParts = manifest.parts.filter((p) => p.name.startsWith('keys/'));
    const clash = keyParts.map((p) => join(target.keysDir, p.name.slice(5))).filter((f) => existsSync(f));
    if (clash.length) throw new StateError(msg('backup.targetNotEmpty', { target: resolve(clash[0]) }));

    // Everything checked: now write. Offsets of each part in the plaintext.
    const offsets = new Map<string, number>();
    let at = partsAt;
    for (const p of manifest.parts) {
      offsets.set(p.name, at);
      at += p.bytes;
    }
    const dbPart = manifest.parts.find((p) => p.name === 'database')!;
    if (pgTarget) {
      const dump = join(work, 'database.dump');
      await extract(plain, offsets.get('database')!, dbPart.bytes, dump);
      const { conn, env } = pgToolArgs(target.databaseUrl!);
      // One transaction: a failed restore leaves the database as empty as it was.
      await runTool(
        pgTool('pg_restore'),
        ['--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', '--dbname', conn, dump],
        env,
      );
    } else {
      mkdirSync(dirname(resolve(sqliteFile)), { recursive: true });
      const tmp = `${sqliteFile}.restoring-${process.pid}`;
      await extract(plain, offsets.get('database')!, dbPart.bytes, tmp);
      written.push(tmp);
      renameSync(tmp, sqliteFile);
      written.push(sqliteFile);
    }
    mkdirSync(target.keysDir, { recursive: true, mode: 0o700 });
    for (const p of keyParts) {
      const to = join(target.keysDir, p.name.slice(5));
      mkdirSync(dirname(to), { recursive: true, mode: 0o700 });
      await extract(plain, offsets.get(p.name)!, p.bytes, to);
      written.push(to);
    }

    const store = openStore({ databaseUrl: target.databaseUrl, sqliteFile });
    try {
      const migrated = await migrate(store);
      const logSize = await checkRestoredLog(store, target.keysDir, manifest);
      const erasuresReapplied = await reapplyErasures(store);
      return { manifest, migrated, logSize, erasuresReapplied };
    } finally {
      await store.close();
    }
  } catch (e) {
    // Nothing half restored on SQLite (pg_restore is one transaction; a failure after it is reported, not undone).
    for (const f of written.reverse()) rmSync(f, { force: true });
    throw e;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The restored log must be signed by the restored keys (openLogKeysFor refuses otherwise) and extend the
 * checkpoint the backup recorded: a consistency proof from it to the restored head, checked here.
 */
async function checkRestoredLog(store: Store, keysDir: string, manifest: BackupManifest): Promise<number> {
  const keys = await openLogKeysFor(store, keysDir);
  const head = await latestCheckpoint(store.db);
  if (!manifest.log.checkpoint) return head?.size ?? 0;
  const verifiers = keys.verifierKeys.map(newVerifier);
  const recorded = openCheckpoint(manifest.log.checkpoint, verifiers, keys.origin).checkpoint;
  if (!head)
    throw new StateError(
      msg('backup.logMismatch', { size: recorded.size, cause: 'no checkpoint in the restored database' }),
    );
  const now = openCheckpoint(head.note, verifiers, keys.origin).checkpoint;
  try {
    if (now.size === recorded.size) {
      if (!now.root.equals(recorded.root)) throw new Error('same size, different root');
    } else {
      verifyConsistency(
        recorded.size,
        now.size,
        await proveConsistency(store.db, recorded.size, now.size),
        recorded.root,
        now.root,
      );
    }
  } catch (e) {
    throw new StateError(
      msg('backup.logMismatch', { size: recorded.size, cause: e instanceof Error ? e.message : String(e) }),
    );
  }
  return now.size;
}

/**
 * Every tombstone in the log names the entry whose payload was erased. Ledger.erase appends the tombstone
 * and then deletes the payload, so a snapshot taken between the two (or a database copied by other means)
 * can hold a payload its own log says is gone: delete those again. O(tombstones).
 */
export async function reapplyErasures(store: Store): Promise<number> {
  const tombstones = await store.db
    .selectFrom('ledger_payloads')
    .select('idx')
    .where('type', '=', 'tombstone')
    .execute();
  const erased: number[] = [];
  for (const t of tombstones) {
    const leaf = parseLeaf(await entryBytes(store.db, Number(t.idx)));
    if (leaf.type === 'tombstone') erased.push((leaf as TombstoneLeaf).erases);
  }
  let n = 0;
  for (let i = 0; i < erased.length; i += 1000) {
    const r = await store.db
      .updateTable('ledger_payloads')
      .set({ payload: null, salt: null, erased_at: nowIso() })
      .where('idx', 'in', erased.slice(i, i + 1000))
      .where((eb) => eb.or([eb('payload', 'is not', null), eb('salt', 'is not', null)]))
      .executeTakeFirst();
    n += Number(r.numUpdatedRows);
  }
  return n;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
