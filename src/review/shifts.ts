/**
 * Shifts: who is on duty in which unit, and when. A reviewer sees and decides only the alerts of
 * their unit while on shift there, and only alerts that fall in or before that shift (a patrol
 * mission planned for tomorrow night is the night shift's, not today's). A supervisor put on duty
 * (the responsibility chain's "supervisor on duty") is on shift for that span too.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Principal } from '../accounts/accounts';
import { AccessError, InputError, StateError } from '../domain/errors';
import { UnitSchema } from '../domain/roles';
import { userRef } from '../ledger-service/events';
import type { Ledger } from '../ledger-service/ledger';
import { nowIso, type Executor, type Store } from '../store/db';
import { msg } from '../domain/messages';

/** Longest span one roster entry may cover (a standing assignment; a real rota has shorter ones). */
const MAX_SHIFT_DAYS = 366;

export const ShiftInputSchema = z
  .object({
    unit: UnitSchema,
    userId: z.string().uuid(),
    startsAt: z.string().datetime(),
    endsAt: z.string().datetime(),
  })
  .strict();
export type ShiftInput = z.infer<typeof ShiftInputSchema>;

export interface Shift {
  id: string;
  unit: string;
  userId: string;
  startsAt: string;
  endsAt: string;
}

/** Second-precision UTC text, the form shifts are stored and compared in (`YYYY-MM-DDTHH:MM:SSZ`). */
export const toSecond = (iso: string) => `${new Date(iso).toISOString().slice(0, 19)}Z`;

/** Check a shift's span; returns it normalised. */
export function checkSpan(startsAt: string, endsAt: string): { startsAt: string; endsAt: string } {
  const s = toSecond(startsAt);
  const e = toSecond(endsAt);
  if (e <= s)
    throw new InputError(msg('review.shiftEndsBeforeStart'), [{ field: 'endsAt', expected: `after ${s}`, got: e }]);
  if (Date.parse(e) - Date.parse(s) > MAX_SHIFT_DAYS * 86_400_000)
    throw new InputError(msg('review.shiftTooLong', { days: MAX_SHIFT_DAYS }), [
      { field: 'endsAt', expected: `within ${MAX_SHIFT_DAYS} days of startsAt` },
    ]);
  return { startsAt: s, endsAt: e };
}

/**
 * Roster a reviewer. A supervisor rosters only their own unit; an administrator any unit. The person
 * must belong to the unit. Returns the stored shift.
 */
/** Roster a reviewer (addShift) and log who rostered whom. */
export async function rosterShift(store: Store, ledger: Ledger, p: Principal, input: ShiftInput): Promise<Shift> {
  const shift = await addShift(store.db, p, input);
  await ledger.append({
    type: 'review.shift',
    actor: userRef(p.id),
    subjects: [userRef(shift.userId)],
    payload: shift,
  });
  return shift;
}

export async function addShift(db: Executor, p: Principal, input: ShiftInput): Promise<Shift> {
  if (!p.roles.includes('admin') && p.unit !== input.unit)
    throw new AccessError(msg('review.rosterOwnUnit', { own: p.unit ?? 'none', unit: input.unit }));
  const user = await db.selectFrom('users').select(['id', 'unit']).where('id', '=', input.userId).executeTakeFirst();
  if (!user) throw new InputError(msg('review.noSuchUser'), [{ field: 'userId', got: input.userId }]);
  if (user.unit !== input.unit)
    throw new InputError(msg('review.userOtherUnit', { userUnit: user.unit ?? 'none', unit: input.unit }), [
      { field: 'unit', expected: user.unit ?? "the user's unit" },
    ]);
  const span = checkSpan(input.startsAt, input.endsAt);
  const shift = { id: randomUUID(), unit: input.unit, userId: input.userId, ...span };
  await db
    .insertInto('shifts')
    .values({
      id: shift.id,
      unit: shift.unit,
      user_id: shift.userId,
      starts_at: shift.startsAt,
      ends_at: shift.endsAt,
      created_by: p.id ?? 'system',
      created_at: nowIso(),
    })
    .execute();
  return shift;
}

