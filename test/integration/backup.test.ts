import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, StateError } from '../../src/domain/errors';
import { auditLog } from '../../src/ledger/audit';
import { openCheckpoint } from '../../src/ledger/checkpoint';
import { newVerifier } from '../../src/ledger/keys';
import { verifyConsistency } from '../../src/ledger/merkle';
import { Ledger, proveConsistency } from '../../src/ledger-service/ledger';
import { latestCheckpoint } from '../../src/ledger-service/checkpoints';
import { loadOrCreateLogKeys, openLogKeysFor } from '../../src/ledger-service/log-keys';
import { restoreBackup, writeBackup, type RestoreTarget } from '../../src/ops/backup';
import { loadOrCreatePseudonyms } from '../../src/privacy/pseudonyms';
import { MIGRATIONS } from '../../src/store/migrations/index';
import { migrate, openStore, type Store } from '../../src/store/db';
import { runCli } from '../support/cli';
import { DIALECTS, freshPostgresUrl, type DialectName } from '../support/stores';

const ref = (kind: string, n: number) => `${kind}:${String(n).padStart(8, 'x')}`;
const PASS = 'correct horse battery staple';
const ORIGIN = 'backup.test/log';

/** An installation on disk: an SQLite file or a PostgreSQL database, and its keys directory. */
async function installation(dialect: DialectName, dir: string, upTo?: string) {
  const databaseUrl = dialect === 'postgres' ? await freshPostgresUrl() : undefined;
  const sqliteFile = join(dir, 'cw.db');
  const store = openStore({ databaseUrl, sqliteFile });
  await migrate(store, { upTo });
  return { store, databaseUrl, sqliteFile, keysDir: join(dir, 'keys') };
}

/** An empty target to restore into. */
async function emptyTarget(dialect: DialectName, dir: string): Promise<RestoreTarget> {
  return {
    databaseUrl: dialect === 'postgres' ? await freshPostgresUrl() : undefined,
    sqliteFile: join(dir, 'restored', 'cw.db'),
    keysDir: join(dir, 'restored-keys'),
  };
}

async function targetIsEmpty(t: RestoreTarget): Promise<boolean> {
  if (existsSync(t.keysDir) && readdirSync(t.keysDir).length > 0) return false;
  if (!t.databaseUrl) return !existsSync(t.sqliteFile!);
  const s = openStore({ databaseUrl: t.databaseUrl });
  try {
    return (
      (
        await s.pg!.query(
          'SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = current_schema()',
        )
      ).rows[0].n === 0
    );
  } finally {
    await s.close();
  }
}

async function append(ledger: Ledger, from: number, n: number) {
  for (let i = from; i < from + n; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, from + n - i) }, (_, k) =>
        ledger.append({
          type: 'ai.output',
          actor: ref('system', 1),
          subjects: [ref('alert', i + k)],
          payload: { n: i + k, name: `Resident ${i + k}` },
        }),
      ),
    );
  }
}

