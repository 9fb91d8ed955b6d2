import { z } from 'zod';
import { login, logout } from '../../accounts/accounts';
import { ROLES } from '../../domain/roles';
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

export const authRoutes: RouteModule = (app, { store, config }) => {
  app.post('/api/auth/login', {
    config: { roles: ['public'] },
    schema: {
      tags: ['auth'], summary: 'Sign in; sets an HttpOnly session cookie and returns the CSRF token for unsafe requests',
      body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) }).strict(),
      response: { 200: Me },
    },
  }, async (req, reply) => {
    const s = await login(store.db, req.body.username, req.body.password);
    // Secure whenever the request came over HTTPS; req.protocol trusts X-Forwarded-Proto only with trustProxy.
    reply.setCookie(SESSION_COOKIE, s.token, { httpOnly: true, sameSite: 'strict', secure: config.secureCookies || req.protocol === 'https', path: '/', expires: new Date(s.expiresAt) });
    return { signedIn: true, kind: 'user' as const, id: s.user.id, name: s.user.displayName, roles: ['public' as const, ...s.user.roles], unit: s.user.unit, csrfToken: s.csrfToken };
  });

  app.post('/api/auth/logout', {
    config: { roles: ['analyst', 'supervisor', 'officer', 'system-owner', 'oversight', 'admin'] },
    schema: { tags: ['auth'], summary: 'Sign out (ends the session)', response: { 204: z.null() } },
  }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await logout(store.db, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send(null);
  });

  app.get('/api/auth/me', {
    config: { roles: ['public'] },
    schema: { tags: ['auth'], summary: 'Who is calling', response: { 200: Me } },
  }, async (req) => {
    const p = req.principal;
    return { signedIn: p.kind !== 'anonymous', kind: p.kind, id: p.id, name: p.name, roles: p.roles, unit: p.unit, csrfToken: p.csrfToken ?? null };
  });
};
