/**
 * Observation windows of a system's monitors. Resuming a paused system starts a new window: monitors
 * then read only outcomes received (and decisions made) from that moment, so the data that caused the
 * pause cannot pause it again, while a new breach in the new window does. Kept free of registry imports
 * so the register's lifecycle can call it.
 */
import type { Executor } from '../store/db';

export async function startObservationWindow(db: Executor, systemId: string, at: string): Promise<void> {
  await db.updateTable('monitors').set({ observe_from: at }).where('system_id', '=', systemId).execute();
}
