/**
 * Attack and availability: an incident upload (POST /api/imports) is written to disk as it arrives, never
 * gathered in the serving thread's memory. Gathering it cost the serving thread 20-35 ms of copying per
 * 25,000-row file (every alert waited behind it; bench/import-under-load.ts) and memory grew with the
 * upload, up to the limit, per concurrent request. Here, over loopback HTTP against the real server:
 * - half a file sent, the other half held back: the first half is already on disk (fails when buffered);
 * - a declared length over the limit is refused (413) before a byte is read;
 * - a body without a length that passes the limit is refused (413) as it passes, nothing imported;
 * - a client that goes away mid-upload leaves no dataset and no temporary file.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerBundledSources } from '../../src/privacy/sources';
import { activeSystem } from '../support/active-system';
import { startDemoServer, type DemoServer } from '../support/server';

const CSV = readFileSync('demo/chicago/chicago_crimes_sample_2017_2019.csv');
const LIMIT = Math.floor(CSV.length * 1.5); // the whole demo file fits; twice it does not

let s: DemoServer;
let as: Awaited<ReturnType<typeof activeSystem>>['as'];
let uploadsDir: string;
const oldTmp = process.env.TMPDIR;

beforeAll(async () => {
  s = await startDemoServer({ demo: false, config: { maxUploadBytes: LIMIT } });
  await registerBundledSources(s.store, s.ledger);
  as = (await activeSystem(s, 'Uploads')).as;
  // Temporary upload directories are made under os.tmpdir(), which follows TMPDIR: watch a private one.
  uploadsDir = mkdtempSync(join(tmpdir(), 'cw-upload-watch-'));
  process.env.TMPDIR = uploadsDir;
});
afterAll(async () => {
  // Unset again if it was (assigning undefined would set the text "undefined" for the rest of the worker).
  if (oldTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = oldTmp;
  await s?.close();
  rmSync(uploadsDir, { recursive: true, force: true });
});

/** Bytes of every file in every upload directory now under the watched TMPDIR. */
function uploadedBytes(): number {
  let n = 0;
  for (const d of readdirSync(uploadsDir).filter((x) => x.startsWith('cw-upload-')))
    for (const f of readdirSync(join(uploadsDir, d))) n += statSync(join(uploadsDir, d, f)).size;
  return n;
}
const uploadDirs = () => readdirSync(uploadsDir).filter((x) => x.startsWith('cw-upload-'));

async function until(cond: () => boolean, ms = 10_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 20)))
    if (cond()) return true;
  return cond();
}

/** An upload whose body the test writes by hand; `length` sets Content-Length (else chunked). */
function openUpload(fileName: string, length?: number) {
  const u = new URL(`${s.url}/api/imports?profile=chicago&fileName=${fileName}`);
  const req = request(u, {
    method: 'POST',
    headers: {
      cookie: as.analyst.cookie,
      'x-csrf-token': as.analyst.csrf,
      'content-type': 'text/csv',
      'accept-language': 'ko',
      ...(length !== undefined ? { 'content-length': String(length) } : {}),
    },
  });
  const response = new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString()) }));
    });
    req.on('error', reject);
  });
  response.catch(() => undefined); // a test that cuts the upload short never reads the answer
  return { req, response };
}

async function datasets(): Promise<number> {
  return (
    await s.store.db
      .selectFrom('datasets')
      .select((e) => e.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
  ).n;
}

describe('incident uploads are streamed to disk, with a limit', () => {
  it('the first half of a file is on disk while the client still holds the second, and the whole file imports', async () => {
    const { req, response } = openUpload('halves.csv');
    const half = Math.floor(CSV.length / 2);
    req.write(CSV.subarray(0, half));
    // Gathered in memory, nothing would reach the disk before the last byte.
    expect(await until(() => uploadedBytes() >= half)).toBe(true);
    req.end(CSV.subarray(half));
    const r = await response;
    expect(r.status).toBe(201);
    expect(r.body.rowsRead).toBe(CSV.toString().trim().split('\n').length - 1);
    expect(r.body.imported).toBeGreaterThan(0);
    expect(await until(() => uploadDirs().length === 0)).toBe(true); // removed after the import
  });

  it('a declared length over the limit is refused at once, in Korean, and nothing is read or written', async () => {
    const before = await datasets();
    const { req, response } = openUpload('declared.csv', LIMIT + 1);
    req.write(CSV.subarray(0, 1024)); // the server answers without waiting for the rest
    const r = await response;
    req.destroy();
    expect(r.status).toBe(413);
    expect(r.body.code).toBe('imports.uploadTooLarge');
    expect(String(r.body.detail)).toContain('바이트');
    expect(String(r.body.detail)).toContain(String(LIMIT));
    expect(uploadDirs()).toEqual([]);
    expect(await datasets()).toBe(before);
  });

  it('a body without a declared length is refused as it passes the limit, nothing imported, no file left', async () => {
    const before = await datasets();
    const { req, response } = openUpload('endless.csv');
    req.on('error', () => undefined); // the server closes the connection once it has answered
    let sent = 0;
    const feed = () => {
      // Keep sending (well past the limit) until the answer arrives.
      while (sent < LIMIT * 4 && req.write(CSV)) sent += CSV.length;
      if (sent < LIMIT * 4) req.once('drain', () => ((sent += CSV.length), feed()));
    };
    feed();
    const r = await response;
    req.destroy();
    expect(r.status).toBe(413);
    expect(r.body.code).toBe('imports.uploadTooLarge');
    expect((r.body.errors as { field: string }[])[0].field).toBe('body');
    expect(sent).toBeLessThan(LIMIT * 4); // answered while the client was still sending
    expect(await until(() => uploadDirs().length === 0)).toBe(true);
    expect(await datasets()).toBe(before);
    // The server still takes a whole file afterwards.
    const ok = openUpload('after.csv', CSV.length);
    ok.req.end(CSV);
    expect((await ok.response).status).toBe(201);
  });

  it('a client that goes away mid-upload leaves no dataset and no temporary file', async () => {
    const before = await datasets();
    const { req } = openUpload('gone.csv', CSV.length);
    req.on('error', () => undefined);
    req.write(CSV.subarray(0, Math.floor(CSV.length / 3)));
    expect(await until(() => uploadedBytes() > 0)).toBe(true);
    req.destroy();
    expect(await until(() => uploadDirs().length === 0)).toBe(true);
    expect(await datasets()).toBe(before);
  });
});
