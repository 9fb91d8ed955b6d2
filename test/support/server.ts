import type { WorkQueue } from '../../src/store/work-queue';
import { loadOrCreatePseudonyms, type Pseudonyms } from '../../src/privacy/pseudonyms';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUser } from '../../src/accounts/accounts';
import { DEMO_TAXONOMY, loadDemoIfFirstStart, type DemoName } from '../../src/demo/load-demo';
import { buildApp, type RouteInfo } from '../../src/server/app';
import type { App, ServerConfig } from '../../src/server/context';
import type { Ledger } from '../../src/ledger-service/ledger';
import { migrate, openStore, type Store } from '../../src/store/db';
import { freshStore, type DialectName } from './stores';
import type { UrgentAlerts } from '../../src/review/urgent';

export const PASSWORD = 'a-long-test-password';

export interface DemoServer {
  app: App;
  store: Store;
  ledger: Ledger;
  /** The app's route table (roles, personal data, unit scope of every route). */
  routes: RouteInfo[];
  url: string;
  dbFile: string;
  keysDir: string;
  /** The installation's pseudonyms (to compute what a sender's reference is stored as). */
  pseudonyms: Pseudonyms;
  /** Urgent alerts: push hub, dispatch webhook, escalation sweep. */
  urgent: UrgentAlerts;
  /** Turns for imports, audits and forecasts (tests hold one as a long import would). */
  backgroundWork: WorkQueue;
  close(): Promise<void>;
}

/** A real server on a loopback port over a fresh SQLite file (or PostgreSQL database), with the demo data and one user per role. */
export async function startDemoServer(
  opts: { demo?: boolean | DemoName; config?: Partial<ServerConfig>; dialect?: DialectName; databaseUrl?: string } = {},
): Promise<DemoServer> {
  const dir = mkdtempSync(join(tmpdir(), 'cw-e2e-'));
  const dbFile = join(dir, 'cw.db');
  const keysDir = join(dir, 'keys');
  const store = opts.databaseUrl
    ? openStore({ databaseUrl: opts.databaseUrl })
    : opts.dialect === 'postgres'
      ? await freshStore('postgres')
      : openStore({ sqliteFile: dbFile });
  await migrate(store);
  const { app, ledger, routes, urgent, backgroundWork } = await buildApp(store, {
    webDist: 'web/dist',
    keysDir,
    logOrigin: 'test.counterweight/log',
    ...opts.config,
  });
  for (const role of ['analyst', 'supervisor', 'officer', 'system-owner', 'oversight', 'admin'] as const) {
    await createUser(ledger, 'system:test-setup', {
      username: role,
      password: PASSWORD,
      roles: [role],
      unit: 'district-1',
    });
  }
  const demo: DemoName = typeof opts.demo === 'string' ? opts.demo : 'chicago';
  if (opts.demo !== false) await loadDemoIfFirstStart(store, DEMO_TAXONOMY[demo], undefined, ledger, demo);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    store,
    ledger,
    routes,
    urgent,
    backgroundWork,
    url,
    dbFile,
    keysDir,
    pseudonyms: loadOrCreatePseudonyms(keysDir),
    close: async () => {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
