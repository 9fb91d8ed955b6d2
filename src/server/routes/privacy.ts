import { z } from 'zod';
import { userRef } from '../../ledger-service/events';
import type { RouteModule } from '../context';

export const privacyRoutes: RouteModule = (app, { services, pseudonyms }) => {
  // The access log is read by oversight and by external auditors (who check oversight's own reads).
  app.get(
    '/api/access-log',
    {
      config: { roles: ['oversight', 'auditor'], personalData: true, purposes: ['oversight-review'] },
      schema: {
        tags: ['privacy'],
        summary: 'Who read which personal data, when and why',
        querystring: z
          .object({
            actorId: z.string().max(64).optional(),
            from: z.string().datetime().optional(),
            to: z.string().datetime().optional(),
            limit: z.coerce.number().int().min(1).max(5000).optional(),
          })
          .strict(),
      },
    },
    async (req) => services.privacy.accessLog(req.query),
  );

  app.get(
    '/api/access-log/review',
    {
      config: { roles: ['oversight', 'auditor'] },
      schema: {
        tags: ['privacy'],
        summary: "Access review for a period (default: the last 7 days): volume, hours, records outside one's unit",
        querystring: z
          .object({
            from: z.string().datetime().optional(),
            to: z.string().datetime().optional(),
            maxRecords: z.coerce.number().int().min(1).optional(),
          })
          .strict(),
      },
    },
    async (req) => {
      const to = req.query.to ?? new Date(Date.now() + 1000).toISOString(); // exclusive bound: include this second
      const from = req.query.from ?? new Date(Date.parse(to) - 7 * 86_400_000).toISOString();
      return {
        from,
        to,
        people: await services.privacy.accessReview(
          from.replace(/\.\d+Z$/, 'Z'),
          to.replace(/\.\d+Z$/, 'Z'),
          req.query.maxRecords,
        ),
      };
    },
  );

  app.get(
    '/api/subjects/:ref',
    {
      config: {
        roles: ['oversight'],
        personalData: 'sensitive',
        purposes: ['subject-access', 'legal-proceedings', 'oversight-review'],
      },
      schema: {
        tags: ['privacy'],
        summary:
          "Subject access: everything held about a person, by the sender's reference or our pseudonym (needs x-purpose)",
        params: z.object({ ref: z.string().max(160) }),
      },
    },
    async (req) => {
      const found = await services.privacy.subjectAccess(pseudonyms, req.params.ref);
      // The access log (and its log entry) names the person by pseudonym, never by the reference asked with.
      req.accessRecords = found.pseudonyms;
      return found;
    },
  );

  const Reason = z.object({ reason: z.string().trim().min(3).max(2000) }).strict();
  const HoldId = z.object({ id: z.coerce.number().int().min(1) });

  app.get(
    '/api/legal-holds',
    {
      config: { roles: ['oversight', 'auditor'], personalData: true, purposes: ['oversight-review'] },
      schema: {
        tags: ['privacy'],
        summary:
          'Every legal hold with its state (pending, active, lift-requested, lifted, refused), who placed and confirmed it, and how many alerts it keeps',
      },
    },
    async () => services.privacy.listHolds(),
  );

  app.post(
    '/api/legal-holds',
    {
      config: { roles: ['oversight'] },
      schema: {
        tags: ['privacy'],
        summary:
          'Ask for a legal hold on a ref any record carries: it keeps the data at once (pending) and needs a second oversight officer to confirm',
        body: z.object({ subjectRef: z.string().max(160), reason: z.string().trim().min(3).max(2000) }).strict(),
        response: { 201: z.object({ id: z.number() }) },
      },
    },
    async (req, reply) =>
      reply.code(201).send({
        id: await services.privacy.placeHold(pseudonyms, req.principal, req.body.subjectRef, req.body.reason),
      }),
  );

  app.post(
    '/api/legal-holds/:id/confirm',
    {
      config: { roles: ['oversight'] },
      schema: {
        tags: ['privacy'],
        summary: 'A second oversight officer confirms (or refuses) a pending hold',
        params: HoldId,
        body: Reason.extend({ confirm: z.boolean() }).strict(),
      },
    },
    async (req) => services.privacy.confirmHold(req.principal, req.params.id, req.body.confirm, req.body.reason),
  );

  app.post(
    '/api/legal-holds/:id/lift',
    {
      config: { roles: ['oversight'] },
      schema: {
        tags: ['privacy'],
        summary: 'Ask to lift a hold; it stays in force until a second oversight officer confirms',
        params: HoldId,
        body: Reason,
      },
    },
    async (req) => services.privacy.requestLift(req.principal, req.params.id, req.body.reason),
  );

  app.post(
    '/api/legal-holds/:id/lift/confirm',
    {
      config: { roles: ['oversight'] },
      schema: {
        tags: ['privacy'],
        summary: 'A second oversight officer confirms the lift: the data is then purged when its retention ends',
        params: HoldId,
        body: Reason,
      },
    },
    async (req) => services.privacy.liftHold(req.principal, req.params.id, req.body.reason),
  );

  app.post(
    '/api/retention/run',
    {
      config: { roles: ['oversight', 'admin'] },
      schema: {
        tags: ['privacy'],
        summary:
          "Purge personal data past each system's retention period and report what was done (held data is never purged: only a lift confirmed by two people releases it)",
      },
    },
    async (req) => services.privacy.runRetention(userRef(req.principal.id)),
  );
};
