import cliProgress from 'cli-progress';
import { InputError, UserError, formatWhere } from '../domain/errors';
import { langOf, msg, render, type Lang } from '../domain/messages';
import { Ledger } from '../ledger-service/ledger';
import { openLogKeysFor } from '../ledger-service/log-keys';
import { migrate, openStore, type Store } from '../store/db';

/** Open the database named by DATABASE_URL (PostgreSQL) or the embedded SQLite file, migrated. */
export async function openMigratedStore(sqliteFile?: string): Promise<Store> {
  const store = openStore({
    databaseUrl: process.env.DATABASE_URL,
    sqliteFile: sqliteFile ?? process.env.CW_SQLITE_FILE,
  });
  await migrate(store);
  return store;
}

/** A progress bar on stderr when a person is watching; silent in pipes and CI. */
export function progressBar(label: string) {
  if (!process.stderr.isTTY) return { update: (_v: number, _t: number) => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} MB | ETA {eta}s`,
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(bytes: number, total: number) {
      const mb = (n: number) => Math.round(n / 1e5) / 10;
      if (!started) {
        bar.start(mb(total), 0);
        started = true;
      }
      bar.update(mb(bytes));
    },
    stop: () => started && bar.stop(),
  };
}

/** The terminal's language: CW_LANG, else the locale (LC_ALL, LANG), e.g. `ko_KR.UTF-8` → Korean. */
export const cliLang = (): Lang =>
  langOf((process.env.CW_LANG || process.env.LC_ALL || process.env.LANG || '').replace(/[_.].*/, ''));

/**
 * Print an error for a person, in the terminal's language (coded messages; others as thrown): every
 * named place on its own line. Exit code 2 for bad input.
 */
export function reportError(e: unknown, lang: Lang = cliLang()): number {
  const say = (text: string) => process.stderr.write(`${render(msg('cli.error', { text }), lang)}\n`);
  if (e instanceof InputError) {
    say(e.text(lang));
    for (const w of e.where.slice(0, 50)) process.stderr.write(`  - ${formatWhere(w, lang)}\n`);
    if (e.where.length > 50)
      process.stderr.write(`  ${render(msg('cli.moreProblems', { count: e.where.length - 50 }), lang)}\n`);
    return 2;
  }
  say(e instanceof UserError ? e.text(lang) : e instanceof Error ? e.message : String(e));
  return 1;
}

/**
 * The log, with keys from CW_KEYS_DIR (default data/keys): CLI actions are logged like API ones.
 * Refuses when the database holds a log whose key is not there (see openLogKeysFor); call it before
 * writing anything else, so a refusal leaves nothing half done.
 */
export async function openLedger(store: Store): Promise<Ledger> {
  // A short-lived command has no serving thread to keep free: commit inline, without starting a writer thread.
  return new Ledger(
    store,
    await openLogKeysFor(
      store,
      process.env.CW_KEYS_DIR ?? 'data/keys',
      process.env.CW_LOG_ORIGIN ?? 'counterweight.local/log',
    ),
    { writerThread: false },
  );
}

/** Pseudonymous reference of whoever runs the command line (no personal data in the log). */
export const CLI_ACTOR = 'system:counterweight-cli';
