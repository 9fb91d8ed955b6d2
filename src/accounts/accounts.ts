import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import { AccessError, InputError, NotFoundError, StateError, type Where } from '../domain/errors';
import { msg } from '../domain/messages';
import { isRole, MACHINE_ROLES, PERSON_ROLES, UnitSchema, type Role } from '../domain/roles';
import type { Ledger } from '../ledger-service/ledger';
import type { SideRow } from '../store/log/entries';
import { userRef } from '../ledger-service/events';
import { nowIso, type Executor } from '../store/db';

/** Who is calling: a person with a session, a machine client with an API key, or the anonymous public. */
export interface Principal {
  kind: 'user' | 'api-key' | 'anonymous';
  id: string | null;
  name: string;
  roles: Role[];
  unit: string | null;
  /** For API keys bound to one registered AI system. */
  systemId?: string | null;
  csrfToken?: string;
}

export const ANONYMOUS: Principal = { kind: 'anonymous', id: null, name: 'public', roles: ['public'], unit: null };

export interface PublicUser {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  unit: string | null;
  disabled: boolean;
  createdAt: string;
  /** Until when sign-in is refused after repeated failures (null when not locked). */
  lockedUntil: string | null;
  /** Consecutive failed sign-ins not yet cleared by a successful one. */
  failedSignIns: number;
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;
export const MIN_PASSWORD = 12;
/** zxcvbn score (0–4) a password must reach: 3 = "safely unguessable" against online and throttled offline attacks. */
export const MIN_PASSWORD_SCORE = 3;
const SESSION_HOURS = 12;

/** Sign-in throttling: the LOCK_AFTER-th consecutive failure locks the account; each later one doubles the lock. */
export const LOCK_AFTER = 5;
const FIRST_LOCK_MS = 60_000;
const MAX_LOCK_MS = 3600_000;
/** Failures older than this are forgotten (a user who mistypes once a week is never locked). */
const FORGET_FAILURES_MS = 24 * 3600_000;

/** Log actors for what the server itself does. */
export const SIGN_IN_ACTOR = 'system:counterweight-sign-in';
export const FIRST_START_ACTOR = 'system:counterweight-first-start';

const keyRef = (id: string) => `api-key:${id}`;

// OWASP's argon2id baseline (m=19 MiB, t=2, p=1): slow enough to resist offline guessing, fast enough for login.
const ARGON2 = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

function parseRoles(json: string): Role[] {
  const v = JSON.parse(json) as unknown[];
  return v.filter(isRole);
}

type UserRow = {
  id: string;
  username: string;
  display_name: string;
  roles: string;
  unit: string | null;
  disabled: number;
  created_at: string;
};
type ThrottleRow = { failures: number | null; locked_until: string | null } | undefined;

function toPublic(u: UserRow, t?: ThrottleRow): PublicUser {
  const lockedUntil = t?.locked_until && t.locked_until > nowIso() ? t.locked_until : null;
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    roles: parseRoles(u.roles),
    unit: u.unit,
    disabled: u.disabled === 1,
    createdAt: u.created_at,
    lockedUntil,
    failedSignIns: Number(t?.failures ?? 0),
  };
}

// ---- Passwords ----

// Built on first use: loading the dictionaries (top breached passwords, names, common words) takes ~0.4 s.
let strength: ZxcvbnFactory | undefined;

/** Why a password is refused, as places: too short/long, or guessable (common, a pattern, built from the user's own name). */
export function passwordProblems(password: unknown, userInputs: string[], field = 'password'): Where[] {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD || password.length > 1024) {
    return [{ field, expected: `a password of ${MIN_PASSWORD}–1024 characters` }];
  }
  strength ??= new ZxcvbnFactory({ dictionary: { ...zxcvbnCommon.dictionary }, graphs: zxcvbnCommon.adjacencyGraphs });
  const r = strength.check(password, userInputs);
  if (r.score < MIN_PASSWORD_SCORE) {
    const why = r.feedback.warning ?? 'guessable';
    return [
      {
        field,
        expected: `a password that is not common or guessable (strength ${r.score}/4, at least ${MIN_PASSWORD_SCORE} needed; problem: ${why})`,
      },
    ];
  }
  return [];
}

