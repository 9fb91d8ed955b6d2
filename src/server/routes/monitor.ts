import { z } from 'zod';
import { SystemParams } from '../schemas';
import { OutcomeBatchSchema, parseMonitor } from '../../monitor/monitor';
import type { RouteModule } from '../context';

export const monitorRoutes: RouteModule = (app, { services, urgent }) => {
  app.post(
    '/api/systems/:id/outcomes',
    {
      config: { roles: ['integration'] },
      bodyLimit: 2 * 1024 * 1024,
      schema: {
        tags: ['monitor'],
        summary:
          'Report outcomes (stops, searches, arrests, use of force, complaints) by group for a period: only through an API key oversight authorised for a source the monitoring plan names; rows deduplicated by recordId per source',
        params: SystemParams,
        body: OutcomeBatchSchema,
        response: {
          201: z.object({
            rows: z.number(),
            accepted: z.number(),
            duplicates: z.number(),
            sourceId: z.string(),
            logIndex: z.number(),
          }),
        },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await services.monitor.recordOutcomes(req.principal, req.params.id, req.body)),
  );

  app.post(
    '/api/systems/:id/outcome-feeds',
    {
      config: { roles: ['oversight'] },
      schema: {
        tags: ['monitor'],
        summary:
          "Authorise an API key to report outcomes for a source named in the system's monitoring plan (never by the system's owner)",
        params: SystemParams,
        body: z
          .object({
            keyId: z.string().regex(/^[0-9a-f]{12}$/),
            sourceId: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
          })
          .strict(),
        response: { 201: z.object({ logIndex: z.number() }) },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await services.monitor.authoriseOutcomeFeed(req.principal, req.params.id, req.body)),
  );

  app.post(
    '/api/systems/:id/monitors',
    {
      config: { roles: ['oversight'] },
      schema: {
        tags: ['monitor'],
        summary: 'Watch a system: a disparity monitor on an outcome, or an override-rate monitor',
        params: SystemParams,
        body: z.record(z.string(), z.unknown()),
        response: { 201: z.object({ id: z.string() }) },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send({ id: await services.monitor.createMonitor(req.principal, req.params.id, parseMonitor(req.body)) }),
  );

  app.post(
    '/api/monitors/run',
    {
      config: { roles: ['oversight', 'admin'] },
      schema: {
        tags: ['monitor'],
        summary: 'Run every monitor now (they also run hourly); a breach pauses the system',
      },
    },
    async () => services.monitor.runMonitors(new Date(), urgent.policy),
  );

  app.get(
    '/api/monitors',
    {
      config: { roles: ['oversight', 'admin'] },
      schema: {
        tags: ['monitor'],
        summary: 'Every monitor with its latest check and its last breaches, each with the automatic pause it caused',
      },
    },
    async () => services.monitor.listMonitors(),
  );

  app.get(
    '/api/incident-notes',
    {
      config: { roles: ['public'] },
      schema: { tags: ['monitor'], summary: 'Published incident notes: automatic pauses and why' },
    },
    async () => services.monitor.incidentNotes(),
  );

  app.get(
    '/api/notifications',
    {
      config: { roles: ['analyst', 'supervisor', 'officer', 'system-owner', 'oversight', 'admin'] },
      schema: { tags: ['monitor'], summary: 'Your notifications (e.g. a system you own was paused)' },
    },
    async (req) => services.monitor.notificationsOf(req.principal.id!),
  );
};
