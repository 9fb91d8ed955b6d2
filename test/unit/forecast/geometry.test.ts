import { describe, expect, it } from 'vitest';
import { DAY_MS, type ForecastIncident } from '../../../src/forecast/data';
import { selectHotspots } from '../../../src/forecast/evaluation';
import { chooseGeometry, exactGeometries } from '../../../src/forecast/geometry';
import { runForecast } from '../../../src/forecast/run';
import { buildGrid, cellOf, cellSquare, stencil } from '../../../src/geo/grid';
import type { MultiPolygon } from '../../../src/geo/polygon';

const FT = 0.3048; // EPSG:2913 unit, metres
const SQMI = 5280 ** 2;

describe('rectangular cells', () => {
  const rect: MultiPolygon = [
    [
      [
        [0, 0],
        [1000, 0],
        [1000, 600],
        [0, 600],
        [0, 0],
      ],
    ],
  ];
  it('a 200 × 150 lattice over 1000 × 600: 5 × 4 cells of 30,000, points land in the right cell', () => {
    const g = buildGrid(rect, { cellSize: 200, cellHeight: 150 });
    expect([g.cols, g.rows, g.n]).toEqual([5, 4, 20]);
    for (const a of g.areas) expect(a).toBeCloseTo(30_000, 6);
    expect(g.totalArea).toBeCloseTo(600_000, 6);
    expect(cellOf(g, 450, 320)).toBe(2 * 5 + 2); // col ⌊450/200⌋ = 2, row ⌊320/150⌋ = 2
    expect(cellSquare(g, 12)).toEqual([
      [400, 300],
      [600, 300],
      [600, 450],
      [400, 450],
      [400, 300],
    ]);
    expect([g.cx[12], g.cy[12]]).toEqual([500, 375]);
  });
  it('the stencil measures distance in both cell sides', () => {
    const st = stencil({ cellSize: 200, cellHeight: 100 }, 250);
    const pairs = Array.from(st.dc, (c, i) => `${c},${st.dr[i]}:${st.d[i]}`).sort();
    // columns reach ⌊250/200⌋ = 1, rows ⌊250/100⌋ = 2; (1, 1) is √(200² + 100²) = 223.6 away, (1, 2) is 282.8 (out)
    expect(pairs).toEqual(
      [
        '-1,-1:223.60679774997897',
        '-1,0:200',
        '-1,1:223.60679774997897',
        '0,-1:100',
        '0,-2:200',
        '0,0:0',
        '0,1:100',
        '0,2:200',
        '1,-1:223.60679774997897',
        '1,0:200',
        '1,1:223.60679774997897',
      ].sort(),
    );
  });
});

describe('geometries that hit the flagged area exactly', () => {
  it('every candidate is a rectangle of 62,500–360,000 sq ft whose n cells make 0.25 sq mi', () => {
    const c = exactGeometries(0.25 * SQMI, FT);
    expect(c.length).toBeGreaterThan(5);
    for (const g of c) {
      const a = g.cellSize * g.cellHeight;
      expect(a).toBeGreaterThanOrEqual(62_500);
      expect(a).toBeLessThanOrEqual(360_000);
      expect(a * g.cellsInArea).toBeCloseTo(6_969_600, 6);
    }
    // 111 cells of 250.6 ft (the most that fit) and 100 of 264 × 264 ft = 69,696 sq ft
    expect(c.map((g) => g.label)).toEqual(
      expect.arrayContaining([
        '250.6×250.6 ft (111 cells)',
        '264.0×264.0 ft (100 cells)',
        '373.4×186.7 ft (100 cells)',
      ]),
    );
  });

  it('exact selection flags whole cells only and lands on the target; the usual rule overshoots', () => {
    // a right triangle: cells along the hypotenuse are trimmed, and we make them the riskiest
    const tri: MultiPolygon = [
      [
        [
          [0, 0],
          [2700, 0],
          [0, 2590],
          [0, 0],
        ],
      ],
    ];
    const g = buildGrid(tri, { cellSize: 264 });
    const risk = new Float64Array(g.n);
    for (let k = 0; k < g.n; k++) risk[k] = (g.boundary[k] ? 1000 : 0) + g.cx[k] + g.cy[k];
    const target = 20 * 264 * 264;
    const usual = selectHotspots(g, risk, { minArea: target, maxArea: 3 * target }, 1);
    expect(usual.area).not.toBeCloseTo(target, 3);
    const exact = selectHotspots(g, risk, { minArea: target, maxArea: 3 * target, exact: true }, 1);
    expect(exact.area).toBe(target);
    expect(exact.cells).toHaveLength(20);
    for (const k of exact.cells) expect(g.boundary[k]).toBe(0);
  });
});

