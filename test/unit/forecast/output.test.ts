import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/domain/errors';
import { DAY_MS, type ForecastIncident } from '../../../src/forecast/data';
import { planShift } from '../../../src/forecast/plan';
import { dataSnapshotHash } from '../../../src/forecast/provenance';
import {
  forecastGeoJson,
  forecastGeoJsonChunks,
  forecastShapefile,
  reproduceForecast,
  runForecast,
  runForecastSteps,
  type ForecastConfig,
} from '../../../src/forecast/run';
import { writeShapefile } from '../../../src/forecast/shapefile';
import type { MultiPolygon } from '../../../src/geo/polygon';

// A 2000 × 2000 ft square minus a notch, 250-ft cells, with a cluster of recent incidents.
const J: MultiPolygon = [
  [
    [
      [0, 0],
      [2000, 0],
      [2000, 2000],
      [1100, 2000],
      [1100, 1700],
      [0, 1700],
      [0, 0],
    ],
  ],
];
function incidents(): ForecastIncident[] {
  const out: ForecastIncident[] = [];
  let s = 9;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  for (let d = 0; d < 300; d++) {
    const c = rnd() < 0.4;
    out.push({
      id: `i${d}`,
      type: d % 3 ? 'burglary' : 'theft',
      origin: d % 10 === 0 ? 'officer' : 'citizen',
      t: Date.UTC(2016, 0, 1) + d * DAY_MS,
      timePrecision: 'day',
      x: c ? 600 + rnd() * 200 : rnd() * 2000,
      y: c ? 600 + rnd() * 200 : rnd() * 1700,
    });
  }
  return out;
}
const cfg: ForecastConfig = {
  asOf: '2016-10-01',
  window: '7d',
  grid: { cellSize: 250 },
  crs: 'EPSG:2913',
  hotspotArea: { minArea: 250_000, maxArea: 300_000 },
  model: 'auto',
  candidates: [
    { params: { model: 'counts' } },
    { params: { model: 'kde', bandwidth: 250, halfLifeDays: 60 } },
    { params: { model: 'etas' } },
  ],
  autoOrigins: 6,
  seed: 17,
  policy: { includeOfficerInitiated: false },
};

