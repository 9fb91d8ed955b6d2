/**
 * Date parsing for incident files. Everything leaves here as UTC ISO 8601 (`YYYY-MM-DDTHH:MM:SSZ`).
 * Local wall-clock times are converted with the IANA zone of the source (a profile's or the mapping's,
 * else the agency's, e.g. Asia/Seoul); date-only values keep their calendar date at 00:00Z with precision 'day'.
 */
const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

// Offsets change only at DST transitions (on the hour), so one lookup per zone and UTC quarter hour suffices.
// Intl formatting costs ~5 µs; the cache makes it O(1) per row after the first row of each quarter hour.
const offsetCache = new Map<string, Map<number, number>>();

function zoneOffsetMs(utcMs: number, timeZone: string): number {
  let cache = offsetCache.get(timeZone);
  if (!cache) offsetCache.set(timeZone, (cache = new Map()));
  const hour = Math.floor(utcMs / 900_000); // quarter hours: every zone's transitions fall on one
  const hit = cache.get(hour);
  if (hit !== undefined) return hit;
  const off = computeOffsetMs(hour * 900_000, timeZone);
  if (cache.size > 2_000_000) cache.clear(); // bounded: ~57 years of hours per zone
  cache.set(hour, off);
  return off;
}

function computeOffsetMs(utcMs: number, timeZone: string): number {
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    offsetFormatters.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(utcMs))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - utcMs;
}

const DAY_MS = 86_400_000;

/**
 * Wall-clock time in `timeZone` → epoch ms. Ambiguous fall-back hours resolve to the first occurrence; a
 * time skipped by a spring-forward gap resolves to the earlier candidate (as read with the later offset).
 * The instant lies within ±14 h of the wall time read as UTC, so the offsets a day either side are the only
 * candidates (no zone changes offset twice in two days). O(1): two cached lookups, two more near a transition.
 * (Until 2026-12-03 the candidates were the offsets at the wall time read as UTC and at the first guess,
 * which for a UTC−x zone took the pre-transition offset for wall times up to x hours after a fall-back:
 * Chicago's 11/5/2017 3:00 became 08:00Z instead of 09:00Z.)
 */
export function zonedToUtc(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  timeZone: string,
): number {
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const before = zoneOffsetMs(wall - DAY_MS, timeZone);
  const after = zoneOffsetMs(wall + DAY_MS, timeZone);
  if (before === after) return wall - before;
  const a = wall - before;
  const b = wall - after;
  const aHolds = zoneOffsetMs(a, timeZone) === before;
  const bHolds = zoneOffsetMs(b, timeZone) === after;
  if (aHolds && bHolds) return Math.min(a, b); // fall-back overlap: the first occurrence
  if (aHolds) return a;
  if (bHolds) return b;
  return Math.min(a, b); // spring-forward gap
}

/** Epoch ms → `YYYY-MM-DDTHH:MM:SSZ` (years 1900–2100 here, so the fixed-width slice is exact). */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

function validDate(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): boolean {
  if (!(
    y >= 1900 &&
    y <= 2100 &&
    mo >= 1 &&
    mo <= 12 &&
    d >= 1 &&
    h >= 0 &&
    h <= 23 &&
    mi >= 0 &&
    mi <= 59 &&
    s >= 0 &&
    s <= 59
  ))
    return false;
  return new Date(Date.UTC(y, mo - 1, d)).getUTCDate() === d;
}

export type ParsedTime = { iso: string; precision: 'day' | 'hour' | 'minute' } | undefined;

/** `M/D/YYYY H:MM[:SS][ AM|PM]` in a local zone (the US month-first format). */
export function parseUsDateTime(v: string, timeZone: string): ParsedTime {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?)?$/i.exec(v.trim());
  if (!m) return undefined;
  let h = m[4] === undefined ? 0 : Number(m[4]);
  if (m[7]) {
    if (h < 1 || h > 12) return undefined;
    h = (h % 12) + (m[7].toUpperCase() === 'PM' ? 12 : 0);
  }
  const [y, mo, d, mi, s] = [Number(m[3]), Number(m[1]), Number(m[2]), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (!validDate(y, mo, d, h, mi, s)) return undefined;
  if (m[4] === undefined) return { iso: isoUtc(Date.UTC(y, mo - 1, d)), precision: 'day' };
  return { iso: isoUtc(zonedToUtc(y, mo, d, h, mi, s, timeZone)), precision: 'minute' };
}

/** `YYYY-MM-DD[ HH:MM[:SS]]`; with a time, interpreted in `timeZone` ('UTC' for Houston's `time`). */
export function parseIsoLike(v: string, timeZone = 'UTC'): ParsedTime {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?Z?)?$/.exec(v.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [h, mi, s] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (!validDate(y, mo, d, h, mi, s)) return undefined;
  if (m[4] === undefined) return { iso: isoUtc(Date.UTC(y, mo - 1, d)), precision: 'day' };
  const ms = timeZone === 'UTC' ? Date.UTC(y, mo - 1, d, h, mi, s) : zonedToUtc(y, mo, d, h, mi, s, timeZone);
  return { iso: isoUtc(ms), precision: m[6] === undefined && mi === 0 ? 'hour' : 'minute' };
}
