// The log's checkpointer thread (started by the writer thread): copies the WAL into the database file
// every `intervalMs` with a PASSIVE checkpoint, which never blocks the writer. Without it, SQLite runs
// the checkpoint inside whichever COMMIT crosses the WAL threshold, on the writer's critical path.
// Plain JavaScript: it needs nothing of the project but better-sqlite3.
import { workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.intervalMs);
