import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/accounts/accounts';
import { generateKeyPair, SIG_COSIGNATURE_V1 } from '../../src/ledger/keys';
import { latestCheckpoint } from '../../src/ledger-service/checkpoints';
import { runCli } from '../support/cli';
import { startDemoServer, type DemoServer } from '../support/server';

// The log checked from outside, the way an auditor, a court or a defence attorney would: with the
// real command, trusting only a verifier key obtained out of band.
describe('verifying the log without trusting the operator', () => {
  let s: DemoServer;
  let env: Record<string, string>;
  let vkey: string;
  let demoEntries = 0;
  const size = (extra: number) => demoEntries + extra;
  const witnessKey = generateKeyPair('witness.example/w1', SIG_COSIGNATURE_V1);
  const dir = mkdtempSync(join(tmpdir(), 'cw-log-'));
  const exportDir = join(dir, 'export');

  beforeAll(async () => {
    s = await startDemoServer({ config: { witnessKeys: [witnessKey.verifierKey] } });
    await s.ledger.drain();
    demoEntries = (await latestCheckpoint(s.store.db))!.size;
    for (let i = 0; i < 700; i++)
      void s.ledger.append({
        type: 'ai.output',
        actor: 'system:test-vendor',
        subjects: [`alert:a${String(i).padStart(8, '0')}`],
        payload: { i },
      });
    await s.ledger.drain();
    env = { CW_SQLITE_FILE: s.dbFile, CW_KEYS_DIR: s.keysDir };
    vkey = s.ledger.keys.verifierKeys[0];
  });
  afterAll(async () => s?.close());

  it('the demo load itself is in the log (sources registered, data imported)', async () => {
    const types = (
      await s.store.db.selectFrom('ledger_payloads').select('type').where('idx', '<', demoEntries).execute()
    ).map((t) => t.type);
    // Every bundled source is registered on first start (config/sources: the public datasets the profiles read).
    expect(types.filter((t) => t === 'data.source-registered')).toHaveLength(
      readdirSync('config/sources').filter((f) => f.endsWith('.json')).length,
    );
    expect(types.filter((t) => t === 'data.area-layer')).toHaveLength(2);
    expect(types.filter((t) => t === 'data.import')).toHaveLength(1);
  });

  it('exports the log and audits it offline; audits it over HTTP too', async () => {
    const ex = await runCli(['log', 'export', exportDir], env);
    expect(ex.stderr).toBe('');
    expect(ex.stdout).toContain(`exported log of size ${size(700)}`);
    const off = await runCli(['verify', 'log', '--from', exportDir, '--key', vkey]);
    expect(off.code, off.stderr).toBe(0);
    expect(off.stdout).toContain(
      `OK: log test.counterweight/log of size ${size(700)} verified: ${size(700)} entries re-hashed`,
    );
    const online = await runCli(['verify', 'log', '--from', s.url, '--key', vkey]);
    expect(online.code, online.stderr).toBe(0);
  });

  it('the operator audits the stored log in place, and a changed byte in the database fails it', async () => {
    const ok = await runCli(['log', 'audit'], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(
      `OK: log test.counterweight/log of size ${size(700)} verified: ${size(700)} entries re-hashed`,
    );
    const row = await s.store.db
      .selectFrom('ledger_tiles')
      .select('data')
      .where('level', '=', 'entries')
      .where('idx', '=', 1)
      .executeTakeFirstOrThrow();
    const bad = Buffer.from(row.data);
    bad[100] ^= 0x01;
    await s.store.db
      .updateTable('ledger_tiles')
      .set({ data: bad })
      .where('level', '=', 'entries')
      .where('idx', '=', 1)
      .execute();
    const r = await runCli(['log', 'audit'], env);
    await s.store.db
      .updateTable('ledger_tiles')
      .set({ data: row.data })
      .where('level', '=', 'entries')
      .where('idx', '=', 1)
      .execute();
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/FAILED/);
    expect(r.stderr).toMatch(/tile\/entries\/001|entry 2\d\d|root/);
  });

  it('prints the verifier key; commands that only read keys never create one in a wrong --keys-dir', async () => {
    const vk = await runCli(['log', 'verifier-key'], env);
    expect(vk.stdout.trim()).toBe(vkey);
    const empty = join(dir, 'no-keys-here');
    mkdirSync(empty);
    for (const args of [
      ['log', 'verifier-key', '--keys-dir', empty],
      ['log', 'audit', '--keys-dir', empty],
      ['log', 'export', join(dir, 'x'), '--keys-dir', empty],
      ['log', 'rotate-key', '--keys-dir', empty],
    ]) {
      const r = await runCli(args, env);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr).toContain(`no log signing keys in ${empty}`);
    }
    expect(readdirSync(empty)).toEqual([]);
    expect(readdirSync(dir)).not.toContain('x'); // the export wrote nothing
  });

  it('an export that fails leaves nothing behind, and never writes into a non-empty directory', async () => {
    const row = await s.store.db
      .selectFrom('ledger_tiles')
      .selectAll()
      .where('level', '=', 'entries')
      .where('idx', '=', 1)
      .executeTakeFirstOrThrow();
    await s.store.db.deleteFrom('ledger_tiles').where('level', '=', 'entries').where('idx', '=', 1).execute();
    const failed = await runCli(['log', 'export', join(dir, 'failed')], env);
    await s.store.db.insertInto('ledger_tiles').values(row).execute();
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain('tile/entries/001 missing from the database');
    expect(readdirSync(dir).filter((f) => f.startsWith('failed'))).toEqual([]);
    const full = join(dir, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'mine.txt'), 'keep');
    const r = await runCli(['log', 'export', full], env);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`export directory ${full} is not empty`);
    expect(readdirSync(full)).toEqual(['mine.txt']);
  });

  it('detects a changed entry byte and a changed tile hash, naming where', async () => {
    const bundle = join(exportDir, 'tile/entries/001');
    const orig = readFileSync(bundle);
    const bad = Buffer.from(orig);
    bad[100] ^= 0x01;
    writeFileSync(bundle, bad);
    const r1 = await runCli(['verify', 'log', '--from', exportDir, '--key', vkey]);
    writeFileSync(bundle, orig);
    expect(r1.code).toBe(3);
    expect(r1.stderr).toMatch(/FAILED/);
    expect(r1.stderr).toMatch(/entries\/001|entry 2\d\d|leaf|root/);

    const tile = join(exportDir, 'tile/0/000');
    const t = readFileSync(tile);
    const badTile = Buffer.from(t);
    badTile[5] ^= 0x80;
    writeFileSync(tile, badTile);
    const r2 = await runCli(['verify', 'log', '--from', exportDir, '--key', vkey]);
    writeFileSync(tile, t);
    expect(r2.code).toBe(3);
    expect(r2.stderr).toMatch(/tile\/0\/000/);
  });

  it('rejects a checkpoint signed by another key with the same name, and an edited tree size', async () => {
    const impostor = generateKeyPair('test.counterweight/log');
    const r = await runCli(['verify', 'log', '--from', exportDir, '--key', impostor.verifierKey]);
    expect(r.code).not.toBe(0);
    // The audit's findings in the terminal's language: the ledger's reason inside, in Korean too.
    const ko = await runCli(['verify', 'log', '--from', exportDir, '--key', impostor.verifierKey], { CW_LANG: 'ko' });
    expect(ko.code).toBe(3);
    // The checkpoint is refused before its origin and size are read: they are unknown ('?').
    expect(ko.stderr).toMatch(/^실패: 크기 \?인 로그 \?에서 문제 1건을 찾았습니다\n/);
    expect(ko.stderr).toMatch(/- \[signature\] 체크포인트를 거부했습니다: 신뢰하는 키의 서명이 없습니다/);
    expect(ko.stderr).not.toMatch(/rejected|no signature by/);
    const koOk = await runCli(['verify', 'log', '--from', exportDir, '--key', vkey], { CW_LANG: 'ko' });
    expect(koOk.code, koOk.stderr).toBe(0);
    expect(koOk.stdout).toMatch(/^확인: 크기 \d+인 로그 test\.counterweight\/log을\(를\) 검증했습니다/);
    const cpFile = join(exportDir, 'checkpoint');
    const cp = readFileSync(cpFile, 'utf8');
    writeFileSync(join(dir, 'edited-checkpoint'), cp.replace(`\n${size(700)}\n`, `\n${size(699)}\n`));
    const e = await runCli(['verify', 'checkpoint', join(dir, 'edited-checkpoint'), '--key', vkey]);
    expect(e.code).not.toBe(0);
    expect(e.stderr).toMatch(/signature/i);
  });

  it('verifies a receipt for one entry offline with the command', async () => {
    const receipt = await (await fetch(`${s.url}/api/log/receipt/5`)).text();
    writeFileSync(join(dir, 'receipt'), receipt);
    const r = await runCli(['verify', 'receipt', join(dir, 'receipt'), '--key', vkey]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/entry 5 is in the log/);
    writeFileSync(join(dir, 'bad-receipt'), receipt.replace(/^index 5$/m, 'index 6'));
    expect((await runCli(['verify', 'receipt', join(dir, 'bad-receipt'), '--key', vkey])).code).not.toBe(0);
  });

  it('says why a receipt or checkpoint fails in the terminal’s language (CW_LANG=ko), English otherwise', async () => {
    const bad = ['verify', 'receipt', join(dir, 'bad-receipt'), '--key', vkey];
    const ko = await runCli(bad, { CW_LANG: 'ko' });
    expect(ko.code).toBe(2);
    expect(ko.stderr).toMatch(/^오류: 인덱스 6의 포함 증명이 크기 \d+의 루트로 이어지지 않습니다\n/);
    expect(ko.stderr).not.toMatch(/inclusion proof|does not lead/);
    const en = await runCli(bad, { CW_LANG: 'en' });
    expect(en.stderr).toMatch(/^error: inclusion proof for index 6 does not lead to the root of size \d+\n/);
    const cp = await runCli(['verify', 'checkpoint', join(dir, 'edited-checkpoint'), '--key', vkey], { CW_LANG: 'ko' });
    expect(cp.code).toBe(2);
    expect(cp.stderr).toMatch(/^오류: .+의 서명이 검증되지 않습니다 \(\d+행\)\n/);
    expect(cp.stderr).toMatch(/- \d+행/);
    expect(cp.stderr).not.toMatch(/does not verify/);
  });

  it('a witness cosigns, the log serves the cosignature, and the witness checks consistency on the next round', async () => {
    const signer = join(dir, 'witness.key');
    writeFileSync(signer, `${witnessKey.signerKey}\n`, { mode: 0o600 });
    const apiKey = (await createApiKey(s.ledger, 'system:test-setup', { name: 'witness', roles: ['integration'] })).key;
    const args = [
      'witness',
      'run',
      '--log',
      s.url,
      '--key',
      vkey,
      '--origin',
      'test.counterweight/log',
      '--signer',
      signer,
      '--state',
      join(dir, 'wstate.json'),
      '--api-key',
      apiKey,
    ];
    const first = await runCli(args);
    expect(first.code, first.stderr).toBe(0);
    // Minting the witness's key added its own entry (access.api-key.created).
    expect(first.stdout).toContain(`at size ${size(701)}`);
    const cp = await (await fetch(`${s.url}/log/checkpoint`)).text();
    expect(cp).toMatch(/^\u2014 witness\.example\/w1 /m);
    for (let i = 0; i < 10; i++)
      void s.ledger.append({ type: 'ai.output', actor: 'system:test-vendor', subjects: [], payload: { i } });
    await s.ledger.drain();
    const second = await runCli(args);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`at size ${size(711)}`);
    // The whole log audits with the witness quorum required.
    const audit = await runCli([
      'verify',
      'log',
      '--from',
      s.url,
      '--key',
      vkey,
      '--witness-key',
      witnessKey.verifierKey,
      '--quorum',
      '1',
    ]);
    expect(audit.code, audit.stderr).toBe(0);
    expect(audit.stdout).toMatch(/cosigned by witness.example\/w1/);
  });

  it('refuses a cosignature from an unconfigured witness', async () => {
    const stranger = generateKeyPair('stranger.example/w', SIG_COSIGNATURE_V1);
    const signer = join(dir, 'stranger.key');
    writeFileSync(signer, `${stranger.signerKey}\n`);
    const apiKey = (await createApiKey(s.ledger, 'system:test-setup', { name: 'stranger', roles: ['integration'] }))
      .key;
    const r = await runCli([
      'witness',
      'run',
      '--log',
      s.url,
      '--key',
      vkey,
      '--origin',
      'test.counterweight/log',
      '--signer',
      signer,
      '--state',
      join(dir, 'sstate.json'),
      '--api-key',
      apiKey,
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/HTTP 400/);
  });
});
