import { z } from 'zod';
import { SystemParams } from '../schemas';
import { AlertInputSchema, decide, DecisionInputSchema, queue } from '../../review/alert-review';
import { AccessError, InputError } from '../../domain/errors';
import { purposeOf } from '../access-log';
import { UnitSchema } from '../../domain/roles';
import { ShiftInputSchema } from '../../review/shifts';
import type { Principal } from '../../accounts/accounts';

/** The unit a roster request is about: the one named, or the caller's; a supervisor only their own. */
function rosterUnit(p: Principal, asked: string | undefined): string {
  const unit = asked ?? p.unit;
  if (!unit) throw new InputError(msg('server.nameUnit'), [{ field: 'unit' }]);
  if (!p.roles.includes('admin') && !p.roles.includes('oversight') && unit !== p.unit)
    throw new AccessError(msg('server.ownUnitRoster', { unit: p.unit ?? 'none' }));
  return unit;
}

const ShiftSchema = z.object({
  id: z.string(),
  unit: z.string(),
  userId: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
});
import type { RouteModule } from '../context';
import { msg } from '../../domain/messages';

const alertParams = z.object({ alertId: z.string().regex(/^alert-[0-9a-f]{16}$/) });

export const reviewRoutes: RouteModule = (app, { services, pseudonyms, urgent }) => {
  app.post(
    '/api/systems/:id/alerts',
    {
      config: {
        roles: ['integration'],
        unitScope: { exempt: "intake: the system's own key writes an alert and reads none back" },
      },
      bodyLimit: 256 * 1024,
      schema: {
        tags: ['review'],
        summary:
          'A registered system posts an AI alert with its own API key; refused unless the system is active and the alert matches its declared output schema. Idempotent on idempotencyKey.',
        params: SystemParams,
        body: AlertInputSchema,
        response: {
          201: z.object({ id: z.string(), duplicate: z.boolean(), logIndex: z.number() }),
          200: z.object({ id: z.string(), duplicate: z.boolean(), logIndex: z.number() }),
        },
      },
    },
    async (req, reply) => {
      const r = await services.review.intakeAlert(req.principal, req.params.id, req.body, { pseudonyms, urgent });
      return reply.code(r.duplicate ? 200 : 201).send(r);
    },
  );

  app.get(
    '/api/review/queue',
    {
      config: { roles: ['officer', 'supervisor'], personalData: true, purposes: ['alert-review'] },
      schema: {
        tags: ['review'],
        summary: 'Pending alerts for your unit, oldest first (reads alert subjects: logged)',
      },
    },
    async (req) => {
      await services.review.expireAlerts();
      const q = await services.review.queue(req.principal);
      req.accessRecords = q.filter((a) => a.subjectRef).map((a) => `alert:${a.id}`);
      return q;
    },
  );

  app.get(
    '/api/alerts/:alertId',
    {
      config: {
        roles: ['officer', 'supervisor', 'oversight'],
        personalData: true,
        purposes: ['alert-review', 'oversight-review', 'legal-proceedings'],
        unitScope: 'alert',
      },
      schema: {
        tags: ['review'],
        summary:
          "One alert, its decision and who is responsible for it (your unit; officers: your shift; oversight: any unit, with x-purpose outside its own). 404 for another unit's",
        params: alertParams,
      },
    },
    async (req) => services.review.alertDetail(req.principal, req.params.alertId, purposeOf(req)),
  );

  app.post(
    '/api/alerts/:alertId/decision',
    {
      config: { roles: ['officer', 'supervisor'], unitScope: 'alert' },
      schema: {
        tags: ['review'],
        summary:
          'Record what you did about an alert and why; an enforcement action needs your own corroborating evidence',
        params: alertParams,
        body: DecisionInputSchema,
        response: { 201: z.object({ id: z.string(), logIndex: z.number(), supervisorId: z.string().nullable() }) },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await services.review.decide(req.principal, req.params.alertId, req.body)),
  );

  app.get(
    '/api/review/stats',
    {
      config: { roles: ['supervisor', 'oversight'] },
      schema: {
        tags: ['review'],
        summary: 'Automation-bias signals per reviewer and per system (acceptance, time to decide, overrides, flags)',
        querystring: z.object({ unit: z.string().max(64).optional() }).strict(),
      },
    },
    async (req) =>
      services.review.reviewStats({
        unit: req.principal.roles.includes('oversight') ? req.query.unit : (req.principal.unit ?? '__none__'),
      }),
  );

  app.get(
    '/api/duty',
    {
      config: { roles: ['admin', 'oversight'] },
      schema: {
        tags: ['review'],
        summary: 'Supervisors on duty now or later, every unit, soonest first',
      },
    },
    async () => services.review.upcomingDuty(),
  );

  app.post(
    '/api/duty',
    {
      config: { roles: ['supervisor', 'admin'] },
      schema: {
        tags: ['review'],
        summary: 'Put a supervisor on duty for a unit and time span',
        body: z
          .object({
            unit: UnitSchema,
            supervisorId: z.string().uuid(),
            startsAt: z.string().datetime(),
            endsAt: z.string().datetime(),
          })
          .strict(),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await services.review.putOnDuty(req.principal, req.body);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/shifts',
    {
      config: { roles: ['supervisor', 'admin'] },
      schema: {
        tags: ['review'],
        summary:
          "Roster a reviewer for a shift in a unit: reviewers see and decide their unit's alerts only while on shift (supervisors roster their own unit)",
        body: ShiftInputSchema,
        response: { 201: ShiftSchema },
      },
    },
    async (req, reply) => {
      return reply.code(201).send(await services.review.rosterShift(req.principal, req.body));
    },
  );

  app.get(
    '/api/shifts/reviewers',
    {
      config: { roles: ['supervisor', 'admin'] },
      schema: {
        tags: ['review'],
        summary: 'The officers and supervisors of a unit, to roster (supervisors: their own unit)',
        querystring: z.object({ unit: UnitSchema.optional() }).strict(),
        response: { 200: z.array(z.object({ id: z.string(), name: z.string(), roles: z.array(z.string()) })) },
      },
    },
    async (req) => services.review.unitReviewers(rosterUnit(req.principal, req.query.unit)),
  );

  app.get(
    '/api/shifts',
    {
      config: { roles: ['supervisor', 'admin', 'oversight'] },
      schema: {
        tags: ['review'],
        summary: 'Shifts of a unit overlapping a time span (default: your unit, the next 7 days)',
        querystring: z
          .object({
            unit: UnitSchema.optional(),
            from: z.string().datetime().optional(),
            to: z.string().datetime().optional(),
          })
          .strict(),
        response: { 200: z.array(ShiftSchema) },
      },
    },
    async (req) => {
      const unit = rosterUnit(req.principal, req.query.unit);
      const from = req.query.from ?? new Date().toISOString();
      return services.review.listShifts(
        unit,
        from,
        req.query.to ?? new Date(Date.parse(from) + 7 * 86_400_000).toISOString(),
      );
    },
  );

  app.get(
    '/api/review/shift',
    {
      config: { roles: ['officer', 'supervisor'] },
      schema: {
        tags: ['review'],
        summary: 'Your shift now (409 when you are not on shift)',
        response: { 200: ShiftSchema },
      },
    },
    async (req) => services.review.currentShift(req.principal),
  );

  app.get(
    '/api/alerts/:alertId/disclosure',
    {
      config: {
        roles: ['supervisor', 'oversight'],
        personalData: 'sensitive',
        purposes: ['legal-proceedings', 'oversight-review'],
        unitScope: 'alert',
      },
      schema: {
        tags: ['review'],
        summary:
          'Disclosure packet for an alert and its decision (JSON, or ?format=pdf rendered from the verified packet), verifiable offline; scoped like every alert read',
        params: alertParams,
        querystring: z.object({ format: z.enum(['json', 'pdf']).default('json') }).strict(),
      },
    },
    async (req, reply) => {
      const r = await services.review.discloseAlert(
        req.principal,
        req.params.alertId,
        req.query.format,
        purposeOf(req),
      );
      if ('pdf' in r) {
        reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="disclosure-${req.params.alertId}.pdf"`);
        return reply.send(r.pdf);
      }
      reply.header('content-disposition', `attachment; filename="disclosure-${req.params.alertId}.json"`);
      return r.packet;
    },
  );
};
