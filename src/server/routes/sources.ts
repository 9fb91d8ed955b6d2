import { z } from 'zod';
import { userRef } from '../../ledger-service/events';
import type { RouteModule } from '../context';
import { NotFoundError } from '../../domain/errors';
import { msg } from '../../domain/messages';

/** The data-source register is public: anyone can see what data the police AI uses and may use it for. */
export const sourceRoutes: RouteModule = (app, { services }) => {
  app.get(
    '/api/sources',
    {
      config: { roles: ['public'] },
      schema: {
        tags: ['privacy'],
        summary:
          'Every registered data source: provenance, legal basis, consent, personal-data categories, allowed purposes, retention',
      },
    },
    async () => services.privacy.listSources(),
  );

  app.get(
    '/api/sources/:id',
    {
      config: { roles: ['public'] },
      schema: {
        tags: ['privacy'],
        summary: 'Every version of one data source record',
        params: z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/) }),
      },
    },
    async (req) => services.privacy.sourceHistory(req.params.id),
  );

  app.post(
    '/api/sources/:id/redactions',
    {
      config: { roles: ['oversight'] },
      schema: {
        tags: ['privacy'],
        summary: 'Withhold one field of a public source record, with the legal reason and an expiry',
        params: z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/) }),
        body: z
          .object({
            field: z.string().regex(/^[A-Za-z]{1,64}$/),
            legalReason: z.string().min(3).max(500),
            expiresAt: z.string().datetime(),
          })
          .strict(),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await services.privacy.redactSourceField(userRef(req.principal.id), req.principal.id!, req.params.id, {
        ...req.body,
        expiresAt: req.body.expiresAt.replace(/\.\d+Z$/, 'Z'),
      });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/sources',
    {
      config: { roles: ['oversight', 'admin'] },
      schema: {
        tags: ['privacy'],
        summary:
          'Register a data source, or a new version that narrows or keeps its purposes (widening: POST /api/sources/proposals)',
        body: z.record(z.string(), z.unknown()),
        response: { 201: z.object({ id: z.string(), version: z.number() }) },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await services.privacy.registerSource(userRef(req.principal.id), req.body)),
  );

  app.post(
    '/api/sources/proposals',
    {
      config: { roles: ['oversight', 'admin'] },
      schema: {
        tags: ['privacy'],
        summary:
          'Propose a new version that widens what a source may be used for, with its legal basis; a second person approves it',
        body: z.object({ record: z.record(z.string(), z.unknown()), legalBasis: z.string().max(2000) }).strict(),
      },
    },
    async (req, reply) =>
      reply
        .code(202)
        .send(
          await services.privacy.proposeSourceChange(
            { id: req.principal.id!, actor: userRef(req.principal.id) },
            req.body.record,
            req.body.legalBasis,
          ),
        ),
  );

  app.get(
    '/api/sources/proposals',
    {
      config: { roles: ['oversight', 'admin'] },
      schema: {
        tags: ['privacy'],
        summary: 'Widenings waiting for a second person: what each adds, its legal basis, who proposed it',
      },
    },
    async () => services.privacy.pendingSourceProposals(),
  );

  app.post(
    '/api/sources/proposals/:proposalId/decision',
    {
      config: { roles: ['oversight'] },
      schema: {
        tags: ['privacy'],
        summary: 'Approve or refuse a proposed widening (never the person who proposed it)',
        params: z.object({ proposalId: z.coerce.number().int().min(1) }),
        body: z.object({ approve: z.boolean() }).strict(),
      },
    },
    async (req) =>
      services.privacy.decideSourceChange(
        { id: req.principal.id!, actor: userRef(req.principal.id) },
        req.params.proposalId,
        req.body.approve,
      ),
  );
};

export const statisticsRoutes: RouteModule = (app, { services }) => {
  app.get(
    '/api/statistics/releases',
    {
      config: { roles: ['public'] },
      schema: {
        tags: ['statistics'],
        summary: 'Published releases of differentially private counts, with their privacy budgets',
      },
    },
    async () => services.privacy.listReleases(),
  );

  app.get(
    '/api/statistics/releases/:id',
    {
      config: { roles: ['public'] },
      schema: {
        tags: ['statistics'],
        summary: 'One release: noisy counts with 95% margins; small cells suppressed',
        params: z.object({ id: z.string().regex(/^rel-[0-9a-f]{12}$/) }),
      },
    },
    async (req) => {
      const r = await services.privacy.getRelease(req.params.id);
      if (!r) throw new NotFoundError(msg('server.noRelease', { id: req.params.id }));
      return r;
    },
  );

  app.post(
    '/api/statistics/releases',
    {
      config: { roles: ['oversight'] },
      schema: {
        tags: ['statistics'],
        summary:
          'Publish a release of a data period: each table costs epsilonPerTable in every budget period the data period overlaps, refused past the policy budget; the total is recorded in the transparency log',
        // Bounds (ε range, suppression floor, budget) are policy, checked by the service with field-named errors.
        body: z
          .object({
            epsilonPerTable: z.number(),
            suppressBelow: z.number().optional(),
            period: z
              .object({ from: z.string().max(7), to: z.string().max(7) })
              .strict()
              .optional(),
            tables: z.array(z.string().max(64)).max(10).optional(),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      const r = await services.privacy.publishRelease(userRef(req.principal.id), req.body);
      return reply.code(201).send({ id: r.id, epsilonTotal: r.epsilonTotal, period: r.period, logIndex: r.logIndex });
    },
  );

  app.get(
    '/api/statistics/budget',
    {
      config: { roles: ['public'] },
      schema: {
        tags: ['statistics'],
        summary: 'The privacy-budget policy and the ε spent and remaining per table and budget period',
      },
    },
    async () => services.privacy.budgetStatus(),
  );
};