function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2);
}

// ---- Creating accounts and keys: the row and its log entry commit in one transaction ----

/**
 * Create a person's account. The users row is written by the log in the same transaction as its
 * `access.user.created` entry (a side row), so no account exists that the log does not record.
 * The entry names only the pseudonymous id, roles and unit: never the username, name or password hash.
 */
export async function createUser(
  ledger: Ledger,
  actor: string,
  input: { username: string; password: string; roles: string[]; displayName?: string; unit?: string | null },
): Promise<PublicUser> {
  const problems: Where[] = [];
  if (typeof input.username !== 'string' || !USERNAME.test(input.username))
    problems.push({ field: 'username', expected: '2–64 lower-case letters, digits, . _ -' });
  const roles = Array.isArray(input.roles) ? input.roles : [];
  const bad = roles.filter((r) => !(PERSON_ROLES as string[]).includes(r));
  if (bad.length || roles.length === 0)
    problems.push({ field: 'roles', expected: `one or more of ${PERSON_ROLES.join(', ')}`, got: bad.join(',') });
  if (input.unit != null && !UnitSchema.safeParse(input.unit).success)
    problems.push({
      field: 'unit',
      expected: 'a unit id: lower-case letters, digits and -',
      got: String(input.unit).slice(0, 64),
    });
  problems.push(...passwordProblems(input.password, [input.username, input.displayName ?? ''].filter(Boolean)));
  if (problems.length) throw new InputError(msg('accounts.invalidUser'), problems);
  const db = ledger.store.db;
  const exists = await db.selectFrom('users').select('id').where('username', '=', input.username).executeTakeFirst();
  if (exists)
    throw new InputError(
      msg('accounts.exists', { username: input.username }),
      [{ field: 'username', expected: 'a username not yet taken' }],
      409,
    );
  const row = {
    id: randomUUID(),
    username: input.username,
    display_name: (input.displayName ?? input.username).slice(0, 120),
    password_hash: await hashPassword(input.password),
    roles: JSON.stringify([...new Set(roles)]),
    unit: input.unit ?? null,
    disabled: 0,
    created_at: nowIso(),
    session_epoch: randomBytes(12).toString('base64url'),
  };
  const r = await ledger.append(
    {
      type: 'access.user.created',
      actor,
      subjects: [userRef(row.id)],
      payload: { id: row.id, roles: JSON.parse(row.roles), unit: row.unit },
    },
    { table: 'users', values: row, indexColumn: 'log_index', onlyIfWritten: true },
  );
  // A concurrent request took the username between the check and the commit: no row, and no entry either.
  if (!r.sideWritten)
    throw new InputError(
      msg('accounts.exists', { username: input.username }),
      [{ field: 'username', expected: 'a username not yet taken' }],
      409,
    );
  return toPublic(row);
}

/** On a database with no accounts, create the first administrator (logged like any other account). */
export async function ensureFirstAdmin(ledger: Ledger, password: string): Promise<PublicUser | undefined> {
  if ((await countUsers(ledger.store.db)) > 0) return undefined;
  try {
    return await createUser(ledger, FIRST_START_ACTOR, {
      username: 'admin',
      password,
      roles: ['admin'],
      displayName: 'Administrator',
    });
  } catch (e) {
    // Two servers starting at once on an empty database: the other one created it.
    if (e instanceof InputError && e.status === 409) return undefined;
    throw e;
  }
}

/**
 * API keys for machine clients: `cwk_<id>_<secret>`; only a SHA-256 of the whole key is stored, written
 * with its log entry. Keys hold machine roles only: a key never acts as a named person.
 */
