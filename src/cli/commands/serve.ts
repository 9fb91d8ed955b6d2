import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { ensureFirstAdmin } from '../../accounts/accounts';
import { loadDemoIfFirstStart } from '../../demo/load-demo';
import { buildApp } from '../../server/app';
import { openMigratedStore, progressBar } from '../common';

export function registerServe(program: Command) {
  program
    .command('serve')
    .description('run the server and web app (SQLite ./data/counterweight.db, or DATABASE_URL); first start loads the demo data and creates an admin')
    .option('--port <n>', 'port', process.env.PORT ?? '8080')
    .option('--host <addr>', 'address to listen on', process.env.HOST ?? '127.0.0.1')
    .option('--no-demo', 'do not load the Chicago demo dataset on first start')
    .option('--taxonomy <file>', 'incident type → origin taxonomy', 'config/taxonomy.json')
    .action(async (o) => {
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0–65535, got ${o.port}`);
      const store = await openMigratedStore();
      process.stdout.write(`database: ${store.dialect} (${store.location}), migrated\n`);
      const { app, ledger } = await buildApp(store, {
        taxonomyFile: o.taxonomy, secureCookies: process.env.CW_SECURE_COOKIES === '1',
        keysDir: process.env.CW_KEYS_DIR ?? 'data/keys', logOrigin: process.env.CW_LOG_ORIGIN ?? 'counterweight.local/log',
        witnessKeys: (process.env.CW_WITNESS_KEYS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
      });
      // The first admin is created through the log like every account (access.user.created, actor first-start).
      let firstAdmin: string | undefined;
      const password = process.env.CW_ADMIN_PASSWORD ?? randomBytes(12).toString('base64url');
      if (await ensureFirstAdmin(ledger, password)) firstAdmin = process.env.CW_ADMIN_PASSWORD ? '(the password in CW_ADMIN_PASSWORD)' : password;
      if (o.demo) {
        const bar = progressBar('loading demo data');
        const msg = await loadDemoIfFirstStart(store, o.taxonomy, (b, t) => bar.update(b, t), ledger);
        bar.stop();
        if (msg) process.stdout.write(`${msg}\n`);
      }
      const address = await app.listen({ port, host: o.host });
      process.stdout.write(`Counterweight is running at ${address.replace('127.0.0.1', 'localhost')}\n`);
      if (firstAdmin) {
        process.stdout.write(`first start: sign in as "admin" with password ${firstAdmin}\n`);
        process.stdout.write('  (shown once; create more accounts with `npm run cli -- user add NAME --roles analyst`)\n');
      }
      const stop = async () => {
        await app.close();
        await store.close();
        process.exit(0);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
}
