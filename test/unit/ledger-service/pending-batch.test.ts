import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson, encodeEvent } from '../../../src/ledger/leaf';
import { loadOrCreateLogKeys } from '../../../src/ledger-service/log-keys';
import { PendingBatch } from '../../../src/ledger-service/pending-batch';
import { SqliteBatchCommitter } from '../../../src/ledger-service/sqlite-batch';
import { migrate, openStore } from '../../../src/store/db';

// Salts and payloads travel as bytes in one area: what is stored must be exactly what was hashed,
// across the area's growth, and the area must hold no salt once committed.
describe('PendingBatch payload area', () => {
  it('stores each salt and canonical payload exactly, grows as needed, and is zeroed after the commit', async () => {
    const store = openStore({ sqliteFile: ':memory:' });
    await migrate(store);
    const keys = loadOrCreateLogKeys(mkdtempSync(join(tmpdir(), 'cw-keys-')), 'test.counterweight/log');
    const batch = new PendingBatch(16); // far too small: the area must grow several times
    const salts: string[] = [];
    const payloads = Array.from({ length: 60 }, (_, i) => ({ i, text: 'é🚓'.repeat(i), z: null, a: [i] }));
    for (const p of payloads) {
      const salt = randomBytes(32);
      salts.push(salt.toString('hex'));
      const e = encodeEvent('ai.output', new Date().toISOString(), true, 'system:test-vendor', [], p, salt, 0, batch);
      void batch.add(e.bytes, 'ai.output', '2026-01-01T00:00:00.000Z', e.saltedPayloadBytes, [], undefined);
    }
    void batch.add(Buffer.from('{}'), 'tombstone', '2026-01-01T00:00:00.000Z', null, [], undefined);
    expect(payloads.map((_, i) => batch.payloadText(i))).toEqual(payloads.map((p) => canonicalJson(p)));
    expect(payloads.map((_, i) => batch.saltHex(i))).toEqual(salts);
    expect([batch.payloadText(60), batch.saltHex(60)]).toEqual([null, null]);

    const packed = batch.seal();
    new SqliteBatchCommitter(store.sqlite!, keys.origin, keys.signerKeys()).commit(packed);
    expect(packed.payloadArea.some((b) => b !== 0)).toBe(false);
    const rows = await store.db.selectFrom('ledger_payloads').select(['payload', 'salt']).orderBy('idx').execute();
    expect(rows.map((r) => r.payload)).toEqual([...payloads.map((p) => canonicalJson(p)), null]);
    expect(rows.map((r) => r.salt)).toEqual([...salts, null]);
    await store.close();
  });
});
