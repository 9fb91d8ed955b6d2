import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditLog } from '../../src/ledger/audit';
import { newVerifier } from '../../src/ledger/keys';
import { readTileBytes } from '../../src/store/log/tile-reads';
import { latestCheckpoint } from '../../src/ledger-service/checkpoints';
import { loadOrCreateLogKeys } from '../../src/ledger-service/log-keys';
import { openStore } from '../../src/store/db';
import { DIALECTS, freshPostgresUrl } from '../support/stores';

/** Start the appender, let it run for `ms`, SIGKILL it; return every index it had been told was durable. */
function runAndKill(target: string, keysDir: string, ms: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/append-forever.ts', target, keysDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.startsWith('ready') && !(child as { timer?: unknown }).timer) {
        (child as { timer?: unknown }).timer = setTimeout(() => child.kill('SIGKILL'), ms);
      }
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (_code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`appender exited without being killed: ${err}`));
      // The last line may be cut mid-write: only whole lines count as acknowledged.
      const lines = out.split('\n').slice(1, -1);
      resolve(lines.filter((l) => /^\d+$/.test(l)).map(Number));
    });
  });
}

describe.each(DIALECTS)('kill -9 during sustained appends on %s', (dialect) => {
  it('loses no acknowledged entry and the log still verifies, over repeated crashes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-crash-'));
    const target = dialect === 'sqlite' ? join(dir, 'log.db') : await freshPostgresUrl();
    const keysDir = join(dir, 'keys');
    const acked: number[] = [];
    const rounds = dialect === 'sqlite' ? 6 : 3;
    for (let round = 0; round < rounds; round++) acked.push(...(await runAndKill(target, keysDir, 400 + 150 * round)));
    expect(acked.length).toBeGreaterThan(1000);
    expect(new Set(acked).size).toBe(acked.length); // no index handed out twice across restarts

    const store = target.startsWith('postgres')
      ? openStore({ databaseUrl: target })
      : openStore({ sqliteFile: target });
    try {
      const cp = (await latestCheckpoint(store.db))!;
      expect(acked.reduce((a, b) => Math.max(a, b), -1)).toBeLessThan(cp.size);
      const payloads = await store.db
        .selectFrom('ledger_payloads')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(payloads.n)).toBe(cp.size);
      const report = await auditLog(cp.note, async (ref) => (await readTileBytes(store.db, ref))!, {
        logVerifiers: loadOrCreateLogKeys(keysDir).verifierKeys.map(newVerifier),
        origin: 'crash.test/log',
      });
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.entriesChecked).toBe(cp.size);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true }); // ~100 MB of log per run
    }
  }, 120_000);
});
