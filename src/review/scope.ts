/**
 * Who may read (or act on) an alert, a patrol mission and what hangs off them (decision, dosage,
 * mission reports, disclosure packet): one rule for every route, scoped like the review queue.
 *
 * - a member of the record's unit (supervisor, analyst) may; an officer only while on shift there and
 *   only for alerts of that shift or earlier (as the queue shows them);
 * - oversight may read any unit's records, but outside its own unit only with a stated purpose
 *   (x-purpose), which the access log records (the routes are marked personalData);
 * - anyone else gets 404, the same answer as for an id that does not exist: another unit does not
 *   learn that the record exists.
 */
import type { Principal } from '../accounts/accounts';
import { AccessError, InputError, NotFoundError } from '../domain/errors';
import { msg } from '../domain/messages';
import type { Executor } from '../store/db';
import { alertInShift, currentShift } from './shifts';

/** A stated purpose for a read, as routes pass it from the x-purpose header (null when absent or malformed). */
export type Purpose = string | null;

/** What a route marks itself with (config.unitScope): which scoped record its `:alertId`/`:id` names. */
export type UnitScope = 'alert' | 'mission' | 'mission-list' | { exempt: string };

const isOversight = (p: Principal) => p.roles.includes('oversight');

function purposeNeeded(): never {
  throw new InputError(msg('review.purposeNeeded'), [
    {
      field: 'header x-purpose',
      expected: "the purpose of reading another unit's records, 3–200 characters (recorded in the access log)",
    },
  ]);
}

/**
 * May `p` see a record of `unit` that occurred at `occurredAt`? Returns normally or throws `hidden()`.
 * Officers must be on shift (a StateError about the caller, which reveals nothing about the record).
 */
async function checkScope(
  db: Executor,
  p: Principal,
  unit: string,
  occurredAt: string | null,
  purpose: Purpose,
  hidden: () => never,
): Promise<void> {
  if (isOversight(p)) {
    if (p.unit !== unit && !purpose) purposeNeeded();
    return;
  }
  if (!p.unit || p.unit !== unit) hidden();
  if (p.roles.includes('supervisor') || p.roles.includes('analyst')) return;
  if (p.roles.includes('officer')) {
    const shift = await currentShift(db, p);
    if (occurredAt === null || alertInShift(occurredAt, shift)) return;
  }
  hidden();
}

/** The alert row if `p` may read it; 404 otherwise (also for alerts of another unit). */
export async function scopedAlert(db: Executor, p: Principal, alertId: string, purpose: Purpose) {
  const hidden = (): never => {
    throw new NotFoundError(msg('review.alertNotFound', { alertId }));
  };
  const a = await db.selectFrom('alerts').selectAll().where('id', '=', alertId).executeTakeFirst();
  if (!a) hidden();
  await checkScope(db, p, a!.unit, a!.occurred_at, purpose, hidden);
  return a!;
}

/** The mission row if `p` may read or decide it; 404 otherwise. */
export async function scopedMission(db: Executor, p: Principal, missionId: string, purpose: Purpose) {
  const hidden = (): never => {
    throw new NotFoundError(msg('review.missionNotFound', { missionId }));
  };
  const m = await db.selectFrom('missions').selectAll().where('id', '=', missionId).executeTakeFirst();
  if (!m) hidden();
  await checkScope(db, p, m!.unit, m!.shift_start, purpose, hidden);
  return m!;
}

/**
 * Which unit's missions `p` may list: their own (officers: those of their shift or earlier); oversight
 * its own by default, another unit — or all, when it has none — with a purpose. Returns the filter, or null when there is nothing to list.
 */
export async function missionListScope(
  db: Executor,
  p: Principal,
  asked: string | undefined,
  purpose: Purpose,
): Promise<{ unit?: string; startsBefore?: string } | null> {
  if (isOversight(p)) {
    const unit = asked ?? p.unit ?? undefined;
    if (unit !== p.unit && !purpose) purposeNeeded();
    if (unit === undefined && !purpose) purposeNeeded();
    return { unit };
  }
  // Someone in no unit has no unit's missions: nothing to list.
  if (!asked && !p.unit) return null;
  const unit = asked ?? p.unit ?? undefined;
  // A unit's name is no secret: asking for another unit's list is refused plainly (403).
  if (!unit || unit !== p.unit)
    throw new AccessError(msg('review.otherUnitMissions', { unit: unit ?? '-', own: p.unit ?? '-' }));
  if (p.roles.includes('supervisor') || p.roles.includes('analyst')) return { unit };
  const shift = await currentShift(db, p);
  return { unit, startsBefore: shift.endsAt };
}
