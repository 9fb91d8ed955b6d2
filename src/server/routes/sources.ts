import { z } from 'zod';
import { userRef } from '../../ledger-service/events';
import { listSources, registerSource, sourceHistory } from '../../privacy/sources';
import type { RouteModule } from '../context';

/** The data-source register is public: anyone can see what data the police AI uses and may use it for. */
export const sourceRoutes: RouteModule = (app, { store, ledger }) => {
  app.get('/api/sources', {
    config: { roles: ['public'] },
    schema: { tags: ['privacy'], summary: 'Every registered data source: provenance, legal basis, consent, personal-data categories, allowed purposes, retention' },
  }, async () => listSources(store.db));

  app.get('/api/sources/:id', {
    config: { roles: ['public'] },
    schema: { tags: ['privacy'], summary: 'Every version of one data source record', params: z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/) }) },
  }, async (req) => sourceHistory(store.db, req.params.id));

  app.post('/api/sources', {
    config: { roles: ['oversight', 'admin'] },
    schema: { tags: ['privacy'], summary: 'Register a data source, or a new version of one', body: z.record(z.string(), z.unknown()), response: { 201: z.object({ id: z.string(), version: z.number() }) } },
  }, async (req, reply) => reply.code(201).send(await registerSource(store, ledger, userRef(req.principal.id), req.body)));
};
