import { z } from 'zod';
import { pingDatabase } from '../../store/db';
import type { RouteModule } from '../context';

export const healthRoutes: RouteModule = (app, { store }) => {
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
      await pingDatabase(store);
      return { ok: true, database: store.dialect };
    },
  );
};