describe('a forecast run', () => {
  const ev = incidents();
  const r = runForecast({ jurisdiction: J, incidents: ev, config: cfg, codeVersion: 'test@1' });

  it('with auto, reports each backtest origin of the model choice, then fit, hotspots, explanations; same result', () => {
    const steps = runForecastSteps({ jurisdiction: J, incidents: ev, config: cfg, codeVersion: 'test@1' });
    const seen: string[] = [];
    let next = steps.next();
    for (; !next.done; next = steps.next()) seen.push(`${next.value.stage}:${next.value.done}/${next.value.total}`);
    const choice = seen.filter((x) => x.startsWith('model-choice'));
    // One step per origin (6 recent plus seasonal ones), counted up to the total with the three after.
    expect(choice.length).toBeGreaterThanOrEqual(6);
    const total = choice.length + 3;
    expect(seen).toEqual([
      ...choice.map((_, i) => `model-choice:${i + 1}/${total}`),
      `fit:${total - 2}/${total}`,
      `hotspots:${total - 1}/${total}`,
      `explanations:${total}/${total}`,
    ]);
    expect(next.value.run.riskFingerprint).toBe(r.run.riskFingerprint);
    expect(next.value.run.selection).toEqual(r.run.selection);
  });

  it('uses only citizen-reported incidents before the as-of date, and records the policy everywhere', () => {
    const asOf = Date.UTC(2016, 9, 1);
    const expected = ev.filter((e) => e.origin === 'citizen' && e.t < asOf);
    expect(r.run.trainingIncidents).toBe(expected.length);
    expect(r.run.dataSnapshotHash).toBe(dataSnapshotHash(expected));
    expect(r.run.dataPolicy).toMatchObject({ includeOfficerInitiated: false, label: 'citizen-reported records only' });
    const gj = forecastGeoJson(r);
    expect(gj.features.every((f) => f.properties.data_policy === 'citizen-reported records only')).toBe(true);
    const withOfficer = runForecast({
      jurisdiction: J,
      incidents: ev,
      config: { ...cfg, policy: { includeOfficerInitiated: true } },
      codeVersion: 'test@1',
    });
    expect(withOfficer.run.trainingIncidents).toBe(ev.filter((e) => e.t < asOf).length);
    expect(withOfficer.run.config.policy.includeOfficerInitiated).toBe(true);
    expect(forecastGeoJson(withOfficer).features[0].properties.data_policy).toMatch(/INCLUDES officer-initiated/);
    expect(withOfficer.explanations[0].dataPolicy).toMatch(/INCLUDES officer-initiated/);
  });

  it('the GeoJSON written in pieces is the text of the whole object, byte for byte', () => {
    const officer = runForecast({
      jurisdiction: J,
      incidents: ev,
      config: { ...cfg, policy: { includeOfficerInitiated: true } },
      codeVersion: 'test@1',
    });
    for (const run of [r, officer])
      for (const batch of [1, 7, 60, 1000]) {
        const chunks = [...forecastGeoJsonChunks(run, batch)];
        expect(chunks.length).toBe(Math.ceil(run.grid.n / batch) + 2);
        expect(chunks.join('')).toBe(JSON.stringify(forecastGeoJson(run)));
      }
  });

  it('writes every cell as a polygon with hotspot, risk and explanation_id; hotspots within the area range', () => {
    const gj = forecastGeoJson(r);
    expect(gj.features).toHaveLength(r.grid.n);
    expect(r.grid.n).toBe(60); // 8×8 lattice; the notch [0,1100]×[1700,2000] removes the top row's first 4 cells
    const area = gj.features.reduce((s, f) => s + f.properties.area, 0);
    expect(area).toBeCloseTo(2000 * 2000 - 1100 * 300, 6);
    const hot = gj.features.filter((f) => f.properties.hotspot === 1);
    const hotArea = hot.reduce((s, f) => s + f.properties.area, 0);
    expect(hotArea).toBeGreaterThanOrEqual(250_000);
    expect(hotArea).toBeLessThanOrEqual(300_000);
    expect(hot.every((f) => typeof f.properties.explanation_id === 'string')).toBe(true);
    expect(new Set(hot.map((f) => f.properties.explanation_id))).toEqual(
      new Set(r.explanations.map((e) => e.explanationId)),
    );
    expect(
      gj.features.filter((f) => f.properties.hotspot === 0).every((f) => f.properties.explanation_id === null),
    ).toBe(true);
    expect(gj.crs.properties.name).toBe('urn:ogc:def:crs:EPSG::2913');
    // the cluster at (600..800, 600..800) is flagged
    expect(
      hot.some(
        (f) =>
          JSON.stringify(f.geometry.coordinates).includes('[750,750]') ||
          f.properties.cell_id === 2 * 8 + 2 ||
          f.properties.cell_id === 3 * 8 + 3,
      ),
    ).toBe(true);
  });

  it('explains each hotspot: background share, the incidents that raised it, a sentence and a message key', () => {
    for (const e of r.explanations) {
      const sum = e.background + e.incidents.reduce((s, i) => s + i.contribution, 0) + e.others.contribution;
      expect(sum).toBeCloseTo(e.risk, 9);
      expect(e.sentence.length).toBeGreaterThan(20);
      expect(e.messageKey).toMatch(/^forecast\.explain\./);
      if (e.incidents.length) {
        expect(e.sentence).toContain(e.incidents[0].id);
        expect(e.incidents[0].date).toMatch(/^2016-\d\d-\d\d$/);
        expect(e.params.topId).toBe(e.incidents[0].id);
      }
    }
  });

  it('is reproducible bit for bit from its run record; other data is refused', () => {
    const again = reproduceForecast(JSON.parse(JSON.stringify(r.run)), J, [...ev].reverse());
    expect(again.run.riskFingerprint).toBe(r.run.riskFingerprint);
    expect(Buffer.from(again.risk.buffer).equals(Buffer.from(r.risk.buffer))).toBe(true);
    expect(JSON.stringify(forecastGeoJson(again))).toBe(JSON.stringify(forecastGeoJson(r)));
    const tampered = ev.map((e, i) => (i === 5 ? { ...e, x: e.x + 1 } : e));
    expect(() => reproduceForecast(r.run, J, tampered)).toThrow(InputError);
    // incidents after the as-of date are not part of the snapshot
    expect(
      reproduceForecast(r.run, J, [...ev, { ...ev[0], id: 'late', t: Date.UTC(2017, 0, 1) }]).run.riskFingerprint,
    ).toBe(r.run.riskFingerprint);
  });

  it('chooses the model by backtest and records the table', () => {
    expect(r.run.selection).toHaveLength(3);
    expect(r.run.model).toBeTruthy();
  });
});

