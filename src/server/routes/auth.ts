import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { changeOwnPassword, login, logout, SIGN_IN_ACTOR } from '../../accounts/accounts';
import { AccessError } from '../../domain/errors';
import { msg } from '../../domain/messages';
import { PERSON_ROLES, ROLES } from '../../domain/roles';
import { SESSION_COOKIE } from '../auth';
import type { RouteModule } from '../context';

const Me = z.object({
  signedIn: z.boolean(),
  kind: z.enum(['user', 'api-key', 'anonymous']),
  id: z.string().nullable(),
  name: z.string(),
  roles: z.array(z.enum(ROLES)),
  unit: z.string().nullable(),
  csrfToken: z.string().nullable(),
});

/** Sign-in attempts one source address may make per window; while over it, each attempt doubles the wait. */
export const SIGN_IN_PER_ADDRESS = { max: 30, windowMs: 60_000 };

export const authRoutes: RouteModule = async (app, { services, config, ledger }) => {
  /** Set the session cookie of a session just opened (sign-in, password change) and answer who is signed in. */
  const openSession = (req: FastifyRequest, reply: FastifyReply, s: Awaited<ReturnType<typeof login>>) => {
    // Secure whenever the request came over HTTPS; req.protocol trusts X-Forwarded-Proto only with trustProxy.
    reply.setCookie(SESSION_COOKIE, s.token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: config.secureCookies || req.protocol === 'https',
      path: '/',
      expires: new Date(s.expiresAt),
    });
    return {
      signedIn: true,
      kind: 'user' as const,
      id: s.user.id,
      name: s.user.displayName,
      roles: ['public' as const, ...s.user.roles],
      unit: s.user.unit,
      csrfToken: s.csrfToken,
    };
  };

  // Per source address, in memory (per server); the per-account backoff lives in the database
  // (accounts.ts), so it holds across restarts and servers. Registered in its own scope so it applies to
  // sign-in only and cannot clash with other routes' limits.
  // Addresses whose current throttle is already logged, until it ends (memory only: the log never sees an address).
  const throttled = new Map<string, number>();
  // The rate-limit plugin is registered once by buildApp (no global limit); this route sets its own
  // limit, backoff and message through its config.
  const signInLimit = {
    max: SIGN_IN_PER_ADDRESS.max,
    timeWindow: SIGN_IN_PER_ADDRESS.windowMs,
    exponentialBackoff: true,
    errorResponseBuilder: (req: FastifyRequest, ctx: { ttl: number; max: number }) => {
      const now = Date.now();
      const key = req.ip;
      if ((throttled.get(key) ?? 0) <= now) {
        if (throttled.size >= 10_000) throttled.clear();
        throttled.set(key, now + ctx.ttl);
        // One entry per throttled address and window; a failed append must not turn the 429 into a 500.
        ledger
          .append({
            type: 'access.sign-in.address-throttled',
            actor: SIGN_IN_ACTOR,
            subjects: [],
            payload: { max: ctx.max, seconds: Math.ceil(ctx.ttl / 1000) },
          })
          .catch((e) => req.log.error({ err: String(e) }, 'logging a sign-in throttle failed'));
      }
      return new AccessError(msg('accounts.tooManyFromAddress', { seconds: Math.ceil(ctx.ttl / 1000) }), 429);
    },
  };
  {
    const scope = app;
    scope.post(
      '/api/auth/login',
      {
        config: { roles: ['public'], rateLimit: signInLimit },
        schema: {
          tags: ['auth'],
          summary:
            'Sign in; sets an HttpOnly session cookie and returns the CSRF token for unsafe requests. Repeated failures lock the account for a growing time (429)',
          body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) }).strict(),
          response: { 200: Me },
        },
      },
      async (req, reply) => {
        return openSession(req, reply, await login(ledger, req.body.username, req.body.password));
      },
    );
  }

  app.post(
    '/api/auth/password',
    {
      config: { roles: PERSON_ROLES },
      schema: {
        tags: ['auth'],
        summary: 'Change your own password: every session ends and a new one opens (new cookie and CSRF token)',
        body: z.object({ currentPassword: z.string().min(1).max(1024), newPassword: z.string().max(1024) }).strict(),
        response: { 200: Me },
      },
    },
    async (req, reply) => {
      return openSession(
        req,
        reply,
        await changeOwnPassword(ledger, req.principal.id!, req.body.currentPassword, req.body.newPassword),
      );
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { roles: PERSON_ROLES },
      schema: { tags: ['auth'], summary: 'Sign out (ends the session)', response: { 204: z.null() } },
    },
    async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) await services.accounts.logout(token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { roles: ['public'] },
      schema: { tags: ['auth'], summary: 'Who is calling', response: { 200: Me } },
    },
    async (req) => {
      const p = req.principal;
      return {
        signedIn: p.kind !== 'anonymous',
        kind: p.kind,
        id: p.id,
        name: p.name,
        roles: p.roles,
        unit: p.unit,
        csrfToken: p.csrfToken ?? null,
      };
    },
  );
};