export async function createApiKey(
  ledger: Ledger,
  actor: string,
  input: { name: string; roles: string[]; systemId?: string | null; createdBy?: string | null },
): Promise<{ id: string; key: string }> {
  const problems: Where[] = [];
  if (typeof input.name !== 'string' || !/^[\w .-]{1,80}$/.test(input.name))
    problems.push({ field: 'name', expected: '1–80 letters, digits, space . _ -' });
  if (
    !Array.isArray(input.roles) ||
    input.roles.length === 0 ||
    input.roles.some((r) => !(MACHINE_ROLES as string[]).includes(r))
  ) {
    problems.push({
      field: 'roles',
      expected: `only machine roles: ${MACHINE_ROLES.join(', ')}`,
      got: Array.isArray(input.roles) ? input.roles.join(',') : undefined,
    });
  }
  if (problems.length) throw new InputError(msg('accounts.keyRoles', { roles: MACHINE_ROLES.join(', ') }), problems);
  // A log reference may not be all digits (leaf.ts), which 0.35% of 12-hex-digit ids would be: draw again.
  let id = randomBytes(6).toString('hex');
  while (!/[a-f]/.test(id)) id = randomBytes(6).toString('hex');
  const key = `cwk_${id}_${randomBytes(32).toString('base64url')}`;
  const roles = [...new Set(input.roles)];
  await ledger.append(
    {
      type: 'access.api-key.created',
      actor,
      subjects: [keyRef(id)],
      payload: { id, roles, name: input.name, systemId: input.systemId ?? null },
    },
    {
      table: 'api_keys',
      indexColumn: 'log_index',
      values: {
        id,
        name: input.name,
        key_hash: sha256(key),
        roles: JSON.stringify(roles),
        system_id: input.systemId ?? null,
        created_by: input.createdBy ?? null,
        created_at: nowIso(),
        revoked_at: null,
        last_used_at: null,
      },
    },
  );
  return { id, key };
}

// ---- Changing accounts: one guarded update plus a numbered event row, in the log's transaction ----

interface PlannedChange {
  subject: string;
  event: string;
  payload: Record<string, unknown>;
  guard: NonNullable<SideRow['guard']>;
}

/**
 * Apply an account change together with its log entry. `plan` reads the current state, checks the rules
 * (e.g. the last active admin) and returns the update. The event row takes the next `seq`, read BEFORE
 * the state: if any other account change commits in between, the unique seq makes this one write
 * nothing (guard and row roll back together) and we plan again on fresh state. So two admins disabling
 * each other at once cannot leave no admin. The log entry of a lost attempt stays, naming its seq.
 */
async function changeAccount(
  ledger: Ledger,
  actor: string,
  plan: (db: Executor) => Promise<PlannedChange>,
): Promise<void> {
  const db = ledger.store.db;
  for (let attempt = 0; attempt < 8; attempt++) {
    const last = await db
      .selectFrom('account_events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    const seq = Number(last?.seq ?? 0) + 1;
    const c = await plan(db);
    const r = await ledger.append(
      { type: `access.${c.event}`, actor, subjects: [c.subject], payload: { ...c.payload, seq } },
      {
        table: 'account_events',
        values: { seq, subject: c.subject, event: c.event, actor, created_at: nowIso() },
        indexColumn: 'log_index',
        guard: c.guard,
      },
    );
    if (r.sideWritten) return;
  }
  throw new StateError(msg('accounts.busy'));
}

async function userRow(db: Executor, id: string) {
  const u = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!u) throw new NotFoundError(msg('accounts.noUser', { id }));
  return u;
}

/** Refuse a change that would leave no active administrator. O(users) per check: accounts change rarely. */
async function assertAnotherActiveAdmin(db: Executor, exceptId: string): Promise<void> {
  const others = await db
    .selectFrom('users')
    .select('roles')
    .where('disabled', '=', 0)
    .where('id', '!=', exceptId)
    .execute();
  if (!others.some((o) => parseRoles(o.roles).includes('admin'))) throw new StateError(msg('accounts.lastAdmin'));
}

