import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { BUILTIN_PROFILES, builtinProfileList, resolveProfile } from '../../ingest/profiles';
import { loadTaxonomy } from '../../ingest/taxonomy';
import { ImportJobs } from '../../store/import-jobs';
import type { RouteModule } from '../context';
import { userRef } from '../../ledger-service/events';
import { msg } from '../../domain/messages';
import { InputError } from '../../domain/errors';
import { sendProblem } from '../problem';
import { jobOwner } from '../schemas';

const STAFF = ['analyst', 'supervisor', 'officer', 'oversight', 'admin'] as const;
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$/, 'a UTC date YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ');
const toIso = (d: string | undefined) => (d && d.length === 10 ? `${d}T00:00:00Z` : d);

export const incidentRoutes: RouteModule = async (app, { services, config }) => {
  const Filter = z.object({
    type: z.string().max(2000).optional().describe('comma-separated incident types'),
    origin: z.enum(['citizen', 'officer']).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    source: z.string().max(64).optional(),
  });
  const filterOf = (q: z.infer<typeof Filter>) => ({
    types: q.type
      ? q.type
          .split(',')
          .map((t) => t.trim().toUpperCase())
          .filter(Boolean)
      : undefined,
    origin: q.origin,
    from: toIso(q.from),
    to: toIso(q.to),
    source: q.source,
  });

  // Exact points and subtypes are personal data: analysts, supervisors and oversight only, for a purpose
  // the incidents' sources allow (officers see missions and counts, not the raw points).
  app.get(
    '/api/incidents',
    {
      config: {
        roles: ['analyst', 'supervisor', 'oversight'],
        personalData: true,
        purposes: ['crime-analysis', 'patrol-forecasting', 'fairness-audit', 'research'],
      },
      schema: {
        tags: ['incidents'],
        summary: 'Incidents as a GeoJSON FeatureCollection (WGS84), newest first',
        querystring: Filter.extend({ limit: z.coerce.number().int().min(1).max(50_000).default(10_000) }).strict(),
      },
    },
    async (req, reply) => {
      const r = await services.privacy.readIncidentPoints(
        req.principal,
        req.purpose!,
        filterOf(req.query),
        req.query.limit,
      );
      req.accessRecords = [`incidents:${r.returned}-points`];
      return reply.type('application/json; charset=utf-8').send(r.json);
    },
  );

  // The map's view of the same points: clusters and, zoomed in, single points, with counts that add up to
  // every matching incident in the box (no cap). Same roles and purposes as the points.
  app.get(
    '/api/incidents/clusters',
    {
      config: {
        roles: ['analyst', 'supervisor', 'oversight'],
        personalData: true,
        purposes: ['crime-analysis', 'patrol-forecasting', 'fairness-audit', 'research'],
      },
      schema: {
        tags: ['incidents'],
        summary: 'Incidents in a box as clusters and single points (GeoJSON, WGS84); counts sum to the matching total',
        querystring: Filter.extend({
          bbox: z.string().max(200).optional().describe('west,south,east,north in degrees'),
          zoom: z.string().max(20).optional().describe('map zoom, 0–24'),
        }).strict(),
      },
    },
    async (req) => {
      const r = await services.maps.incidentClusters(req.principal, req.purpose!, {
        ...filterOf(req.query),
        bbox: req.query.bbox,
        zoom: req.query.zoom,
      });
      req.accessRecords = [`incident-clusters:${r.total}-in-view:${r.points}-points`];
      return r;
    },
  );

  app.get(
    '/api/incidents/summary',
    {
      config: { roles: [...STAFF] },
      schema: {
        tags: ['incidents'],
        summary: 'Counts by type and origin, and the time span',
        querystring: z.object({ source: z.string().max(64).optional() }).strict(),
        response: {
          200: z.object({
            total: z.number(),
            first: z.string().nullable(),
            last: z.string().nullable(),
            types: z.array(z.object({ type: z.string(), origin: z.enum(['citizen', 'officer']), count: z.number() })),
            sources: z.array(
              z.object({
                source: z.string(),
                count: z.number(),
                bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
              }),
            ),
          }),
        },
      },
    },
    async (req) => services.incidents.incidentSummary(req.query.source),
  );

  app.get(
    '/api/datasets',
    {
      config: { roles: ['analyst', 'oversight', 'admin'] },
      schema: { tags: ['incidents'], summary: 'Imported files: source, hash, counts, who imported them and when' },
    },
    async () => services.incidents.listDatasets(),
  );

  // Progress of this server's imports, per person: a progress bar polls GET /api/imports/jobs/:id while its POST runs.
  const jobs = new ImportJobs(services.backgroundWork);
  const JobId = z.string().uuid();

  app.get(
    '/api/imports/profiles',
    {
      config: { roles: ['analyst', 'admin'] },
      schema: {
        tags: ['incidents'],
        summary: 'The import profiles a CSV can be read with: name, what files it reads, default source, CRS',
        response: {
          200: z.array(z.object({ name: z.string(), description: z.string(), source: z.string(), crs: z.string() })),
        },
      },
    },
    async () => builtinProfileList(),
  );

  app.get(
    '/api/imports/jobs',
    {
      config: { roles: ['analyst', 'admin'] },
      schema: {
        tags: ['incidents'],
        summary: 'Your imports on this server, running and finished in the last 10 minutes, with progress',
      },
    },
    async (req) => jobs.list(jobOwner(req.principal)),
  );

  app.get(
    '/api/imports/jobs/:id',
    {
      config: { roles: ['analyst', 'admin'] },
      schema: {
        tags: ['incidents'],
        summary: 'Progress of one of your imports: bytes read of the file, rows read, rows published',
        params: z.object({ id: JobId }).strict(),
      },
    },
    async (req) => jobs.get(jobOwner(req.principal), req.params.id),
  );

  // CSV bodies of other routes (audits) arrive whole, as a Buffer, up to the upload limit.
  app.addContentTypeParser('text/csv', { parseAs: 'buffer', bodyLimit: config.maxUploadBytes }, (_req, body, done) =>
    done(null, body),
  );
  // Imports, in a context of their own: the body is handed over as the request's stream and written to a
  // temp file as it arrives (importUploadedFile), then imported exactly as the CLI does. A declared length
  // over the limit is refused before a byte is read; a longer body than declared, as it passes the limit.
  await app.register(async (uploads) => {
    uploads.removeContentTypeParser('text/csv');
    uploads.addContentTypeParser('text/csv', (req, payload, done) => {
      if (Number(req.headers['content-length']) > config.maxUploadBytes)
        return done(
          new InputError(msg('imports.uploadTooLarge', { limit: config.maxUploadBytes }), [], 413) as never,
          undefined,
        );
      done(null, payload);
    });
    importRoute(uploads);
  });

  function importRoute(uploads: typeof app) {
    uploads.post(
      '/api/imports',
      {
        config: { roles: ['analyst', 'admin'] },
        bodyLimit: config.maxUploadBytes,
        schema: {
          tags: ['incidents'],
          summary: 'Import a CSV file (Content-Type: text/csv) through a profile; all-or-nothing',
          querystring: z
            .object({
              profile: z.enum(Object.keys(BUILTIN_PROFILES) as [string, ...string[]]),
              source: z
                .string()
                .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/)
                .optional(),
              // A plain name (any letters, e.g. Korean): no separators, NUL or leading dot, so never '.', '..' or a path.
              fileName: z
                .string()
                .regex(
                  /^(?!\.)[\p{L}\p{N}_.-]{1,120}$/u,
                  'a plain file name: letters, digits, _ . - (not starting with a dot), at most 120',
                )
                .default('upload.csv'),
              skipInvalid: z.enum(['true', 'false']).default('false'),
              jobId: JobId.optional().describe(
                'an id you choose (UUID), to follow progress at GET /api/imports/jobs/{jobId} while this request runs',
              ),
            })
            .strict(),
        },
      },
      async (req, reply) => {
        if (!(req.body instanceof Readable)) return sendProblem(reply, 415, msg('server.csvContentType'));
        // Refused mid-upload, the rest of the body is never read: the connection closes after the answer.
        reply.header('connection', 'close');
        const jobId = req.query.jobId ?? randomUUID();
        const r = await services.incidents.importUploadedFile(
          userRef(req.principal.id),
          req.body,
          req.query.fileName,
          resolveProfile(req.query.profile),
          loadTaxonomy(config.taxonomyFile),
          {
            source: req.query.source,
            importedBy: req.principal.id,
            skipInvalid: req.query.skipInvalid === 'true',
            background: true,
            maxBytes: config.maxUploadBytes,
          },
          (work) => jobs.run(jobOwner(req.principal), jobId, req.query.fileName, work),
        );
        reply.removeHeader('connection');
        return reply.code(201).send({ ...r, jobId });
      },
    );
  }
};
