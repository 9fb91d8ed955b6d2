import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, migrate, type Store } from '../../src/store/db';
import { runOnce, withLock } from '../../src/store/locks';
import { freshPostgresUrl } from '../support/stores';

// Issue 20 item 4: with several servers on one PostgreSQL, the monitor and retention jobs run once, and
// first-start work is done by one server at a time. Two stores (two pools, as two servers have) on one database.
describe('jobs and first-start work across two servers on one PostgreSQL', () => {
  let a: Store;
  let b: Store;
  beforeAll(async () => {
    const url = await freshPostgresUrl();
    a = openStore({ databaseUrl: url });
    b = openStore({ databaseUrl: url });
    await migrate(a);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('a job both servers start at the same moment runs on one of them', async () => {
    let runs = 0;
    const job = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 200));
      return 'ran';
    };
    const [x, y] = await Promise.all([runOnce(a, 'monitors', job), runOnce(b, 'monitors', job)]);
    expect(runs).toBe(1);
    expect([x, y].filter((v) => v === 'ran')).toHaveLength(1);
  });

  it('with a period, a server whose timer ticks later in the same period skips the job', async () => {
    let runs = 0;
    const job = async () => ++runs;
    const t0 = new Date('2026-12-03T10:00:00Z');
    expect(await runOnce(a, 'retention', job, { everyMs: 3600_000, now: t0 })).toBe(1);
    expect(
      await runOnce(b, 'retention', job, { everyMs: 3600_000, now: new Date(t0.getTime() + 20 * 60_000) }),
    ).toBeUndefined();
    expect(await runOnce(b, 'retention', job, { everyMs: 3600_000, now: new Date(t0.getTime() + 61 * 60_000) })).toBe(
      2,
    );
    expect(runs).toBe(2);
  });

  it('first-start work waits for the server doing it', async () => {
    const order: string[] = [];
    const work = (who: string) => async () => {
      order.push(`${who} in`);
      await new Promise((r) => setTimeout(r, 150));
      order.push(`${who} out`);
    };
    await Promise.all([withLock(a, 'firstStart', work('a')), withLock(b, 'firstStart', work('b'))]);
    expect(
      [order.slice(0, 2), order.slice(2)].every(
        (p) => p[0].split(' ')[0] === p[1].split(' ')[0] && p[0].endsWith('in') && p[1].endsWith('out'),
      ),
    ).toBe(true);
  });
});
