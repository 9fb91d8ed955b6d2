/**
 * When a system is paused, every alert of it still waiting for review (of any kind, not only patrol
 * missions) is withdrawn: it leaves the queue, cannot be decided, so it can no longer lead to
 * enforcement; the missions they carried are marked withdrawn. One log entry names them.
 * O(pending alerts of the system).
 */
import type { Ledger } from '../ledger-service/ledger';
import { nowIso, type Store } from '../store/db';

export async function withdrawPendingMissions(
  store: Store,
  ledger: Ledger,
  actorRef: string,
  systemId: string,
  reason: string,
): Promise<string[]> {
  const pending = await store.db
    .selectFrom('alerts')
    .select('id')
    .where('system_id', '=', systemId)
    .where('status', '=', 'pending')
    .where('withdrawn_at', 'is', null)
    .execute();
  if (!pending.length) return [];
  const ids = pending.map((a) => a.id);
  await ledger.append({
    type: 'alert.withdrawn',
    actor: actorRef,
    subjects: [`system:${systemId}`, ...ids.slice(0, 50).map((id) => `alert:${id}`)],
    payload: { systemId, alertIds: ids, reason },
  });
  const at = nowIso();
  await store.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('alerts')
      .set({ withdrawn_at: at })
      .where('id', 'in', ids)
      .where('status', '=', 'pending')
      .execute();
    await trx.updateTable('missions').set({ status: 'withdrawn' }).where('alert_id', 'in', ids).execute();
  });
  return ids;
}