/** Independent reader for the bytes the writer produced (ESRI Shapefile Technical Description). */
function readShp(shp: Buffer, shx: Buffer) {
  expect(shp.readInt32BE(0)).toBe(9994);
  expect(shp.readInt32BE(24) * 2).toBe(shp.length);
  expect(shp.readInt32LE(28)).toBe(1000);
  expect(shp.readInt32LE(32)).toBe(5);
  expect(shx.readInt32BE(24) * 2).toBe(shx.length);
  const out: { rings: [number, number][][] }[] = [];
  for (let i = 0; 100 + 8 * i < shx.length; i++) {
    const off = shx.readInt32BE(100 + 8 * i) * 2;
    const len = shx.readInt32BE(104 + 8 * i) * 2;
    expect(shp.readInt32BE(off)).toBe(i + 1);
    expect(shp.readInt32BE(off + 4) * 2).toBe(len);
    const o = off + 8;
    expect(shp.readInt32LE(o)).toBe(5);
    const nParts = shp.readInt32LE(o + 36),
      nPts = shp.readInt32LE(o + 40);
    const starts = Array.from({ length: nParts }, (_, p) => shp.readInt32LE(o + 44 + 4 * p));
    const pts: [number, number][] = Array.from({ length: nPts }, (_, p) => [
      shp.readDoubleLE(o + 44 + 4 * nParts + 16 * p),
      shp.readDoubleLE(o + 52 + 4 * nParts + 16 * p),
    ]);
    out.push({ rings: starts.map((s, p) => pts.slice(s, p + 1 < nParts ? starts[p + 1] : nPts)) });
    expect(44 + 4 * nParts + 16 * nPts).toBe(len);
  }
  return out;
}
function readDbf(dbf: Buffer) {
  const n = dbf.readUInt32LE(4),
    hl = dbf.readUInt16LE(8),
    rl = dbf.readUInt16LE(10);
  const fields: { name: string; type: string; len: number }[] = [];
  for (let o = 32; dbf[o] !== 0x0d; o += 32)
    fields.push({
      name: dbf.toString('latin1', o, o + 11).replace(/\0.*$/, ''),
      type: String.fromCharCode(dbf[o + 11]),
      len: dbf[o + 16],
    });
  expect(dbf[dbf.length - 1]).toBe(0x1a);
  expect(dbf.length).toBe(hl + n * rl + 1);
  return Array.from({ length: n }, (_, r) => {
    let o = hl + r * rl + 1;
    const row: Record<string, string> = {};
    for (const f of fields) {
      row[f.name] = dbf.toString('latin1', o, o + f.len).trim();
      o += f.len;
    }
    return row;
  });
}
const signed = (r: [number, number][]) =>
  r.reduce((s, p, i) => (i + 1 < r.length ? s + p[0] * r[i + 1][1] - r[i + 1][0] * p[1] : s), 0) / 2;

