/**
 * The 1M-row property without 1M rows: what the reader holds does not grow with the file. Structural, not
 * timed: every batch is at most batchSize rows; while a batch is being written nothing more is parsed (the
 * file stream is paused, so rows in memory are at most one batch plus the one being handled); the error
 * list stops at maxErrors while errorCount still counts every bad row. bench/ingest.ts measures the RSS.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveProfile, type Profile } from '../../../src/ingest/profiles';
import { readIncidents } from '../../../src/ingest/read-incidents';
import { loadTaxonomy } from '../../../src/ingest/taxonomy';

const tmp = mkdtempSync(join(tmpdir(), 'cw-read-bounded-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const taxonomy = loadTaxonomy('config/taxonomy.json');
const HEADER = 'id,date,primary_type,description,latitude,longitude,community_area,arrest';

function file(name: string, rows: number, row: (i: number) => string): string {
  const f = join(tmp, name);
  const lines = [HEADER];
  for (let i = 0; i < rows; i++) lines.push(row(i));
  writeFileSync(f, lines.join('\n') + '\n');
  return f;
}

/** The chicago profile, counting the records it maps (one per parsed data row). */
function counting(): { profile: Profile; mapped: () => number } {
  const base = resolveProfile('chicago');
  let n = 0;
  return { profile: { ...base, map: (rec, f) => (n++, base.map(rec, f)) }, mapped: () => n };
}

describe('reading a large file holds one batch, whatever the file size', () => {
  it('batches are bounded and parsing stops while a batch is written', async () => {
    const rows = 30_000;
    const batchSize = 1_000;
    const f = file(
      'big.csv',
      rows,
      (i) =>
        `${100_000 + i},${1 + (i % 12)}/${1 + (i % 28)}/2018 ${i % 24}:${String(i % 60).padStart(2, '0')},THEFT,x,${(41.7 + (i % 300) / 1000).toFixed(4)},-87.6,${1 + (i % 77)},false`,
    );
    const { profile, mapped } = counting();
    let delivered = 0;
    let maxAhead = 0;
    let parsedDuringWrite = 0;
    const sizes: number[] = [];
    const s = await readIncidents(
      f,
      profile,
      taxonomy,
      async (batch) => {
        sizes.push(batch.length);
        delivered += batch.length;
        maxAhead = Math.max(maxAhead, mapped() - delivered);
        const before = mapped();
        await sleep(2); // a slow writer: the stream must stay paused meanwhile
        await new Promise((r) => setImmediate(r));
        parsedDuringWrite += mapped() - before;
      },
      { batchSize },
    );
    expect(s.rowsValid).toBe(rows);
    expect(delivered).toBe(rows);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(batchSize);
    expect(sizes.length).toBe(rows / batchSize);
    expect(parsedDuringWrite).toBe(0);
    expect(maxAhead).toBeLessThanOrEqual(1);
  });

  it('keeps at most maxErrors bad rows in detail, counting all of them', async () => {
    const f = file('bad.csv', 5_000, (i) => `${200_000 + i},not a date,THEFT,x,41.8,-87.6,1,false`);
    const s = await readIncidents(f, resolveProfile('chicago'), taxonomy, () => {}, { maxErrors: 10 });
    expect(s.errorCount).toBe(5_000);
    expect(s.errors).toHaveLength(10);
    expect(s.errors[9]).toMatchObject({ row: 11, field: 'date' });
  });
});
