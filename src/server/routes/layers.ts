import { z } from 'zod';
import { NotFoundError } from '../../domain/errors';
import { parseAreaLayer } from '../../ingest/read-areas';
import { createHash } from 'node:crypto';
import type { RouteModule } from '../context';
import { userRef } from '../../ledger-service/events';
import { msg } from '../../domain/messages';

/** Boundaries and areas are public information: anyone may read them. */
export const layerRoutes: RouteModule = (app, { services }) => {
  app.get(
    '/api/layers',
    {
      config: { roles: ['public'] },
      schema: { tags: ['areas'], summary: 'Area layers (jurisdictions and areas with demographics)' },
    },
    async () =>
      (await services.layers.listLayers()).map((l) => ({
        name: l.name,
        kind: l.kind,
        srcCrs: l.src_crs,
        featureCount: l.feature_count,
        sha256: l.file_sha256,
        createdAt: l.created_at,
      })),
  );

  app.get(
    '/api/layers/:name',
    {
      config: { roles: ['public'] },
      schema: {
        tags: ['areas'],
        summary: 'One layer as GeoJSON (WGS84)',
        params: z.object({ name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/) }),
      },
    },
    async (req) => {
      const fc = await services.layers.layerGeoJson(req.params.name);
      if (!fc) throw new NotFoundError(msg('server.noLayer', { name: req.params.name }));
      return fc;
    },
  );

  app.post(
    '/api/layers',
    {
      config: { roles: ['analyst', 'admin'] },
      bodyLimit: 50 * 1024 * 1024,
      schema: {
        tags: ['areas'],
        summary: 'Import a GeoJSON layer of areas or a jurisdiction boundary (replaces a layer of the same name)',
        querystring: z
          .object({
            name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
            kind: z.enum(['jurisdiction', 'areas']).default('areas'),
            codeField: z.string().max(64).optional(),
            nameField: z.string().max(64).optional(),
            crs: z
              .string()
              .regex(/^EPSG:\d{4,6}$/)
              .optional(),
            demographics: z
              .string()
              .regex(/^[a-z0-9][a-z0-9._-]{0,127}$/)
              .optional(),
          })
          .strict(),
        body: z.looseObject({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()).max(100_000) }),
      },
    },
    async (req, reply) => {
      const sha = createHash('sha256').update(JSON.stringify(req.body)).digest('hex');
      // Problems name the layer being uploaded (the words of the upload form), in any language.
      const layer = parseAreaLayer(req.body, req.query.name, sha, {
        codeField: req.query.codeField,
        nameField: req.query.nameField,
        crs: req.query.crs,
      });
      const r = await services.layers.publishAreaLayer(
        userRef(req.principal.id),
        req.query.name,
        req.query.kind,
        layer,
        {
          demographics: req.query.demographics,
        },
      );
      return reply.code(201).send({ name: req.query.name, ...r });
    },
  );
};
