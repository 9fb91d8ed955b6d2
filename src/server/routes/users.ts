import { z } from 'zod';
import { createApiKey, createUser, listApiKeys, listUsers, revokeApiKey } from '../../accounts/accounts';
import { PERSON_ROLES, ROLES } from '../../domain/roles';
import type { RouteModule } from '../context';
import { recordAccount, userRef } from '../../ledger-service/events';

const User = z.object({
  id: z.string(), username: z.string(), displayName: z.string(), roles: z.array(z.enum(ROLES)),
  unit: z.string().nullable(), disabled: z.boolean(), createdAt: z.string(),
});

export const userRoutes: RouteModule = (app, { store, ledger }) => {
  app.get('/api/users', {
    config: { roles: ['admin'] },
    schema: { tags: ['people'], summary: 'List accounts', response: { 200: z.array(User) } },
  }, async () => listUsers(store.db));

  app.post('/api/users', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['people'], summary: 'Create an account',
      body: z.object({
        username: z.string().max(64), password: z.string().max(1024), displayName: z.string().max(120).optional(),
        roles: z.array(z.enum(PERSON_ROLES as [string, ...string[]])).min(1).max(6), unit: z.string().max(64).nullable().optional(),
      }).strict(),
      response: { 201: User },
    },
  }, async (req, reply) => {
    const u = await createUser(store.db, req.body);
    await recordAccount(ledger, userRef(req.principal.id), { event: 'user.created', id: u.id, roles: u.roles });
    return reply.code(201).send(u);
  });

  app.get('/api/api-keys', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['people'], summary: 'List API keys for machine clients (never the secrets)',
      response: { 200: z.array(z.object({ id: z.string(), name: z.string(), roles: z.array(z.enum(ROLES)), systemId: z.string().nullable(), createdAt: z.string(), revokedAt: z.string().nullable(), lastUsedAt: z.string().nullable() })) },
    },
  }, async () => listApiKeys(store.db));

  app.post('/api/api-keys', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['people'], summary: 'Create an API key; the secret is returned once and only its hash is stored',
      body: z.object({ name: z.string().max(80), roles: z.array(z.enum(ROLES)).min(1).max(4), systemId: z.string().max(64).nullable().optional() }).strict(),
      response: { 201: z.object({ id: z.string(), key: z.string() }) },
    },
  }, async (req, reply) => {
    const k = await createApiKey(store.db, { ...req.body, createdBy: req.principal.id });
    await recordAccount(ledger, userRef(req.principal.id), { event: 'api-key.created', id: k.id, roles: req.body.roles, name: req.body.name });
    return reply.code(201).send(k);
  });

  app.delete('/api/api-keys/:id', {
    config: { roles: ['admin'] },
    schema: { tags: ['people'], summary: 'Revoke an API key', params: z.object({ id: z.string().regex(/^[0-9a-f]{12}$/) }), response: { 204: z.null() } },
  }, async (req, reply) => {
    await revokeApiKey(store.db, req.params.id);
    await recordAccount(ledger, userRef(req.principal.id), { event: 'api-key.revoked', id: req.params.id });
    return reply.code(204).send(null);
  });
};
