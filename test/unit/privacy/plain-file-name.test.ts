import { basename, dirname, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPlainFileName } from '../../../src/privacy/incident-imports';

const DIR = '/tmp/cw-upload-test';

describe('plain upload file names (the name becomes a path in the upload directory)', () => {
  it('any name accepted names a non-hidden file directly inside the directory', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.constantFrom('..', '.', '../a.csv', 'a/../b', '/etc/passwd', 'a\\b', '\0'),
        ),
        (name) => {
          if (!isPlainFileName(name)) return;
          const p = join(DIR, name);
          expect(dirname(p)).toBe(DIR);
          expect(basename(p)).toBe(name);
          expect(name.startsWith('.')).toBe(false);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('accepts ordinary names in any script, refuses traversal and hidden names', () => {
    for (const ok of ['upload.csv', '범죄_2017.csv', 'crimes-2019.v2.csv', 'a'.repeat(120)])
      expect(isPlainFileName(ok)).toBe(true);
    for (const bad of ['', '.', '..', '../x.csv', '.env', 'a/b.csv', 'a\\b.csv', 'x\0.csv', 'a b.csv', 'a'.repeat(121)])
      expect(isPlainFileName(bad), JSON.stringify(bad)).toBe(false);
  });
});
