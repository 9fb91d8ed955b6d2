import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildLeaf, canonicalBytes, parseLeaf, payloadHash } from '../../../src/ledger/leaf';
import { LedgerError } from '../../../src/ledger/errors';

// The append path writes leaf JSON directly (no generic canonicaliser); these properties hold it to RFC 8785.
const slug = fc.stringMatching(/^[a-z][a-z0-9]{0,6}(?:[.-][a-z0-9]{1,5}){0,3}$/).filter((t) => t !== 'tombstone');
const ref = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), fc.stringMatching(/^[A-Za-z0-9_-]{8,40}$/))
  .filter(([, token]) => !/^[0-9]+$/.test(token))
  .map(([kind, token]) => `${kind}:${token}`);
const time = fc.date({ min: new Date(Date.UTC(1, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true });
const input = fc.record({
  type: slug,
  time: fc.oneof(
    time,
    time.map((d) => d.toISOString()),
  ),
  actor: ref,
  subjects: fc.uniqueArray(ref, { maxLength: 8 }),
  payload: fc.jsonValue(),
});

describe('leaf encoding', () => {
  it('equals the RFC 8785 canonical JSON of the leaf, parses back, and commits to the canonical payload', () => {
    fc.assert(
      fc.property(input, fc.uint8Array({ minLength: 32, maxLength: 32 }), (inp, salt) => {
        const built = buildLeaf(inp, salt);
        expect(built.bytes.equals(canonicalBytes(built.leaf))).toBe(true);
        expect(parseLeaf(built.bytes)).toEqual(built.leaf);
        expect(Buffer.from(built.payloadJson).equals(canonicalBytes(inp.payload))).toBe(true);
        expect(built.leaf.payloadHash).toBe(payloadHash(salt, canonicalBytes(inp.payload)));
      }),
      { numRuns: 500 },
    );
  });

  it('refuses an invalid Date and a string time that is not canonical ISO 8601 with milliseconds', () => {
    const ok = { type: 'ai.output', actor: 'system:forecaster', subjects: [], payload: {} };
    for (const t of [new Date('nope'), '2024-05-01T12:00:00Z', '2024-05-01 12:00:00.000Z']) {
      expect(() => buildLeaf({ ...ok, time: t }), String(t)).toThrow(LedgerError);
    }
  });
});
