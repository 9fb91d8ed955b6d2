/**
 * The formatter stays applied (issue 21 item 6): every TypeScript and JavaScript module we write is as
 * Prettier (.prettierrc.json, line width 120) would print it. Fix with
 *   npx prettier --write "src/**\/*.{ts,tsx,mjs}" "test/**\/*.{ts,tsx,mjs}" "bench/**\/*.{ts,mjs}" "scripts/**\/*.mjs" "web/src/**\/*.{ts,tsx}"
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';

const ROOTS: [string, RegExp][] = [
  ['src', /\.(ts|tsx|mjs)$/],
  ['test', /\.(ts|tsx|mjs)$/],
  ['bench', /\.(ts|mjs)$/],
  ['scripts', /\.mjs$/],
  [join('web', 'src'), /\.(ts|tsx)$/],
];

function filesUnder(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (p === join('test', 'fixtures')) return [];
    return statSync(p).isDirectory() ? filesUnder(p, pattern) : pattern.test(name) ? [p] : [];
  });
}

describe('formatting', () => {
  it('the check notices an unformatted file (the check itself)', async () => {
    const options = (await prettier.resolveConfig(join('src', 'domain', 'errors.ts'))) ?? {};
    expect(await prettier.check('const  x = {a:1}\n', { ...options, filepath: 'x.ts' })).toBe(false);
    expect(await prettier.check('const x = { a: 1 };\n', { ...options, filepath: 'x.ts' })).toBe(true);
  });

  it('every module we write is formatted as .prettierrc.json says', async () => {
    const files = ROOTS.flatMap(([dir, pattern]) => filesUnder(dir, pattern));
    expect(files.length).toBeGreaterThan(300);
    const unformatted: string[] = [];
    for (const file of files) {
      const options = (await prettier.resolveConfig(file)) ?? {};
      if (!(await prettier.check(readFileSync(file, 'utf8'), { ...options, filepath: file }))) unformatted.push(file);
    }
    expect(unformatted).toEqual([]);
  }, 120_000);
});
