import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';
import { AccessError, InputError, NotFoundError } from '../domain/errors';
import { isRole, PERSON_ROLES, type Role } from '../domain/roles';
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
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;
export const MIN_PASSWORD = 12;
const SESSION_HOURS = 12;

// OWASP's argon2id baseline (m=19 MiB, t=2, p=1): slow enough to resist offline guessing, fast enough for login.
const ARGON2 = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

function parseRoles(json: string): Role[] {
  const v = JSON.parse(json) as unknown[];
  return v.filter(isRole);
}

function toPublic(u: { id: string; username: string; display_name: string; roles: string; unit: string | null; disabled: number; created_at: string }): PublicUser {
  return { id: u.id, username: u.username, displayName: u.display_name, roles: parseRoles(u.roles), unit: u.unit, disabled: u.disabled === 1, createdAt: u.created_at };
}

export async function createUser(
  db: Executor,
  input: { username: string; password: string; roles: string[]; displayName?: string; unit?: string | null },
): Promise<PublicUser> {
  const problems = [];
  if (!USERNAME.test(input.username)) problems.push({ field: 'username', expected: '2–64 lower-case letters, digits, . _ -' });
  if (typeof input.password !== 'string' || input.password.length < MIN_PASSWORD || input.password.length > 1024) {
    problems.push({ field: 'password', expected: `a password of ${MIN_PASSWORD}–1024 characters` });
  }
  const bad = input.roles.filter((r) => !(PERSON_ROLES as string[]).includes(r));
  if (bad.length || input.roles.length === 0) problems.push({ field: 'roles', expected: `one or more of ${PERSON_ROLES.join(', ')}`, got: bad.join(',') });
  if (problems.length) throw new InputError('invalid user', problems);
  const exists = await db.selectFrom('users').select('id').where('username', '=', input.username).executeTakeFirst();
  if (exists) throw new InputError(`user ${input.username} already exists`, [{ field: 'username', expected: 'a username not yet taken' }], 409);
  const row = {
    id: randomUUID(),
    username: input.username,
    display_name: (input.displayName ?? input.username).slice(0, 120),
    password_hash: await argon2.hash(input.password, ARGON2),
    roles: JSON.stringify([...new Set(input.roles)]),
    unit: input.unit ?? null,
    disabled: 0,
    created_at: nowIso(),
  };
  await db.insertInto('users').values(row).execute();
  return toPublic(row);
}

export async function listUsers(db: Executor): Promise<PublicUser[]> {
  return (await db.selectFrom('users').selectAll().orderBy('username').execute()).map(toPublic);
}

export async function getUser(db: Executor, id: string): Promise<PublicUser> {
  const u = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!u) throw new NotFoundError(`no user ${id}`);
  return toPublic(u);
}

export async function countUsers(db: Executor): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Check a password and open a session. The same error for unknown user and wrong password. */
export async function login(db: Executor, username: string, password: string): Promise<{ token: string; csrfToken: string; user: PublicUser; expiresAt: string }> {
  const u = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  // Verify against a dummy hash when the user is unknown, so timing does not reveal which usernames exist.
  const hash = u?.password_hash ?? DUMMY_HASH;
  const ok = await argon2.verify(await hash, password).catch(() => false);
  if (!u || !ok || u.disabled) throw new AccessError('wrong username or password', 401);
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = nowIso(new Date(Date.now() + SESSION_HOURS * 3600_000));
  await db.insertInto('sessions').values({ id: sha256(token), user_id: u.id, csrf_token: csrfToken, created_at: nowIso(), expires_at: expiresAt }).execute();
  return { token, csrfToken, user: toPublic(u), expiresAt };
}
const DUMMY_HASH = argon2.hash('counterweight-dummy-password', ARGON2);

export async function logout(db: Executor, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sha256(token)).execute();
}

export async function principalFromSession(db: Executor, token: string): Promise<Principal | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.display_name', 'users.roles', 'users.unit', 'users.disabled', 'sessions.csrf_token', 'sessions.expires_at'])
    .where('sessions.id', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.disabled || row.expires_at < nowIso()) return undefined;
  return { kind: 'user', id: row.id, name: row.display_name, roles: ['public', ...parseRoles(row.roles)], unit: row.unit, csrfToken: row.csrf_token };
}

/** API keys for machine clients: `cwk_<id>_<secret>`; only a SHA-256 of the whole key is stored. */
export async function createApiKey(
  db: Executor,
  input: { name: string; roles: Role[]; systemId?: string | null; createdBy?: string | null },
): Promise<{ id: string; key: string }> {
  if (!/^[\w .-]{1,80}$/.test(input.name)) throw new InputError('invalid key name', [{ field: 'name', expected: '1–80 letters, digits, space . _ -' }]);
  if (input.roles.length === 0 || input.roles.some((r) => !isRole(r) || r === 'admin')) {
    throw new InputError('invalid key roles', [{ field: 'roles', expected: 'one or more roles other than admin (machine clients never administer)' }]);
  }
  const id = randomBytes(6).toString('hex');
  const key = `cwk_${id}_${randomBytes(32).toString('base64url')}`;
  await db.insertInto('api_keys').values({
    id, name: input.name, key_hash: sha256(key), roles: JSON.stringify(input.roles), system_id: input.systemId ?? null,
    created_by: input.createdBy ?? null, created_at: nowIso(), revoked_at: null, last_used_at: null,
  }).execute();
  return { id, key };
}

export async function principalFromApiKey(db: Executor, key: string): Promise<Principal | undefined> {
  const m = /^cwk_([0-9a-f]{12})_[\w-]{43}$/.exec(key);
  if (!m) return undefined;
  const row = await db.selectFrom('api_keys').selectAll().where('id', '=', m[1]).executeTakeFirst();
  if (!row || row.revoked_at) return undefined;
  const a = Buffer.from(row.key_hash, 'hex');
  const b = Buffer.from(sha256(key), 'hex');
  if (a.length !== b.length || !timingSafeEqual(a, b)) return undefined;
  // Record use at most once a minute per key: a durable write on every request would cost an fsync each.
  const now = nowIso();
  if (!row.last_used_at || Date.parse(now) - Date.parse(row.last_used_at) >= 60_000) {
    await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return { kind: 'api-key', id: row.id, name: row.name, roles: parseRoles(row.roles), unit: null, systemId: row.system_id };
}

export async function listApiKeys(db: Executor) {
  const rows = await db.selectFrom('api_keys').select(['id', 'name', 'roles', 'system_id', 'created_at', 'revoked_at', 'last_used_at']).orderBy('created_at').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, roles: parseRoles(r.roles), systemId: r.system_id, createdAt: r.created_at, revokedAt: r.revoked_at, lastUsedAt: r.last_used_at }));
}

export async function revokeApiKey(db: Executor, id: string): Promise<void> {
  const r = await db.updateTable('api_keys').set({ revoked_at: nowIso() }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) throw new NotFoundError(`no active API key ${id}`);
}
