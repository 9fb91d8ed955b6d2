import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger-service/ledger';
import { latestCheckpoint } from '../../src/ledger-service/checkpoints';
import { loadOrCreateLogKeys } from '../../src/ledger-service/log-keys';
import { openStore, migrate, type Store } from '../../src/store/db';
import { freshPostgresUrl } from '../support/stores';

// Issue 20 item 4: on PostgreSQL the 2 ms timer of Ledger.queued() started a new batch while the previous
// commit was still running, so the log almost never batched (2,554 checkpoints for 2,620 entries). Group
// commit: entries that arrive while a commit is in flight travel together in the next one.
describe('group commit on PostgreSQL', () => {
  let store: Store;
  let url: string;
  const keysDir = mkdtempSync(join(tmpdir(), 'cw-keys-'));
  beforeAll(async () => {
    url = await freshPostgresUrl();
    store = openStore({ databaseUrl: url });
    await migrate(store);
  });
  afterAll(async () => {
    await store.close();
    rmSync(keysDir, { recursive: true, force: true });
  });

  it('entries arriving one by one during a slow commit are committed as one batch after it', async () => {
    const ledger = new Ledger(store, loadOrCreateLogKeys(keysDir, 'test.counterweight/log'), { maxDelayMs: 2 });
    // Another server holds the log's lock: the first batch waits for it, so it stays in flight.
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    await other.query('BEGIN');
    await other.query('SELECT size FROM ledger_state WHERE id = 1 FOR UPDATE');
    const note = (n: number) => ledger.append({ type: 'note', actor: 'system:tester01', subjects: [], payload: { n } });
    const first = note(0);
    const rest: Promise<unknown>[] = [];
    // 40 appends, 5 ms apart (each longer than maxDelayMs), all while the first commit waits.
    for (let n = 1; n <= 40; n++) {
      await new Promise((r) => setTimeout(r, 5));
      rest.push(note(n));
    }
    await other.query('COMMIT');
    await other.end();
    await Promise.all([first, ...rest]);
    const sizes = (await store.db.selectFrom('ledger_checkpoints').select('size').orderBy('size').execute()).map((r) =>
      Number(r.size),
    );
    expect(sizes).toEqual([1, 41]);
    expect((await latestCheckpoint(store.db))!.size).toBe(41);
    await ledger.close();
  });
});
