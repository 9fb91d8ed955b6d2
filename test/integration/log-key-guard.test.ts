import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger-service/ledger';
import { latestCheckpoint } from '../../src/ledger-service/checkpoints';
import { loadOrCreateLogKeys, retirePreviousKeys, rotateLogKey } from '../../src/ledger-service/log-keys';
import { buildApp } from '../../src/server/app';
import { migrate, openStore, type Store } from '../../src/store/db';
import { runCli } from '../support/cli';
import { DIALECTS, freshPostgresUrl, freshStore } from '../support/stores';

const ORIGIN = 'test.counterweight/log';
const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));

/** Append `n` entries to the store's log, signed with the keys in `keysDir`. */
async function seedLog(store: Store, keysDir: string, n = 3): Promise<void> {
  const ledger = new Ledger(store, loadOrCreateLogKeys(keysDir, ORIGIN), { writerThread: false });
  for (let i = 0; i < n; i++)
    await ledger.append({ type: 'test.entry', actor: 'system:key-guard-test', subjects: [], payload: { i } });
  await ledger.drain();
  await ledger.close();
}

const logSize = async (store: Store) => (await latestCheckpoint(store.db))?.size ?? 0;

// Attack: run the server or any appending command with the wrong (or no) CW_KEYS_DIR against a database
// that already holds a signed log. Before the guard, a fresh key was made and the log went on under it.
describe.each(DIALECTS)('log signing keys on %s: an existing log is never signed with a new key', (dialect) => {
  let store: Store;
  let rightKeys: string;
  beforeAll(async () => {
    store = await freshStore(dialect);
    rightKeys = tmp('cw-keys-right-');
  });
  afterAll(async () => store?.close());

  it('an empty log may get a new key (first start)', async () => {
    const dir = tmp('cw-keys-first-');
    const { app } = await buildApp(store, { webDist: undefined, keysDir: join(dir, 'k'), logOrigin: ORIGIN });
    await app.close();
    expect(existsSync(join(dir, 'k', 'current.key'))).toBe(true);
  });

  it('a log with entries and an empty keys directory: buildApp refuses, names the missing file, creates nothing', async () => {
    await seedLog(store, rightKeys);
    const before = await logSize(store);
    expect(before).toBe(3);
    const parent = tmp('cw-keys-empty-');
    const empty = join(parent, 'keys');
    const err = await buildApp(store, { webDist: undefined, keysDir: empty, logOrigin: ORIGIN }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err, 'buildApp must refuse').toBeInstanceOf(Error);
    expect(err!.message).toContain(resolve(empty, 'current.key'));
    expect(err!.message).toMatch(/3 entries/);
    expect(readdirSync(parent)).toEqual([]); // not even the directory
    expect(await logSize(store)).toBe(before);
  });

  it('a keys directory holding a different key (same origin) is refused, naming both key ids', async () => {
    const other = tmp('cw-keys-other-');
    const otherKeys = loadOrCreateLogKeys(other, ORIGIN);
    const keyFile = readFileSync(join(other, 'current.key'), 'utf8');
    const err = await buildApp(store, { webDist: undefined, keysDir: other, logOrigin: ORIGIN }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err, 'buildApp must refuse').toBeInstanceOf(Error);
    expect(err!.message).toMatch(/did not sign this database's latest checkpoint/);
    expect(err!.message).toContain(otherKeys.verifierKeys[0].split('+')[1]); // the key held
    expect(err!.message).toContain(loadOrCreateLogKeys(rightKeys).verifierKeys[0].split('+')[1]); // the key that signed
    expect(readFileSync(join(other, 'current.key'), 'utf8')).toBe(keyFile);
    expect(readdirSync(join(other, 'previous'))).toEqual([]);
    expect(await logSize(store)).toBe(3);
  });

  it('the right keys are accepted, also after a rotation and after retiring the previous key with no append between', async () => {
    const { app, ledger } = await buildApp(store, { webDist: undefined, keysDir: rightKeys, logOrigin: ORIGIN });
    await ledger.append({
      type: 'test.entry',
      actor: 'system:key-guard-test',
      subjects: [],
      payload: { i: 'after restart' },
    });
    await ledger.drain();
    await app.close();
    expect(await logSize(store)).toBe(4);
    rotateLogKey(rightKeys);
    await (await buildApp(store, { webDist: undefined, keysDir: rightKeys, logOrigin: ORIGIN })).app.close();
    retirePreviousKeys(rightKeys);
    const again = await buildApp(store, { webDist: undefined, keysDir: rightKeys, logOrigin: ORIGIN });
    await again.ledger.append({
      type: 'test.entry',
      actor: 'system:key-guard-test',
      subjects: [],
      payload: { i: 'new key' },
    });
    await again.ledger.drain();
    await again.app.close();
    expect(await logSize(store)).toBe(5);
  });
});

// Every CLI command that appends to the log goes through the same guard, before it writes anything.
describe.each(DIALECTS)('appending CLI commands on %s refuse a log whose key is elsewhere', (dialect) => {
  let store: Store;
  let env: Record<string, string>;
  let wrong: string;
  beforeAll(async () => {
    const dir = tmp('cw-cli-guard-');
    if (dialect === 'postgres') {
      const url = await freshPostgresUrl();
      store = openStore({ databaseUrl: url });
      env = { DATABASE_URL: url };
    } else {
      const file = join(dir, 'cw.db');
      store = openStore({ sqliteFile: file });
      env = { CW_SQLITE_FILE: file, DATABASE_URL: '' };
    }
    await migrate(store);
    await seedLog(store, join(dir, 'right-keys'), 2);
    wrong = join(dir, 'wrong-keys');
    env.CW_KEYS_DIR = wrong;
  });
  afterAll(async () => store?.close());

  const commands: [string, string[]][] = [
    ['source add-bundled', ['source', 'add-bundled']],
    [
      'areas import',
      [
        'areas',
        'import',
        'demo/chicago/chicago_community_areas.geojson',
        '--name',
        'guard-test-areas',
        '--code-field',
        'community_area',
        '--name-field',
        'name',
      ],
    ],
    ['import', ['import', 'demo/chicago/chicago_crimes_sample_2017_2019.csv', '--profile', 'chicago']],
    ['disclose', ['disclose', 'no-such-alert', '--out', join(tmpdir(), 'cw-guard-never-written.json')]],
    // A refused first start must not create the admin either (its one-time password would be lost).
    ['serve', ['serve', '--port', '0', '--no-demo']],
  ];
  it.each(commands)('%s refuses, naming the expected key file, and writes nothing', async (_name, args) => {
    const r = await runCli(args, env);
    expect(r.code, r.stdout).not.toBe(0);
    expect(r.stderr).toContain(resolve(wrong, 'current.key'));
    expect(existsSync(wrong)).toBe(false);
    expect(await logSize(store)).toBe(2);
    expect(
      await store.db.selectFrom('area_layers').select('name').where('name', '=', 'guard-test-areas').execute(),
    ).toEqual([]);
    expect(await store.db.selectFrom('users').select('username').execute()).toEqual([]);
    expect(
      Number(
        (
          await store.db
            .selectFrom('incidents')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(0);
  });
});
