import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/ledger/audit';
import { newVerifier } from '../../src/ledger/keys';
import { parseLeaf } from '../../src/ledger/leaf';
import { entryBytes, Ledger } from '../../src/ledger-service/ledger';
import { latestCheckpoint } from '../../src/ledger-service/checkpoints';
import { loadOrCreateLogKeys } from '../../src/ledger-service/log-keys';
import { migrate, openStore, type Store } from '../../src/store/db';
import { expireAlerts } from '../../src/review/alert-review';
import { activeSystem } from '../support/active-system';
import { startDemoServer, type DemoServer } from '../support/server';
import { DIALECTS, freshStore } from '../support/stores';

// The losing side of a race leaves no log entry claiming it was stored: a side row marked onlyIfWritten
// that is not written (failed guard, unique key taken) takes its entry out of the batch, in the same
// transaction, so counting entries from the log alone gives the number of rows stored.
describe.each([...DIALECTS, 'sqlite-file' as const])('race logging in the log service on %s', (dialect) => {
  let store: Store;
  let ledger: Ledger;
  const keysDir = mkdtempSync(join(tmpdir(), 'cw-keys-'));
  beforeAll(async () => {
    if (dialect === 'sqlite-file') {
      store = openStore({ sqliteFile: join(mkdtempSync(join(tmpdir(), 'cw-race-')), 'log.db') });
      await migrate(store);
    } else store = await freshStore(dialect);
    ledger = new Ledger(store, loadOrCreateLogKeys(keysDir, 'test.counterweight/log'));
  });
  afterAll(async () => {
    await ledger.close();
    await store.close();
    if (dialect === 'sqlite-file') rmSync(dirname(store.location), { recursive: true, force: true });
    rmSync(keysDir, { recursive: true, force: true });
  });

  /** A users row written beside its entry, dropped with the entry when its username is taken. */
  const user = (n: number, name: string) => ({
    table: 'users' as const,
    indexColumn: 'log_index',
    onlyIfWritten: true,
    values: {
      id: `u-${n}`,
      username: name,
      display_name: name,
      password_hash: 'x',
      roles: '["analyst"]',
      unit: null,
      disabled: 0,
      created_at: new Date().toISOString(),
      session_epoch: `e${n}`,
    },
  });

  it('logs only the entries whose rows were stored; the others get no index; indices stay consecutive and the log verifies', async () => {
    // In one batch: a plain entry, two races on one username (one wins), a plain entry, a lone user, a third racer.
    const results = await Promise.all([
      ledger.append({ type: 'note', actor: 'system:tester01', subjects: [], payload: { n: 0 } }),
      ledger.append(
        { type: 'access.user.created', actor: 'system:tester01', subjects: ['user:u0000001'], payload: { n: 1 } },
        user(1, 'alice'),
      ),
      ledger.append(
        { type: 'access.user.created', actor: 'system:tester01', subjects: ['user:u0000002'], payload: { n: 2 } },
        user(2, 'alice'),
      ),
      ledger.append({ type: 'note', actor: 'system:tester01', subjects: [], payload: { n: 3 } }),
      ledger.append(
        { type: 'access.user.created', actor: 'system:tester01', subjects: ['user:u0000004'], payload: { n: 4 } },
        user(4, 'bob'),
      ),
      ledger.append(
        { type: 'access.user.created', actor: 'system:tester01', subjects: ['user:u0000005'], payload: { n: 5 } },
        user(5, 'alice'),
      ),
    ]);
    expect(results.map((r) => r.sideWritten)).toEqual([undefined, true, false, undefined, true, false]);
    expect(results.map((r) => r.logged)).toEqual([true, true, false, true, true, false]);
    expect(results.map((r) => r.index)).toEqual([0, 1, -1, 2, 3, -1]);
    const cp = (await latestCheckpoint(store.db))!;
    expect(cp.size).toBe(4);
    // Each stored row names the entry that records it, and that entry's payload is its own.
    const users = await store.db.selectFrom('users').select(['id', 'log_index']).orderBy('log_index').execute();
    expect(users).toEqual([
      { id: 'u-1', log_index: 1 },
      { id: 'u-4', log_index: 3 },
    ]);
    const payloads = await store.db
      .selectFrom('ledger_payloads')
      .select(['idx', 'payload', 'type'])
      .orderBy('idx')
      .execute();
    expect(payloads.map((p) => [p.idx, JSON.parse(p.payload!).n])).toEqual([
      [0, 0],
      [1, 1],
      [2, 3],
      [3, 4],
    ]);
    const subjects = await store.db.selectFrom('ledger_subjects').select(['ref', 'idx']).orderBy('idx').execute();
    expect(subjects).toEqual([
      { ref: 'user:u0000001', idx: 1 },
      { ref: 'user:u0000004', idx: 3 },
    ]);
    expect(parseLeaf(await entryBytes(store.db, 3)).type).toBe('access.user.created');
    const tiles = store.log.wholeLogTiles();
    const report = await auditLog(cp.note, async (ref) => (await tiles.read(ref))!, {
      logVerifiers: ledger.keys.verifierKeys.map(newVerifier),
    }).finally(() => tiles.close());
    expect(report.ok).toBe(true);
    // A batch in which every entry loses commits no checkpoint at all and leaves the log as it was.
    const lost = await ledger.append(
      { type: 'access.user.created', actor: 'system:tester01', subjects: ['user:u0000006'], payload: { n: 6 } },
      user(6, 'bob'),
    );
    expect(lost).toMatchObject({ index: -1, logged: false, sideWritten: false });
    expect((await latestCheckpoint(store.db))!.size).toBe(4);
    const next = await ledger.append({ type: 'note', actor: 'system:tester01', subjects: [], payload: { n: 7 } });
    expect(next.index).toBe(4);
  });
  it('claims in one batch: the first of equal claims wins, a claim already stored loses, also-rows are kept when absent; indices as one by one', async () => {
    const now = new Date().toISOString();
    await store.db
      .insertInto('alert_intake_keys')
      .values({ system_id: 'sys-race', idempotency_key: 'k2', body_sha256: 'old', alert_id: 'a-old', reserved_at: now })
      .execute();
    await store.db
      .insertInto('subject_pseudonyms')
      .values({ pseudonym: 'p0', raw_ref: 'raw-0', created_at: now })
      .execute();
    const base = (await latestCheckpoint(store.db))?.size ?? 0;
    const person = (n: number, name: string, key: string, onlyIfWritten: boolean, also: [string, string][] = []) => ({
      ...user(n, name),
      onlyIfWritten,
      claim: {
        table: 'alert_intake_keys' as const,
        values: { system_id: 'sys-race', idempotency_key: key, body_sha256: 'b', alert_id: `a-${n}`, reserved_at: now },
      },
      also: also.map(([pseudonym, raw]) => ({
        table: 'subject_pseudonyms' as const,
        values: { pseudonym, raw_ref: raw, created_at: now },
      })),
    });
    const ev = (n: number) => ({
      type: 'note',
      actor: 'system:tester01',
      subjects: [`user:u00000${n}`],
      payload: { n },
    });
    const results = await Promise.all([
      ledger.append(ev(10), person(10, 'carol', 'k1', true)),
      ledger.append(ev(11), person(11, 'dave', 'k1', true)), // same key later in the batch: loses, leaves the batch
      ledger.append({ type: 'note', actor: 'system:tester01', subjects: [], payload: { n: 12 } }),
      ledger.append(ev(13), person(13, 'erin', 'k2', true)), // key stored before the batch: loses
      ledger.append(
        ev(14),
        person(14, 'frank', 'k3', true, [
          ['p1', 'raw-1'],
          ['p0', 'raw-0'],
        ]),
      ),
      ledger.append(ev(15), person(15, 'gina', 'k1', false)), // loses, but its entry records the attempt
    ]);
    expect(results.map((r) => r.sideWritten)).toEqual([true, false, undefined, false, true, false]);
    expect(results.map((r) => r.logged)).toEqual([true, false, true, false, true, true]);
    expect(results.map((r) => r.index)).toEqual([base, -1, base + 1, -1, base + 2, base + 3]);
    const users = await store.db
      .selectFrom('users')
      .select(['id', 'log_index'])
      .where('id', 'in', ['u-10', 'u-11', 'u-13', 'u-14', 'u-15'])
      .orderBy('id')
      .execute();
    expect(users).toEqual([
      { id: 'u-10', log_index: base },
      { id: 'u-14', log_index: base + 2 },
    ]);
    const keys = await store.db
      .selectFrom('alert_intake_keys')
      .select(['idempotency_key', 'alert_id'])
      .where('system_id', '=', 'sys-race')
      .orderBy('idempotency_key')
      .execute();
    expect(keys).toEqual([
      { idempotency_key: 'k1', alert_id: 'a-10' },
      { idempotency_key: 'k2', alert_id: 'a-old' },
      { idempotency_key: 'k3', alert_id: 'a-14' },
    ]);
    const pseudonyms = await store.db
      .selectFrom('subject_pseudonyms')
      .select(['pseudonym', 'raw_ref'])
      .orderBy('pseudonym')
      .execute();
    expect(pseudonyms).toEqual([
      { pseudonym: 'p0', raw_ref: 'raw-0' },
      { pseudonym: 'p1', raw_ref: 'raw-1' },
    ]);
    const payloads = await store.db
      .selectFrom('ledger_payloads')
      .select(['idx', 'payload'])
      .where('idx', '>=', base)
      .orderBy('idx')
      .execute();
    expect(payloads.map((p) => [p.idx, JSON.parse(p.payload!).n])).toEqual([
      [base, 10],
      [base + 1, 12],
      [base + 2, 14],
      [base + 3, 15],
    ]);
  });
});

