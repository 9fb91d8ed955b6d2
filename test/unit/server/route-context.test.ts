/**
 * Issue 21 item 2: route modules are handed services with the database bound, never the store. A module
 * added to the route table for this test sees what every route module sees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteContext } from '../../../src/server/context';
import { ROUTE_MODULES } from '../../../src/server/routes';
import { setSetting } from '../../../src/store/settings';
import { startDemoServer, type DemoServer } from '../../support/server';
import { RunJobs } from '../../../src/store/run-jobs';
import { WorkQueue } from '../../../src/store/work-queue';

describe('what a route module is handed', () => {
  let seen: RouteContext | undefined;
  let s: DemoServer;
  const spy = (_app: unknown, ctx: RouteContext) => void (seen = ctx);

  beforeAll(async () => {
    ROUTE_MODULES.push(spy);
    try {
      s = await startDemoServer({ demo: false });
    } finally {
      ROUTE_MODULES.splice(ROUTE_MODULES.indexOf(spy), 1);
    }
  }, 60_000);
  afterAll(() => s?.close());

  it('has services and the log, and no store or database handle anywhere on it', () => {
    expect(seen).toBeDefined();
    expect(Object.keys(seen!).sort()).toEqual(['config', 'ledger', 'pseudonyms', 'services', 'urgent']);
    expect('store' in seen!).toBe(false);
    // No service group leaks a handle either: every member is a function, except the in-memory progress
    // registry of this server's runs (src/store/run-jobs) and the turns for background work
    // (src/store/work-queue), which routes may use, whose fields hold no database.
    for (const [group, fns] of Object.entries(seen!.services)) {
      if (fns instanceof RunJobs || fns instanceof WorkQueue) {
        for (const [name, v] of Object.entries(fns)) expect(v, `${group}.${name}`).not.toHaveProperty('selectFrom');
        continue;
      }
      for (const [name, f] of Object.entries(fns)) expect(typeof f, `${group}.${name}`).toBe('function');
    }
  });

  it('its services act on the server’s own database', async () => {
    expect(await seen!.services.health.pingDatabase()).toBe(s.store.dialect);
    await setSetting(s.store.db, 'forecast.system', 'sys-0123456789ab');
    expect(await seen!.services.settings.getSetting('forecast.system')).toBe('sys-0123456789ab');
  });
});
