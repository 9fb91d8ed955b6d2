/** Reads of the log's signed checkpoints, as stored (the newest, or the one for a tree size). */
import type { Executor } from '../store/db';

export async function latestCheckpoint(db: Executor): Promise<{ size: number; note: string } | undefined> {
  const row = await db.selectFrom('ledger_checkpoints').selectAll().orderBy('size', 'desc').limit(1).executeTakeFirst();
  return row ? { size: Number(row.size), note: row.note } : undefined;
}

export async function checkpointAt(db: Executor, size: number): Promise<string | undefined> {
  return (await db.selectFrom('ledger_checkpoints').select('note').where('size', '=', size).executeTakeFirst())?.note;
}
