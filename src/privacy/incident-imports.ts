/**
 * Importing an incident file is a use of its source for crime analysis. The same three steps, in this
 * order, for the command line and the web upload: the source must allow the purpose (refused before a
 * row is read), the rows are written (all-or-nothing unless invalid rows are skipped), and the import is
 * recorded in the log with the file's hash and counts.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { InputError, preview, UserError } from '../domain/errors';
import { msg } from '../domain/messages';
import type { Profile } from '../ingest/profiles';
import type { Taxonomy } from '../ingest/taxonomy';
import { recordImport } from '../ledger-service/events';
import type { Ledger } from '../ledger-service/ledger';
import type { Store } from '../store/db';
import { importIncidentFile, type ImportOptions, type ImportResult } from '../store/incidents';
import { requirePurpose } from './sources';

/**
 * A name that, joined to a directory, names a file directly inside it: letters (any script), digits, _ . -,
 * 1–120 characters, not starting with a dot (so never '.', '..' or a hidden file), no separators or NUL.
 */
export function isPlainFileName(name: string): boolean {
  return /^(?!\.)[\p{L}\p{N}_.-]{1,120}$/u.test(name) && basename(name) === name;
}

export type RecordedImport = ImportResult & { logIndex: number };

/** Check the purpose, import `file`, log the import. `why` is the purpose check's stated reason. */
export async function importForAnalysis(
  store: Store,
  ledger: Ledger,
  actor: string,
  file: string,
  profile: Profile,
  taxonomy: Taxonomy,
  opts: ImportOptions & { why: string },
): Promise<RecordedImport> {
  const { why, ...importOpts } = opts;
  await requirePurpose(store, ledger, actor, opts.source ?? profile.source, 'crime-analysis', why);
  const r = await importIncidentFile(store, file, profile, taxonomy, importOpts);
  const entry = await recordImport(ledger, actor, {
    datasetId: r.datasetId,
    source: r.source,
    profile: profile.name,
    sha256: r.sha256,
    rowsRead: r.rowsRead,
    imported: r.imported,
    duplicates: r.duplicates,
    rejected: r.errorCount,
  });
  return { ...r, logIndex: entry.index };
}

/**
 * An uploaded file (the body of a web upload) imported as `fileName`: written to a private temporary
 * directory, imported through importForAnalysis inside `track` (the caller's progress job), removed
 * afterwards whatever happens. Errors and results name `fileName`, never the temporary path.
 * `fileName` must already be a plain name (the route's schema refuses separators and leading dots).
 * `body` is the request's own stream, written to disk as it arrives: the serving thread never holds or
 * copies the whole file (a 25,000-row upload gathered into one Buffer cost the serving thread ~20-35 ms of
 * copying, and memory grew with the upload). More than `maxBytes` is refused (413) and the rest is not read.
 */
export async function importUploadedFile(
  store: Store,
  ledger: Ledger,
  actor: string,
  body: Buffer | Readable,
  fileName: string,
  profile: Profile,
  taxonomy: Taxonomy,
  opts: ImportOptions & { maxBytes?: number },
  track: (
    work: (progress: Pick<ImportOptions, 'onProgress' | 'onPublish'>) => Promise<RecordedImport>,
  ) => Promise<RecordedImport> = (w) => w({}),
): Promise<RecordedImport> {
  // Defence in depth (the route's schema already refuses these): the name becomes a path inside our temp directory.
  if (!isPlainFileName(fileName))
    throw new InputError(msg('imports.badFileName', { name: preview(fileName) }), [
      {
        field: 'fileName',
        expected: 'a plain file name: letters, digits, _ . - (not starting with a dot), at most 120',
        got: preview(fileName),
      },
    ]);
  const { maxBytes = Infinity, ...importOpts } = opts;
  const dir = await mkdtemp(join(tmpdir(), 'cw-upload-'));
  const file = join(dir, fileName);
  const named = (s: string) => s.split(file).join(fileName);
  try {
    if (!Buffer.isBuffer(body)) await saveUpload(body, file, maxBytes);
    else if (body.length > maxBytes) throw uploadTooLarge(maxBytes);
    else await writeFile(file, body, { flag: 'wx', mode: 0o600 });
    const r = await track((progress) =>
      importForAnalysis(store, ledger, actor, file, profile, taxonomy, {
        ...importOpts,
        ...progress,
        why: `import ${fileName}`,
      }),
    );
    return { ...r, file: fileName, errors: r.errors.map((e) => ({ ...e, file: fileName })) };
  } catch (e) {
    if (e && typeof e === 'object' && 'where' in e)
      for (const w of (e as { where: { file?: string }[] }).where) if (w.file) w.file = fileName;
    if (e instanceof Error) e.message = named(e.message);
    if (e instanceof UserError && e.messageParams)
      for (const [k, v] of Object.entries(e.messageParams)) if (typeof v === 'string') e.messageParams[k] = named(v);
    throw e;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function uploadTooLarge(maxBytes: number): InputError {
  return new InputError(
    msg('imports.uploadTooLarge', { limit: maxBytes }),
    [{ field: 'body', expected: `at most ${maxBytes} bytes`, got: `more than ${maxBytes} bytes` }],
    413,
  );
}

/**
 * Writes a request body to `file` as it arrives (backpressure: the body pauses while the disk catches up),
 * so memory stays at a chunk or two whatever the upload's size. Past `maxBytes` it stops reading and
 * rejects with 413; the caller answers and closes the connection, so the rest is never read. A body that
 * ends before its end (the client went away) rejects too. O(bytes) time, O(chunk) memory.
 */
export function saveUpload(body: Readable, file: string, maxBytes: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
    let bytes = 0;
    let settled = false;
    const detach = () => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', fail);
      body.off('close', onClose);
      out.off('error', fail);
    };
    function fail(e: Error) {
      if (settled) return;
      settled = true;
      detach();
      // Errors after this one (the socket reset, a write in flight) have nobody left to tell: absorb them.
      body.on('error', () => undefined);
      out.on('error', () => undefined);
      body.pause();
      out.destroy();
      reject(e);
    }
    function onData(chunk: Buffer) {
      bytes += chunk.length;
      if (bytes > maxBytes) return fail(uploadTooLarge(maxBytes));
      if (!out.write(chunk)) {
        body.pause();
        out.once('drain', () => !settled && body.resume());
      }
    }
    function onEnd() {
      body.off('close', onClose);
      out.end((err?: Error | null) => {
        if (err) return fail(err); // the last write or the close failed (disk full): not saved
        if (settled) return;
        settled = true;
        detach();
        resolve(bytes);
      });
    }
    function onClose() {
      fail(new InputError(msg('imports.uploadCutShort', { bytes }), [{ field: 'body', expected: 'the whole file' }]));
    }
    body.on('data', onData);
    body.on('end', onEnd);
    body.on('error', fail);
    body.on('close', onClose);
    out.on('error', fail);
  });
}
