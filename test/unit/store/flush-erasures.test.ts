/**
 * "Erased means gone from the file" (src/store/db.ts flushErasures): after a purge, the SQLite WAL, which
 * holds old page images, is checkpointed and cut to zero bytes. Another connection can stand in the way:
 * the log's checkpointer thread running its own checkpoint (every 100 ms), or a reader on an old snapshot.
 * SQLite then answers the TRUNCATE checkpoint "busy" at once, and the purged bytes stay in the WAL. These
 * attacks hold such a connection during the flush: the flush must wait it out, or fail loudly, never
 * return with the bytes still on disk.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { StateError } from '../../../src/domain/errors';
import { flushErasures, openSqlite, openStore, type Store } from '../../../src/store/db';

const MARKER = 'PURGED-CITIZEN-TEXT-7f3a';

describe('flushErasures on an SQLite file', () => {
  let dir: string;
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  function setup() {
    dir = mkdtempSync(join(tmpdir(), 'cw-flush-'));
    const file = join(dir, 'cw.db');
    store = openStore({ sqliteFile: file });
    const db = store.sqlite!;
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)');
    db.prepare('INSERT INTO notes (text) VALUES (?)').run(`${MARKER} ${'x'.repeat(2000)}`);
    const onDisk = () =>
      [file, `${file}-wal`].some((f) => {
        try {
          return readFileSync(f).includes(MARKER);
        } catch {
          return false;
        }
      });
    return { file, db, onDisk };
  }

  it('waits out a reader on an old snapshot, then leaves no purged byte in the file or the WAL', async () => {
    const { file, db, onDisk } = setup();
    const reader = openSqlite(file);
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM notes').get(); // pins the snapshot that still holds the row
    db.prepare('DELETE FROM notes').run();
    expect(onDisk()).toBe(true); // the old page image is in the WAL
    setTimeout(() => {
      reader.exec('COMMIT');
      reader.close();
    }, 300);
    await flushErasures(store!, ['notes']);
    expect(statSync(`${file}-wal`).size).toBe(0);
    expect(onDisk()).toBe(false);
  });

  it('waits out another thread checkpointing the same file all the while (as the log’s checkpointer does)', async () => {
    const { file, db, onDisk } = setup();
    // A thread of its own that checkpoints without pause: its checkpoint lock is often held when ours runs.
    const other = new Worker(
      `const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
       const { workerData, parentPort } = require('node:worker_threads');
       const db = new Database(workerData);
       let stop = false;
       parentPort.on('message', () => { stop = true; });
       (function loop() { for (let i = 0; i < 200; i++) db.pragma('wal_checkpoint(PASSIVE)'); if (!stop) setImmediate(loop); else db.close(); })();`,
      { eval: true, workerData: file },
    );
    try {
      for (let i = 0; i < 30; i++) {
        db.prepare('INSERT INTO notes (text) VALUES (?)').run(`${MARKER} ${i} ${'y'.repeat(3000)}`);
        db.prepare('DELETE FROM notes').run();
        await flushErasures(store!, ['notes']);
        expect(onDisk(), `round ${i}`).toBe(false);
      }
    } finally {
      other.postMessage('stop');
      await other.terminate();
    }
  });

  it('a reader that never lets go makes the flush fail with a coded error, not return as if done', async () => {
    const { file, db } = setup();
    const reader = openSqlite(file);
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM notes').get();
    db.prepare('DELETE FROM notes').run();
    try {
      const e = await flushErasures(store!, ['notes'], { timeoutMs: 300 }).catch((x) => x);
      expect(e).toBeInstanceOf(StateError);
      expect((e as StateError).messageCode).toBe('store.erasureNotFlushed');
    } finally {
      reader.exec('COMMIT');
      reader.close();
    }
  });
});
