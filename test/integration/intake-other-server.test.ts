import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeGeneration } from '../../src/store/change-generation';
import { migrate, openStore, type Store } from '../../src/store/db';
import { activeSystem } from '../support/active-system';
import { startDemoServer, type DemoServer } from '../support/server';
import { freshPostgresUrl } from '../support/stores';

/**
 * Intake keeps what it checks (the live contract, the sources' purposes, the clock-skew setting) while the
 * change generation stands still. The attack: change those tables through ANOTHER connection, as a second
 * server would, with no call into this server's code, and post an alert at once: it must be judged on
 * the new state. Then the counter itself: every watched table moves it, a key's last-use time does not.
 */
describe.each(['sqlite-file', 'postgres'] as const)('intake sees changes made by another server on %s', (kind) => {
  let s: DemoServer;
  let other: Store;
  let sys: Awaited<ReturnType<typeof activeSystem>>;
  beforeAll(async () => {
    const databaseUrl = kind === 'postgres' ? await freshPostgresUrl() : undefined;
    s = await startDemoServer({ demo: false, databaseUrl });
    other = databaseUrl ? openStore({ databaseUrl }) : openStore({ sqliteFile: s.dbFile });
    await migrate(other); // already current: a no-op, as a second server's start would be
    sys = await activeSystem(s, 'Two-server intake');
  });
  afterAll(async () => {
    await other?.close();
    await s?.close();
  });

  const setState = (state: string) =>
    other.db.updateTable('system_versions').set({ state }).where('system_id', '=', sys.systemId).execute();

  it('a pause written by another server stops the very next alert; its resume lets the next one in', async () => {
    expect((await sys.postAlert(1)).statusCode).toBe(201);
    expect((await sys.postAlert(2)).statusCode).toBe(201); // served from what the first one read
    await setState('paused');
    const refused = await sys.postAlert(3);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toMatch(/paused/);
    await setState('active');
    expect((await sys.postAlert(4)).statusCode).toBe(201);
  });

  it('a source narrowed by another server stops intake for a system that uses it for what it no longer allows', async () => {
    expect((await sys.postAlert(10)).statusCode).toBe(201);
    const latest = await other.db
      .selectFrom('data_sources')
      .selectAll()
      .where('id', '=', 'nij-portland')
      .orderBy('version', 'desc')
      .executeTakeFirstOrThrow();
    const record = JSON.parse(latest.record) as { purposes: string[]; additionalBases: { purpose: string }[] };
    await other.db
      .insertInto('data_sources')
      .values({
        ...latest,
        version: latest.version + 1,
        record: JSON.stringify({
          ...record,
          purposes: record.purposes.filter((p) => p !== 'crime-analysis'),
          additionalBases: record.additionalBases.filter((b) => b.purpose !== 'crime-analysis'),
        }),
      })
      .execute();
    const refused = await sys.postAlert(11);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('sources.intakeRefused');
    await other.db
      .deleteFrom('data_sources')
      .where('id', '=', 'nij-portland')
      .where('version', '=', latest.version + 1)
      .execute();
    expect((await sys.postAlert(12)).statusCode).toBe(201);
  });

  it('a clock-skew setting written by another server applies to the next alert', async () => {
    const soon = new Date(Date.now() + 3 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    expect((await sys.postAlert(20, { occurredAt: soon })).statusCode).toBe(201); // default skew: 5 minutes
    await other.db
      .insertInto('settings')
      .values({ key: 'review.maxClockSkewMinutes', value: '1' })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: '1' }))
      .execute();
    const refused = await sys.postAlert(21, { occurredAt: soon });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].field).toBe('occurredAt');
    await other.db.deleteFrom('settings').where('key', '=', 'review.maxClockSkewMinutes').execute();
  });

  it('a key revoked by another server is refused at once', async () => {
    expect((await sys.postAlert(30)).statusCode).toBe(201);
    await other.db
      .updateTable('api_keys')
      .set({ revoked_at: new Date().toISOString() })
      .where('system_id', '=', sys.systemId)
      .execute();
    expect((await sys.postAlert(31)).statusCode).toBe(401);
  });

  it('every watched table moves the counter; a key being used does not', async () => {
    const moves = async (change: () => Promise<unknown>) => {
      const before = await changeGeneration(s.store.db);
      await change();
      return (await changeGeneration(s.store.db)) > before;
    };
    const now = new Date().toISOString();
    expect(await moves(() => setState('active'))).toBe(true);
    expect(
      await moves(() => other.db.updateTable('users').set({ disabled: 0 }).where('username', '=', 'analyst').execute()),
    ).toBe(true);
    expect(
      await moves(() => other.db.insertInto('settings').values({ key: 'test.generation', value: 'x' }).execute()),
    ).toBe(true);
    expect(await moves(() => other.db.deleteFrom('settings').where('key', '=', 'test.generation').execute())).toBe(
      true,
    );
    expect(await moves(() => other.db.updateTable('api_keys').set({ revoked_at: null }).execute())).toBe(true);
    expect(await moves(() => other.db.updateTable('data_sources').set({ created_at: now }).execute())).toBe(true);
    expect(await moves(() => other.db.updateTable('api_keys').set({ last_used_at: now }).execute())).toBe(false);
  });
});
