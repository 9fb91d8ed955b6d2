import type Database from 'better-sqlite3';

/**
 * SQLite, synchronous: insert `count` rows of `columns`, the value of row r, column c being `value(r, c)`,
 * skipping rows that collide on `conflict` (none: a collision throws). Multi-row statements of
 * ROWS_PER_STATEMENT rows cut the per-statement overhead ~3x; the tail goes row by row. Returns rows
 * inserted. O(rows · columns).
 */
export function insertRowsSqlite(
  sqlite: Database.Database,
  table: string,
  columns: string[],
  conflict: string[],
  count: number,
  value: (row: number, column: number) => unknown,
  placeholders: string[] = columns.map(() => '?'),
): number {
  const many = preparedInsert(sqlite, table, columns, conflict, ROWS_PER_STATEMENT, placeholders);
  const one = preparedInsert(sqlite, table, columns, conflict, 1, placeholders);
  const params: unknown[] = new Array(columns.length * ROWS_PER_STATEMENT);
  const single: unknown[] = new Array(columns.length);
  let inserted = 0;
  let r = 0;
  for (; r + ROWS_PER_STATEMENT <= count; r += ROWS_PER_STATEMENT) {
    let k = 0;
    for (let i = r; i < r + ROWS_PER_STATEMENT; i++) for (let c = 0; c < columns.length; c++) params[k++] = value(i, c);
    inserted += many.run(params).changes;
  }
  for (; r < count; r++) {
    for (let c = 0; c < columns.length; c++) single[c] = value(r, c);
    inserted += one.run(single).changes;
  }
  return inserted;
}

const ROWS_PER_STATEMENT = 64;
const statementCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();
/** `placeholders`: the SQL of each column's value, one '?' in each (e.g. 'CAST(? AS TEXT)'); trusted, never from input. */
function preparedInsert(
  sqlite: Database.Database,
  table: string,
  columns: string[],
  conflict: string[],
  rowCount: number,
  placeholders: string[],
): Database.Statement {
  let cache = statementCache.get(sqlite);
  if (!cache) statementCache.set(sqlite, (cache = new Map()));
  const key = `${table}|${columns.join(',')}|${conflict.join(',')}|${rowCount}|${placeholders.join(',')}`;
  let stmt = cache.get(key);
  if (!stmt) {
    const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
    stmt = sqlite.prepare(
      `INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES ` +
        Array.from({ length: rowCount }, () => `(${placeholders.join(', ')})`).join(', ') +
        (conflict.length ? ` ON CONFLICT (${conflict.map(q).join(', ')}) DO NOTHING` : ''),
    );
    cache.set(key, stmt);
  }
  return stmt;
}

/**
 * After a purge: make the erasure reach the disk. On SQLite the WAL still holds the pages as they were
 * before the purge, so copy it into the file (secure_delete zeroes the freed content there) and truncate
 * it. PostgreSQL keeps old row versions until VACUUM marks their space reusable; VACUUM does not zero it
 * either, so the docs ask operators for encrypted storage and backups that follow erasures.
 */
