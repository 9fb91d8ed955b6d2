import { z } from 'zod';
import {
  authoriseOutcomeFeed,
  createMonitor,
  incidentNotes,
  notificationsOf,
  OutcomeBatchSchema,
  parseMonitor,
  recordOutcomes,
  runMonitors,
} from '../../monitor/monitor';
import type { RouteModule } from '../context';

const sysParams = z.object({ id: z.string().regex(/^sys-[0-9a-f]{12}$/) });

export const monitorRoutes: RouteModule = (app, { store, ledger, urgent }) => {
  app.post(
    '/api/systems/:id/outcomes',
    {
      config: { roles: ['integration'] },
      bodyLimit: 2 * 1024 * 1024,
      schema: {
        tags: ['monitor'],
        summary:
          'Report outcomes (stops, searches, arrests, use of force, complaints) by group for a period: only through an API key oversight authorised for a source the monitoring plan names; rows deduplicated by recordId per source',
        params: sysParams,
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
      reply.code(201).send(await recordOutcomes(store, ledger, req.principal, req.params.id, req.body)),
  );

  app.post(
    '/api/systems/:id/outcome-feeds',
    {
      config: { roles: ['oversight'] },
      schema: {
        tags: ['monitor'],
        summary:
          "Authorise an API key to report outcomes for a source named in the system's monitoring plan (never by the system's owner)",
        params: sysParams,
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
      reply.code(201).send(await authoriseOutcomeFeed(store, ledger, req.principal, req.params.id, req.body)),
  );

  app.post(
    '/api/systems/:id/monitors',
    {
      config: { roles: ['oversight'] },
      schema: {
        tags: ['monitor'],
        summary: 'Watch a system: a disparity monitor on an outcome, or an override-rate monitor',
        params: sysParams,
        body: z.record(z.string(), z.unknown()),
        response: { 201: z.object({ id: z.string() }) },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send({ id: await createMonitor(store, ledger, req.principal, req.params.id, parseMonitor(req.body)) }),
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
    async () => runMonitors(store, ledger, new Date(), urgent.policy),
  );

  app.get(
    '/api/incident-notes',
    {
      config: { roles: ['public'] },
      schema: { tags: ['monitor'], summary: 'Published incident notes: automatic pauses and why' },
    },
    async () => incidentNotes(store.db),
  );

  app.get(
    '/api/notifications',
    {
      config: { roles: ['analyst', 'supervisor', 'officer', 'system-owner', 'oversight', 'admin'] },
      schema: { tags: ['monitor'], summary: 'Your notifications (e.g. a system you own was paused)' },
    },
    async (req) => notificationsOf(store.db, req.principal.id!),
  );
};
