/**
 * Issue 20 item 4: on PostgreSQL a batch's side rows are written in a few statements, guarded ones too
 * (a decision marks its alert decided; an account change updates its user): one UPDATE per guarded table
 * instead of five round trips per entry. The bulk path must give exactly what the one-by-one path gives.
 * Checked against an independent implementation, SQLite's committer (one by one, in process), on random
 * batches of guarded updates, claims on one key space, rows racing on one primary key and rows kept
 * beside: each entry's outcome (written, logged, index) and the tables afterwards must be equal; and the
 * bulk UPDATE must actually have run (the property is not vacuous).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestCheckpoint } from '../../src/ledger-service/checkpoints';
import { Ledger } from '../../src/ledger-service/ledger';
import { loadOrCreateLogKeys } from '../../src/ledger-service/log-keys';
import type { Store } from '../../src/store/db';
import { freshStore } from '../support/stores';

interface Item {
  guard: { user: number; from: string } | null;
  seq: number;
  claim: string | null;
  also: string | null;
  onlyIfWritten: boolean;
}

const item: fc.Arbitrary<Item> = fc.record({
  guard: fc.option(fc.record({ user: fc.integer({ min: 0, max: 3 }), from: fc.constantFrom('e0', 'e1', 'e2', 'x') })),
  seq: fc.integer({ min: 1, max: 8 }),
  claim: fc.option(fc.constantFrom('k1', 'k2', 'k3')),
  also: fc.option(fc.constantFrom('p1', 'p2')),
  onlyIfWritten: fc.boolean(),
});

describe('guarded side rows in bulk on PostgreSQL', () => {
  const keysDir = mkdtempSync(join(tmpdir(), 'cw-bulk-keys-'));
  const logs: Record<'sqlite' | 'postgres', { store: Store; ledger: Ledger }> = {} as never;
  beforeAll(async () => {
    for (const d of ['sqlite', 'postgres'] as const) {
      const store = await freshStore(d);
      logs[d] = { store, ledger: new Ledger(store, loadOrCreateLogKeys(keysDir, 'test.counterweight/log')) };
    }
  });
  afterAll(async () => {
    for (const { store, ledger } of Object.values(logs)) {
      await ledger.close();
      await store.close();
    }
    rmSync(keysDir, { recursive: true, force: true });
  });

  async function reset(store: Store) {
    const now = new Date().toISOString();
    for (const t of ['account_events', 'alert_intake_keys', 'subject_pseudonyms', 'users'] as const)
      await store.db.deleteFrom(t).execute();
    await store.db
      .insertInto('users')
      .values(
        [0, 1, 2, 3].map((n) => ({
          id: `u-${n}`,
          username: `user${n}`,
          display_name: `User ${n}`,
          password_hash: 'x',
          roles: '["analyst"]',
          unit: null,
          disabled: 0,
          created_at: now,
          session_epoch: 'e0',
        })),
      )
      .execute();
    // One claim and one kept row already stored: claiming it loses, keeping it leaves it as it was.
    await store.db
      .insertInto('alert_intake_keys')
      .values({ system_id: 'sys', idempotency_key: 'k3', body_sha256: 'old', alert_id: 'a-old', reserved_at: now })
      .execute();
    await store.db
      .insertInto('subject_pseudonyms')
      .values({ pseudonym: 'p2', raw_ref: 'old', created_at: now })
      .execute();
  }

  async function tables(store: Store) {
    return {
      users: await store.db.selectFrom('users').select(['id', 'session_epoch']).orderBy('id').execute(),
      events: (
        await store.db.selectFrom('account_events').select(['seq', 'subject', 'log_index']).orderBy('seq').execute()
      ).map((e) => ({ ...e, seq: Number(e.seq), log_index: Number(e.log_index) })),
      keys: await store.db
        .selectFrom('alert_intake_keys')
        .select(['idempotency_key', 'alert_id'])
        .orderBy('idempotency_key')
        .execute(),
      pseudonyms: await store.db
        .selectFrom('subject_pseudonyms')
        .select(['pseudonym', 'raw_ref'])
        .orderBy('pseudonym')
        .execute(),
    };
  }

  /** The batch appended at once (one batch per log), then what each entry got and the tables. */
  async function run(name: 'sqlite' | 'postgres', batch: Item[]) {
    const { store, ledger } = logs[name];
    await reset(store);
    const base = (await latestCheckpoint(store.db))?.size ?? 0;
    const now = new Date().toISOString();
    const results = await Promise.all(
      batch.map((b, i) =>
        ledger.append(
          { type: 'access.test', actor: 'system:tester01', subjects: [`user:u000000${i}`], payload: { i } },
          {
            table: 'account_events',
            indexColumn: 'log_index',
            values: { seq: b.seq, subject: `entry-${i}`, event: 'test', actor: 'system:tester01', created_at: now },
            onlyIfWritten: b.onlyIfWritten,
            ...(b.guard
              ? {
                  guard: {
                    table: 'users' as const,
                    set: { session_epoch: `e${i + 1}` },
                    where: { id: `u-${b.guard.user}`, session_epoch: b.guard.from },
                  },
                }
              : {}),
            ...(b.claim
              ? {
                  claim: {
                    table: 'alert_intake_keys' as const,
                    values: {
                      system_id: 'sys',
                      idempotency_key: b.claim,
                      body_sha256: 'b',
                      alert_id: `a-${i}`,
                      reserved_at: now,
                    },
                  },
                }
              : {}),
            ...(b.also
              ? {
                  also: [
                    {
                      table: 'subject_pseudonyms' as const,
                      values: { pseudonym: b.also, raw_ref: `raw-${i}`, created_at: now },
                    },
                  ],
                }
              : {}),
          },
        ),
      ),
    );
    return {
      entries: results.map((r) => ({
        written: r.sideWritten,
        logged: r.logged,
        index: r.index < 0 ? -1 : r.index - base,
      })),
      tables: await tables(store),
    };
  }

  it('gives the one-by-one result on random batches, and the bulk UPDATE runs', async () => {
    const statements: string[] = [];
    const original = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...a: unknown[]) {
      if (typeof a[0] === 'string') statements.push(a[0]);
      return (original as (...x: unknown[]) => unknown).apply(this, a);
    } as typeof original;
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(item, { minLength: 2, maxLength: 8 }), async (batch) => {
          const expected = await run('sqlite', batch);
          const got = await run('postgres', batch);
          expect(got).toEqual(expected);
        }),
        { numRuns: 80 },
      );
    } finally {
      pg.Client.prototype.query = original;
    }
    const bulkUpdates = statements.filter((s) => /^UPDATE users SET/.test(s) && s.includes('WITH ORDINALITY'));
    expect(bulkUpdates.length).toBeGreaterThan(10);
  });

  it('two guards on one row in one batch: the second sees the first (one by one), in either order', async () => {
    // e0 -> e1 (entry 0), then e1 -> e2 (entry 1): both hold one by one; done at once, only the first could.
    const batch: Item[] = [
      { guard: { user: 0, from: 'e0' }, seq: 1, claim: null, also: null, onlyIfWritten: true },
      { guard: { user: 0, from: 'e1' }, seq: 2, claim: null, also: null, onlyIfWritten: true },
    ];
    for (const name of ['sqlite', 'postgres'] as const) {
      const r = await run(name, batch);
      expect(r.entries).toEqual([
        { written: true, logged: true, index: 0 },
        { written: true, logged: true, index: 1 },
      ]);
      expect(r.tables.users[0]).toEqual({ id: 'u-0', session_epoch: 'e2' });
    }
  });

  it('a guard that held while its claim lost is undone, as one by one', async () => {
    const batch: Item[] = [
      { guard: { user: 1, from: 'e0' }, seq: 1, claim: 'k3', also: null, onlyIfWritten: true }, // k3 already stored
      { guard: { user: 2, from: 'e0' }, seq: 2, claim: 'k1', also: null, onlyIfWritten: true },
    ];
    for (const name of ['sqlite', 'postgres'] as const) {
      const r = await run(name, batch);
      expect(r.entries).toEqual([
        { written: false, logged: false, index: -1 },
        { written: true, logged: true, index: 0 },
      ]);
      expect(r.tables.users.map((u) => u.session_epoch)).toEqual(['e0', 'e0', 'e2', 'e0']);
    }
  });
});
