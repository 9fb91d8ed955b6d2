import type { Command } from 'commander';
import { migrate, openStore } from '../../store/db';

export function registerDb(program: Command) {
  const db = program.command('db').description('database maintenance');
  db.command('migrate')
    .description('bring the schema up to date (SQLite ./data/counterweight.db, or DATABASE_URL)')
    .action(async () => {
      const store = openStore({ databaseUrl: process.env.DATABASE_URL, sqliteFile: process.env.CW_SQLITE_FILE });
      try {
        const done = await migrate(store);
        process.stdout.write(done.length ? `applied: ${done.join(', ')}\n` : `up to date (${store.location})\n`);
      } finally {
        await store.close();
      }
    });
}
