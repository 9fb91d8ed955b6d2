/**
 * Issue 17 item 5: every message the server sends the browser carries a stable code and parameters.
 * In the folders below no error a person reads may be built from a plain English string or template:
 * it must be `new XError(msg('<area>.<name>', { ... }), where)` so the server and web app can translate it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');
/** Folders held to coded errors: every folder of src/ (the last test checks none is left out). */
export const CODED_ERROR_FOLDERS = [
  'src/review',
  'src/privacy',
  'src/patrol',
  'src/accounts',
  'src/ledger-service',
  'src/server',
  'src/ops',
  'src/monitor',
  'src/fairness',
  'src/ingest',
  'src/geo',
  'src/registry',
  'src/forecast-service',
  'src/forecast',
  'src/cli',
  'src/store',
  'src/demo',
  'src/domain',
  'src/maps',
  'src/ledger',
];

/**
 * Functions that build a user error from their first argument (src/ledger's `lineError(msg(...), line)`),
 * held to the same rule as a constructor.
 */
const ERROR_BUILDERS = ['lineError'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return /\.tsx?$/.test(name) ? [p] : [];
  });
}

/** UserError and every class that extends it (directly or not), found in src/. */
function userErrorClasses(): string[] {
  const sources = tsFiles(join(ROOT, 'src')).map((f) => readFileSync(f, 'utf8'));
  const found = new Set(['UserError']);
  for (let grew = true; grew;) {
    grew = false;
    for (const text of sources) {
      for (const m of text.matchAll(/class\s+(\w+)\s+extends\s+(\w+)/g)) {
        if (found.has(m[2]) && !found.has(m[1])) {
          found.add(m[1]);
          grew = true;
        }
      }
    }
  }
  return [...found];
}

/**
 * `new X(` (or a builder such as `lineError(`) whose first argument (on the same or a following line) is
 * a string or template literal, or a ternary of them.
 */
export function plainStringErrors(source: string, classes: string[]): { line: number; text: string }[] {
  const callee = `(?:new\\s+(?:${classes.join('|')})|\\b(?:${ERROR_BUILDERS.join('|')}))`;
  const re = new RegExp(`${callee}\\s*\\(\\s*(?:[\\w.!]+\\s*\\?\\s*)?['"\`]`, 'g');
  return [...source.matchAll(re)].map((m) => {
    const line = source.slice(0, m.index).split('\n').length;
    return { line, text: m[0].replace(/\s+/g, ' ') };
  });
}

describe('coded errors (issue 17 item 5)', () => {
  const classes = userErrorClasses();

  it('knows the error classes a person reads', () => {
    expect(classes).toEqual(
      expect.arrayContaining(['InputError', 'StateError', 'AccessError', 'NotFoundError', 'LedgerError']),
    );
  });

  it('catches a plain string, a template, a next-line argument and a ternary of strings', () => {
    const bad = [
      "throw new InputError('no such user', [{ field: 'userId' }]);",
      'throw new NotFoundError(`no alert ${id}`);',
      'throw new StateError(\n      `alert ${id} is late`,\n    );',
      'throw new StateError(\n  v\n    ? `system ${id} is paused`\n    : "no system",\n);',
      'return new AccessError("alerts need the key", 403);',
      "throw new LedgerError('index-range', `index ${index} is not in the tree`);",
      'throw new LedgerError(`index ${index} is not in the tree`, [], 400);',
      "throw lineError('not a c2sp.org/tlog-proof@v1 proof', 1);",
      'throw lineError(\n      `signature by ${name} does not verify`,\n      lineNo,\n    );',
    ];
    for (const snippet of bad) expect(plainStringErrors(snippet, classes), snippet).toHaveLength(1);
    const good = [
      "throw new InputError(msg('review.noUser'), [{ field: 'userId' }]);",
      "throw new StateError(\n  msg('review.late', { id }),\n);",
      'throw new AccessError(m, 403);',
      "throw new LedgerError(msg('ledger.index-range', { index, size }), [], 400);",
      "throw lineError(msg('ledger.proof-header'), 1, TLOG_PROOF_HEADER, lines[0]);",
      'export function lineError(message: LedgerMessage, line: number): LedgerError {',
    ];
    for (const snippet of good) expect(plainStringErrors(snippet, classes), snippet).toEqual([]);
  });

  it(`no plain-string user errors in ${CODED_ERROR_FOLDERS.join(', ')}`, () => {
    const offences = CODED_ERROR_FOLDERS.flatMap((folder) =>
      tsFiles(join(ROOT, folder)).flatMap((file) =>
        plainStringErrors(readFileSync(file, 'utf8'), classes).map(
          (o) => `${relative(ROOT, file)}:${o.line}: ${o.text}`,
        ),
      ),
    );
    expect(offences).toEqual([]);
  });

  it('holds every folder of src/ to it, so a new folder cannot start with English errors', () => {
    const folders = readdirSync(join(ROOT, 'src'))
      .filter((name) => statSync(join(ROOT, 'src', name)).isDirectory())
      .map((name) => `src/${name}`);
    expect([...CODED_ERROR_FOLDERS].sort()).toEqual(folders.sort());
  });
});
