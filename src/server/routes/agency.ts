import { z } from 'zod';
import type { RouteModule } from '../context';

const Display = z.object({ timeZone: z.string(), demo: z.string().nullable() });

/** What the web app needs before it shows any date: the agency's time zone and whether this is demo data. */
export const agencyRoutes: RouteModule = (app, { services }) => {
  app.get(
    '/api/agency',
    {
      config: { roles: ['public'] },
      schema: {
        tags: ['system'],
        summary:
          "The agency's display settings: time zone for dates and times, and whether the installation holds demo data",
        response: { 200: Display },
      },
    },
    async () => services.agency.agencyDisplay(),
  );

  app.put(
    '/api/agency/time-zone',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['system'],
        summary: 'Set the time zone in which dates and times are shown (IANA name, e.g. Asia/Seoul)',
        body: z.object({ timeZone: z.string().min(1).max(64) }).strict(),
        response: { 200: Display },
      },
    },
    async (req) => {
      return services.agency.changeTimeZone(req.principal, req.body.timeZone);
    },
  );
};
