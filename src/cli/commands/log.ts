import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import {
  auditLog,
  type AuditReport,
  openCheckpoint,
  witness,
  type WitnessState,
  generateKeyPair,
  newSigner,
  newVerifier,
  SIG_COSIGNATURE_V1,
  type NoteVerifier,
  verifyConsistency,
  verifyTlogProof,
  bundlesForSize,
  tilePath,
  tilesForSize,
  type TileRef,
} from '../../ledger';
import { latestCheckpoint } from '../../ledger-service/checkpoints';
import { loadLogKeys, retirePreviousKeys, rotateLogKey } from '../../ledger-service/log-keys';
import { cliLang, openMigratedStore, progressBar } from '../common';
import { msg, render, type Lang, type MessageCode, type MessageParams } from '../../domain/messages';
import { disclosurePdf, verifyDisclosure, viewSections } from '../../review/disclosure';
import { InputError, StateError } from '../../domain/errors';

const KEYS_DIR = process.env.CW_KEYS_DIR ?? 'data/keys';
const collect = (v: string, prev: string[] = []) => [...prev, v];

/** Trusted keys come from the person running the check, never from the log being checked. */
function verifiers(o: { key?: string[]; keysFile?: string }): NoteVerifier[] {
  const keys = [
    ...(o.key ?? []),
    ...(o.keysFile
      ? readFileSync(o.keysFile, 'utf8')
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
      : []),
  ];
  if (keys.length === 0)
    throw new Error(
      "give the log's verifier key with --key VKEY or --keys-file FILE (get it from the operator out of band, not from the log itself)",
    );
  return keys.map(newVerifier);
}

/** Read tiles from a URL (the server's /log/ prefix) or from a directory written by `log export`. */
function tileSource(from: string): {
  readTile: (ref: TileRef) => Promise<Uint8Array>;
  checkpoint: () => Promise<string>;
} {
  if (/^https?:\/\//.test(from)) {
    const base = from.replace(/\/+$/, '').replace(/\/log$/, '');
    const get = async (p: string) => {
      const r = await fetch(`${base}/log/${p}`);
      if (!r.ok) throw new StateError(msg('cli.httpFailed', { what: `GET ${base}/log/${p}`, status: r.status }));
      return new Uint8Array(await r.arrayBuffer());
    };
    return {
      readTile: (ref) => get(tilePath(ref)),
      checkpoint: async () => Buffer.from(await get('checkpoint')).toString('utf8'),
    };
  }
  return {
    readTile: async (ref) => readFileSync(join(from, tilePath(ref))),
    checkpoint: async () => readFileSync(join(from, 'checkpoint'), 'utf8'),
  };
}

function printReport(r: AuditReport, lang: Lang = cliLang()): number {
  const say = (code: MessageCode, params: MessageParams = {}) => render(msg(code, params), lang);
  if (r.ok) {
    process.stdout.write(
      say('cli.audit.ok', {
        origin: r.origin!,
        size: r.size!,
        entries: r.entriesChecked,
        tiles: r.tilesChecked,
        root: r.root!,
      }) +
        (r.previous.length ? say('cli.audit.okPrevious', { count: r.previous.length }) : '') +
        (r.cosignatures.length
          ? say('cli.audit.okCosigned', { names: r.cosignatures.map((c) => c.name).join(', ') })
          : '') +
        '\n',
    );
    return 0;
  }
  process.stderr.write(
    `${say('cli.audit.failed', { count: `${r.problems.length}${r.truncated ? '+' : ''}`, origin: r.origin ?? '?', size: r.size ?? '?' })}\n`,
  );
  for (const p of r.problems)
    process.stderr.write(
      `  - [${p.code}] ${render(p.text, lang)}${p.path ? ` (${p.path})` : ''}${p.index !== undefined ? ` ${say('cli.audit.entry', { index: p.index })}` : ''}\n`,
    );
  return 3;
}

