import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildGrid, cellOf, clipRingToBox, ringArea, type Polygon } from '../../../src/geo/square-grid';

describe('square grid', () => {
  it('clips a triangle against a box exactly', () => {
    // Right triangle (0,0),(10,0),(0,10) ∩ box [0,5]²: x+y ≤ 10 holds everywhere in the box, so 25.
    expect(Math.abs(ringArea(clipRingToBox([[0, 0], [10, 0], [0, 10]], 0, 0, 5, 5)))).toBeCloseTo(25, 10);
    // ∩ box [5,10]×[0,5]: the region x+y ≤ 10 within it is a triangle of legs 5 → 12.5.
    expect(Math.abs(ringArea(clipRingToBox([[0, 0], [10, 0], [0, 10]], 5, 0, 10, 5)))).toBeCloseTo(12.5, 10);
  });

  it('a 10×10 square with a 2×2 hole on a grid of 3: exact total area 96, hole cells reduced', () => {
    const poly: Polygon = [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]];
    const g = buildGrid([poly], 3);
    expect(g.totalArea).toBeCloseTo(96, 9);
    expect(g.areas[cellOf(g, 4.5, 4.5)]).toBeCloseTo(9 - 4, 9); // cell [3,6]² loses the 2×2 hole
    expect(g.areas[cellOf(g, 9.5, 9.5)]).toBeCloseTo(1, 9); // corner cell [9,12]² keeps [9,10]²
    expect(cellOf(g, 11, 11)).toBe(cellOf(g, 9.5, 9.5)); // the clipped corner cell holds it (its area counts only [9,10]²)
    expect(cellOf(g, 13, 13)).toBe(-1); // off the lattice
  });

  it('the NIJ Portland jurisdiction (union of 60 districts, EPSG:2913 feet) measures about 4.1177e9 sq ft', () => {
    const fc = JSON.parse(readFileSync('test/fixtures/forecast/portland_police_districts.epsg2913.geojson', 'utf8'));
    const polys: Polygon[] = fc.features.flatMap((f: { geometry: { type: string; coordinates: Polygon | Polygon[] } }) => (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates));
    const g = buildGrid(polys, 600);
    expect(g.totalArea / 4.1177e9).toBeGreaterThan(0.995);
    expect(g.totalArea / 4.1177e9).toBeLessThan(1.005);
    const g250 = buildGrid(polys, 250);
    expect(g250.ids.length).toBeGreaterThan(60_000);
    expect(g250.totalArea).toBeCloseTo(g.totalArea, -5); // same area whatever the cell size
  });
});
