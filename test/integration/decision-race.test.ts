import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeSystem } from '../support/active-system';
import { startDemoServer, type DemoServer } from '../support/server';
import { DIALECTS } from '../support/stores';

// Two decisions on one alert at the same moment: the log's side write guards the alert's status, so
// exactly one is stored, on SQLite (writer thread) and PostgreSQL (savepoint per side row).
describe.each(DIALECTS)('concurrent decisions on %s', (dialect) => {
  let s: DemoServer;
  let sys: Awaited<ReturnType<typeof activeSystem>>;
  beforeAll(async () => {
    s = await startDemoServer({ demo: false, dialect });
    sys = await activeSystem(s, 'Race system');
  });
  afterAll(async () => s?.close());

  it('stores exactly one decision; the other reviewer is told it was decided a moment ago', async () => {
    let raced = 0;
    for (let n = 1; n <= 5; n++) {
      const alertId = (await sys.postAlert(n)).json().id as string;
      const decide = (why: string) =>
        sys.call('officer', 'POST', `/api/alerts/${alertId}/decision`, {
          outcome: 'not-acted',
          reasonCode: 'no-activity-found',
          reasonText: why,
        });
      const [a, b] = await Promise.all([decide('first look'), decide('second look')]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
      const loser = [a, b].find((r) => r.statusCode === 409)!.json().detail as string;
      expect(loser).toMatch(/decided by someone else|already decided/);
      if (/someone else/.test(loser)) raced++; // both passed the checks: the guard in the log's transaction decided
      const rows = await s.store.db.selectFrom('decisions').selectAll().where('alert_id', '=', alertId).execute();
      expect(rows).toHaveLength(1);
      const winner = [a, b].find((r) => r.statusCode === 201)!.json();
      expect(rows[0]).toMatchObject({ id: winner.id, log_index: winner.logIndex });
      const alert = await s.store.db
        .selectFrom('alerts')
        .select('status')
        .where('id', '=', alertId)
        .executeTakeFirstOrThrow();
      expect(alert.status).toBe('decided');
    }
    expect(raced).toBeGreaterThan(0);
  });
});