// Issue 20 item 4: "a decision refused with 409 still leaves a decision entry". With the race, the log's
// human.decision entries equal the decisions stored, and the loser's 409 leaves nothing behind.
describe.each(DIALECTS)('decision races leave one log entry per stored decision on %s', (dialect) => {
  let s: DemoServer;
  let sys: Awaited<ReturnType<typeof activeSystem>>;
  beforeAll(async () => {
    s = await startDemoServer({ demo: false, dialect });
    sys = await activeSystem(s, 'Race logging system');
  });
  afterAll(async () => s?.close());

  it('counts from the log equal the tables after racing decisions', async () => {
    for (let n = 1; n <= 6; n++) {
      const alertId = (await sys.postAlert(n)).json().id as string;
      const decide = (why: string) =>
        sys.call('officer', 'POST', `/api/alerts/${alertId}/decision`, {
          outcome: 'not-acted',
          reasonCode: 'no-activity-found',
          reasonText: why,
        });
      const replies = await Promise.all([decide('first look'), decide('second look'), decide('third look')]);
      expect(replies.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    }
    await s.ledger.drain();
    const logged = await s.store.db
      .selectFrom('ledger_payloads')
      .select('payload')
      .where('type', '=', 'human.decision')
      .execute();
    const stored = await s.store.db.selectFrom('decisions').select(['id', 'log_index']).execute();
    expect(stored).toHaveLength(6);
    expect(logged).toHaveLength(6);
    expect(new Set(logged.map((r) => JSON.parse(r.payload!).decisionId))).toEqual(new Set(stored.map((d) => d.id)));
    const alertsLogged = await s.store.db
      .selectFrom('ledger_payloads')
      .select('idx')
      .where('type', '=', 'ai.output')
      .execute();
    expect(alertsLogged).toHaveLength(
      await s.store.db
        .selectFrom('alerts')
        .select('id')
        .execute()
        .then((r) => r.length),
    );
  });

  it('two expiry sweeps at once (two servers) log each expiry once', async () => {
    const ids: string[] = [];
    for (let n = 101; n <= 104; n++) ids.push((await sys.postAlert(n)).json().id as string);
    await s.store.db.updateTable('alerts').set({ expires_at: '2000-01-01T00:00:00Z' }).where('id', 'in', ids).execute();
    const [a, b] = await Promise.all([expireAlerts(s.store, s.ledger), expireAlerts(s.store, s.ledger)]);
    expect(a + b).toBe(4);
    const logged = await s.store.db
      .selectFrom('ledger_payloads')
      .select('payload')
      .where('type', '=', 'alert.expired')
      .execute();
    expect(logged.map((r) => JSON.parse(r.payload!).alertId).sort()).toEqual([...ids].sort());
    const rows = await s.store.db
      .selectFrom('decisions')
      .select(['alert_id', 'log_index'])
      .where('outcome', '=', 'expired')
      .execute();
    expect(rows.map((r) => r.alert_id).sort()).toEqual([...ids].sort());
    const statuses = await s.store.db.selectFrom('alerts').select('status').where('id', 'in', ids).execute();
    expect(statuses.every((r) => r.status === 'expired')).toBe(true);
  });
});
