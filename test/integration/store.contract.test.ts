import { afterAll, describe, expect, it } from 'vitest';
import { Migrator, sql, type Kysely } from 'kysely';
import { insertMany, migrate, nowIso, openStore, type Store } from '../../src/store/db';
import { MIGRATIONS } from '../../src/store/migrations';
import { getSetting, setSetting } from '../../src/store/settings';
import { DIALECTS, freshPostgresUrl, freshStore } from '../support/stores';

// The same contract on both databases: what passes on SQLite must pass on PostgreSQL.
describe.each(DIALECTS)('store contract on %s', (dialect) => {
  let store: Store;
  afterAll(async () => store?.close());

  it('migrates, and migrating again changes nothing', async () => {
    store = await freshStore(dialect);
    expect(await migrate(store)).toEqual([]);
  });

  it('inserts many rows, skipping conflicts on the unique key, and counts only new rows', async () => {
    const t = nowIso();
    await store.db
      .insertInto('datasets')
      .values({
        id: 'd1',
        source: 's',
        file_name: 'f.csv',
        file_sha256: 'x',
        profile: 'p',
        src_crs: 'EPSG:4326',
        rows_read: 0,
        rows_imported: 0,
        rows_duplicate: 0,
        imported_by: null,
        started_at: t,
        finished_at: t,
      })
      .execute();
    const row = (id: string) => ({
      source: 's',
      source_id: id,
      dataset_id: 'd1',
      type: 'THEFT',
      subtype: null,
      origin: 'citizen',
      occurred_at: '2019-01-01T00:00:00Z',
      time_precision: 'minute',
      lon: -87.6,
      lat: 41.8,
      x: null,
      y: null,
      src_crs: 'EPSG:4326',
      area: null,
      attrs: '{}',
    });
    const first = await store.db
      .transaction()
      .execute((trx) => insertMany(store, trx, 'incidents', [row('a'), row('b'), row('a')], ['source', 'source_id']));
    expect(first).toBe(2);
    const again = await store.db
      .transaction()
      .execute((trx) => insertMany(store, trx, 'incidents', [row('b'), row('c')], ['source', 'source_id']));
    expect(again).toBe(1);
    const n = await store.db
      .selectFrom('incidents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(3);
  });

  it('rolls back a failed transaction completely', async () => {
    await expect(
      store.db.transaction().execute(async (trx) => {
        await setSetting(trx, 'k', 'v');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await getSetting(store.db, 'k')).toBeUndefined();
  });

  it('enforces the origin check constraint', async () => {
    await expect(
      store.db
        .insertInto('incidents')
        .values({
          source: 's',
          source_id: 'z',
          dataset_id: 'd1',
          type: 'X',
          subtype: null,
          origin: 'guess',
          occurred_at: '2019-01-01T00:00:00Z',
          time_precision: 'day',
          lon: 0,
          lat: 0,
          x: null,
          y: null,
          src_crs: 'EPSG:4326',
          area: null,
          attrs: '{}',
        })
        .execute(),
    ).rejects.toThrow();
  });
});

// Migration 0018 rebuilds the log's subject index on SQLite: every row must survive, the key must hold.
describe('migrations 0018 (SQLite: ledger_subjects clustered WITHOUT ROWID) and 0019 (no actor copy in payload rows)', () => {
  it('keeps every subject row, keeps the primary key, and stores the table without rowid', async () => {
    const store = openStore({ sqliteFile: ':memory:' });
    try {
      const upTo17 = Object.fromEntries(
        MIGRATIONS.slice(0, 17).map(([name, mod]) => [name, { up: (db: Kysely<any>) => mod.up(db, 'sqlite') }]),
      );
      const before = await new Migrator({
        db: store.db,
        provider: { getMigrations: async () => upTo17 },
      }).migrateToLatest();
      expect(before.error).toBeUndefined();
      expect(before.results!.at(-1)!.migrationName).toBe('0017_shifts');
      const rows = Array.from({ length: 600 }, (_, i) => ({ ref: `alert:r${i % 7}xxxxxxxx`, idx: i }));
      await store.db.insertInto('ledger_subjects').values(rows).execute();
      const payloadRow = {
        idx: 3,
        type: 'ai.output',
        time: '2026-01-01T00:00:00.000Z',
        payload: '{"a":1}',
        salt: 'ab'.repeat(32),
        erased_at: null,
      };
      await store.db
        .insertInto('ledger_payloads')
        .values({ ...payloadRow, actor: 'system:xxxxxxxx' } as never)
        .execute();
      expect(await migrate(store)).toEqual(MIGRATIONS.slice(17).map(([name]) => name)); // 0018 and every later one
      // 0019: the payload row keeps everything but the actor copy (the leaf holds the actor); 0020: the salt becomes its bytes.
      expect(await store.db.selectFrom('ledger_payloads').selectAll().execute()).toEqual([
        { ...payloadRow, salt: Buffer.alloc(32, 0xab) },
      ]);
      const after = await store.db.selectFrom('ledger_subjects').selectAll().orderBy('idx').execute();
      expect(after).toEqual(rows);
      expect(
        store.sqlite!.prepare("SELECT sql FROM sqlite_master WHERE name = 'ledger_subjects'").pluck().get(),
      ).toMatch(/WITHOUT ROWID/);
      await expect(store.db.insertInto('ledger_subjects').values(rows[5]).execute()).rejects.toThrow(
        /UNIQUE|PRIMARY KEY/,
      );
    } finally {
      await store.close();
    }
  });
});

// Migration 0020 turns each stored hex salt into its 32 bytes, on both databases; erased rows keep NULL.
describe.each(DIALECTS)('migration 0020 (binary salts) on %s', (dialect) => {
  it('converts every salt exactly and keeps erased rows NULL', async () => {
    const store =
      dialect === 'sqlite'
        ? openStore({ sqliteFile: ':memory:' })
        : openStore({ databaseUrl: await freshPostgresUrl() });
    try {
      const upTo19 = Object.fromEntries(
        MIGRATIONS.slice(0, 19).map(([name, mod]) => [name, { up: (db: Kysely<any>) => mod.up(db, dialect) }]),
      );
      const before = await new Migrator({
        db: store.db,
        provider: { getMigrations: async () => upTo19 },
      }).migrateToLatest();
      expect(before.error).toBeUndefined();
      const salts = Array.from({ length: 40 }, (_, i) =>
        i % 5 === 4 ? null : Buffer.from(Array.from({ length: 32 }, (_, k) => (i * 37 + k * 11) & 0xff)),
      );
      const rows = salts.map((salt, i) => ({
        idx: i,
        type: 'ai.output',
        time: '2026-01-01T00:00:00.000Z',
        payload: salt ? `{"i":${i}}` : null,
        salt: salt?.toString('hex') ?? null,
        erased_at: salt ? null : '2026-02-01T00:00:00Z',
      }));
      await store.db
        .insertInto('ledger_payloads')
        .values(rows as never)
        .execute();
      expect(await migrate(store)).toEqual(MIGRATIONS.slice(19).map(([name]) => name)); // 0020 and every later one
      const after = await store.db.selectFrom('ledger_payloads').selectAll().orderBy('idx').execute();
      expect(after).toEqual(rows.map((r, i) => ({ ...r, salt: salts[i] })));
    } finally {
      await store.close();
    }
  });
});

// Migration 0021: on PostgreSQL the log's tiles are compressed with lz4 (when the server has it), and read back exactly.
describe('migration 0021 (lz4 tiles) on postgres', () => {
  it('stores a large tile compressed with lz4 and reads it back byte for byte', async () => {
    const store = await freshStore('postgres');
    try {
      const hasLz4 = (
        await sql<{
          ok: boolean;
        }>`SELECT EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) AS ok`.execute(
          store.db,
        )
      ).rows[0].ok;
      const bundle = Buffer.from(
        Array.from({ length: 256 }, (_, i) => `{"actor":"system:bench-vendor","i":${i}}`).join(''),
      );
      await store.db
        .insertInto('ledger_tiles')
        .values({ level: 'entries', idx: 0, width: 256, data: bundle })
        .execute();
      const row = (
        await sql<{
          data: Buffer;
          method: string | null;
        }>`SELECT data, pg_column_compression(data) AS method FROM ledger_tiles WHERE level = 'entries' AND idx = 0`.execute(
          store.db,
        )
      ).rows[0];
      expect(row.data.equals(bundle)).toBe(true);
      expect(row.method).toBe(hasLz4 ? 'lz4' : 'pglz');
    } finally {
      await store.close();
    }
  });
});

// Migration 0039 copies every ref an unpurged alert carries into alert_refs, on both databases: the lookup
// retention, erasure and legal holds now use instead of a LIKE over every alert.
describe.each(DIALECTS)('migration 0039 (alert_refs) on %s', (dialect) => {
  it("copies each unpurged alert's subject and input refs once, and none of a purged alert's", async () => {
    const store =
      dialect === 'sqlite'
        ? openStore({ sqliteFile: ':memory:' })
        : openStore({ databaseUrl: await freshPostgresUrl() });
    try {
      await migrate(store, { upTo: '0038_pending_alert_indexes' });
      const alert = (id: string, subject: string | null, inputs: string, purged: string | null) => ({
        id,
        system_id: 'sys-1',
        version: 1,
        idempotency_key: id,
        kind: 'cctv-detection',
        model_version: '1',
        occurred_at: '2026-01-01T00:00:00Z',
        unit: 'district-1',
        place: null,
        subject_ref: subject,
        output: '{}',
        confidence: null,
        explanation: '{}',
        input_refs: inputs,
        status: 'pending',
        received_at: '2026-01-01T00:00:00Z',
        expires_at: '2026-01-02T00:00:00Z',
        log_index: 0,
        withdrawn_at: null,
        purged_at: purged,
      });
      await store.db
        .insertInto('alerts')
        .values([
          alert('a1', 'pseud:p1', '["pseud:p2","pseud:p1"]', null), // its subject also among its inputs: one row
          alert('a2', null, '["pseud:p2"]', null),
          alert('a3', 'pseud:p3', '[]', null),
          alert('a4', null, '[]', '2026-02-01T00:00:00Z'), // purged: its refs were cleared
        ])
        .execute();
      expect(await migrate(store)).toContain('0039_alert_refs');
      const rows = await store.db.selectFrom('alert_refs').selectAll().orderBy('alert_id').orderBy('ref').execute();
      expect(rows).toEqual([
        { ref: 'pseud:p1', alert_id: 'a1' },
        { ref: 'pseud:p2', alert_id: 'a1' },
        { ref: 'pseud:p2', alert_id: 'a2' },
        { ref: 'pseud:p3', alert_id: 'a3' },
      ]);
      // Keyed by ref and alert: the same pair cannot be stored twice.
      await expect(store.db.insertInto('alert_refs').values(rows[0]).execute()).rejects.toThrow(/UNIQUE|duplicate key/);
    } finally {
      await store.close();
    }
  });
});