const newEpoch = () => randomBytes(12).toString('base64url');

/**
 * Change roles, unit, display name or disabled state. A change of roles, unit or disabled state ends the
 * person's sessions at once (a new session epoch in the same update); disabling also stops the API keys
 * they minted (checked at use).
 */
export async function updateUser(
  ledger: Ledger,
  actor: string,
  id: string,
  change: { roles?: string[]; unit?: string | null; disabled?: boolean; displayName?: string },
): Promise<PublicUser> {
  const problems: Where[] = [];
  if (change.roles !== undefined) {
    const bad = change.roles.filter((r) => !(PERSON_ROLES as string[]).includes(r));
    if (bad.length || change.roles.length === 0)
      problems.push({ field: 'roles', expected: `one or more of ${PERSON_ROLES.join(', ')}`, got: bad.join(',') });
  }
  if (change.unit != null && !UnitSchema.safeParse(change.unit).success)
    problems.push({
      field: 'unit',
      expected: 'a unit id: lower-case letters, digits and -',
      got: String(change.unit).slice(0, 64),
    });
  if (change.displayName !== undefined && (change.displayName.length === 0 || change.displayName.length > 120))
    problems.push({ field: 'displayName', expected: '1–120 characters' });
  if (
    change.roles === undefined &&
    change.unit === undefined &&
    change.disabled === undefined &&
    change.displayName === undefined
  ) {
    problems.push({ field: 'body', expected: 'at least one of roles, unit, disabled, displayName' });
  }
  if (problems.length) throw new InputError(msg('accounts.invalidChange'), problems);
  await changeAccount(ledger, actor, async (db) => {
    const u = await userRow(db, id);
    const wasAdmin = u.disabled === 0 && parseRoles(u.roles).includes('admin');
    const roles = change.roles ? [...new Set(change.roles)] : parseRoles(u.roles);
    const disabled = change.disabled === undefined ? u.disabled === 1 : change.disabled;
    if (wasAdmin && (disabled || !roles.includes('admin'))) await assertAnotherActiveAdmin(db, id);
    const set: Record<string, string | number | null> = {};
    const payload: Record<string, unknown> = { id };
    if (change.roles) ((set.roles = JSON.stringify(roles)), (payload.roles = roles));
    if (change.unit !== undefined) ((set.unit = change.unit), (payload.unit = change.unit));
    if (change.disabled !== undefined) ((set.disabled = disabled ? 1 : 0), (payload.disabled = disabled));
    if (change.displayName !== undefined)
      ((set.display_name = change.displayName), (payload.displayNameChanged = true));
    const endsSessions = change.roles !== undefined || change.unit !== undefined || change.disabled !== undefined;
    if (endsSessions) ((set.session_epoch = newEpoch()), (payload.sessionsRevoked = true));
    const event =
      change.disabled === true ? 'user.disabled' : change.disabled === false ? 'user.enabled' : 'user.changed';
    return { subject: userRef(id), event, payload, guard: { table: 'users', set, where: { id } } };
  });
  await dropStaleSessions(ledger.store.db, id);
  return getUser(ledger.store.db, id);
}

/** An administrator sets a new password: ends every session and clears a sign-in lockout. */
export async function resetPassword(ledger: Ledger, actor: string, id: string, password: string): Promise<void> {
  const u = await userRow(ledger.store.db, id);
  const problems = passwordProblems(password, [u.username, u.display_name]);
  if (problems.length) throw new InputError(msg('accounts.weakPassword'), problems);
  const hash = await hashPassword(password);
  await changeAccount(ledger, actor, async () => ({
    subject: userRef(id),
    event: 'user.password-reset',
    payload: { id, sessionsRevoked: true },
    guard: { table: 'users', set: { password_hash: hash, session_epoch: newEpoch() }, where: { id } },
  }));
  await ledger.store.db.deleteFrom('sign_in_throttle').where('username', '=', u.username).execute();
  await dropStaleSessions(ledger.store.db, id);
}