/** The people of a unit who review alerts (officers and supervisors, not disabled), for rostering. */
export async function unitReviewers(
  db: Executor,
  unit: string,
): Promise<{ id: string; name: string; roles: string[] }[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'roles', 'disabled'])
    .where('unit', '=', unit)
    .orderBy('username')
    .execute();
  return rows
    .map((r) => ({
      id: r.id,
      name: r.display_name || r.username,
      roles: JSON.parse(r.roles) as string[],
      disabled: Boolean(r.disabled),
    }))
    .filter((u) => !u.disabled && u.roles.some((role) => role === 'officer' || role === 'supervisor'))
    .map(({ id, name, roles }) => ({ id, name, roles }));
}

/** The shifts of a unit overlapping [from, to), earliest first. Index: (unit, starts_at). */
export async function listShifts(db: Executor, unit: string, from: string, to: string): Promise<Shift[]> {
  const rows = await db
    .selectFrom('shifts')
    .selectAll()
    .where('unit', '=', unit)
    .where('starts_at', '<', toSecond(to))
    .where('ends_at', '>', toSecond(from))
    .orderBy('starts_at')
    .limit(1000)
    .execute();
  return rows.map((r) => ({ id: r.id, unit: r.unit, userId: r.user_id, startsAt: r.starts_at, endsAt: r.ends_at }));
}

/**
 * The reviewer's shift in their unit at `at` (now by default), or a StateError saying why there is none.
 * Of overlapping entries the one ending last wins, so a reviewer sees everything any of them covers.
 */
export async function currentShift(db: Executor, p: Principal, at = nowIso()): Promise<Shift> {
  if (!p.unit) throw new StateError(msg('review.noUnit'));
  if (!p.id) throw new AccessError(msg('review.personOnly'));
  const t = toSecond(at);
  const r = await db
    .selectFrom('shifts')
    .selectAll()
    .where('user_id', '=', p.id)
    .where('unit', '=', p.unit)
    .where('starts_at', '<=', t)
    .where('ends_at', '>', t)
    .orderBy('ends_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!r) throw new StateError(msg('review.notOnShift', { unit: p.unit, now: t }));
  return { id: r.id, unit: r.unit, userId: r.user_id, startsAt: r.starts_at, endsAt: r.ends_at };
}

/** Whether an alert belongs to the shift: it occurred before the shift ends (compared to the second). */
export const alertInShift = (occurredAt: string, shift: Shift) => occurredAt.slice(0, 19) < shift.endsAt.slice(0, 19);

/**
 * Puts a supervisor on duty for a unit and span. On duty is on shift: the supervisor's queue opens for
 * the same span (one transaction), then the roster change is logged.
 */
export async function putOnDuty(
  store: Store,
  ledger: Ledger,
  p: Principal,
  input: { unit: string; supervisorId: string; startsAt: string; endsAt: string },
): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    const shift = await addShift(trx, p, {
      unit: input.unit,
      userId: input.supervisorId,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
    });
    await trx
      .insertInto('duty_roster')
      .values({ unit: input.unit, supervisor_id: input.supervisorId, starts_at: shift.startsAt, ends_at: shift.endsAt })
      .execute();
  });
  await ledger.append({
    type: 'review.duty',
    actor: userRef(p.id),
    subjects: [userRef(input.supervisorId)],
    payload: input,
  });
}

/** Supervisors on duty now or later, every unit, soonest first (what still needs cover, at a glance). */
export async function upcomingDuty(db: Executor, now = nowIso()) {
  const rows = await db
    .selectFrom('duty_roster')
    .leftJoin('users', 'users.id', 'duty_roster.supervisor_id')
    .select([
      'duty_roster.unit',
      'duty_roster.supervisor_id',
      'duty_roster.starts_at',
      'duty_roster.ends_at',
      'users.display_name',
    ])
    .where('duty_roster.ends_at', '>', now)
    .orderBy('duty_roster.starts_at')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    unit: r.unit,
    supervisorId: r.supervisor_id,
    supervisorName: r.display_name ?? r.supervisor_id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
  }));
}

/** The supervisor on duty in a unit at a time (the latest duty that covers it), if any. Primary key: duty_roster (unit, starts_at). */
export async function supervisorOnDuty(db: Executor, unit: string, at: string): Promise<string | null> {
  const r = await db
    .selectFrom('duty_roster')
    .select('supervisor_id')
    .where('unit', '=', unit)
    .where('starts_at', '<=', at)
    .where('ends_at', '>', at)
    .orderBy('starts_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.supervisor_id ?? null;
}
