import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson, encodeEvent, encodeEventInput } from '../../../src/ledger/leaf';
import { leafHash } from '../../../src/ledger/merkle';
import { loadOrCreateLogKeys } from '../../../src/ledger-service/log-keys';
import { PendingBatch } from '../../../src/ledger-service/pending-batch';
import { SqliteBatchCommitter } from '../../../src/store/log/sqlite-commit';
import { migrate, openStore } from '../../../src/store/db';

// Salts and payloads travel as bytes in one area: what is stored must be exactly what was hashed,
// across the area's growth, and the area must hold no salt once committed.
describe('PendingBatch payload area', () => {
  it('stores each salt and canonical payload exactly, grows as needed, and is zeroed after the commit', async () => {
    const store = openStore({ sqliteFile: ':memory:' });
    await migrate(store);
    const keys = loadOrCreateLogKeys(mkdtempSync(join(tmpdir(), 'cw-keys-')), 'test.counterweight/log');
    const batch = new PendingBatch(); // sized for 64 KiB and 16 KiB: the areas must grow several times
    const salts: string[] = [];
    const entries: Buffer[] = [];
    const payloads = Array.from({ length: 60 }, (_, i) => ({ i, text: 'é🚓'.repeat(i * 100), z: null, a: [i] }));
    for (const p of payloads) {
      const salt = randomBytes(32);
      salts.push(salt.toString('hex'));
      const time = new Date().toISOString();
      const subjects = Array.from({ length: p.i % 7 }, (_, k) => `alert:subject-${k}-${'x'.repeat(100)}`);
      const e = encodeEventInput('ai.output', time, true, 'system:test-vendor', subjects, p, salt, 0, batch);
      entries.push(encodeEvent('ai.output', time, true, 'system:test-vendor', subjects, p, salt, 0).bytes);
      void batch.add(e.leafInput, 'ai.output', '2026-01-01T00:00:00.000Z', e.saltedPayloadBytes, [], undefined);
    }
    void batch.add('\0{}', 'tombstone', '2026-01-01T00:00:00.000Z', null, [], undefined);
    entries.push(Buffer.from('{}'));
    expect(payloads.map((_, i) => batch.payloadText(i))).toEqual(payloads.map((p) => canonicalJson(p)));
    expect(payloads.map((_, i) => batch.salt(i)!.toString('hex'))).toEqual(salts);
    expect([batch.payloadText(60), batch.salt(60)]).toEqual([null, null]);

    const packed = batch.seal();
    // Each entry's leaf hash input 0x00 ‖ entry, and its leaf hash, exactly as the leaf's own bytes give them.
    const inputs = entries.map((_, i) =>
      Buffer.from(packed.leafInputs.subarray(packed.leafInputAt[i], packed.leafInputAt[i + 1])),
    );
    expect(inputs).toEqual(entries.map((e) => Buffer.concat([Buffer.from([0]), e])));
    expect(batch.entryViews()).toEqual(entries);
    expect(Buffer.from(packed.leafHashes.subarray(0, 32 * entries.length))).toEqual(
      Buffer.concat(entries.map((e) => leafHash(e))),
    );
    new SqliteBatchCommitter(store.sqlite!, keys.origin, keys.signerKeys()).commit(packed);
    expect(packed.payloadArea.some((b) => b !== 0)).toBe(false);
    const rows = await store.db.selectFrom('ledger_payloads').select(['payload', 'salt']).orderBy('idx').execute();
    expect(rows.map((r) => r.payload)).toEqual([...payloads.map((p) => canonicalJson(p)), null]);
    expect(rows.map((r) => r.salt?.toString('hex') ?? null)).toEqual([...salts, null]);
    await store.close();
  });
});
