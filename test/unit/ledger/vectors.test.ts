import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyConsistency, verifyInclusion } from '../../../src/ledger/merkle';

const root = join(__dirname, '../../fixtures/tlog-vectors');

function jsonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...jsonFiles(p));
    else if (name.endsWith('.json')) out.push(p);
  }
  return out;
}

const b64 = (s: string | null | undefined): Buffer => Buffer.from(s ?? '', 'base64');

interface InclusionCase {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}
interface ConsistencyCase {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

const inclusion = jsonFiles(join(root, 'inclusion'));
const consistency = jsonFiles(join(root, 'consistency'));

describe('transparency-dev/merkle vectors', () => {
  it('has all 196 cases', () => {
    expect(inclusion.length + consistency.length).toBe(196);
  });

  describe.each(inclusion.map((f) => [f.slice(root.length + 1), f]))('inclusion %s', (_name, file) => {
    const c = JSON.parse(readFileSync(file, 'utf8')) as InclusionCase;
    it(`${c.wantErr ? 'rejects' : 'accepts'}: ${c.desc}`, () => {
      const run = () => verifyInclusion(c.leafIdx, c.treeSize, b64(c.leafHash), (c.proof ?? []).map(b64), b64(c.root));
      if (c.wantErr) expect(run).toThrow();
      else expect(run).not.toThrow();
    });
  });

  describe.each(consistency.map((f) => [f.slice(root.length + 1), f]))('consistency %s', (_name, file) => {
    const c = JSON.parse(readFileSync(file, 'utf8')) as ConsistencyCase;
    it(`${c.wantErr ? 'rejects' : 'accepts'}: ${c.desc}`, () => {
      const run = () => verifyConsistency(c.size1, c.size2, (c.proof ?? []).map(b64), b64(c.root1), b64(c.root2));
      if (c.wantErr) expect(run).toThrow();
      else expect(run).not.toThrow();
    });
  });
});
