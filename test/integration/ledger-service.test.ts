import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../src/ledger/checkpoint';
import { newVerifier } from '../../src/ledger/keys';
import { leafHash, verifyConsistency, verifyInclusion } from '../../src/ledger/merkle';
import { verifyTlogProof } from '../../src/ledger/proof';
import { parseLeaf, verifyPayload } from '../../src/ledger/leaf';
import { entryBytes, Ledger, proveConsistency, proveInclusion, receiptFor } from '../../src/ledger-service/ledger';
import { COPY_MIN_ENTRIES } from '../../src/store/log/postgres-commit';
import { readTileBytes, sequentialTileReader, type WholeLogTiles } from '../../src/store/log/tile-reads';
import { checkpointAt, latestCheckpoint } from '../../src/ledger-service/checkpoints';
import { auditLog } from '../../src/ledger/audit';
import { bundlesForSize, tilePath, tilesForSize, type TileRef } from '../../src/ledger/tiles';
import { loadOrCreateLogKeys, rotateLogKey } from '../../src/ledger-service/log-keys';
import { migrate, openStore, type Store } from '../../src/store/db';
import { DIALECTS, freshStore } from '../support/stores';

const ref = (kind: string, n: number) => `${kind}:${String(n).padStart(8, 'x')}`;

// 'sqlite-file': an SQLite file, so batches are committed by the log's writer thread (in-memory SQLite commits inline).
describe.each([...DIALECTS, 'sqlite-file' as const])('transparency log service on %s', (dialect) => {
  let store: Store;
  let ledger: Ledger;
  const keysDir = mkdtempSync(join(tmpdir(), 'cw-keys-'));
  beforeAll(async () => {
    if (dialect === 'sqlite-file') {
      store = openStore({ sqliteFile: join(mkdtempSync(join(tmpdir(), 'cw-ledger-')), 'log.db') });
      await migrate(store);
    } else store = await freshStore(dialect);
    ledger = new Ledger(store, loadOrCreateLogKeys(keysDir, 'test.counterweight/log'), {
      maxBatch: 256,
      maxDelayMs: 2,
    });
  });
  afterAll(async () => {
    await ledger.close();
    await store.close();
    if (dialect === 'sqlite-file') rmSync(dirname(store.location), { recursive: true, force: true });
    rmSync(keysDir, { recursive: true, force: true });
  });
  const auditWith = async (tiles: WholeLogTiles) => {
    try {
      return await auditLog((await latestCheckpoint(store.db))!.note, async (ref) => (await tiles.read(ref))!, {
        logVerifiers: ledger.keys.verifierKeys.map(newVerifier),
        workers: 2,
      });
    } finally {
      await tiles.close();
    }
  };

  it('appends concurrently: unique consecutive indices, one signed checkpoint per batch', async () => {
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        ledger.append({
          type: 'ai.output',
          actor: ref('system', 1),
          subjects: [ref('alert', i)],
          payload: { n: i, name: `Resident ${i}` },
        }),
      ),
    );
    expect(results.map((r) => r.index).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    const cp = (await latestCheckpoint(store.db))!;
    expect(cp.size).toBe(1000);
    const opened = openCheckpoint(cp.note, ledger.keys.verifierKeys.map(newVerifier));
    expect(opened.checkpoint.size).toBe(1000);
    const checkpoints = await store.db.selectFrom('ledger_checkpoints').select('size').execute();
    expect(checkpoints.length).toBeGreaterThanOrEqual(4); // batches of at most 256
    expect(checkpoints.length).toBeLessThan(1000);
  });

  it('the batched sequential tile reader serves exactly the bytes of one-tile reads, full and partial', async () => {
    const cp = (await latestCheckpoint(store.db))!;
    const refs: TileRef[] = [...tilesForSize(cp.size), ...bundlesForSize(cp.size)];
    const read = sequentialTileReader(store.db, 2); // a tiny batch: requests cross batch boundaries
    for (const ref of refs)
      expect(Buffer.compare((await read(ref))!, (await readTileBytes(store.db, ref))!), tilePath(ref)).toBe(0);
    // A narrower width than stored is a prefix; a wider one does not exist yet.
    const partial = { level: 'entries' as const, index: 0, width: 3 };
    expect(
      Buffer.compare((await sequentialTileReader(store.db)(partial))!, (await readTileBytes(store.db, partial))!),
    ).toBe(0);
    expect(await sequentialTileReader(store.db)({ level: 0, index: 10_000, width: 256 })).toBeUndefined();
  });

  it('the stored tile reader (COPY streams on PostgreSQL) serves the bytes of one-tile reads: in order, out of order, again, missing', async () => {
    const cp = (await latestCheckpoint(store.db))!;
    const refs: TileRef[] = [...tilesForSize(cp.size), ...bundlesForSize(cp.size)];
    const tiles = store.log.wholeLogTiles();
    try {
      for (const ref of refs)
        expect(Buffer.compare((await tiles.read(ref))!, (await readTileBytes(store.db, ref))!), tilePath(ref)).toBe(0);
      const first = { level: 'entries' as const, index: 0, width: 3 }; // behind the stream, and narrower than stored
      expect(Buffer.compare((await tiles.read(first))!, (await readTileBytes(store.db, first))!)).toBe(0);
      expect(await tiles.read({ level: 0, index: 10_000, width: 256 })).toBeUndefined();
      expect(await tiles.read({ level: 'entries', index: 10_001, width: 256 })).toBeUndefined();
    } finally {
      await tiles.close();
    }
    // Abandoned halfway (one row of each level read): closing frees the connections, the store still answers.
    const half = store.log.wholeLogTiles();
    expect(await half.read({ level: 'entries', index: 0, width: 256 })).toBeDefined();
    await half.close();
    const report = await auditWith(store.log.wholeLogTiles());
    expect(report.ok, JSON.stringify(report.problems)).toBe(true);
    expect(report.entriesChecked).toBe(cp.size);
    if (store.pg) expect(store.pg.totalCount - store.pg.idleCount).toBe(0); // no connection left checked out
  });

  it('proves inclusion of any entry and consistency between any two checkpoints', async () => {
    const cp = openCheckpoint(
      (await latestCheckpoint(store.db))!.note,
      ledger.keys.verifierKeys.map(newVerifier),
    ).checkpoint;
    for (const i of [0, 1, 255, 256, 511, 777, 999]) {
      const proof = await proveInclusion(store.db, i, cp.size);
      verifyInclusion(i, cp.size, leafHash(await entryBytes(store.db, i)), proof, cp.root);
    }
    const sizes = (await store.db.selectFrom('ledger_checkpoints').select('size').orderBy('size').execute()).map((r) =>
      Number(r.size),
    );
    const older = openCheckpoint(
      (await checkpointAt(store.db, sizes[1]))!,
      ledger.keys.verifierKeys.map(newVerifier),
    ).checkpoint;
    verifyConsistency(older.size, cp.size, await proveConsistency(store.db, older.size, cp.size), older.root, cp.root);
  });

  it('keeps personal data out of leaves: the log bytes never contain the payload', async () => {
    const bundle = (await readTileBytes(store.db, { level: 'entries', index: 0, width: 256 }))!;
    expect(bundle.toString('utf8')).not.toContain('Resident');
    const leaf = parseLeaf(await entryBytes(store.db, 7));
    expect(leaf.type).toBe('ai.output');
    const row = await store.db.selectFrom('ledger_payloads').selectAll().where('idx', '=', 7).executeTakeFirstOrThrow();
    verifyPayload(leaf, JSON.parse(row.payload!), row.salt!);
    // The payload is stored as text, its canonical JSON (SQLite gets it as bytes); the salt as its 32 bytes.
    expect(row.payload).toBe('{"n":7,"name":"Resident 7"}');
    expect(Buffer.isBuffer(row.salt) && row.salt.length).toBe(32);
    if (store.sqlite)
      expect(
        store.sqlite.prepare('SELECT typeof(payload) || typeof(salt) FROM ledger_payloads WHERE idx = 7').pluck().get(),
      ).toBe('textblob');
  });

  it('stores payloads beyond ASCII exactly, and each entry its own salt', async () => {
    const payload = { name: 'Zoë Ødegård', note: 'řidič 🚓 — “quoted”', tab: 'a\tb', n: -0.5 };
    const [a, b] = await Promise.all(
      [0, 1].map(() => ledger.append({ type: 'ai.output', actor: ref('system', 5), subjects: [], payload })),
    );
    const rows = await store.db
      .selectFrom('ledger_payloads')
      .selectAll()
      .where('idx', 'in', [a.index, b.index])
      .orderBy('idx')
      .execute();
    for (const [i, r] of rows.entries()) {
      expect(JSON.parse(r.payload!)).toEqual(payload);
      verifyPayload(parseLeaf(await entryBytes(store.db, [a, b][i].index)), payload, r.salt!);
    }
    expect(rows[0].salt).not.toEqual(rows[1].salt);
  });

  it('a large batch (binary COPY on PostgreSQL) stores every payload, salt and subject exactly', async () => {
    const tricky = (i: number) => ({
      i,
      path: `C:\\cases\\${i}\\n`,
      text: `line\nnext\ttab "quoted" \\N ${'é'.repeat(i % 5)} 🚓 \u0000`,
      nested: i % 3 === 0 ? null : { k: [i, -i / 7, 'ok'] },
    });
    const subjectsOf = (i: number) => Array.from({ length: i % 4 }, (_, s) => ref(`case${s}`, i));
    const appended = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        ledger.append({ type: 'ai.output', actor: ref('system', 9), subjects: subjectsOf(i), payload: tricky(i) }),
      ),
    );
    const first = Math.min(...appended.map((a) => a.index));
    const last = Math.max(...appended.map((a) => a.index));
    expect(last - first).toBe(199);
    // At least one batch of these was large enough for the COPY path (COPY_MIN_ENTRIES on PostgreSQL).
    const sizes = (await store.db.selectFrom('ledger_checkpoints').select('size').orderBy('size').execute())
      .map((r) => Number(r.size))
      .filter((z) => z > first && z <= last + 1);
    const steps = sizes.map((z, k) => z - (k === 0 ? first : sizes[k - 1]));
    expect(Math.max(...steps)).toBeGreaterThanOrEqual(COPY_MIN_ENTRIES);
    const rows = await store.db
      .selectFrom('ledger_payloads')
      .selectAll()
      .where('idx', '>=', first)
      .where('idx', '<=', last)
      .orderBy('idx')
      .execute();
    expect(rows.length).toBe(200);
    const byIndex = new Map(appended.map((a, i) => [a.index, i]));
    for (const r of rows) {
      const i = byIndex.get(Number(r.idx))!;
      expect(r.type).toBe('ai.output');
      expect(JSON.parse(r.payload!)).toEqual(tricky(i));
      verifyPayload(parseLeaf(await entryBytes(store.db, Number(r.idx))), tricky(i), r.salt!);
    }
    const subjects = await store.db
      .selectFrom('ledger_subjects')
      .select(['ref', 'idx'])
      .where('idx', '>=', first)
      .where('idx', '<=', last)
      .execute();
    const expected = appended.flatMap((a, i) => subjectsOf(i).map((s) => `${s}@${a.index}`)).sort();
    expect(subjects.map((r) => `${r.ref}@${Number(r.idx)}`).sort()).toEqual(expected);
    expect((await auditWith(store.log.wholeLogTiles())).ok).toBe(true);
  });

  it('erasure deletes payload and salt, appends a tombstone, and the old receipt still verifies', async () => {
    const receipt = await receiptFor(store.db, 42);
    const policy = { origin: ledger.origin, logVerifiers: ledger.keys.verifierKeys.map(newVerifier) };
    verifyTlogProof(receipt, policy);
    const t = await ledger.erase(42, ref('user', 9), 'data-subject-request');
    const row = await store.db
      .selectFrom('ledger_payloads')
      .selectAll()
      .where('idx', '=', 42)
      .executeTakeFirstOrThrow();
    expect(row.payload).toBeNull();
    expect(row.salt).toBeNull();
    const tombRow = await store.db
      .selectFrom('ledger_payloads')
      .selectAll()
      .where('idx', '=', t.index)
      .executeTakeFirstOrThrow();
    expect([tombRow.type, tombRow.payload, tombRow.salt]).toEqual(['tombstone', null, null]); // a tombstone has neither
    const tomb = parseLeaf(await entryBytes(store.db, t.index));
    expect(tomb).toMatchObject({ type: 'tombstone', erases: 42, reason: 'data-subject-request' });
    verifyTlogProof(receipt, policy); // proofs are over leaf bytes, which never change
    verifyTlogProof(await receiptFor(store.db, 42), policy);
  });

  it('refuses a leaf with personal data in an actor or subject reference', async () => {
    await expect(
      ledger.append({ type: 'human.decision', actor: 'Jane Doe', subjects: [], payload: {} }),
    ).rejects.toThrow();
    await expect(
      ledger.append({ type: 'human.decision', actor: ref('user', 1), subjects: ['phone:01012345678'], payload: {} }),
    ).rejects.toThrow();
  });

  it('a second writer on the same database continues the same tree', async () => {
    const other = new Ledger(store, ledger.keys, { maxBatch: 64, maxDelayMs: 1 });
    const [a, b] = await Promise.all([
      Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          ledger.append({ type: 'ai.output', actor: ref('system', 1), subjects: [], payload: i }),
        ),
      ),
      Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          other.append({ type: 'ai.output', actor: ref('system', 2), subjects: [], payload: i }),
        ),
      ),
    ]);
    const all = [...a, ...b].map((r) => r.index).sort((x, y) => x - y);
    expect(new Set(all).size).toBe(200);
    const cp = openCheckpoint(
      (await latestCheckpoint(store.db))!.note,
      ledger.keys.verifierKeys.map(newVerifier),
    ).checkpoint;
    expect(cp.size).toBe(all[all.length - 1] + 1);
    verifyInclusion(
      all[0],
      cp.size,
      leafHash(await entryBytes(store.db, all[0])),
      await proveInclusion(store.db, all[0], cp.size),
      cp.root,
    );
  });

  it('two writers taking turns, each batch crossing tile edges, store exactly the tiles of the tree (whole-log audit)', async () => {
    // On PostgreSQL a writer keeps the edge tiles it committed and reads none while the size is the one it
    // left; after the other writer appended it must read them again. A stale edge would store wrong tiles.
    const other = new Ledger(store, ledger.keys, { maxBatch: 4096, maxDelayMs: 1 });
    const mine = new Ledger(store, ledger.keys, { maxBatch: 4096, maxDelayMs: 1 });
    const turns: [Ledger, number][] = [
      [mine, 1],
      [mine, 255],
      [mine, 3],
      [other, 300],
      [mine, 17],
      [mine, 256],
      [other, 1],
      [mine, 513],
      [other, 70],
      [other, 700],
      [mine, 2],
    ];
    let n = 0;
    for (const [l, k] of turns)
      await Promise.all(
        Array.from({ length: k }, () =>
          l.append({ type: 'ai.output', actor: ref('system', 5), subjects: [ref('alert', n)], payload: n++ }),
        ),
      );
    await Promise.all([mine.close(), other.close()]);
    const report = await auditWith(store.log.wholeLogTiles());
    expect(report.ok, JSON.stringify(report)).toBe(true);
  });

  it.runIf(dialect === 'sqlite-file')(
    'the checkpointer thread copies the WAL into the database file while the writer appends',
    async () => {
      const file = store.location;
      const before = statSync(file).size;
      const payload = { blob: 'x'.repeat(500) };
      await Promise.all(
        Array.from({ length: 5000 }, (_, i) =>
          ledger.append({ type: 'ai.output', actor: ref('system', 3), subjects: [ref('alert', i)], payload }),
        ),
      );
      // Nothing on this connection commits, and the writer's own automatic checkpoint is off: only the
      // checkpointer thread can move those ~3 MB from the WAL into the file.
      await expect
        .poll(() => statSync(file).size - before, { timeout: 5000, interval: 100 })
        .toBeGreaterThan(2_000_000);
    },
  );

  it.runIf(dialect === 'sqlite-file')(
    'under sustained appends the WAL starts over instead of growing with the burst',
    async () => {
      // Largest WAL file seen while 40,000 entries of ~1 KB (about 40 MB of log) are appended in waves.
      // The checkpointer thread is held off (an hour between copies), so what bounds the WAL is the
      // writer's own restart alone, and the unbounded run is not at the mercy of a lucky checkpoint.
      const burst = async (walRestartEntries: number) => {
        const dir = mkdtempSync(join(tmpdir(), 'cw-wal-'));
        const s = openStore({ sqliteFile: join(dir, 'log.db') });
        await migrate(s);
        const l = new Ledger(s, loadOrCreateLogKeys(keysDir, 'test.counterweight/log'), {
          maxBatch: 1024,
          maxDelayMs: 2,
          walRestartEntries,
          walCheckpointMs: 3_600_000,
        });
        let largest = 0;
        const payload = { blob: 'x'.repeat(500) };
        for (let wave = 0; wave < 40; wave++) {
          await Promise.all(
            Array.from({ length: 1000 }, (_, i) =>
              l.append({
                type: 'ai.output',
                actor: ref('system', 4),
                subjects: [ref('alert', wave * 1000 + i)],
                payload,
              }),
            ),
          );
          largest = Math.max(largest, statSync(`${s.location}-wal`).size);
        }
        await l.close();
        await s.close();
        rmSync(dir, { recursive: true, force: true });
        return largest;
      };
      expect(await burst(4096)).toBeLessThan(16_000_000);
      expect(await burst(Number.MAX_SAFE_INTEGER)).toBeGreaterThan(35_000_000); // the same burst without restarts: the WAL holds all of it
    },
  );

  it('after a key rotation, checkpoints carry both keys and verify with either', async () => {
    const rotated = new Ledger(store, rotateLogKey(keysDir), { maxDelayMs: 1 });
    await rotated.append({ type: 'log.key-rotation', actor: ref('user', 1), subjects: [], payload: {} });
    const note = (await latestCheckpoint(store.db))!.note;
    expect(rotated.keys.verifierKeys).toHaveLength(2);
    for (const vkey of rotated.keys.verifierKeys)
      expect(openCheckpoint(note, [newVerifier(vkey)]).checkpoint.size).toBeGreaterThan(1000);
  });
});
