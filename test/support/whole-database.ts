import { sql } from 'kysely';
import type { Store } from '../../src/store/db';

/** Every value of every table as one text (binary as latin1), to search a database for a secret. */
export async function wholeDatabase(store: Store): Promise<string> {
  const tables =
    store.dialect === 'sqlite'
      ? (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`.execute(store.db)).rows.map(
          (r) => r.name,
        )
      : (
          await sql<{
            name: string;
          }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`.execute(
            store.db,
          )
        ).rows.map((r) => r.name);
  let all = '';
  for (const t of tables) {
    const rows = (await sql`SELECT * FROM ${sql.table(t)}`.execute(store.db)).rows;
    all += JSON.stringify(rows, (_k, v) =>
      Buffer.isBuffer(v) || v instanceof Uint8Array
        ? Buffer.from(v).toString('latin1')
        : typeof v === 'bigint'
          ? String(v)
          : v,
    );
  }
  return all;
}
