/**
 * Who runs this installation, as the web app needs to know it: the agency's time zone (times are read and
 * shown in it; a Korean agency's is Asia/Seoul) and which bundled demo, if any, the database holds.
 * The zone comes from settings (`agency.timeZone`, which a demo sets), else $CW_TIME_ZONE, else UTC.
 */
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import type { Executor } from '../store/db';
import { getSetting } from '../store/settings';

export function checkTimeZone(zone: string, field = 'agency.timeZone'): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    throw new InputError(msg('agency.badTimeZone', { zone: zone.slice(0, 60) }), [{ field, expected: 'an IANA time zone such as Asia/Seoul', got: zone.slice(0, 60) }]);
  }
}

export async function agencyTimeZone(db: Executor): Promise<string> {
  return checkTimeZone((await getSetting(db, 'agency.timeZone')) ?? process.env.CW_TIME_ZONE ?? 'UTC');
}

export async function agencyInfo(db: Executor): Promise<{ timeZone: string; demo: string | null }> {
  return { timeZone: await agencyTimeZone(db), demo: (await getSetting(db, 'demo.name')) ?? null };
}
