import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { DEMO_TAXONOMY, DEMOS, parseDemoName } from '../../demo/load-demo';
import { demoAccountsText } from '../../demo/demo-organisation';
import { DEFAULT_CONFIG } from '../../server/app';
import { startUp } from '../../server/start';
import { openStore } from '../../store/db';
import { parseTrustProxy } from '../../server/trust-proxy';
import { InputError } from '../../domain/errors';
import { msg } from '../../domain/messages';
import { progressBar } from '../common';

export function registerServe(program: Command) {
  program
    .command('serve')
    .description(
      'run the server and web app (SQLite ./data/counterweight.db, or DATABASE_URL); first start loads the demo data and creates an admin',
    )
    .option('--port <n>', 'port', process.env.PORT ?? '8080')
    .option('--host <addr>', 'address to listen on', process.env.HOST ?? '127.0.0.1')
    .option(
      '--demo <name>',
      `demo loaded on first start: ${DEMOS.join(' | ')} (default ${DEMOS[0]}) ($CW_DEMO)`,
      process.env.CW_DEMO ?? DEMOS[0],
    )
    .option('--no-demo', 'do not load a demo dataset on first start')
    .option(
      '--taxonomy <file>',
      "incident type → origin taxonomy (default: the demo's, config/taxonomy.json or config/taxonomy.ko.json)",
    )
    .option(
      '--trust-proxy <list>',
      'believe X-Forwarded-For/-Proto from these proxies: "true" (any peer), or addresses/CIDRs, comma-separated; default: none ($CW_TRUST_PROXY)',
      process.env.CW_TRUST_PROXY,
    )
    .option(
      '--secure-cookies',
      'always mark the session cookie Secure (it already is on requests that came over HTTPS) ($CW_SECURE_COOKIES=1)',
    )
    .option(
      '--comment-cap <n>',
      'public consultation comments accepted per system per UTC day, across all servers ($CW_COMMENT_CAP)',
      process.env.CW_COMMENT_CAP ?? String(DEFAULT_CONFIG.commentsPerSystemPerDay),
    )
    .option(
      '--comment-rate <n>',
      'public comments one address may post per 10 minutes ($CW_COMMENT_RATE)',
      process.env.CW_COMMENT_RATE ?? String(DEFAULT_CONFIG.commentRateLimit.max),
    )
    .option(
      '--background-jobs <n>',
      'imports, bias audits, forecasts and backtests run at once (the rest wait their turn); default: cores - 1 ($CW_BACKGROUND_JOBS)',
      process.env.CW_BACKGROUND_JOBS ?? String(DEFAULT_CONFIG.backgroundWork.running),
    )
    .action(async (o) => {
      const demo = o.demo === false ? undefined : parseDemoName(String(o.demo));
      o.taxonomy ??= DEMO_TAXONOMY[demo ?? DEMOS[0]];
      const port = wholeNumber('--port', o.port, 0, 65535);
      const trustProxy = parseTrustProxy(o.trustProxy);
      const commentCap = wholeNumber('--comment-cap', o.commentCap, 1, 1_000_000);
      const commentRate = wholeNumber('--comment-rate', o.commentRate, 1, 10_000);
      const backgroundJobs = wholeNumber('--background-jobs', o.backgroundJobs, 1, 256);
      const store = openStore({ databaseUrl: process.env.DATABASE_URL, sqliteFile: process.env.CW_SQLITE_FILE });
      const password = process.env.CW_ADMIN_PASSWORD ?? randomBytes(12).toString('base64url');
      const bar = demo ? progressBar('loading demo data') : undefined;
      // Migrations, log keys, first admin and demo: one server at a time when several share PostgreSQL (startUp).
      const {
        app,
        firstAdmin: created,
        demoLoaded,
        demoAccounts,
      } = await startUp(
        store,
        {
          taxonomyFile: o.taxonomy,
          secureCookies: !!o.secureCookies || process.env.CW_SECURE_COOKIES === '1',
          trustProxy,
          commentsPerSystemPerDay: commentCap,
          commentRateLimit: { max: commentRate, windowMs: 10 * 60_000 },
          keysDir: process.env.CW_KEYS_DIR ?? 'data/keys',
          logOrigin: process.env.CW_LOG_ORIGIN ?? 'counterweight.local/log',
          witnessKeys: (process.env.CW_WITNESS_KEYS ?? '')
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
          metricsToken: process.env.CW_METRICS_TOKEN || undefined,
          backgroundWork: { ...DEFAULT_CONFIG.backgroundWork, running: backgroundJobs },
        },
        {
          adminPassword: password,
          demo: demo ? { name: demo, taxonomyFile: o.taxonomy, onProgress: (b, t) => bar!.update(b, t) } : undefined,
        },
        { logger: true },
      ); // JSON lines on stdout, one per request, 500s with their request id (CW_LOG_LEVEL)
      bar?.stop();
      process.stdout.write(`database: ${store.dialect} (${store.location}), migrated\n`);
      if (demoLoaded) process.stdout.write(`${demoLoaded}\n`);
      const firstAdmin = created
        ? process.env.CW_ADMIN_PASSWORD
          ? '(the password in CW_ADMIN_PASSWORD)'
          : password
        : undefined;
      const address = await app.listen({ port, host: o.host });
      process.stdout.write(`Counterweight is running at ${address.replace('127.0.0.1', 'localhost')}\n`);
      if (firstAdmin) {
        process.stdout.write(`first start: sign in as "admin" with password ${firstAdmin}\n`);
        process.stdout.write(
          '  (shown once; create more accounts with `npm run cli -- user add NAME --roles analyst`)\n',
        );
      }
      // Straight to the console, once: never through the logger, and only on the start that created them.
      if (demoAccounts) process.stdout.write(demoAccountsText(demoAccounts));
      const stop = async () => {
        await app.close();
        await store.close();
        process.exit(0);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
}

function wholeNumber(field: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(String(value).trim()) || n < min || n > max) {
    throw new InputError(msg('server.badNumber', { field, min, max, value: String(value) }), [
      { field, expected: `a whole number ${min}–${max}`, got: String(value) },
    ]);
  }
  return n;
}
