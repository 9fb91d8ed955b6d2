/**
 * ESRI Shapefile writer (polygon, shape type 5): .shp, .shx, .dbf (dBASE III) and .prj, as the NIJ
 * challenge required for submissions. Written from the ESRI Shapefile Technical Description (1998):
 * big-endian file code/lengths, little-endian shape data, outer rings clockwise and holes
 * counter-clockwise. O(total vertices + records × record length).
 */
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import { ringArea, type MultiPolygon, type Ring } from '../geo';

export type DbfField =
  { name: string; type: 'N'; length: number; decimals: number } | { name: string; type: 'C'; length: number };

export interface ShapeRecord {
  geometry: MultiPolygon;
  attributes: Record<string, string | number | null>;
}

/** ESRI WKT for the bundled CRSs (.prj files must be ESRI-flavoured WKT1). */
export const ESRI_PRJ: Record<string, string> = {
  'EPSG:2913':
    'PROJCS["NAD_1983_HARN_StatePlane_Oregon_North_FIPS_3601_Feet_Intl",GEOGCS["GCS_North_American_1983_HARN",DATUM["D_North_American_1983_HARN",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",8202099.737532808],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",-120.5],PARAMETER["Standard_Parallel_1",44.33333333333334],PARAMETER["Standard_Parallel_2",46.0],PARAMETER["Latitude_Of_Origin",43.66666666666666],UNIT["Foot",0.3048]]',
  'EPSG:3435':
    'PROJCS["NAD_1983_StatePlane_Illinois_East_FIPS_1201_Feet",GEOGCS["GCS_North_American_1983",DATUM["D_North_American_1983",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",984250.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",-88.33333333333333],PARAMETER["Scale_Factor",0.999975],PARAMETER["Latitude_Of_Origin",36.66666666666666],UNIT["Foot_US",0.3048006096012192]]',
  'EPSG:4326':
    'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
};

function closed(r: Ring): Ring {
  return r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1] ? r : [...r, r[0]];
}

/** Rings of a record in shapefile order: each outer ring clockwise, then its holes counter-clockwise. */
function shapeRings(mp: MultiPolygon): Ring[] {
  const out: Ring[] = [];
  for (const p of mp)
    p.forEach((r0, i) => {
      const r = closed(r0);
      const cw = ringArea(r) < 0;
      out.push((i === 0) === cw ? r : [...r].reverse());
    });
  return out;
}

export function writeShapefile(
  records: ShapeRecord[],
  fields: DbfField[],
  prj: string,
): { shp: Buffer; shx: Buffer; dbf: Buffer; prj: Buffer } {
  for (const f of fields) {
    if (!/^[A-Za-z][A-Za-z0-9_]{0,9}$/.test(f.name))
      throw new InputError(msg('forecast.shapefile.badFieldName', { name: f.name }), [
        { field: 'fields.name', expected: '1–10 ASCII letters, digits or _, starting with a letter', got: f.name },
      ]);
    if (!(f.length >= 1 && f.length <= 254))
      throw new InputError(msg('forecast.shapefile.badFieldLength', { name: f.name }), [
        { field: `fields.${f.name}.length`, expected: '1..254', got: String(f.length) },
      ]);
  }
  const parts = records.map((r) => shapeRings(r.geometry));
  const contentBytes = parts.map((rings) => 44 + 4 * rings.length + 16 * rings.reduce((s, r) => s + r.length, 0));
  const shpLen = 100 + contentBytes.reduce((s, c) => s + 8 + c, 0);
  const shp = Buffer.alloc(shpLen);
  const shx = Buffer.alloc(100 + 8 * records.length);
  let bb = [Infinity, Infinity, -Infinity, -Infinity];
  const recBox = parts.map((rings) => {
    const b = [Infinity, Infinity, -Infinity, -Infinity];
    for (const r of rings)
      for (const [x, y] of r) {
        if (x < b[0]) b[0] = x;
        if (y < b[1]) b[1] = y;
        if (x > b[2]) b[2] = x;
        if (y > b[3]) b[3] = y;
      }
    bb = [Math.min(bb[0], b[0]), Math.min(bb[1], b[1]), Math.max(bb[2], b[2]), Math.max(bb[3], b[3])];
    return b;
  });
  if (!records.length) bb = [0, 0, 0, 0];
  const header = (buf: Buffer, lengthBytes: number) => {
    buf.writeInt32BE(9994, 0);
    buf.writeInt32BE(lengthBytes / 2, 24);
    buf.writeInt32LE(1000, 28);
    buf.writeInt32LE(5, 32);
    bb.forEach((v, i) => buf.writeDoubleLE(v, 36 + 8 * i));
  };
  header(shp, shpLen);
  header(shx, shx.length);
  let off = 100;
  parts.forEach((rings, i) => {
    shx.writeInt32BE(off / 2, 100 + 8 * i);
    shx.writeInt32BE(contentBytes[i] / 2, 104 + 8 * i);
    shp.writeInt32BE(i + 1, off);
    shp.writeInt32BE(contentBytes[i] / 2, off + 4);
    let o = off + 8;
    shp.writeInt32LE(5, o);
    recBox[i].forEach((v, j) => shp.writeDoubleLE(v, o + 4 + 8 * j));
    const nPoints = rings.reduce((s, r) => s + r.length, 0);
    shp.writeInt32LE(rings.length, o + 36);
    shp.writeInt32LE(nPoints, o + 40);
    o += 44;
    let start = 0;
    for (const r of rings) {
      shp.writeInt32LE(start, o);
      o += 4;
      start += r.length;
    }
    for (const r of rings)
      for (const [x, y] of r) {
        shp.writeDoubleLE(x, o);
        shp.writeDoubleLE(y, o + 8);
        o += 16;
      }
    off += 8 + contentBytes[i];
  });
  return {
    shp,
    shx,
    dbf: writeDbf(
      records.map((r) => r.attributes),
      fields,
    ),
    prj: Buffer.from(prj, 'latin1'),
  };
}

