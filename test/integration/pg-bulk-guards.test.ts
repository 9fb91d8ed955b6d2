/**
 * Issue 20 item 4: on PostgreSQL a batch's side rows are written in a few statements, guarded ones too
 * (a decision marks its alert decided; an account change updates its user): one UPDATE per guarded table
 * instead of five round trips per entry. The bulk path must give exactly what the one-by-one path gives.
 * Checked against an independent implementation, SQLite's committer (one by one, in process), on random
 * batches of guarded updates, claims on one key space, rows racing on one primary key and rows kept
 * beside, and updates after the row (on the guard's row or not, commuting or not): each entry's outcome (written, logged, index) and the tables afterwards must be equal; and the
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
import type { SideUpdate } from '../../src/store/log/entries';
import { freshStore } from '../support/stores';

interface Item {
  guard: { user: number; from: string } | null;
  seq: number;
  claim: string | null;
  also: string | null;
  onlyIfWritten: boolean;
  /** Updates after the row: on the guard's row or another, with shapes that commute or do not. */
  updates: {
    kind: 'unitIfNull' | 'unitIs' | 'disable0' | 'disable2' | 'epochIs';
    onGuardRow: boolean;
    value: string;
    row?: number;
  }[];
}

const item: fc.Arbitrary<Item> = fc.record({
  guard: fc.option(fc.record({ user: fc.integer({ min: 0, max: 7 }), from: fc.constantFrom('e0', 'e1', 'e2', 'x') }), {
    freq: 5,
  }),
  seq: fc.integer({ min: 1, max: 8 }),
  claim: fc.option(fc.constantFrom('k1', 'k2', 'k3')),
  also: fc.option(fc.constantFrom('p1', 'p2')),
  onlyIfWritten: fc.boolean(),
  updates: fc.array(
    fc.record({
      kind: fc.constantFrom(
        'unitIfNull' as const,
        'unitIs' as const,
        'disable0' as const,
        'disable2' as const,
        'epochIs' as const,
      ),
      onGuardRow: fc.constantFrom(true, true, true, true, true, true, false),
      value: fc.constantFrom('d1', 'd2'),
    }),
    { maxLength: 2 },
  ),
});

/** An item's updates as side-row updates on users (entry i). */
function updatesOf(b: Item, i: number): SideUpdate[] {
  return b.updates.map((u): SideUpdate => {
    const id = `u-${u.row ?? (u.onGuardRow && b.guard ? b.guard.user : (i + 1) % 8)}`;
    if (u.kind === 'unitIfNull') return { table: 'users' as const, set: { unit: u.value }, where: { id, unit: null } };
    // Tests what the guards set: with two guards on one row, it must see them in entry order.
    if (u.kind === 'epochIs')
      return { table: 'users' as const, set: { display_name: `m${i}` }, where: { id, session_epoch: `e${i + 1}` } };
    if (u.kind === 'unitIs')
      return { table: 'users' as const, set: { display_name: `n${i}` }, where: { id, unit: u.value } };
    const from = u.kind === 'disable0' ? 0 : 2;
    return { table: 'users' as const, set: { disabled: 1, display_name: `b${from}` }, where: { id, disabled: from } };
  });
}