describe.each(DIALECTS)('backup and restore on %s', (dialect) => {
  const dir = mkdtempSync(join(tmpdir(), `cw-backup-${dialect}-`));
  let src: Awaited<ReturnType<typeof installation>>;
  let published: string;
  const backupFile = join(dir, 'site.cwbackup');

  beforeAll(async () => {
    src = await installation(dialect, dir);
    loadOrCreatePseudonyms(src.keysDir);
    // An SQLite file: batches go through the log's writer thread, as on a server.
    const ledger = new Ledger(src.store, loadOrCreateLogKeys(src.keysDir, ORIGIN), { maxBatch: 64 });
    await append(ledger, 0, 300);
    published = (await latestCheckpoint(src.store.db))!.note; // a checkpoint verifiers already hold
    await append(ledger, 300, 60);
    // Entry 5 erased, but its payload back in the table: the window between Ledger.erase's tombstone and
    // its delete, or a copy made by other means. The restore must delete it again.
    await ledger.erase(5, ref('user', 1), 'data-subject-request');
    await src.store.db
      .updateTable('ledger_payloads')
      .set({ payload: '{"n":5,"name":"Resident 5"}', salt: Buffer.alloc(32, 7), erased_at: null })
      .where('idx', '=', 5)
      .execute();
    await ledger.close();
    await writeBackup({
      store: src.store,
      keysDir: src.keysDir,
      out: backupFile,
      passphrase: PASS,
      databaseUrl: src.databaseUrl,
    });
  });
  afterAll(async () => {
    await src.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds nothing readable: no key, secret or payload appears in the file', () => {
    const bytes = readFileSync(backupFile);
    for (const secret of [
      readFileSync(join(src.keysDir, 'current.key'), 'utf8').trim(),
      readFileSync(join(src.keysDir, 'pseudonym.secret'), 'utf8').trim(),
      'Resident 17',
      ORIGIN,
    ]) {
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
    }
  });

  it('restores on a new machine: same keys and secret, every row, a log that extends the checkpoint published before the backup', async () => {
    const target = await emptyTarget(dialect, join(dir, 'a'));
    const r = await restoreBackup(backupFile, PASS, target);
    expect(r.migrated).toEqual([]);
    expect(r.logSize).toBe(361); // 360 entries and one tombstone
    for (const f of ['current.key', 'origin', 'pseudonym.secret'])
      expect(readFileSync(join(target.keysDir, f), 'utf8')).toBe(readFileSync(join(src.keysDir, f), 'utf8'));

    const restored = openStore({ databaseUrl: target.databaseUrl, sqliteFile: target.sqliteFile });
    try {
      // The verifier's side: it holds the published checkpoint and the log's public key, nothing else.
      const verifiers = loadOrCreateLogKeys(src.keysDir, ORIGIN).verifierKeys.map(newVerifier);
      const old = openCheckpoint(published, verifiers, ORIGIN).checkpoint;
      const head = openCheckpoint((await latestCheckpoint(restored.db))!.note, verifiers, ORIGIN).checkpoint;
      expect([old.size, head.size]).toEqual([300, 361]);
      verifyConsistency(
        old.size,
        head.size,
        await proveConsistency(restored.db, old.size, head.size),
        old.root,
        head.root,
      );
      const tiles = restored.log.wholeLogTiles();
      const audit = await auditLog((await latestCheckpoint(restored.db))!.note, async (t) => (await tiles.read(t))!, {
        logVerifiers: verifiers,
        workers: 1,
      });
      await tiles.close();
      expect(audit.ok, JSON.stringify(audit.problems)).toBe(true);

      const count = async (s: Store) =>
        Number(
          (
            await s.db
              .selectFrom('ledger_payloads')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      expect(await count(restored)).toBe(await count(src.store));
      // The erasure the snapshot had lost is applied again; other payloads are intact.
      expect(r.erasuresReapplied).toBe(1);
      const row5 = await restored.db
        .selectFrom('ledger_payloads')
        .select(['payload', 'salt'])
        .where('idx', '=', 5)
        .executeTakeFirstOrThrow();
      expect([row5.payload, row5.salt]).toEqual([null, null]);
      const row6 = await restored.db
        .selectFrom('ledger_payloads')
        .select('payload')
        .where('idx', '=', 6)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(row6.payload!)).toEqual({ n: 6, name: 'Resident 6' });

      // The restored installation goes on appending with the restored key (openLogKeysFor checks it signed the head).
      const ledger = new Ledger(restored, await openLogKeysFor(restored, target.keysDir, ORIGIN), {
        writerThread: false,
      });
      expect(
        (await ledger.append({ type: 'ai.output', actor: ref('system', 1), subjects: [], payload: { after: true } }))
          .index,
      ).toBe(361);
      await ledger.close();
    } finally {
      await restored.close();
    }
  });

  it('refuses a wrong passphrase and a tampered file with a clear message, writing nothing', async () => {
    const target = await emptyTarget(dialect, join(dir, 'b'));
    const err = await restoreBackup(backupFile, 'not the passphrase at all', target).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.messageCode).toBe('backup.wrongPassphrase');
    expect(err.text('ko')).toContain('암호가 틀렸습니다');
    expect(await targetIsEmpty(target)).toBe(true);

    const bytes = readFileSync(backupFile);
    for (const at of [Math.floor(bytes.length / 2), bytes.length - 1]) {
      // a ciphertext byte; the tag's last byte
      const bad = Buffer.from(bytes);
      bad[at] ^= 0x01;
      const badFile = join(dir, `tampered-${at}.cwbackup`);
      writeFileSync(badFile, bad);
      const e = await restoreBackup(badFile, PASS, target).catch((x) => x);
      expect(e).toBeInstanceOf(InputError);
      expect(e.messageCode, `byte ${at}`).toBe('backup.tampered');
      expect(await targetIsEmpty(target)).toBe(true);
    }
    // The header is authenticated too: another IV with the right passphrase fails the tag.
    const hlen = bytes.readUInt32BE(8);
    const header = JSON.parse(bytes.subarray(12, 12 + hlen).toString('utf8'));
    header.iv = Buffer.alloc(12, 1).toString('base64');
    const newHeader = Buffer.from(JSON.stringify(header));
    const lenBuf = Buffer.alloc(4);
    lenBuf.writeUInt32BE(newHeader.length);
    const ivFile = join(dir, 'tampered-iv.cwbackup');
    writeFileSync(ivFile, Buffer.concat([bytes.subarray(0, 8), lenBuf, newHeader, bytes.subarray(12 + hlen)]));
    expect((await restoreBackup(ivFile, PASS, target).catch((x) => x)).messageCode).toBe('backup.tampered');
    expect(await targetIsEmpty(target)).toBe(true);
  });

  it('restores only onto an empty target', async () => {
    const target: RestoreTarget = {
      databaseUrl: src.databaseUrl,
      sqliteFile: src.sqliteFile,
      keysDir: join(dir, 'c-keys'),
    };
    const e = await restoreBackup(backupFile, PASS, target).catch((x) => x);
    expect(e).toBeInstanceOf(StateError);
    expect(e.messageCode).toBe('backup.targetNotEmpty');
    expect(existsSync(target.keysDir)).toBe(false);
    // Keys already in the target keys directory are never overwritten either.
    const t2 = await emptyTarget(dialect, join(dir, 'd'));
    loadOrCreatePseudonyms(t2.keysDir);
    const before = readFileSync(join(t2.keysDir, 'pseudonym.secret'), 'utf8');
    expect((await restoreBackup(backupFile, PASS, t2).catch((x) => x)).messageCode).toBe('backup.targetNotEmpty');
    expect(readFileSync(join(t2.keysDir, 'pseudonym.secret'), 'utf8')).toBe(before);
    if (!t2.databaseUrl) expect(existsSync(t2.sqliteFile!)).toBe(false);
  });

  it('restores a backup of an older schema onto this version: the newer migrations run and the log still verifies', async () => {
    const older = MIGRATIONS.at(-2)![0];
    const newest = MIGRATIONS.at(-1)![0];
    const old = await installation(dialect, join(dir, 'old'), older);
    const ledger = new Ledger(old.store, loadOrCreateLogKeys(old.keysDir, ORIGIN), { writerThread: false });
    await append(ledger, 0, 20);
    await ledger.close();
    const cp = (await latestCheckpoint(old.store.db))!.note;
    const file = join(dir, 'old.cwbackup');
    const m = await writeBackup({
      store: old.store,
      keysDir: old.keysDir,
      out: file,
      passphrase: PASS,
      databaseUrl: old.databaseUrl,
    });
    await old.store.close();
    expect(m.migrations.at(-1)).toBe(older);

    const target = await emptyTarget(dialect, join(dir, 'e'));
    const r = await restoreBackup(file, PASS, target);
    expect(r.migrated).toEqual([newest]);
    const restored = openStore({ databaseUrl: target.databaseUrl, sqliteFile: target.sqliteFile });
    try {
      expect(await migrate(restored)).toEqual([]); // already up to date
      const verifiers = loadOrCreateLogKeys(old.keysDir, ORIGIN).verifierKeys.map(newVerifier);
      const head = openCheckpoint((await latestCheckpoint(restored.db))!.note, verifiers, ORIGIN).checkpoint;
      expect(head.root).toEqual(openCheckpoint(cp, verifiers, ORIGIN).checkpoint.root);
    } finally {
      await restored.close();
    }
  });

  it('the counterweight command backs up and restores, with the passphrase from a file and never printed', async () => {
    const passFile = join(dir, 'pass.txt');
    writeFileSync(passFile, `${PASS}\n`, { mode: 0o600 });
    const env = { CW_KEYS_DIR: src.keysDir, CW_SQLITE_FILE: src.sqliteFile, DATABASE_URL: src.databaseUrl ?? '' };
    const out = join(dir, 'cli.cwbackup');
    const b = await runCli(['backup', out, '--passphrase-file', passFile], env);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toContain('log size 361');
    const target = await emptyTarget(dialect, join(dir, 'f'));
    const renv = {
      CW_KEYS_DIR: target.keysDir,
      CW_SQLITE_FILE: target.sqliteFile!,
      DATABASE_URL: target.databaseUrl ?? '',
    };
    const wrong = await runCli(['restore', out], { ...renv, CW_BACKUP_PASSPHRASE: 'a wrong passphrase here' });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('wrong passphrase');
    const ok = await runCli(['restore', out, '--passphrase-file', passFile], renv);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('consistent with the checkpoint of size 361');
    for (const o of [b, wrong, ok]) expect(o.stdout + o.stderr).not.toContain(PASS);
  }, 240_000); // three command starts
});
