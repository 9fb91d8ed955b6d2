import { describe, expect, it } from 'vitest';
import { payloadsCopyData, subjectsCopyData } from '../../../src/store/log/postgres-copy-in';
import type { PackedBatch } from '../../../src/store/log/sqlite-commit';

/** PostgreSQL's binary COPY format read back: each row's fields as raw bytes (null for NULL). */
function decode(data: Buffer): (Buffer | null)[][] {
  expect(data.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
  let at = 19 + data.readUInt32BE(15);
  const rows: (Buffer | null)[][] = [];
  for (;;) {
    const fields = data.readInt16BE(at);
    at += 2;
    if (fields === -1) break;
    const row: (Buffer | null)[] = [];
    for (let f = 0; f < fields; f++) {
      const len = data.readInt32BE(at);
      at += 4;
      row.push(len < 0 ? null : data.subarray(at, at + len));
      if (len > 0) at += len;
    }
    rows.push(row);
  }
  expect(at).toBe(data.length);
  return rows;
}

const long = `alert:${'x'.repeat(70)}`;
const subjects = ['alert:a1', 'unit:구역-1', `alert:${'é'.repeat(40)}`, long, 'alert:\u007f'];
const payloads = ['{"a":1}', '{"한국어":"값","e":"é"}', null];

function batch(): PackedBatch {
  const area: number[] = [];
  const payloadAt: number[] = [];
  const payloadLen: number[] = [];
  payloads.forEach((p, i) => {
    if (p === null) {
      payloadAt.push(-1);
      payloadLen.push(0);
      return;
    }
    payloadAt.push(area.length);
    const bytes = [...Array.from({ length: 32 }, (_, k) => (i * 40 + k) & 0xff), ...Buffer.from(p)];
    payloadLen.push(bytes.length);
    area.push(...bytes, 0xee); // a stray byte between payloads: never copied
  });
  return {
    leafInputs: new Uint8Array(0),
    leafInputAt: new Uint32Array(4),
    types: ['ai.output', 'decision', 'tombstone'],
    times: ['2026-12-04T10:00:00.000Z', '2026-12-04T10:00:00.001Z', '2026-12-04T10:00:01.500+09:00'],
    payloadArea: Uint8Array.from(area),
    payloadAt: Int32Array.from(payloadAt),
    payloadLen: Uint32Array.from(payloadLen),
    leafHashes: new Uint8Array(0),
    subjects,
    subjectStart: Uint32Array.from([0, 2, 4, 5]),
    sides: [],
  };
}

describe('binary COPY data of a batch (PostgreSQL)', () => {
  const oldSize = 2 ** 33 + 7; // above 32 bits: both halves of the int8 matter

  it('payload rows: index, type, time, payload bytes and salt exactly, NULL for an entry without payload', () => {
    const rows = decode(payloadsCopyData(batch(), oldSize));
    expect(rows).toHaveLength(3);
    const b = batch();
    rows.forEach((r, i) => {
      expect(r).toHaveLength(5);
      expect(r[0]!.readBigInt64BE(0)).toBe(BigInt(oldSize + i));
      expect(r[1]!.toString('utf8')).toBe(b.types[i]);
      expect(r[2]!.toString('utf8')).toBe(b.times[i]);
      if (payloads[i] === null) {
        expect(r[3]).toBeNull();
        expect(r[4]).toBeNull();
      } else {
        expect(r[3]!.toString('utf8')).toBe(payloads[i]);
        expect([...r[4]!]).toEqual(Array.from({ length: 32 }, (_, k) => (i * 40 + k) & 0xff));
      }
    });
  });

  it('subject rows: each reference as UTF-8 (ASCII, Hangul, long, non-ASCII past the short path) with its entry index', () => {
    const rows = decode(subjectsCopyData(batch(), oldSize));
    expect(rows.map((r) => r[0]!.toString('utf8'))).toEqual(subjects);
    expect(rows.map((r) => Number(r[1]!.readBigInt64BE(0) - BigInt(oldSize)))).toEqual([0, 0, 1, 1, 2]);
    expect(rows[1][0]!.length).toBe(Buffer.byteLength(subjects[1])); // the length is the UTF-8 length
  });

  it('the largest index a log can have (2^53 - 1) round-trips', () => {
    const rows = decode(subjectsCopyData(batch(), Number.MAX_SAFE_INTEGER - 2));
    expect(rows[4][1]!.readBigInt64BE(0)).toBe(BigInt(Number.MAX_SAFE_INTEGER));
  });
});
