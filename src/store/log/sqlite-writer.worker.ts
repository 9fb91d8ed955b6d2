/**
 * The log's writer thread (SQLite files only): owns a second connection and commits packed batches,
 * so hashing the tree and the fsync of each batch run beside the request-serving thread instead of
 * blocking it. Messages are handled one at a time, in order.
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { openSqlite } from '../db';
import { asLogCommit } from '../write-turns';
import { SqliteBatchCommitter } from './sqlite-commit';
import type { WriterInit, WriterReply, WriterRequest } from './writers';
import type { MessageParams } from '../../domain/messages';

const init = workerData as WriterInit;
const db = openSqlite(init.file);
const committer = new SqliteBatchCommitter(db, init.origin, init.signerKeys);

// WAL checkpoints run on a thread of their own, not inside this thread's commits (about 7% more appends/s
// at sustained load). Should that thread stop, SQLite's own checkpoint in the commit takes over again.
db.pragma('wal_autocheckpoint = 0');
const checkpointer = new Worker(new URL('./sqlite-checkpointer.worker.mjs', import.meta.url), {
  workerData: { file: init.file, intervalMs: init.walCheckpointMs },
});
checkpointer.unref();
checkpointer.on('error', () => undefined);
checkpointer.on('exit', () => {
  if (db.open) db.pragma('wal_autocheckpoint = 1000');
});

// Keep the WAL bounded under sustained appends. SQLite starts the WAL over (overwriting it from the top)
// only when a write transaction begins with every frame already copied into the file, and the
// checkpointer, always a commit behind, never gets there while batches keep coming: the WAL would grow
// by the whole burst (about 1 GB per million entries), each commit extending the file. So every
// `walRestartEntries` entries this thread copies the frames the checkpointer has not reached yet (the
// last commit or two; PASSIVE, so it waits for nobody), and its next transaction restarts the WAL.
// journal_size_limit then trims a WAL a burst left large back to 64 MiB.
db.pragma('journal_size_limit = 67108864');
let sinceRestart = 0;
function restartWalIfDue(appended: number): void {
  sinceRestart += appended;
  if (sinceRestart < init.walRestartEntries) return;
  const [r] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
  if (r.busy === 0 && r.checkpointed === r.log) sinceRestart = 0; // else the checkpointer held it: try after the next commit
}

parentPort!.on('message', (req: WriterRequest) => {
  let reply: WriterReply;
  try {
    // Before any import chunk of this process: an alert's acknowledgement waits on this commit.
    reply = { id: req.id, ok: true, ...asLogCommit(init.turns, () => committer.commit(req.batch)) };
  } catch (e) {
    const err = e as {
      name?: string;
      message?: string;
      code?: unknown;
      status?: unknown;
      messageCode?: unknown;
      messageParams?: MessageParams;
    };
    reply = {
      id: req.id,
      ok: false,
      error: {
        name: String(err.name ?? 'Error'),
        message: String(err.message ?? e),
        code: typeof err.code === 'string' ? err.code : undefined,
        status: typeof err.status === 'number' ? err.status : undefined,
        messageCode: typeof err.messageCode === 'string' ? err.messageCode : undefined,
        messageParams: err.messageParams,
      },
    };
  }
  parentPort!.postMessage(reply);
  // After the reply: the callers' acknowledgement never waits for this, and a failure here (the WAL
  // merely stays longer) can never turn a committed batch into an error.
  if (reply.ok) {
    try {
      restartWalIfDue(reply.newSize - reply.oldSize);
    } catch {
      sinceRestart = 0;
    }
  }
});