/** A person changes their own password (the current one first); every session ends, and a new one opens. */
export async function changeOwnPassword(ledger: Ledger, id: string, current: string, next: string) {
  const u = await userRow(ledger.store.db, id);
  if (!(await argon2.verify(u.password_hash, current).catch(() => false))) {
    throw new InputError(
      msg('accounts.wrongCurrentPassword'),
      [{ field: 'currentPassword', expected: 'your current password' }],
      403,
    );
  }
  const problems = passwordProblems(next, [u.username, u.display_name, current], 'newPassword');
  if (problems.length) throw new InputError(msg('accounts.weakPassword'), problems);
  const hash = await hashPassword(next);
  const epoch = newEpoch();
  await changeAccount(ledger, userRef(id), async () => ({
    subject: userRef(id),
    event: 'user.password-changed',
    payload: { id, sessionsRevoked: true },
    guard: { table: 'users', set: { password_hash: hash, session_epoch: epoch }, where: { id } },
  }));
  await dropStaleSessions(ledger.store.db, id);
  return openSession(ledger.store.db, { ...u, session_epoch: epoch });
}

/** End every session of a person at once (a new session epoch). */
export async function revokeSessions(ledger: Ledger, actor: string, id: string): Promise<void> {
  await changeAccount(ledger, actor, async (db) => {
    await userRow(db, id);
    return {
      subject: userRef(id),
      event: 'user.sessions-revoked',
      payload: { id },
      guard: { table: 'users', set: { session_epoch: newEpoch() }, where: { id } },
    };
  });
  await dropStaleSessions(ledger.store.db, id);
}

/** An administrator lifts a sign-in lockout early. */
export async function unlockUser(ledger: Ledger, actor: string, id: string): Promise<void> {
  const u = await userRow(ledger.store.db, id);
  await ledger.append({ type: 'access.user.unlocked', actor, subjects: [userRef(id)], payload: { id } });
  await ledger.store.db.deleteFrom('sign_in_throttle').where('username', '=', u.username).execute();
}

/** Sessions of an old epoch no longer authenticate (see principalFromSession); this only tidies them away. */
async function dropStaleSessions(db: Executor, userId: string): Promise<void> {
  const u = await db.selectFrom('users').select('session_epoch').where('id', '=', userId).executeTakeFirst();
  if (u) await db.deleteFrom('sessions').where('user_id', '=', userId).where('epoch', '!=', u.session_epoch).execute();
}

export async function revokeApiKey(ledger: Ledger, actor: string, id: string): Promise<void> {
  await changeAccount(ledger, actor, async (db) => {
    const k = await db.selectFrom('api_keys').select(['id', 'revoked_at']).where('id', '=', id).executeTakeFirst();
    if (!k || k.revoked_at) throw new NotFoundError(msg('accounts.noKey', { id }));
    return {
      subject: keyRef(id),
      event: 'api-key.revoked',
      payload: { id },
      guard: { table: 'api_keys', set: { revoked_at: nowIso() }, where: { id } },
    };
  });
}

// ---- Reading accounts ----

function usersWithThrottle(db: Executor) {
  return db
    .selectFrom('users')
    .leftJoin('sign_in_throttle', 'sign_in_throttle.username', 'users.username')
    .select([
      'users.id',
      'users.username',
      'users.display_name',
      'users.roles',
      'users.unit',
      'users.disabled',
      'users.created_at',
      'sign_in_throttle.failures',
      'sign_in_throttle.locked_until',
    ]);
}

export async function listUsers(db: Executor): Promise<PublicUser[]> {
  return (await usersWithThrottle(db).orderBy('users.username').execute()).map((u) => toPublic(u, u));
}

