import type { FastifyReply, FastifyRequest } from 'fastify';
import { ANONYMOUS, principalFromApiKey, principalFromSession } from '../accounts/accounts';
import type { Role } from '../domain/roles';
import type { ServerContext } from './context';
import { sendProblem } from './problem';
import { msg } from '../domain/messages';

export const SESSION_COOKIE = 'cw_session';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** May a principal with these roles call a route that admits `allowed`? */
export function allows(allowed: Role[], held: Role[]): boolean {
  return allowed.includes('public') || held.some((r) => allowed.includes(r));
}

/**
 * Runs first on every request: who is calling (API key, then session cookie), may they call this route,
 * and for cookie sessions, does an unsafe method carry the session's CSRF token.
 */
export function authHook(ctx: ServerContext) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    req.principal = ANONYMOUS;
    const header = req.headers.authorization;
    if (header?.startsWith('Bearer ') && !req.routeOptions.config?.ownBearer) {
      const p = await principalFromApiKey(ctx.store.db, header.slice(7).trim());
      if (!p) return sendProblem(reply, 401, msg('auth.badKey'));
      req.principal = p;
    } else {
      const token = req.cookies?.[SESSION_COOKIE];
      if (token) {
        const p = await principalFromSession(ctx.store.db, token);
        if (p) {
          req.principal = p;
          if (UNSAFE.has(req.method) && req.headers['x-csrf-token'] !== p.csrfToken) {
            return sendProblem(reply, 403, msg('auth.badCsrf'));
          }
        }
      }
    }
    const allowed = req.routeOptions.config?.roles;
    if (!allowed) return; // 404s and static files: no route config
    // Checked before roles: even a key whose stored roles name a person's role is refused here.
    if (req.routeOptions.config.person && req.principal.kind === 'api-key')
      return sendProblem(reply, 403, msg('accounts.needsPerson'));
    if (!allows(allowed, req.principal.roles)) {
      return req.principal.kind === 'anonymous'
        ? sendProblem(reply, 401, msg('auth.notSignedIn'))
        : sendProblem(reply, 403, msg('auth.needsRole', { roles: allowed.join(', ') }));
    }
  };
}
