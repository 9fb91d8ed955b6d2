/**
 * A reader thread (its caller: read-thread.ts). Per job: open the SQLite file read-only, run the job's
 * compiled queries in one read transaction (one snapshot: a summary's counts and its bounds agree even
 * while an import commits), close, reply with the rows, or with the JSON (UTF-8) of the first query's rows in
 * a named shape (read-shapes.ts), their number and the other queries' rows. Nothing can be written through this connection.
 */
import { parentPort } from 'node:worker_threads';
import { openSqliteReadOnly } from './db';
import { serializeError } from './import-thread';
import type { FromReadThread, ToReadThread } from './read-thread';
import { movableBuffers } from './movable';
import { shapedJson } from './read-shapes';
import { yieldCpuToRequests } from './thread-priority';

yieldCpuToRequests();

const port = parentPort!;
port.on('message', async ({ file, queries, shape }: ToReadThread) => {
  let reply: FromReadThread;
  let moved: ArrayBuffer[] = [];
  try {
    const db = openSqliteReadOnly(file);
    try {
      db.exec('BEGIN');
      const rows = queries.map((q) => db.prepare(q.sql).all(...q.parameters) as unknown[]);
      db.exec('COMMIT');
      if (shape) {
        // UTF-8 bytes, moved to the caller (not copied): the serving thread sends them as they are.
        const json = Buffer.from(await shapedJson(rows[0], shape));
        reply = { t: 'json', json, count: rows[0].length, rows: rows.slice(1) };
        moved = movableBuffers([json]);
      } else reply = { t: 'done', rows };
    } finally {
      db.close();
    }
  } catch (e) {
    reply = { t: 'failed', error: serializeError(e) };
    moved = [];
  }
  port.postMessage(reply, moved);
});