export async function getUser(db: Executor, id: string): Promise<PublicUser> {
  const u = await usersWithThrottle(db).where('users.id', '=', id).executeTakeFirst();
  if (!u) throw new NotFoundError(msg('accounts.noUser', { id }));
  return toPublic(u, u);
}

/** The id of an account by username (for the command line). */
export async function userIdByName(db: Executor, username: string): Promise<string> {
  const u = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
  if (!u) throw new NotFoundError(msg('accounts.noUser', { id: username }));
  return u.id;
}

export async function countUsers(db: Executor): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

// ---- Signing in ----

export function lockMillis(failures: number): number {
  return Math.min(FIRST_LOCK_MS * 2 ** (failures - LOCK_AFTER), MAX_LOCK_MS);
}

function lockedError(until: string): AccessError {
  const minutes = Math.max(1, Math.ceil((Date.parse(until) - Date.now()) / 60_000));
  return new AccessError(
    msg('accounts.locked', { until: `${until.slice(0, 16).replace('T', ' ')} UTC`, minutes }),
    429,
  );
}

/**
 * Count this attempt as a failure BEFORE checking the password, with a compare-and-set on the stored
 * count: parallel attempts (from any number of servers) each get their own number, so at most LOCK_AFTER
 * are ever checked before the lock, and an attempt that reaches the threshold locks the account while it
 * is being checked. A correct password then clears the row. Returns the attempt's number.
 */
async function reserveAttempt(db: Executor, username: string): Promise<number> {
  // Now and then forget stale rows (unknown usernames tried once, old failures): the table stays small.
  if (Math.random() < 1 / 64) {
    const now = Date.now();
    await db
      .deleteFrom('sign_in_throttle')
      .where('last_failure_at', '<', new Date(now - FORGET_FAILURES_MS).toISOString())
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', new Date(now).toISOString())]))
      .execute();
  }
  for (let i = 0; i < 20; i++) {
    const now = Date.now();
    const at = new Date(now).toISOString();
    await db
      .insertInto('sign_in_throttle')
      .values({ username, failures: 0, locked_until: null, last_failure_at: at })
      .onConflict((oc) => oc.column('username').doNothing())
      .execute();
    const row = await db
      .selectFrom('sign_in_throttle')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirstOrThrow();
    if (row.locked_until && Date.parse(row.locked_until) > now) throw lockedError(row.locked_until);
    const n = (Date.parse(row.last_failure_at) < now - FORGET_FAILURES_MS ? 0 : row.failures) + 1;
    const lockedUntil = n >= LOCK_AFTER ? new Date(now + lockMillis(n)).toISOString() : null;
    const r = await db
      .updateTable('sign_in_throttle')
      .set({ failures: n, locked_until: lockedUntil, last_failure_at: at })
      .where('username', '=', username)
      .where('failures', '=', row.failures)
      .where('last_failure_at', '=', row.last_failure_at)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 1) return n;
  }
  throw new AccessError(msg('accounts.busy'), 429);
}

async function openSession(db: Executor, u: UserRow & { session_epoch: string }) {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = nowIso(new Date(Date.now() + SESSION_HOURS * 3600_000));
  await db
    .insertInto('sessions')
    .values({
      id: sha256(token),
      user_id: u.id,
      csrf_token: csrfToken,
      created_at: nowIso(),
      expires_at: expiresAt,
      epoch: u.session_epoch,
    })
    .execute();
  return { token, csrfToken, user: toPublic(u), expiresAt };
}

/**
 * Check a password and open a session. The same error for unknown user, disabled user and wrong password,
 * and the same throttle for all three (so a lockout does not reveal which usernames exist). Each lockout
 * is logged, naming the account's pseudonymous id only (never the password or the caller's address).
 */
