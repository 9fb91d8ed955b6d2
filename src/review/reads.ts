/**
 * Reads of one alert (with its decision and responsibility chain) and its disclosure packet, each
 * scoped to the caller's unit through src/review/scope.ts before anything is read.
 */
import type { Principal } from '../accounts/accounts';
import type { Ledger } from '../ledger-service/ledger';
import type { Executor } from '../store/db';
import { modelCard } from '../registry/register';
import { buildDisclosure } from './disclosure';
import { alertView, responsibilityChain } from './alert-review';
import { scopedAlert, type Purpose } from './scope';
import { actionableAlert, actionsOf } from './urgent';
import { alertWhere } from './where';

/** One alert, its decision, actions, who is responsible for it and where it is, if `p` may read it (404 otherwise). */
export async function alertDetail(db: Executor, p: Principal, alertId: string, purpose: Purpose) {
  // Also the fallback unit an urgent alert was escalated to, while on shift there (issue 24).
  const a = await actionableAlert(db, p, alertId, purpose);
  const d = await db.selectFrom('decisions').selectAll().where('alert_id', '=', a.id).executeTakeFirst();
  const alert = alertView(a);
  return {
    alert,
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
    // The reviewer's map: cells or point, the areas around them and the patrol boundary (src/review/where.ts).
    where: await alertWhere(db, alert),
    evaluation: await cardEvaluation(db, alert.systemId, alert.version),
  };
}

export interface EvaluationFigure {
  name: string;
  value: number;
  interval: [number, number] | null;
  level: number;
  dataset: string;
}

/**
 * The evaluation figures of the model card of the alert's system version (what a score means for this
 * model: how often its alerts were right, as its owner measured it), or null without a card. Cards are
 * stored as their owner wrote them, so only well-formed metrics are passed on.
 */
async function cardEvaluation(db: Executor, systemId: string, version: number): Promise<EvaluationFigure[] | null> {
  const card = await modelCard(db, systemId, version);
  if (!card || !Array.isArray(card.metrics)) return null;
  return card.metrics.flatMap((m: unknown) => {
    const x = m as { name?: unknown; value?: unknown; interval?: unknown; level?: unknown; dataset?: unknown };
    if (typeof x?.name !== 'string' || typeof x.value !== 'number' || !Number.isFinite(x.value)) return [];
    const iv = x.interval;
    const interval =
      Array.isArray(iv) && iv.length === 2 && iv.every((v) => typeof v === 'number' && Number.isFinite(v))
        ? ([iv[0], iv[1]] as [number, number])
        : null;
    return [
      {
        name: x.name.slice(0, 200),
        value: x.value,
        interval,
        level: typeof x.level === 'number' && x.level > 0 && x.level < 1 ? x.level : 0.95,
        dataset: typeof x.dataset === 'string' ? x.dataset.slice(0, 300) : '',
      },
    ];
  });
}

/** The disclosure packet of an alert, if `p` may read the alert (404 otherwise). */
export async function disclosureFor(db: Executor, ledger: Ledger, p: Principal, alertId: string, purpose: Purpose) {
  await scopedAlert(db, p, alertId, purpose);
  return buildDisclosure(db, ledger, alertId);
}
