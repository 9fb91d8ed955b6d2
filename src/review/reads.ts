/**
 * Reads of one alert (with its decision and responsibility chain) and its disclosure packet, each
 * scoped to the caller's unit through src/review/scope.ts before anything is read.
 */
import type { Principal } from '../accounts/accounts';
import type { Ledger } from '../ledger-service/ledger';
import type { Executor } from '../store/db';
import { buildDisclosure } from './disclosure';
import { alertView, responsibilityChain } from './alert-review';
import { scopedAlert, type Purpose } from './scope';
import { actionableAlert, actionsOf } from './urgent';

/** One alert, its decision, actions and who is responsible for it, if `p` may read it (404 otherwise). */
export async function alertDetail(db: Executor, p: Principal, alertId: string, purpose: Purpose) {
  // Also the fallback unit an urgent alert was escalated to, while on shift there (issue 24).
  const a = await actionableAlert(db, p, alertId, purpose);
  const d = await db.selectFrom('decisions').selectAll().where('alert_id', '=', a.id).executeTakeFirst();
  return {
    alert: alertView(a),
    decision: d
      ? {
          id: d.id,
          outcome: d.outcome,
          reasonCode: d.reason_code,
          reasonText: d.reason_text,
          enforcementAction: d.enforcement_action,
          corroboration: d.corroboration ? JSON.parse(d.corroboration) : null,
          decidedAt: d.decided_at,
          logIndex: d.log_index,
        }
      : null,
    responsibility: await responsibilityChain(db, a.id),
    actions: await actionsOf(db, a.id),
  };
}

/** The disclosure packet of an alert, if `p` may read the alert (404 otherwise). */
export async function disclosureFor(db: Executor, ledger: Ledger, p: Principal, alertId: string, purpose: Purpose) {
  await scopedAlert(db, p, alertId, purpose);
  return buildDisclosure(db, ledger, alertId);
}
