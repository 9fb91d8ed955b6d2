import { z } from 'zod';
import type { RouteModule } from '../context';

export const healthRoutes: RouteModule = (app, { services }) => {
  app.get(
    '/healthz',
    {
      config: { roles: ['public'] },
      schema: {
        tags: ['system'],
        summary: 'Liveness and database reachability',
        response: { 200: z.object({ ok: z.boolean(), database: z.string() }) },
      },
    },
    async () => {
      return { ok: true, database: await services.health.pingDatabase() };
    },
  );
};