describe('--cell auto / --hotspot-area auto', () => {
  // 1.5 × 1 mile; a stable hotspot and noise over four years of days
  const J: MultiPolygon = [
    [
      [
        [0, 0],
        [7920, 0],
        [7920, 5280],
        [0, 5280],
        [0, 0],
      ],
    ],
  ];
  let s = 99;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  const DAY0 = 15_000;
  const incidents: ForecastIncident[] = Array.from({ length: 3000 }, (_, i) => {
    const hot = rnd() < 0.3;
    return {
      id: `e${i}`,
      type: 'burglary',
      origin: 'citizen',
      t: (DAY0 + Math.floor(rnd() * 1500)) * DAY_MS,
      timePrecision: 'day',
      x: hot ? 2000 + 900 * rnd() : 7919 * rnd(),
      y: hot ? 3000 + 400 * rnd() : 5279 * rnd(),
    };
  });
  const asOf = (DAY0 + 1400) * DAY_MS;
  const base = {
    jurisdiction: J,
    asOfMs: asOf,
    window: '1mo',
    unitMetres: FT,
    grid: { cellSize: 250 },
    area: { minArea: 0.25 * SQMI, maxArea: 0.75 * SQMI },
    model: 'auto' as const,
    seed: 1,
    origins: 6,
    seasons: 1,
    geometries: { counts: [100, 49], aspects: [1, 2] },
  };

  it('chooses among exact geometries by backtest, records the table and why, and reads nothing from the as-of date on', () => {
    const a = chooseGeometry({ ...base, training: incidents, auto: { cell: true, area: true } });
    expect(a.record.area!.table.map((r) => r.model)).toEqual([
      '0.25 sq mi',
      '0.30 sq mi',
      '0.40 sq mi',
      '0.50 sq mi',
      '0.75 sq mi',
    ]);
    expect(a.record.area!.reason).toBeTruthy();
    expect(a.record.cell!.table).toHaveLength(4);
    expect(a.record.cell!.exact).toBe(true);
    expect(a.area.exact).toBe(true);
    expect(a.grid.cellSize * a.grid.cellHeight * exactCount(a.record.cell!.chosen)).toBeCloseTo(a.area.minArea, 3);
    const scrambled = incidents.map((e) => (e.t >= asOf ? { ...e, x: 10, y: 10 } : e));
    const b = chooseGeometry({ ...base, training: scrambled, auto: { cell: true, area: true } });
    expect(b.record).toEqual(a.record);
  });

  it('a forecast with --cell auto hits the flagged area exactly and says what it chose', () => {
    const r = runForecast({
      jurisdiction: J,
      incidents,
      codeVersion: 'test',
      config: {
        asOf: new Date(asOf).toISOString(),
        window: '1mo',
        grid: { cellSize: 250 },
        crs: 'EPSG:2913',
        hotspotArea: { minArea: 0.25 * SQMI, maxArea: 0.75 * SQMI },
        autoGeometry: { cell: true, unitMetres: FT },
        model: { model: 'kde', bandwidth: 300, halfLifeDays: 365 },
        seed: 1,
        policy: { includeOfficerInitiated: false },
      },
    });
    expect(r.run.hotspotArea).toBeCloseTo(0.25 * SQMI, 3);
    expect(r.run.geometry!.cell!.chosen).toMatch(/ft \(\d+ cells\)/);
    expect(r.run.gridSpec.cellHeight).toBeGreaterThan(0);
    expect(r.run.hotspotCells).toBe(exactCount(r.run.geometry!.cell!.chosen));
  });
});

function exactCount(label: string): number {
  return Number(/\((\d+) cells\)/.exec(label)![1]);
}

describe('bad geometry requests', () => {
  it('says in English and Korean when no NIJ cell divides the flagged area', async () => {
    const { InputError } = await import('../../../src/domain/errors');
    let err: InstanceType<typeof InputError> | undefined;
    // 50,000 sq ft is smaller than one NIJ cell
    try {
      exactGeometries(50_000, FT);
    } catch (e) {
      err = e as InstanceType<typeof InputError>;
    }
    expect(err).toBeInstanceOf(InputError);
    expect(err!.message).toMatch(/no cell size divides the flagged area of 0\.0018 sq mi/);
    expect(err!.text('ko')).toMatch(/NIJ 셀 면적 범위/);
    expect(err!.where[0].field).toBe('cell');
  });
});
