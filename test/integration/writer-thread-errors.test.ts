import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, LedgerError } from '../../src/ledger';
import { migrate, openStore } from '../../src/store/db';
import type { PackedBatch } from '../../src/store/log/sqlite-commit';

/**
 * A LedgerError thrown on the SQLite writer thread reaches the caller's thread as a LedgerError with its
 * stable code and its message (code and parameters), so the server and the CLI show it in the reader's language.
 */
describe('errors from the log writer thread', () => {
  it('keep their code and message across the thread', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cw-writer-')), 'log.sqlite');
    const store = openStore({ sqliteFile: file });
    await migrate(store);
    const key = generateKeyPair('test.counterweight/log');
    const writer = store.log.openWriter('test.counterweight/log', [key.signerKey]);
    try {
      // No entries, one side row naming a table the log never writes: refused before anything is written.
      const batch: PackedBatch = {
        leafInputs: new Uint8Array(0),
        leafInputAt: new Uint32Array([0]),
        types: [],
        times: [],
        payloadArea: new Uint8Array(0),
        payloadAt: new Int32Array(0),
        payloadLen: new Uint32Array(0),
        leafHashes: new Uint8Array(0),
        subjects: [],
        subjectStart: new Uint32Array([0]),
        sides: [{ entry: 0, table: 'no_such_table' as never, values: { a: 1 }, indexColumn: 'a' }],
      };
      const e = await writer.commit(batch).then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(LedgerError);
      const le = e as LedgerError;
      expect(le.code).toBe('side-table');
      expect(le.messageCode).toBe('ledger.side-table');
      expect(le.message).toBe('the log does not write table no_such_table');
      expect(le.text('ko')).toBe('로그는 no_such_table 테이블에 쓰지 않습니다');
    } finally {
      await writer.close();
      await store.close();
    }
  });
});
