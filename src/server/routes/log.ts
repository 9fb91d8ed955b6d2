import { z } from 'zod';
import { NotFoundError } from '../../domain/errors';
import { parseTilePath } from '../../ledger';
import type { RouteModule } from '../context';
import { msg } from '../../domain/messages';

/**
 * The log, readable by anyone without an account: C2SP tlog-tiles under /log/ (checkpoint, hash tiles,
 * entry bundles — immutable, so cacheable), plus receipts and proofs under /api/log/.
 */
export const logRoutes: RouteModule = (app, { services, ledger, config }) => {
  const text = { 200: z.string() };

  app.get(
    '/log/checkpoint',
    {
      config: { roles: ['public'] },
      schema: {
        tags: ['log'],
        summary: 'Latest signed checkpoint (C2SP tlog-checkpoint in signed-note form), with witness cosignatures',
        response: text,
      },
    },
    async (_req, reply) => {
      const note = await services.log.cosignedCheckpoint();
      reply.type('text/plain; charset=utf-8').header('cache-control', 'no-store');
      return note;
    },
  );

  app.get(
    '/log/tile/*',
    {
      config: { roles: ['public'] },
      schema: {
        tags: ['log'],
        summary: 'A hash tile or entry bundle (C2SP tlog-tiles path, e.g. tile/0/x001/234 or tile/entries/000.p/7)',
      },
    },
    async (req, reply) => {
      const path = `tile/${(req.params as { '*': string })['*']}`;
      const ref = parseTilePath(path);
      const data = await services.log.readTileBytes(ref);
      if (!data) throw new NotFoundError(msg('server.noTile', { path }));
      reply.type('application/octet-stream');
      // Full tiles never change; partial ones are replaced by wider ones as the log grows.
      reply.header('cache-control', ref.width === 256 ? 'public, max-age=31536000, immutable' : 'no-store');
      return reply.send(data);
    },
  );

  app.get(
    '/api/log/verifier-keys',
    {
      config: { roles: ['public'] },
      schema: {
        tags: ['log'],
        summary: 'The log origin, its verifier keys (during a rotation, old and new) and trusted witnesses',
        response: {
          200: z.object({ origin: z.string(), verifierKeys: z.array(z.string()), witnessKeys: z.array(z.string()) }),
        },
      },
    },
    async () => ({ origin: ledger.origin, verifierKeys: ledger.keys.verifierKeys, witnessKeys: config.witnessKeys }),
  );

  app.get(
    '/api/log/receipt/:index',
    {
      config: { roles: ['public'] },
      schema: {
        tags: ['log'],
        summary: 'A c2sp.org/tlog-proof receipt for one entry against the latest checkpoint',
        params: z.object({ index: z.coerce.number().int().min(0) }),
        response: text,
      },
    },
    async (req, reply) => {
      reply.type('text/plain; charset=utf-8');
      return services.log.receiptFor(req.params.index);
    },
  );

  app.get(
    '/api/log/proof/inclusion',
    {
      config: { roles: ['public'] },
      schema: {
        tags: ['log'],
        summary: 'RFC 9162 inclusion proof (base64 hashes)',
        querystring: z.object({ index: z.coerce.number().int().min(0), size: z.coerce.number().int().min(1) }).strict(),
      },
    },
    async (req) => ({
      index: req.query.index,
      size: req.query.size,
      proof: (await services.log.proveInclusion(req.query.index, req.query.size)).map((h) => h.toString('base64')),
    }),
  );

  app.get(
    '/api/log/proof/consistency',
    {
      config: { roles: ['public'] },
      schema: {
        tags: ['log'],
        summary: 'RFC 9162 consistency proof between two tree sizes (base64 hashes)',
        querystring: z.object({ old: z.coerce.number().int().min(1), new: z.coerce.number().int().min(1) }).strict(),
      },
    },
    async (req) => ({
      old: req.query.old,
      new: req.query.new,
      proof: (await services.log.proveConsistency(req.query.old, req.query.new)).map((h) => h.toString('base64')),
    }),
  );

  app.post(
    '/api/log/cosignatures',
    {
      config: { roles: ['oversight', 'integration'] },
      schema: {
        tags: ['log'],
        summary:
          'Submit a witness cosignature (C2SP tlog-cosignature) on one of our checkpoints; only configured witness keys are accepted',
        body: z.object({ note: z.string().max(16_384) }).strict(),
        response: { 201: z.object({ size: z.number(), accepted: z.array(z.string()) }) },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await services.log.acceptCosignatures(req.body.note, config.witnessKeys)),
  );
};
