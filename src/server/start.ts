import type { FastifyServerOptions } from 'fastify';
import { ensureFirstAdmin } from '../accounts/accounts';
import { loadDemoIfFirstStart, type DemoName } from '../demo/load-demo';
import { loadDemoOrganisation, type DemoAccounts } from '../demo/demo-organisation';
import type { Ledger } from '../ledger-service/ledger';
import { migrate, type Store } from '../store/db';
import { withLock } from '../store/locks';
import { buildApp, type RouteInfo } from './app';
import type { App, ServerConfig } from './context';

export interface StartOptions {
  /** The first admin's password, used only if the database has no account yet. */
  adminPassword: string;
  /** Load the demo data on first start (taxonomy file; progress in bytes). */
  demo?: { name?: DemoName; taxonomyFile: string; onProgress?: (done: number, total: number) => void };
}

/**
 * Everything a server does before it listens: migrate, open the log (its keys), the first admin, the demo
 * data, retention at start-up. With several servers on one PostgreSQL this runs under one advisory lock,
 * one server at a time: the first to get it does the first-start work and, by creating the first admin,
 * commits the log's first checkpoint under its key; the others then find the accounts and the demo in
 * place and must hold that same key (openLogKeysFor refuses any other and creates none). So two servers
 * started at once on an empty database make one admin and one log key, and neither crashes on a unique key.
 */
export async function startUp(
  store: Store,
  config: Partial<ServerConfig>,
  opts: StartOptions,
  fastify: FastifyServerOptions = {},
): Promise<{
  app: App;
  ledger: Ledger;
  routes: RouteInfo[];
  firstAdmin: boolean;
  demoLoaded: string | undefined;
  /** The demo organisation's people with their passwords and the vendor's key: only on the start that made them (print once, never log). */
  demoAccounts?: DemoAccounts;
}> {
  return withLock(store, 'firstStart', async () => {
    await migrate(store);
    const built = await buildApp(store, config, fastify);
    try {
      // After buildApp: a start refused for its log keys must not create (and lose the password of) the admin.
      // The first admin is created through the log like every account (access.user.created, actor first-start).
      const firstAdmin = !!(await ensureFirstAdmin(built.ledger, opts.adminPassword));
      const demoLoaded = opts.demo
        ? await loadDemoIfFirstStart(store, opts.demo.taxonomyFile, opts.demo.onProgress, built.ledger, opts.demo.name)
        : undefined;
      // The example organisation, through the app's own routes, only on the start that loaded the demo data.
      const demoAccounts =
        opts.demo && demoLoaded
          ? await loadDemoOrganisation(built.app, store, built.ledger, opts.demo.name ?? 'chicago')
          : undefined;
      await built.ledger.drain();
      return { ...built, firstAdmin, demoLoaded, ...(demoAccounts ? { demoAccounts } : {}) };
    } catch (e) {
      await built.app.close();
      throw e;
    }
  });
}
