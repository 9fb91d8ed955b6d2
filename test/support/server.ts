import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUser } from '../../src/accounts/accounts';
import { loadDemoIfFirstStart } from '../../src/demo/load-demo';
import { buildApp } from '../../src/server/app';
import type { App } from '../../src/server/context';
import { migrate, openStore, type Store } from '../../src/store/db';

export const PASSWORD = 'a-long-test-password';

/** A real server on a loopback port over a fresh SQLite file, with the demo data and one user per role. */
export async function startDemoServer(opts: { demo?: boolean } = {}): Promise<{ app: App; store: Store; url: string; close(): Promise<void> }> {
  const store = openStore({ sqliteFile: join(mkdtempSync(join(tmpdir(), 'cw-e2e-')), 'cw.db') });
  await migrate(store);
  if (opts.demo !== false) await loadDemoIfFirstStart(store, 'config/taxonomy.json');
  for (const role of ['analyst', 'supervisor', 'officer', 'system-owner', 'oversight', 'admin'] as const) {
    await createUser(store.db, { username: role, password: PASSWORD, roles: [role], unit: 'district-1' });
  }
  const { app } = await buildApp(store, { webDist: 'web/dist' });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, store, url, close: async () => { await app.close(); await store.close(); } };
}
