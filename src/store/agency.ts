import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import type { Executor } from './db';
import { getSetting, setSetting } from './settings';

/** What every page needs to show the agency's data rightly: its time zone, and whether this is the demo. */
export interface AgencyDisplay {
  /** IANA zone in which dates and times are shown (setting agency.timeZone; UTC until an admin sets it). */
  timeZone: string;
  /** The installation holds the bundled demo data: every page says so. */
  demo: boolean;
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export async function agencyDisplay(db: Executor): Promise<AgencyDisplay> {
  const zone = await getSetting(db, 'agency.timeZone');
  return { timeZone: zone && isTimeZone(zone) ? zone : 'UTC', demo: Boolean(await getSetting(db, 'demo.loaded')) };
}

/** Set the agency's time zone; an unknown zone is refused naming the field. */
export async function setAgencyTimeZone(db: Executor, zone: string): Promise<AgencyDisplay> {
  if (!isTimeZone(zone)) throw new InputError(msg('agency.badTimeZone', { zone }), [{ field: 'timeZone', expected: 'an IANA time zone such as UTC or Asia/Seoul', got: zone.slice(0, 60) }]);
  await setSetting(db, 'agency.timeZone', zone);
  return agencyDisplay(db);
}
