import type { Command } from 'commander';
import { readPassphrase, restoreBackup, writeBackup } from '../../ops/backup';
import { openMigratedStore } from '../common';

const KEYS_DIR = () => process.env.CW_KEYS_DIR ?? 'data/keys';

/** `counterweight backup OUT` and `counterweight restore IN`: see src/ops/backup.ts and the README's operations section. */
export function registerBackup(program: Command) {
  program
    .command('backup <out>')
    .description(
      'write an encrypted backup: a consistent database snapshot, the log signing keys and the pseudonym secret (CW_KEYS_DIR)',
    )
    .option(
      '--passphrase-file <file>',
      'read the passphrase from the first line of this file (or set CW_BACKUP_PASSPHRASE; never give it on the command line)',
    )
    .action(async (out: string, o: { passphraseFile?: string }) => {
      const passphrase = readPassphrase(o.passphraseFile);
      const store = await openMigratedStore();
      try {
        const m = await writeBackup({
          store,
          keysDir: KEYS_DIR(),
          out,
          passphrase,
          databaseUrl: process.env.DATABASE_URL,
        });
        process.stdout.write(
          `backup written to ${out}: ${store.dialect} database (schema ${m.migrations.at(-1)}), log size ${m.log.size}, ${m.parts.length - 1} key file(s)\n`,
        );
      } finally {
        await store.close();
      }
    });

  program
    .command('restore <in>')
    .description(
      'restore a backup onto an empty database (DATABASE_URL, or the SQLite file) and an empty keys directory (CW_KEYS_DIR); newer migrations run after',
    )
    .option(
      '--passphrase-file <file>',
      'read the passphrase from the first line of this file (or set CW_BACKUP_PASSPHRASE)',
    )
    .option('--sqlite-file <file>', 'the SQLite file to create ($CW_SQLITE_FILE, default data/counterweight.db)')
    .action(async (file: string, o: { passphraseFile?: string; sqliteFile?: string }) => {
      const passphrase = readPassphrase(o.passphraseFile);
      const r = await restoreBackup(file, passphrase, {
        databaseUrl: process.env.DATABASE_URL,
        sqliteFile: o.sqliteFile ?? process.env.CW_SQLITE_FILE,
        keysDir: KEYS_DIR(),
      });
      process.stdout.write(`restored the backup of ${r.manifest.createdAt} (schema ${r.manifest.migrations.at(-1)})\n`);
      if (r.migrated.length) process.stdout.write(`migrated to this version: ${r.migrated.join(', ')}\n`);
      process.stdout.write(
        `log: size ${r.logSize}, signed by the restored keys and consistent with the checkpoint of size ${r.manifest.log.size} recorded at backup\n`,
      );
      if (r.erasuresReapplied)
        process.stdout.write(`erasures re-applied from the log's tombstones: ${r.erasuresReapplied}\n`);
      process.stdout.write(
        'next: start the server (retention runs at start-up and erases what expired since the backup)\n',
      );
    });
}
