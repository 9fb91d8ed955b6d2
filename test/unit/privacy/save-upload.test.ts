/**
 * saveUpload writes an upload body to disk as it arrives, up to a limit. Property, over random bodies cut
 * into random chunks and random limits: within the limit the file holds exactly the body; past it the
 * promise rejects with 413 and the file never holds more than the limit. A body that stops before its end
 * rejects as cut short.
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/domain/errors';
import { saveUpload } from '../../../src/privacy/incident-imports';

const dir = mkdtempSync(join(tmpdir(), 'cw-save-upload-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

describe('saveUpload', () => {
  it('keeps exactly the body within the limit, refuses (413) past it without writing beyond it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 4096 }), { maxLength: 24 }),
        fc.integer({ min: 0, max: 60_000 }),
        async (chunks, limit) => {
          const file = join(dir, `u${n++}.csv`);
          const body = Buffer.concat(chunks);
          const r = await saveUpload(Readable.from(chunks.map((c) => Buffer.from(c))), file, limit).then(
            (bytes) => ({ bytes }),
            (e: unknown) => ({ e }),
          );
          if (body.length <= limit) {
            expect(r).toEqual({ bytes: body.length });
            expect(readFileSync(file).equals(body)).toBe(true);
          } else {
            expect('e' in r && r.e instanceof InputError && r.e.status === 413).toBe(true);
            expect((r as { e: InputError }).e.messageCode).toBe('imports.uploadTooLarge');
            expect(statSync(file, { throwIfNoEntry: false })?.size ?? 0).toBeLessThanOrEqual(limit);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a body that closes before its end is refused as cut short', async () => {
    const body = new PassThrough();
    const saved = saveUpload(body, join(dir, 'cut.csv'), 1_000_000).catch((e: unknown) => e);
    body.write('id,type\n1,THEFT\n');
    await new Promise((r) => setTimeout(r, 20));
    body.destroy(); // the client went away: 'close' without 'end'
    const e = (await saved) as InputError;
    expect(e).toBeInstanceOf(InputError);
    expect(e.messageCode).toBe('imports.uploadCutShort');
    expect(e.messageParams).toEqual({ bytes: 16 });
  });

  it('never overwrites a file that is already there', async () => {
    const file = join(dir, 'taken.csv');
    await saveUpload(Readable.from([Buffer.from('a')]), file, 10);
    await expect(saveUpload(Readable.from([Buffer.from('b')]), file, 10)).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readFileSync(file, 'utf8')).toBe('a');
  });
});
