/**
 * A reader thread (its caller: read-thread.ts). Per job: open the SQLite file read-only, run the job's
 * compiled queries in one read transaction (one snapshot: a summary's counts and its bounds agree even
 * while an import commits), close, reply with the rows, or with the JSON text of the first query's rows in a
 * named shape (read-shapes.ts), their number and the other queries' rows. Nothing can be written through this connection.
 */
import { parentPort } from 'node:worker_threads';
import { openSqliteReadOnly } from './db';
import { serializeError } from './import-thread';
import type { FromReadThread, ToReadThread } from './read-thread';
import { shapedJson } from './read-shapes';
import { yieldCpuToRequests } from './thread-priority';

yieldCpuToRequests();

const port = parentPort!;
port.on('message', async ({ file, queries, shape }: ToReadThread) => {
  let reply: FromReadThread;
  try {
    const db = openSqliteReadOnly(file);
    try {
      db.exec('BEGIN');
      const rows = queries.map((q) => db.prepare(q.sql).all(...q.parameters) as unknown[]);
      db.exec('COMMIT');
      reply = shape
        ? { t: 'json', text: await shapedJson(rows[0], shape), count: rows[0].length, rows: rows.slice(1) }
        : { t: 'done', rows };
    } finally {
      db.close();
    }
  } catch (e) {
    reply = { t: 'failed', error: serializeError(e) };
  }
  port.postMessage(reply);
});
