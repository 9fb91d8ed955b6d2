import { z } from 'zod';
import { PingBatchSchema, ReportSchema } from '../../patrol/field-reports';
import { purposeOf } from '../access-log';
import type { RouteModule } from '../context';

const alertId = z.string().regex(/^alert-[0-9a-f]{16}$/);

export const patrolRoutes: RouteModule = (app, { services }) => {
  app.post(
    '/api/patrol/pings',
    {
      config: { roles: ['officer'], personalData: true, purposes: ['patrol-measurement'] },
      bodyLimit: 1024 * 1024,
      schema: {
        tags: ['patrol'],
        summary:
          "Upload a batch of one device's location pings (at most 5,000; idempotent per device and time). Personal data: access-logged, purged after retention",
        body: PingBatchSchema,
      },
    },
    async (req, reply) => reply.code(201).send(await services.patrol.uploadPings(req.principal, req.body)),
  );

  app.post(
    '/api/missions/:alertId/reports',
    {
      config: { roles: ['officer'], unitScope: 'alert' },
      schema: {
        tags: ['patrol'],
        summary: 'Report a tactic used, or a stop/search/arrest/use of force made inside a mission cell',
        params: z.object({ alertId }),
        body: ReportSchema,
      },
    },
    async (req, reply) =>
      reply.code(201).send(await services.patrol.reportOnMission(req.principal, req.params.alertId, req.body)),
  );

  app.get(
    '/api/missions/:alertId/dosage',
    {
      config: {
        roles: ['supervisor', 'oversight'],
        personalData: true,
        purposes: ['patrol-measurement', 'oversight-review'],
        unitScope: 'alert',
      },
      schema: {
        tags: ['patrol'],
        summary: "Planned against measured time in each mission cell (from the unit's pings), tactics and outcomes",
        params: z.object({ alertId }),
      },
    },
    async (req) => services.patrol.missionDosage(req.principal, req.params.alertId, purposeOf(req)),
  );
};
