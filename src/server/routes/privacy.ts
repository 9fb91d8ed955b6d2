import { z } from 'zod';
import { userRef } from '../../ledger-service/events';
import { accessLog, accessReview, liftHold, placeHold, runRetention, subjectAccess } from '../../privacy/oversight';
import type { RouteModule } from '../context';

export const privacyRoutes: RouteModule = (app, { store, ledger, pseudonyms }) => {
  app.get('/api/access-log', {
    config: { roles: ['oversight'] },
    schema: { tags: ['privacy'], summary: 'Who read which personal data, when and why', querystring: z.object({ actorId: z.string().max(64).optional(), from: z.string().datetime().optional(), to: z.string().datetime().optional(), limit: z.coerce.number().int().min(1).max(5000).optional() }).strict() },
  }, async (req) => accessLog(store.db, req.query));

  app.get('/api/access-log/review', {
    config: { roles: ['oversight'] },
    schema: { tags: ['privacy'], summary: 'Access review for a period (default: the last 7 days): volume, hours, records outside one\'s unit', querystring: z.object({ from: z.string().datetime().optional(), to: z.string().datetime().optional(), maxRecords: z.coerce.number().int().min(1).optional() }).strict() },
  }, async (req) => {
    const to = req.query.to ?? new Date(Date.now() + 1000).toISOString(); // exclusive bound: include this second
    const from = req.query.from ?? new Date(Date.parse(to) - 7 * 86_400_000).toISOString();
    return { from, to, people: await accessReview(store.db, from.replace(/\.\d+Z$/, 'Z'), to.replace(/\.\d+Z$/, 'Z'), req.query.maxRecords) };
  });

  app.get('/api/subjects/:ref', {
    config: { roles: ['oversight'], personalData: 'sensitive' },
    schema: { tags: ['privacy'], summary: 'Subject access: everything held about a person, by the sender\'s reference or our pseudonym (needs x-purpose)', params: z.object({ ref: z.string().max(160) }) },
  }, async (req) => {
    const found = await subjectAccess(store.db, pseudonyms, req.params.ref);
    // The access log (and its log entry) names the person by pseudonym, never by the reference asked with.
    req.accessRecords = found.pseudonyms;
    return found;
  });

  app.post('/api/legal-holds', {
    config: { roles: ['oversight'] },
    schema: { tags: ['privacy'], summary: 'Place a legal hold: the subject\'s data is kept past retention', body: z.object({ subjectRef: z.string().max(160), reason: z.string().min(3).max(2000) }).strict(), response: { 201: z.object({ id: z.number() }) } },
  }, async (req, reply) => reply.code(201).send({ id: await placeHold(store, ledger, pseudonyms, req.principal, req.body.subjectRef, req.body.reason) }));

  app.delete('/api/legal-holds/:id', {
    config: { roles: ['oversight'] },
    schema: { tags: ['privacy'], summary: 'Lift a legal hold', params: z.object({ id: z.coerce.number().int().min(1) }), querystring: z.object({ reason: z.string().min(3).max(2000) }).strict(), response: { 204: z.null() } },
  }, async (req, reply) => {
    await liftHold(store, ledger, req.principal, req.params.id, req.query.reason);
    return reply.code(204).send(null);
  });

  app.post('/api/retention/run', {
    config: { roles: ['oversight', 'admin'] },
    schema: { tags: ['privacy'], summary: 'Purge personal data past each system\'s retention period (legal holds respected) and report what was done' },
  }, async (req) => runRetention(store, ledger, userRef(req.principal.id)));
};
