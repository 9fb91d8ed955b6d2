/**
 * Child process for the crash test: appends to the log as fast as it can and prints each index
 * once its append was acknowledged (the batch is committed). The parent kills it with SIGKILL.
 * argv: databaseUrlOrSqliteFile keysDir
 */
import { Ledger } from '../../src/ledger-service/ledger';
import { loadOrCreateLogKeys } from '../../src/ledger-service/log-keys';
import { migrate, openStore } from '../../src/store/db';

const [target, keysDir] = process.argv.slice(2);
const store = target.startsWith('postgres') ? openStore({ databaseUrl: target }) : openStore({ sqliteFile: target });
await migrate(store);
const ledger = new Ledger(store, loadOrCreateLogKeys(keysDir, 'crash.test/log'), { maxBatch: 500, maxDelayMs: 2 });
const payload = { blob: 'x'.repeat(400) };
// Ready once appends are being acknowledged (the writer thread is up), so every kill lands mid-stream.
const first = await ledger.append({ type: 'ai.output', actor: 'system:crash-test', subjects: [], payload });
process.stdout.write(`ready\n${first.index}\n`);
for (;;) {
  const batch = Array.from({ length: 200 }, () =>
    ledger.append({ type: 'ai.output', actor: 'system:crash-test', subjects: [], payload }),
  );
  const acked = await Promise.all(batch);
  process.stdout.write(acked.map((a) => a.index).join('\n') + '\n');
}
