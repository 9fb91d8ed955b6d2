import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import type { Executor } from './db';
import { getSetting, setSetting } from './settings';

/** What every page needs to show the agency's data rightly: its time zone, and whether this is the demo. */
export interface AgencyDisplay {
  /** IANA zone in which dates and times are shown (setting agency.timeZone; UTC until an admin sets it). */
  timeZone: string;
  /** The name of the bundled demo the installation holds, or null: every page says so. */
  demo: string | null;
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zone times are read and shown in: the setting agency.timeZone (a demo sets it), else $CW_TIME_ZONE, else UTC. */
export async function agencyTimeZone(db: Executor): Promise<string> {
  const zone = (await getSetting(db, 'agency.timeZone')) ?? process.env.CW_TIME_ZONE;
  return zone && isTimeZone(zone) ? zone : 'UTC';
}

export async function agencyDisplay(db: Executor): Promise<AgencyDisplay> {
  const demo = (await getSetting(db, 'demo.name')) ?? ((await getSetting(db, 'demo.loaded')) ? 'demo' : null);
  return { timeZone: await agencyTimeZone(db), demo };
}

/** Set the agency's time zone; an unknown zone is refused naming the field. */
export async function setAgencyTimeZone(db: Executor, zone: string): Promise<AgencyDisplay> {
  if (!isTimeZone(zone))
    throw new InputError(msg('agency.badTimeZone', { zone }), [
      { field: 'timeZone', expected: 'an IANA time zone such as UTC or Asia/Seoul', got: zone.slice(0, 60) },
    ]);
  await setSetting(db, 'agency.timeZone', zone);
  return agencyDisplay(db);
}
