/**
 * Dates and times are shown in the agency's time zone (GET /api/agency), with the zone named, whatever
 * the reader's machine is set to: an officer in Seoul and an auditor abroad read the same hour.
 */
let agencyZone = 'UTC';

export function setAgencyZone(zone: string) {
  agencyZone = zone;
}
export function agencyTimeZone(): string {
  return agencyZone;
}

function parts(d: Date, zone: string): Record<string, string> {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  });
  return Object.fromEntries(f.formatToParts(d).map((p) => [p.type, p.value]));
}

/** `2026-12-03 20:22 GMT+9`: ISO-like order in both languages, the zone always shown. */
export function formatDateTime(value: string | number | Date, zone = agencyZone): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const p = parts(d, zone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${p.timeZoneName}`;
}

/** `2026-12-03`: the calendar date in the agency's zone. */
export function formatDate(value: string | number | Date, zone = agencyZone): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const p = parts(d, zone);
  return `${p.year}-${p.month}-${p.day}`;
}