export async function login(
  ledger: Ledger,
  username: string,
  password: string,
): Promise<{ token: string; csrfToken: string; user: PublicUser; expiresAt: string }> {
  const db = ledger.store.db;
  const attempt = await reserveAttempt(db, username);
  const u = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  // Verify against a dummy hash when the user is unknown, so timing does not reveal which usernames exist.
  const hash = u?.password_hash ?? (await DUMMY_HASH);
  const ok = await argon2.verify(hash, password).catch(() => false);
  if (u && ok && !u.disabled) {
    await db.deleteFrom('sign_in_throttle').where('username', '=', username).execute();
    return openSession(db, u);
  }
  if (attempt >= LOCK_AFTER) {
    const row = await db
      .selectFrom('sign_in_throttle')
      .select('locked_until')
      .where('username', '=', username)
      .executeTakeFirst();
    const until = row?.locked_until ?? new Date(Date.now() + lockMillis(attempt)).toISOString();
    await ledger.append({
      type: 'access.sign-in.locked',
      actor: SIGN_IN_ACTOR,
      subjects: [u ? userRef(u.id) : 'system:unknown-account'],
      payload: { failures: attempt, until },
    });
    throw lockedError(until);
  }
  throw new AccessError(msg('accounts.wrongPassword'), 401);
}
const DUMMY_HASH = argon2.hash('counterweight-dummy-password', ARGON2);

export async function logout(db: Executor, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sha256(token)).execute();
}

/** A session authenticates only while its user is enabled and its epoch is the user's current one. */
export async function principalFromSession(db: Executor, token: string): Promise<Principal | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'users.id',
      'users.display_name',
      'users.roles',
      'users.unit',
      'users.disabled',
      'users.session_epoch',
      'sessions.epoch',
      'sessions.csrf_token',
      'sessions.expires_at',
    ])
    .where('sessions.id', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.disabled || row.epoch !== row.session_epoch || row.expires_at < nowIso()) return undefined;
  return {
    kind: 'user',
    id: row.id,
    name: row.display_name,
    roles: ['public', ...parseRoles(row.roles)],
    unit: row.unit,
    csrfToken: row.csrf_token,
  };
}

/**
 * A key authenticates only while unrevoked and its minting account is enabled. Only machine roles are
 * honoured, whatever the stored row says: a key minted before this rule with a person's role
 * (e.g. oversight) acts as `integration` at most.
 */
export async function principalFromApiKey(db: Executor, key: string): Promise<Principal | undefined> {
  const m = /^cwk_([0-9a-f]{12})_[\w-]{43}$/.exec(key);
  if (!m) return undefined;
  const row = await db
    .selectFrom('api_keys')
    .leftJoin('users', 'users.id', 'api_keys.created_by')
    .select([
      'api_keys.id',
      'api_keys.name',
      'api_keys.key_hash',
      'api_keys.roles',
      'api_keys.system_id',
      'api_keys.revoked_at',
      'api_keys.last_used_at',
      'users.disabled as creator_disabled',
    ])
    .where('api_keys.id', '=', m[1])
    .executeTakeFirst();
  if (!row || row.revoked_at || row.creator_disabled === 1) return undefined;
  const a = Buffer.from(row.key_hash, 'hex');
  const b = Buffer.from(sha256(key), 'hex');
  if (a.length !== b.length || !timingSafeEqual(a, b)) return undefined;
  // Record use at most once a minute per key: a durable write on every request would cost an fsync each.
  const now = nowIso();
  if (!row.last_used_at || Date.parse(now) - Date.parse(row.last_used_at) >= 60_000) {
    await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  const roles = parseRoles(row.roles).filter((r) => MACHINE_ROLES.includes(r));
  return { kind: 'api-key', id: row.id, name: row.name, roles, unit: null, systemId: row.system_id };
}

export async function listApiKeys(db: Executor) {
  const rows = await db
    .selectFrom('api_keys')
    .select(['id', 'name', 'roles', 'system_id', 'created_at', 'revoked_at', 'last_used_at'])
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    roles: parseRoles(r.roles),
    systemId: r.system_id,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
  }));
}
