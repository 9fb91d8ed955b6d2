import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CopyTileParser, type StreamedTile } from '../../../src/store/log/postgres-tiles';

// PostgreSQL's binary COPY layout (https://www.postgresql.org/docs/current/sql-copy.html, "Binary
// Format"), written here by hand: signature, flags, header extension, then per row a 16-bit field
// count and per field a 32-bit length and the bytes; a field count of -1 ends the data.
function copyBinary(rows: StreamedTile[], extension = Buffer.alloc(0)): Buffer {
  const parts: Buffer[] = [
    Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'),
    Buffer.alloc(4),
    u32(extension.length),
    extension,
  ];
  for (const r of rows) {
    const level = Buffer.from(r.level, 'utf8');
    const idx = Buffer.alloc(8);
    idx.writeBigInt64BE(BigInt(r.idx));
    const width = Buffer.alloc(4);
    width.writeInt32BE(r.width);
    parts.push(i16(4), u32(level.length), level, u32(8), idx, u32(4), width, u32(r.data.length), r.data);
  }
  parts.push(i16(-1));
  return Buffer.concat(parts);
}
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const i16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};

function parseInChunks(bytes: Buffer, cuts: number[]): { rows: StreamedTile[]; ended: boolean } {
  const p = new CopyTileParser();
  const rows: StreamedTile[] = [];
  let from = 0;
  for (const c of [...cuts.map((x) => x % (bytes.length + 1)).sort((a, b) => a - b), bytes.length]) {
    rows.push(...p.push(bytes.subarray(from, Math.max(from, c))));
    from = Math.max(from, c);
  }
  return { rows, ended: p.ended };
}

const tile = fc.record({
  level: fc.constantFrom('entries', '0', '1', '12'),
  idx: fc.nat({ max: 2 ** 40 }),
  width: fc.integer({ min: 1, max: 256 }),
  data: fc.uint8Array({ maxLength: 3000 }).map((a) => Buffer.from(a)),
});

describe('CopyTileParser', () => {
  it('reads back every row, whatever the chunk boundaries', () => {
    fc.assert(
      fc.property(
        fc.array(tile, { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.uint8Array({ maxLength: 8 }),
        (rows, cuts, ext) => {
          const got = parseInChunks(copyBinary(rows, Buffer.from(ext)), cuts);
          expect(got.ended).toBe(true);
          expect(got.rows.map((r) => ({ ...r, data: Buffer.from(r.data) }))).toEqual(rows);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('waits for the rest of a row split across chunks, and says when the trailer has not come', () => {
    const bytes = copyBinary([{ level: 'entries', idx: 7, width: 2, data: Buffer.from('abcdef') }]);
    const p = new CopyTileParser();
    expect(p.push(bytes.subarray(0, bytes.length - 5))).toEqual([]);
    expect(p.ended).toBe(false);
    expect(p.push(bytes.subarray(bytes.length - 5))).toMatchObject([{ level: 'entries', idx: 7, width: 2 }]);
    expect(p.ended).toBe(true);
  });

  it('refuses what is not the expected layout, saying what is wrong', () => {
    expect(() => new CopyTileParser().push(Buffer.from('level,idx,width,data\nentries,0,1,x\n'))).toThrow(
      /bad signature/,
    );
    const good = copyBinary([{ level: '0', idx: 1, width: 1, data: Buffer.alloc(32) }]);
    const fields = Buffer.from(good);
    fields.writeInt16BE(3, 19); // a row of 3 fields
    expect(() => new CopyTileParser().push(fields)).toThrow(/3 fields, expected 4/);
    const nul = Buffer.from(good);
    nul.writeInt32BE(-1, 21); // level is NULL
    expect(() => new CopyTileParser().push(nul)).toThrow(/field 1 of a tile row is NULL/);
    const narrowIdx = Buffer.concat([
      good.subarray(0, 21),
      u32(1),
      Buffer.from('0'),
      u32(4),
      Buffer.alloc(4),
      u32(4),
      Buffer.alloc(4),
      u32(0),
      i16(-1),
    ]);
    expect(() => new CopyTileParser().push(narrowIdx)).toThrow(/idx must be int8/);
  });
});