/** Run `fn`, recording the text of every statement sent to PostgreSQL meanwhile. */
async function recordingStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...a: unknown[]) {
    if (typeof a[0] === 'string') statements.push(a[0]);
    return (original as (...x: unknown[]) => unknown).apply(this, a);
  } as typeof original;
  try {
    return { result: await fn(), statements };
  } finally {
    pg.Client.prototype.query = original;
  }
}

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
        [0, 1, 2, 3, 4, 5, 6, 7].map((n) => ({
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
      users: (
        await store.db
          .selectFrom('users')
          .select(['id', 'session_epoch', 'unit', 'display_name', 'disabled'])
          .orderBy('id')
          .execute()
      ).map((u) => ({ ...u, disabled: Number(u.disabled) })),
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
            ...(b.updates.length ? { updates: updatesOf(b, i) } : {}),
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
    const { statements } = await recordingStatements(async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(item, { minLength: 2, maxLength: 5 }), async (batch) => {
          const expected = await run('sqlite', batch);
          const got = await run('postgres', batch);
          expect(got).toEqual(expected);
        }),
        { numRuns: 250 },
      );
    });
    const bulk = statements.filter((s) => /^UPDATE users SET/.test(s) && s.includes('WITH ORDINALITY'));
    expect(bulk.filter((s) => s.includes('session_epoch = v.')).length).toBeGreaterThan(10); // guards
    expect(bulk.filter((s) => !s.includes('session_epoch = v.')).length).toBeGreaterThan(0); // updates
  });

  /** Each entry guarded on its own user; `updates[i]` its updates. */
  const guardedBatch = (updates: Item['updates'][]): Item[] =>
    updates.map((u, i) => ({
      guard: { user: i, from: 'e0' },
      seq: i + 1,
      claim: null,
      also: null,
      onlyIfWritten: true,
      updates: u,
    }));
  const upd = (kind: Item['updates'][number]['kind'], row?: number) => ({ kind, onGuardRow: true, value: 'd1', row });

  it('updates of the entries, in bulk: a decision-like batch gives the one-by-one rows, in one UPDATE per shape', async () => {
    const batch = guardedBatch([
      [upd('unitIfNull'), upd('disable0'), upd('disable2')],
      [upd('unitIfNull'), upd('disable0'), upd('disable2')],
      [upd('disable0')],
    ]);
    const { result: got, statements } = await recordingStatements(() => run('postgres', batch));
    expect(got).toEqual(await run('sqlite', batch));
    expect(got.tables.users.slice(0, 3)).toMatchObject([
      { unit: 'd1', disabled: 1, display_name: 'b0' },
      { unit: 'd1', disabled: 1, display_name: 'b0' },
      { unit: null, disabled: 1, display_name: 'b0' },
    ]);
    const updates = statements.filter((s) => /^UPDATE users SET/.test(s) && !s.includes('session_epoch'));
    // unit IS NULL; then disabled = 0 and disabled = 2 (one shape: at most one matches a row) in one statement.
    expect(updates).toHaveLength(2);
    expect(updates.every((s) => s.includes('WITH ORDINALITY'))).toBe(true);
  });

  it('updates that do not commute are applied in the order of each entry (one by one)', async () => {
    // Entry 0 sets the unit, then tests it; entry 1 tests it first. In one UPDATE per shape, entry 1's test
    // would run after its set.
    const batch = guardedBatch([
      [upd('unitIfNull'), upd('unitIs')],
      [upd('unitIs'), upd('unitIfNull')],
    ]);
    const r = await run('postgres', batch);
    expect(r).toEqual(await run('sqlite', batch));
    expect(r.tables.users.slice(0, 2)).toMatchObject([
      { unit: 'd1', display_name: 'n0' },
      { unit: 'd1', display_name: 'User 1' },
    ]);
  });

  it("an update of another entry's row is applied in entry order (one by one)", async () => {
    // On user 1: entry 0 tests the unit (no match yet), entry 1 sets it, entry 2 tests it (a match).
    const batch = guardedBatch([[upd('unitIs', 1)], [upd('unitIfNull')], [upd('unitIs', 1)]]);
    const r = await run('postgres', batch);
    expect(r).toEqual(await run('sqlite', batch));
    expect(r.tables.users[1]).toMatchObject({ unit: 'd1', display_name: 'n2' });
  });

  it('several entries on one row go in rounds, guards then updates, each seeing the ones before it', async () => {
    // One user, three guards in a chain (e0 -> e1 -> e2 -> e3), all holding. Updates: entry 0 tests the unit
    // (not set yet), entry 1 sets it, entry 2 tests it (now a match). In one statement per shape, entry 2's
    // test would run with entry 0's, before entry 1's set.
    const on0 = (from: string, kind: Item['updates'][number]['kind']): Item => ({
      guard: { user: 0, from },
      seq: Number(from.slice(1)) + 1,
      claim: null,
      also: null,
      onlyIfWritten: true,
      updates: [{ kind, onGuardRow: true, value: 'd1' }],
    });
    const batch = [on0('e0', 'unitIs'), on0('e1', 'unitIfNull'), on0('e2', 'unitIs')];
    const { result: got, statements } = await recordingStatements(() => run('postgres', batch));
    expect(got).toEqual(await run('sqlite', batch));
    expect(got.entries.map((e) => e.written)).toEqual([true, true, true]);
    expect(got.tables.users[0]).toMatchObject({ session_epoch: 'e3', unit: 'd1', display_name: 'n2' });
    // In bulk: three guard rounds and three update rounds, no one-by-one savepoints.
    expect(statements.filter((s) => /^UPDATE users SET/.test(s) && s.includes('WITH ORDINALITY'))).toHaveLength(6);
    expect(statements.some((s) => s.startsWith('SAVEPOINT side_row;') || s === 'SAVEPOINT side_row')).toBe(false);
  });

  it('updates that test what the guards set, with two guards on one row, go one by one', async () => {
    // Entry 0 sets e1 and then tests e1 (a match, one by one); entry 1 then sets e2. Guards first and updates
    // after would test e1 once the row holds e2.
    const batch: Item[] = [
      { guard: { user: 0, from: 'e0' }, seq: 1, claim: null, also: null, onlyIfWritten: true, updates: [] },
      { guard: { user: 0, from: 'e1' }, seq: 2, claim: null, also: null, onlyIfWritten: true, updates: [] },
    ];
    batch[0].updates = [{ kind: 'epochIs', onGuardRow: true, value: 'd1' }];
    const r = await run('postgres', batch);
    expect(r).toEqual(await run('sqlite', batch));
    expect(r.tables.users[0]).toMatchObject({ session_epoch: 'e2', display_name: 'm0' });
  });

  it('two guards on one row in one batch: the second sees the first (one by one), in either order', async () => {
    // e0 -> e1 (entry 0), then e1 -> e2 (entry 1): both hold one by one; done at once, only the first could.
    const batch: Item[] = [
      { guard: { user: 0, from: 'e0' }, seq: 1, claim: null, also: null, onlyIfWritten: true, updates: [] },
      { guard: { user: 0, from: 'e1' }, seq: 2, claim: null, also: null, onlyIfWritten: true, updates: [] },
    ];
    for (const name of ['sqlite', 'postgres'] as const) {
      const r = await run(name, batch);
      expect(r.entries).toEqual([
        { written: true, logged: true, index: 0 },
        { written: true, logged: true, index: 1 },
      ]);
      expect(r.tables.users[0]).toMatchObject({ id: 'u-0', session_epoch: 'e2' });
    }
  });

  it('a guard that held while its claim lost is undone, as one by one', async () => {
    const batch: Item[] = [
      { guard: { user: 1, from: 'e0' }, seq: 1, claim: 'k3', also: null, onlyIfWritten: true, updates: [] }, // k3 already stored
      { guard: { user: 2, from: 'e0' }, seq: 2, claim: 'k1', also: null, onlyIfWritten: true, updates: [] },
    ];
    for (const name of ['sqlite', 'postgres'] as const) {
      const r = await run(name, batch);
      expect(r.entries).toEqual([
        { written: false, logged: false, index: -1 },
        { written: true, logged: true, index: 0 },
      ]);
      expect(r.tables.users.map((u) => u.session_epoch)).toEqual(['e0', 'e0', 'e2', 'e0', 'e0', 'e0', 'e0', 'e0']);
    }
  });
});