describe('shapefile writer', () => {
  it('writes polygons with holes (outer clockwise, holes counter-clockwise) and a dBASE table that read back', () => {
    const sq = (x: number, y: number, s: number) =>
      [
        [x, y],
        [x + s, y],
        [x + s, y + s],
        [x, y + s],
        [x, y],
      ] as [number, number][];
    const out = writeShapefile(
      [
        { geometry: [[sq(0, 0, 10), sq(2, 2, 2)]], attributes: { id: 1, name: 'a', v: 0.5 } },
        { geometry: [[sq(20, 0, 1)], [sq(30, 0, 1)]], attributes: { id: 2, name: 'héllo', v: null } },
      ],
      [
        { name: 'id', type: 'N', length: 5, decimals: 0 },
        { name: 'name', type: 'C', length: 8 },
        { name: 'v', type: 'N', length: 8, decimals: 3 },
      ],
      'PRJ',
    );
    const shapes = readShp(out.shp, out.shx);
    expect(shapes).toHaveLength(2);
    expect(shapes[0].rings).toHaveLength(2);
    expect(signed(shapes[0].rings[0])).toBe(-100); // clockwise outer
    expect(signed(shapes[0].rings[1])).toBe(4); // counter-clockwise hole
    expect(shapes[1].rings).toHaveLength(2);
    expect(out.shp.readDoubleLE(36)).toBe(0);
    expect(out.shp.readDoubleLE(52)).toBe(31); // xmax of the file box
    expect(readDbf(out.dbf)).toEqual([
      { id: '1', name: 'a', v: '0.500' },
      { id: '2', name: 'h?llo', v: '' },
    ]);
    expect(out.prj.toString()).toBe('PRJ');
    expect(() => writeShapefile([], [{ name: 'explanation_id', type: 'C', length: 5 }], '')).toThrow(/field name/);
  });

  it('a forecast as a shapefile: one record per cell, attributes as in the GeoJSON', () => {
    const r = runForecast({
      jurisdiction: J,
      incidents: incidents(),
      config: { ...cfg, model: { model: 'counts' } },
      codeVersion: 't',
    });
    const out = forecastShapefile(r);
    const shapes = readShp(out.shp, out.shx);
    const rows = readDbf(out.dbf);
    expect(shapes).toHaveLength(r.grid.n);
    expect(rows.filter((x) => x.hotspot === '1')).toHaveLength(r.hotspots.cells.length);
    const k = r.hotspots.cells[0];
    expect(rows[k]).toMatchObject({
      cell_id: String(r.grid.ids[k]),
      hotspot: '1',
      expl_id: `cell-${r.grid.ids[k]}`,
      officer: '0',
    });
    expect(Number(rows[k].risk)).toBeCloseTo(r.risk[k], 9);
    const area = shapes.reduce((s, x) => s + x.rings.reduce((q, ring) => q - signed(ring), 0), 0);
    expect(area).toBeCloseTo(r.grid.totalArea, 6);
    expect(out.prj.toString()).toMatch(/^PROJCS\["NAD_1983_HARN_StatePlane_Oregon_North_FIPS_3601_Feet_Intl"/);
  });
});

describe('missions for a shift', () => {
  const risk = Float64Array.from([9, 8, 7, 6, 5, 0]);
  it('top cells under a cell budget, skipping cells at their dosage cap over consecutive shifts', () => {
    // at most 1 time in any 2 consecutive shifts: cell 0 was chosen last shift → skipped now
    const p = planShift({
      risk,
      budget: { cells: 3 },
      history: [[1], [0]],
      dosage: { maxTimes: 1, window: 2 },
      seed: 1,
    });
    expect(p.missions.map((m) => m.cell)).toEqual([1, 2, 3]);
    expect(p.skippedForDosage).toEqual([{ cell: 0, timesInWindow: 1 }]);
    // at most 2 in any 3: cell 0 in both of the last two shifts → skipped; cell 1 once → allowed
    const q = planShift({
      risk,
      budget: { cells: 2 },
      history: [[0, 1], [0]],
      dosage: { maxTimes: 2, window: 3 },
      seed: 1,
    });
    expect(q.missions.map((m) => m.cell)).toEqual([1, 2]);
  });

  it('a minute budget with per-cell times; zero-risk cells never sent', () => {
    const p = planShift({
      risk,
      budget: { minutes: 50, minutesPerCell: Float64Array.from([30, 30, 15, 10, 10, 10]) },
      history: [],
      dosage: { maxTimes: 1, window: 1 },
      seed: 1,
    });
    expect(p.missions.map((m) => m.cell)).toEqual([0, 2]); // 30 + 15; cell 1 (30) does not fit; then 5 minutes left
    expect(p.minutesUsed).toBe(45);
    const all = planShift({ risk, budget: { cells: 10 }, history: [], dosage: { maxTimes: 1, window: 1 }, seed: 1 });
    expect(all.missions).toHaveLength(5);
    expect(() =>
      planShift({ risk, budget: { cells: 1 }, history: [], dosage: { maxTimes: 0, window: 1 }, seed: 1 }),
    ).toThrow(/maxTimes/);
  });
});

describe('provenance', () => {
  it('the snapshot hash ignores order and changes with any field', () => {
    const ev = incidents();
    const h = dataSnapshotHash(ev);
    expect(dataSnapshotHash([...ev].reverse())).toBe(h);
    expect(dataSnapshotHash(ev.map((e, i) => (i === 3 ? { ...e, type: 'other' } : e)))).not.toBe(h);
    expect(dataSnapshotHash(ev.map((e, i) => (i === 3 ? { ...e, origin: 'officer' as const } : e)))).not.toBe(h);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
  });
});
