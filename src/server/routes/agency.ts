import { z } from 'zod';
import { userRef } from '../../ledger-service/events';
import { agencyDisplay, setAgencyTimeZone } from '../../store/agency';
import type { RouteModule } from '../context';

const Display = z.object({ timeZone: z.string(), demo: z.string().nullable() });

/** What the web app needs before it shows any date: the agency's time zone and whether this is demo data. */
export const agencyRoutes: RouteModule = (app, { store, ledger }) => {
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
    async () => agencyDisplay(store.db),
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
      const d = await setAgencyTimeZone(store.db, req.body.timeZone);
      await ledger.append({
        type: 'agency.time-zone',
        actor: userRef(req.principal.id),
        subjects: [],
        payload: { timeZone: d.timeZone },
      });
      return d;
    },
  );
};
