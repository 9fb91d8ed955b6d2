/** Agency-wide settings an administrator changes, each change logged. */
import type { Principal } from '../accounts/accounts';
import { userRef } from '../ledger-service/events';
import type { Ledger } from '../ledger-service/ledger';
import { setAgencyTimeZone, type AgencyDisplay } from '../store/agency';
import type { Store } from '../store/db';

/** Set the zone dates and times are shown in (refused naming the field when unknown), and log it. */
export async function changeTimeZone(store: Store, ledger: Ledger, p: Principal, zone: string): Promise<AgencyDisplay> {
  const d = await setAgencyTimeZone(store.db, zone);
  await ledger.append({
    type: 'agency.time-zone',
    actor: userRef(p.id),
    subjects: [],
    payload: { timeZone: d.timeZone },
  });
  return d;
}