/** dBASE III table. Numbers right-aligned in their width; text left-aligned, ASCII (other bytes become '?'). */
export function writeDbf(rows: Record<string, string | number | null>[], fields: DbfField[]): Buffer {
  const headerLen = 32 + 32 * fields.length + 1;
  const recLen = 1 + fields.reduce((s, f) => s + f.length, 0);
  const buf = Buffer.alloc(headerLen + recLen * rows.length + 1, 0x20);
  buf.fill(0, 0, headerLen);
  buf.writeUInt8(0x03, 0);
  buf.writeUInt8(95, 1); // last update 1995-07-26: a fixed date keeps files byte-reproducible
  buf.writeUInt8(7, 2);
  buf.writeUInt8(26, 3);
  buf.writeUInt32LE(rows.length, 4);
  buf.writeUInt16LE(headerLen, 8);
  buf.writeUInt16LE(recLen, 10);
  fields.forEach((f, i) => {
    const o = 32 + 32 * i;
    buf.write(f.name, o, 'latin1');
    buf.write(f.type, o + 11, 'latin1');
    buf.writeUInt8(f.length, o + 16);
    buf.writeUInt8(f.type === 'N' ? f.decimals : 0, o + 17);
  });
  buf.writeUInt8(0x0d, headerLen - 1);
  rows.forEach((row, r) => {
    let o = headerLen + r * recLen;
    buf.write(' ', o++, 'latin1');
    for (const f of fields) {
      const v = row[f.name];
      let text: string;
      if (v === null || v === undefined) text = ''.padStart(f.length);
      else if (f.type === 'N') {
        const n = Number(v);
        if (!Number.isFinite(n))
          throw new InputError(msg('forecast.shapefile.notFinite', { name: f.name, row: r + 1 }), [
            { row: r + 1, field: f.name, expected: 'a finite number', got: String(v) },
          ]);
        text = n.toFixed(f.decimals);
        if (text.length > f.length) text = n.toExponential(Math.max(0, f.length - 7));
        if (text.length > f.length)
          throw new InputError(msg('forecast.shapefile.valueTooLong', { name: f.name }), [
            { row: r + 1, field: f.name, expected: `at most ${f.length} characters`, got: text },
          ]);
        text = text.padStart(f.length);
      } else
        text = String(v)
          .replace(/[^\x20-\x7e]/g, '?')
          .slice(0, f.length)
          .padEnd(f.length);
      buf.write(text, o, 'latin1');
      o += f.length;
    }
  });
  buf.writeUInt8(0x1a, buf.length - 1);
  return buf;
}
