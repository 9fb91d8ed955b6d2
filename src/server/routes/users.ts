import { z } from 'zod';
import {
  createApiKey,
  createUser,
  resetPassword,
  revokeApiKey,
  revokeSessions,
  unlockUser,
  updateUser,
} from '../../accounts/accounts';
import { MACHINE_ROLES, PERSON_ROLES, ROLES, UnitSchema } from '../../domain/roles';
import type { RouteModule } from '../context';
import { userRef } from '../../ledger-service/events';

const User = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.enum(ROLES)),
  unit: z.string().nullable(),
  disabled: z.boolean(),
  createdAt: z.string(),
  lockedUntil: z.string().nullable(),
  failedSignIns: z.number().int(),
});
const UserId = z.object({ id: z.string().uuid() });
const PersonRoles = z
  .array(z.enum(PERSON_ROLES as [string, ...string[]]))
  .min(1)
  .max(6);

// Every route here is admin-only and, admitting no machine role, refuses API keys (a person acts).
export const userRoutes: RouteModule = (app, { services, ledger }) => {
  app.get(
    '/api/users',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['people'],
        summary: 'List accounts, with any sign-in lockout',
        response: { 200: z.array(User) },
      },
    },
    async () => services.accounts.listUsers(),
  );

  app.get(
    '/api/users/:id',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['people'],
        summary: 'One account, with any sign-in lockout',
        params: UserId,
        response: { 200: User },
      },
    },
    async (req) => services.accounts.getUser(req.params.id),
  );

  app.post(
    '/api/users',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['people'],
        summary: 'Create an account (logged in the same transaction)',
        body: z
          .object({
            username: z.string().max(64),
            password: z.string().max(1024),
            displayName: z.string().max(120).optional(),
            roles: PersonRoles,
            unit: UnitSchema.nullable().optional(),
          })
          .strict(),
        response: { 201: User },
      },
    },
    async (req, reply) => reply.code(201).send(await createUser(ledger, userRef(req.principal.id), req.body)),
  );

  app.patch(
    '/api/users/:id',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['people'],
        summary:
          'Change roles, unit, display name, or disable/enable; a change of roles, unit or state ends the sessions at once',
        params: UserId,
        body: z
          .object({
            roles: PersonRoles.optional(),
            unit: UnitSchema.nullable().optional(),
            disabled: z.boolean().optional(),
            displayName: z.string().min(1).max(120).optional(),
          })
          .strict(),
        response: { 200: User },
      },
    },
    async (req) => updateUser(ledger, userRef(req.principal.id), req.params.id, req.body),
  );

  app.post(
    '/api/users/:id/password',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['people'],
        summary: 'Set a new password; ends every session and lifts a sign-in lockout',
        params: UserId,
        body: z.object({ password: z.string().max(1024) }).strict(),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await resetPassword(ledger, userRef(req.principal.id), req.params.id, req.body.password);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/users/:id/sessions',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['people'],
        summary: 'End every session of an account now',
        params: UserId,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await revokeSessions(ledger, userRef(req.principal.id), req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/users/:id/lockout',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['people'],
        summary: 'Lift a sign-in lockout early',
        params: UserId,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await unlockUser(ledger, userRef(req.principal.id), req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/api-keys',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['people'],
        summary: 'List API keys for machine clients (never the secrets)',
        response: {
          200: z.array(
            z.object({
              id: z.string(),
              name: z.string(),
              roles: z.array(z.enum(ROLES)),
              systemId: z.string().nullable(),
              createdAt: z.string(),
              revokedAt: z.string().nullable(),
              lastUsedAt: z.string().nullable(),
            }),
          ),
        },
      },
    },
    async () => services.accounts.listApiKeys(),
  );

  app.post(
    '/api/api-keys',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['people'],
        summary: `Create an API key (machine roles only: ${MACHINE_ROLES.join(', ')}); the secret is returned once and only its hash is stored`,
        body: z
          .object({
            name: z.string().max(80),
            roles: z.array(z.enum(ROLES)).min(1).max(4),
            systemId: z.string().max(64).nullable().optional(),
          })
          .strict(),
        response: { 201: z.object({ id: z.string(), key: z.string() }) },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(await createApiKey(ledger, userRef(req.principal.id), { ...req.body, createdBy: req.principal.id })),
  );

  app.delete(
    '/api/api-keys/:id',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['people'],
        summary: 'Revoke an API key',
        params: z.object({ id: z.string().regex(/^[0-9a-f]{12}$/) }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await revokeApiKey(ledger, userRef(req.principal.id), req.params.id);
      return reply.code(204).send(null);
    },
  );
};
