import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellAt, measureDosage, type Ping } from '../../../src/patrol/dosage';

const square = (x: number, y: number, s: number): [number, number][] => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
  [x, y],
];
const CELLS = [
  { cellId: 7, plannedMinutes: 10, ring: square(0, 0, 1) },
  { cellId: 8, plannedMinutes: 5, ring: square(1, 0, 1) },
];
const at = (device: string, s: number, lon: number, lat: number): Ping => ({ device, t: s * 1000, lon, lat });

describe('measured dosage from location pings', () => {
  it('hand-computed: intervals go to the cell of the earlier ping; gaps over the limit are unobserved', () => {
    const pings = [
      at('a', 0, 0.5, 0.5),
      at('a', 60, 0.5, 0.5), // 60 s in cell 7
      at('a', 120, 2.5, 0.5), // 60 s more in cell 7 (the earlier ping was in it)
      at('a', 180, 1.5, 0.5), // 60 s outside every cell
      at('a', 480, 1.5, 0.5), // 300 s gap > 120 s: unobserved
      at('a', 540, 1.5, 0.5), // 60 s in cell 8
    ];
    const d = measureDosage(CELLS, pings, { start: 0, end: 3_600_000 });
    expect(d.cells).toEqual([
      { cellId: 7, plannedMinutes: 10, measuredMinutes: 2, ratio: 0.2 },
      { cellId: 8, plannedMinutes: 5, measuredMinutes: 1, ratio: 0.2 },
    ]);
    expect(d).toMatchObject({ plannedMinutes: 15, measuredMinutes: 3, observedMinutes: 4, unobservedGaps: 1 });
  });

  it('pings outside the shift do not count; two devices add up', () => {
    const pings = [
      at('a', -60, 0.5, 0.5),
      at('a', 0, 0.5, 0.5),
      at('a', 60, 0.5, 0.5),
      at('b', 0, 0.5, 0.5),
      at('b', 30, 0.5, 0.5),
      at('a', 7200, 0.5, 0.5),
    ];
    const d = measureDosage(CELLS, pings, { start: 0, end: 3_600_000 });
    expect(d.cells[0].measuredMinutes).toBeCloseTo(1.5, 12); // 60 s (a) + 30 s (b)
  });

  it('point in cell: edges of the ring, outside, and the second cell', () => {
    expect(cellAt(CELLS, 0.5, 0.5)).toBe(7);
    expect(cellAt(CELLS, 1.5, 0.99)).toBe(8);
    expect(cellAt(CELLS, 3, 3)).toBeUndefined();
  });

  it('property: measured time never exceeds the shift per device, and does not depend on ping order', () => {
    const ping = fc.record({
      device: fc.constantFrom('a', 'b'),
      t: fc.integer({ min: 0, max: 3600 }),
      lon: fc.double({ min: -0.5, max: 2.5, noNaN: true }),
      lat: fc.double({ min: -0.5, max: 1.5, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(ping, { maxLength: 60, selector: (p) => `${p.device}/${p.t}` }), (raw) => {
        const pings = raw.map((p) => ({ ...p, t: p.t * 1000 }));
        const d = measureDosage(CELLS, pings, { start: 0, end: 3_600_000 });
        expect(d.measuredMinutes).toBeLessThanOrEqual(2 * 60 + 1e-9);
        expect(d.measuredMinutes).toBeLessThanOrEqual(d.observedMinutes + 1e-9);
        const again = measureDosage(CELLS, [...pings].reverse(), { start: 0, end: 3_600_000 });
        expect(again.cells.map((c) => c.measuredMinutes)).toEqual(d.cells.map((c) => c.measuredMinutes));
      }),
    );
  });
});