export function registerLog(program: Command) {
  const log = program.command('log').description('the transparency log of this installation');

  log
    .command('export')
    .description(
      'write the log as static files (checkpoint, tiles, entry bundles, verifier keys) for offline verification',
    )
    .argument('<dir>')
    .option('--keys-dir <dir>', 'signing keys directory (default: $CW_KEYS_DIR or data/keys)', KEYS_DIR)
    .action(async (dir: string, o) => {
      const verifierKeys = loadLogKeys(o.keysDir).verifierKeys; // first: a wrong --keys-dir writes nothing
      if (existsSync(dir) && readdirSync(dir).length > 0)
        throw new InputError(msg('cli.exportDirNotEmpty', { dir }), [
          { file: dir, expected: 'a new or empty directory' },
        ]);
      // Written beside it and renamed into place at the end: a failed export leaves no partial log behind.
      const staging = `${dir}.partial-${process.pid}`;
      rmSync(staging, { recursive: true, force: true });
      const store = await openMigratedStore();
      try {
        const cp = await latestCheckpoint(store.db);
        if (!cp) throw new StateError(msg('log.empty'));
        const refs = [...tilesForSize(cp.size), ...bundlesForSize(cp.size)];
        const bar = progressBar('export');
        let n = 0;
        const tiles = store.log.wholeLogTiles();
        try {
          for (const ref of refs) {
            const data = await tiles.read(ref);
            if (!data) throw new StateError(msg('cli.tileMissing', { tile: tilePath(ref) }));
            const file = join(staging, tilePath(ref));
            mkdirSync(dirname(file), { recursive: true });
            writeFileSync(file, data);
            bar.update(++n, refs.length);
          }
        } finally {
          await tiles.close();
        }
        bar.stop();
        mkdirSync(staging, { recursive: true });
        writeFileSync(join(staging, 'checkpoint'), cp.note);
        writeFileSync(join(staging, 'verifier-keys.txt'), verifierKeys.join('\n') + '\n');
        if (existsSync(dir)) rmdirSync(dir); // empty, checked above
        renameSync(staging, dir);
        process.stdout.write(`exported log of size ${cp.size} (${refs.length} tiles) to ${dir}\n`);
      } finally {
        rmSync(staging, { recursive: true, force: true });
        await store.close();
      }
    });

  log
    .command('audit')
    .description(
      "audit the log stored in this installation's database in place: the checks of `verify log`, against this installation's verifier keys",
    )
    .option('--keys-dir <dir>', 'signing keys directory (default: $CW_KEYS_DIR or data/keys)', KEYS_DIR)
    .option('--previous <file>', 'an older checkpoint you kept: the log must extend it (repeatable)', collect)
    .action(async (o) => {
      const store = await openMigratedStore();
      const tiles = store.log.wholeLogTiles();
      try {
        const cp = await latestCheckpoint(store.db);
        if (!cp) throw new StateError(msg('log.empty'));
        const bar = progressBar('audit');
        const report = await auditLog(
          cp.note,
          async (ref) => {
            const data = await tiles.read(ref);
            if (!data) throw new StateError(msg('cli.tileMissing', { tile: tilePath(ref) }));
            return data;
          },
          {
            logVerifiers: loadLogKeys(o.keysDir).verifierKeys.map(newVerifier),
            previous: (o.previous ?? []).map((f: string) => readFileSync(f, 'utf8')),
            onProgress: (d, t) => bar.update(d, t),
          },
        );
        bar.stop();
        process.exitCode = printReport(report);
      } finally {
        await tiles.close();
        await store.close();
      }
    });

  log
    .command('rotate-key')
    .description('make a new signing key; the old one keeps co-signing until `log retire-keys`')
    .option('--keys-dir <dir>', 'signing keys directory (default: $CW_KEYS_DIR or data/keys)', KEYS_DIR)
    .action((o) => {
      const k = rotateLogKey(o.keysDir);
      process.stdout.write(`verifier keys now (give both to verifiers):\n${k.verifierKeys.join('\n')}\n`);
    });
  log
    .command('retire-keys')
    .description('stop co-signing with previous keys')
    .option('--keys-dir <dir>', 'signing keys directory (default: $CW_KEYS_DIR or data/keys)', KEYS_DIR)
    .action((o) => {
      retirePreviousKeys(o.keysDir);
      process.stdout.write(`${loadLogKeys(o.keysDir).verifierKeys.join('\n')}\n`);
    });
  log
    .command('verifier-key')
    .description("print this log's verifier key(s)")
    .option('--keys-dir <dir>', 'signing keys directory (default: $CW_KEYS_DIR or data/keys)', KEYS_DIR)
    .action((o) => {
      process.stdout.write(`${loadLogKeys(o.keysDir).verifierKeys.join('\n')}\n`);
    });

  const verify = program
    .command('verify')
    .description('verify the log without trusting its operator: exit 0 when valid, 3 when not');
  const keyOpts = (c: Command) =>
    c
      .option('--key <vkey>', 'trusted log verifier key (repeatable)', collect)
      .option('--keys-file <file>', 'file with trusted verifier keys, one a line')
      .option('--origin <origin>', 'expected log origin');

  keyOpts(verify.command('log'))
    .description(
      'audit a whole log from its tiles: re-hash every entry, rebuild every tile and the root, check the signature',
    )
    .requiredOption('--from <url|dir>', 'server URL or a directory from `log export`')
    .option('--previous <file>', 'an older checkpoint you kept: the log must extend it (repeatable)', collect)
    .option('--witness-key <vkey>', 'trusted witness key (repeatable)', collect)
    .option('--quorum <n>', 'witness cosignatures required', '0')
    .action(async (o) => {
      const src = tileSource(o.from);
      const bar = progressBar('audit');
      const report = await auditLog(await src.checkpoint(), src.readTile, {
        logVerifiers: verifiers(o),
        origin: o.origin,
        previous: (o.previous ?? []).map((f: string) => readFileSync(f, 'utf8')),
        witnesses: (o.witnessKey ?? []).map(newVerifier),
        quorum: Number(o.quorum),
        onProgress: (d, t) => bar.update(d, t),
      });
      bar.stop();
      process.exitCode = printReport(report);
    });

  keyOpts(verify.command('checkpoint'))
    .description("check a signed checkpoint's signature and format")
    .argument('<file>')
    .action((file: string, o) => {
      const { checkpoint } = openCheckpoint(readFileSync(file, 'utf8'), verifiers(o), o.origin);
      process.stdout.write(
        `OK: checkpoint of ${checkpoint.origin}, size ${checkpoint.size}, root ${checkpoint.root.toString('base64')}\n`,
      );
    });

  keyOpts(verify.command('receipt'))
    .description('check a c2sp.org/tlog-proof receipt: signature, then inclusion of the entry under the signed root')
    .argument('<file>')
    .option('--entry <file>', 'the entry bytes, if not carried in the receipt')
    .action((file: string, o) => {
      const v = verifyTlogProof(
        readFileSync(file, 'utf8'),
        { origin: o.origin ?? openCheckpointOrigin(readFileSync(file, 'utf8')), logVerifiers: verifiers(o) },
        o.entry ? { entry: readFileSync(o.entry) } : {},
      );
      process.stdout.write(`OK: entry ${v.index} is in the log ${v.checkpoint.origin} of size ${v.checkpoint.size}\n`);
    });

  keyOpts(verify.command('consistency'))
    .description(
      'check that a newer checkpoint extends an older one, given a consistency proof (one base64 hash a line)',
    )
    .requiredOption('--old <file>', 'older signed checkpoint')
    .requiredOption('--new <file>', 'newer signed checkpoint')
    .requiredOption('--proof <file>', 'consistency proof')
    .action((o) => {
      const v = verifiers(o);
      const a = openCheckpoint(readFileSync(o.old, 'utf8'), v, o.origin).checkpoint;
      const b = openCheckpoint(readFileSync(o.new, 'utf8'), v, o.origin).checkpoint;
      const proof = readFileSync(o.proof, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => Buffer.from(l.trim(), 'base64'));
      verifyConsistency(a.size, b.size, proof, a.root, b.root);
      process.stdout.write(`OK: size ${b.size} extends size ${a.size}\n`);
    });

  keyOpts(verify.command('disclosure'))
    .description(
      'check a disclosure packet: every receipt against the trusted key, every payload against its commitment, that every entry belongs to the alert; then print what was verified (every field re-derived from the log)',
    )
    .argument('<file>')
    .option('--pdf <file>', 'write a readable PDF of the verified packet (only when it verifies)')
    .action(async (file: string, o) => {
      const lang = cliLang();
      const keys = [
        ...(o.key ?? []),
        ...(o.keysFile
          ? readFileSync(o.keysFile, 'utf8')
              .split('\n')
              .map((l: string) => l.trim())
              .filter(Boolean)
          : []),
      ];
      verifiers(o);
      let packet: unknown;
      try {
        packet = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        process.stderr.write(
          `FAIL ${render(msg('disclosure.notJson', { file, reason: (e as Error).message }), lang)}\n`,
        );
        process.exitCode = 3;
        return;
      }
      const r = verifyDisclosure(packet, keys, o.origin);
      for (const c of r.checks)
        (c.ok ? process.stdout : process.stderr).write(
          `${c.ok ? 'OK  ' : 'FAIL'} ${c.path}: ${render(c.message, lang)}\n`,
        );
      if (!r.view) {
        process.stderr.write(
          `${render(msg('disclosure.failed', { count: r.checks.filter((c) => !c.ok).length }), lang)}\n`,
        );
        process.exitCode = 3;
        return;
      }
      // Only the verifier's output is shown: nothing of the packet reaches the reader unchecked.
      process.stdout.write(
        `\n${render(msg('disclosure.verified'), lang)}\n${render(msg('disclosure.completeness', { alertId: r.view.alertId }), lang)}\n`,
      );
      for (const s of viewSections(r.view, lang)) {
        process.stdout.write(`\n${s.heading}\n`);
        for (const [k, v] of s.rows) process.stdout.write(v ? `  ${k}: ${v}\n` : `  ${k}\n`);
      }
      if (o.pdf) {
        writeFileSync(o.pdf, await disclosurePdf(r.view));
        process.stdout.write(`\n${render(msg('disclosure.pdfWritten', { file: o.pdf }), lang)}\n`);
      }
      process.exitCode = 0;
    });

  const w = program
    .command('witness')
    .description('an independent witness: checks the log never rewrites history, and cosigns');
  w.command('keygen')
    .description('make a witness key pair (cosignature/v1); prints the verifier key to give the log operator')
    .argument('<name>', 'witness name, e.g. witness.example.org/w1')
    .requiredOption('--out <file>', 'where to write the signer key (0600)')
    .action((name: string, o) => {
      const k = generateKeyPair(name, SIG_COSIGNATURE_V1);
      writeFileSync(o.out, `${k.signerKey}\n`, { mode: 0o600 });
      process.stdout.write(`${k.verifierKey}\n`);
    });
  w.command('run', { isDefault: true })
    .description(
      "fetch the log's checkpoint, check consistency with the last one seen, cosign and (with --api-key) submit",
    )
    .requiredOption('--log <url>', 'the Counterweight server')
    .requiredOption('--key <vkey>', "the log's verifier key (repeatable)", collect)
    .requiredOption('--origin <origin>', 'the log origin to follow')
    .requiredOption('--signer <file>', 'witness signer key file (from witness keygen)')
    .requiredOption('--state <file>', 'where the witness remembers the last checkpoint it cosigned')
    .option('--api-key <key>', 'API key to submit the cosignature to the log')
    .action(async (o) => {
      const base = String(o.log).replace(/\/+$/, '');
      const note = await (await fetch(`${base}/log/checkpoint`)).text();
      const size = Number(note.split('\n')[1]);
      const last: WitnessState | null = existsSync(o.state)
        ? (() => {
            const s = JSON.parse(readFileSync(o.state, 'utf8'));
            return { ...s, root: Buffer.from(s.root, 'base64') };
          })()
        : null;
      let proof: Buffer[] = [];
      if (last && last.size > 0 && last.size < size) {
        const r = await fetch(`${base}/api/log/proof/consistency?old=${last.size}&new=${size}`);
        if (!r.ok) throw new StateError(msg('cli.httpFailed', { what: 'consistency proof', status: r.status }));
        proof = ((await r.json()) as { proof: string[] }).proof.map((h) => Buffer.from(h, 'base64'));
      }
      const res = witness({
        origin: o.origin,
        logVerifiers: o.key.map(newVerifier),
        last,
        note,
        proof,
        cosigner: newSigner(readFileSync(o.signer, 'utf8').trim()),
      });
      if (!res.ok) {
        process.stderr.write(
          `${render(msg('cli.witness.refused', { code: res.code, text: [res.text] }), cliLang())}\n`,
        );
        process.exitCode = 3;
        return;
      }
      writeFileSync(o.state, JSON.stringify({ ...res.state, root: res.state.root.toString('base64') }, null, 2));
      process.stdout.write(`cosigned ${o.origin} at size ${res.checkpoint.size}\n`);
      if (o.apiKey) {
        const r = await fetch(`${base}/api/log/cosignatures`, {
          method: 'POST',
          headers: { authorization: `Bearer ${o.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ note: res.note }),
        });
        if (!r.ok)
          throw new StateError(
            msg('cli.httpFailed', {
              what: `submitting the cosignature (${(await r.text()).slice(0, 200)})`,
              status: r.status,
            }),
          );
        process.stdout.write('cosignature submitted\n');
      } else process.stdout.write(res.note);
    });
}

function openCheckpointOrigin(receipt: string): string {
  // The receipt's checkpoint begins after the tlog-proof header lines; its first line is the origin.
  const i = receipt.indexOf('\n\n');
  return receipt.slice(i + 2).split('\n')[0];
}
