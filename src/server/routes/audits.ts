import { z } from 'zod';
import { JobId, jobOwner, SystemVersionParams, textBody } from '../schemas';
import { randomUUID } from 'node:crypto';
import { METRICS } from '../../fairness';
import { DEFAULT_STRESS } from '../../monitor/stress-test';
import type { RouteModule } from '../context';

const list = (max: number) =>
  z
    .string()
    .max(max)
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    );

export const auditRoutes: RouteModule = (app, { services, config }) => {
  app.post(
    '/api/systems/:id/versions/:version/audits',
    {
      config: { roles: ['oversight'] },
      bodyLimit: config.maxUploadBytes,
      schema: {
        tags: ['fairness'],
        summary:
          "Run a person-level bias audit on a CSV of decisions and outcomes (Content-Type: text/csv); stored, logged, publishable. With jobId, its progress (reading rows, rates per attribute, disparities, writing the report) is at GET /api/jobs/{jobId} while it runs. Counts for the activation gate only on a registered dataset (datasetId) with the audit policy's metrics and reference group; never by the system's owner",
        params: SystemVersionParams,
        querystring: z
          .object({
            predictedColumn: z.string().max(64),
            positiveValues: list(500),
            labelColumn: z.string().max(64),
            labelPositive: list(200),
            groupColumns: list(300),
            reference: z.string().max(100).optional(),
            metrics: list(200)
              .pipe(z.array(z.enum(METRICS)))
              .optional(),
            datasetId: z
              .string()
              .regex(/^ads-[0-9a-f]{12}$/)
              .optional(),
            jobId: JobId.optional(),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      // The bytes as uploaded: the audit thread hashes them as they are and reads them there.
      const csv = Buffer.isBuffer(req.body) ? req.body : textBody(req.body);
      const { jobId = randomUUID(), ...query } = req.query;
      // Runs as a job: the page polls GET /api/jobs/{jobId} for its stage while this request runs.
      const result = await services.jobs.run(
        jobOwner(req.principal),
        jobId,
        'audit',
        (progress) => services.monitor.runAudit(req.principal, req.params.id, req.params.version, csv, query, progress),
        (r) => String(r.id),
      );
      return reply.code(201).send({ ...result, jobId });
    },
  );

  app.get(
    '/api/systems/:id/versions/:version/audit-policy',
    {
      config: { roles: ['oversight'] },
      schema: {
        tags: ['fairness'],
        summary:
          'What the audit policy fixes for a bias audit of this version: the metrics, reference group, ratio band and minimum group size an audit must use to count for the gate',
        params: SystemVersionParams,
      },
    },
    async (req) => services.monitor.auditRuleOf(req.params.id, req.params.version),
  );

  app.post(
    '/api/systems/:id/versions/:version/audit-datasets',
    {
      config: { roles: ['oversight'] },
      schema: {
        tags: ['fairness'],
        summary:
          "Register the dataset a bias audit of this version reads: a registered data source allowed for fairness audits, the file's SHA-256, its period and the population covered (never by the system's owner)",
        params: SystemVersionParams,
        body: z.record(z.string(), z.unknown()),
        response: { 201: z.object({ id: z.string(), logIndex: z.number() }) },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(await services.monitor.registerAuditDataset(req.principal, req.params.id, req.params.version, req.body)),
  );

  app.post(
    '/api/systems/:id/versions/:version/stress-test',
    {
      config: { roles: ['oversight', 'analyst'] },
      schema: {
        tags: ['fairness'],
        summary:
          'Feedback-loop stress test (Ensign et al. 2018) of the forecasting model this version deploys; a place-based forecaster cannot be approved without a passed one',
        params: SystemVersionParams,
        body: z
          .object({
            model: z
              .string()
              .regex(/^[a-z]+(:[a-z0-9.]+){0,3}$/)
              .max(60)
              .default(DEFAULT_STRESS.model),
            trueRates: z.array(z.number().min(0.01).max(100)).min(2).max(20).optional(),
            days: z.number().int().min(30).max(730).default(DEFAULT_STRESS.days),
            seeds: z
              .array(
                z
                  .number()
                  .int()
                  .min(0)
                  .max(2 ** 31 - 1),
              )
              .min(1)
              .max(10)
              .default(DEFAULT_STRESS.seeds),
            tolerance: z.number().gt(0).max(0.5).default(DEFAULT_STRESS.tolerance),
            areasLayer: z.string().min(1).max(200).optional(),
            asOf: z
              .string()
              .regex(/^\d{4}-\d{2}-\d{2}$/)
              .optional(),
            reportsPerDay: z.number().min(1).max(200).default(DEFAULT_STRESS.reportsPerDay),
            band: z.tuple([z.number().gt(0).max(1), z.number().min(1).max(100)]).optional(),
          })
          .strict(),
      },
    },
    // The simulation runs on a thread of its own and takes a turn like other heavy work (store/work-queue.ts).
    async (req, reply) =>
      reply
        .code(201)
        .send(
          await services.backgroundWork.run(jobOwner(req.principal), () =>
            services.monitor.runStressTest(req.principal, req.params.id, req.params.version, req.body),
          ),
        ),
  );

  app.post(
    '/api/systems/:id/versions/:version/proxy-audit',
    {
      config: { roles: ['oversight'] },
      bodyLimit: config.maxUploadBytes,
      schema: {
        tags: ['fairness'],
        summary:
          'Proxy detection on a feature table (Content-Type: text/csv): which features stand in for a protected attribute; flagged features appear on the model card',
        params: SystemVersionParams,
        querystring: z
          .object({
            protectedColumn: z.string().min(1).max(64),
            features: list(2000).pipe(z.array(z.string().min(1).max(64)).min(1).max(100)),
            cramersV: z.coerce.number().gt(0).lt(1).optional(),
            eta: z.coerce.number().gt(0).lt(1).optional(),
            auc: z.coerce.number().gt(0.5).lt(1).optional(),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      const csv = Buffer.isBuffer(req.body) ? req.body : textBody(req.body); // as uploaded: the audit thread reads it
      // A thread of its own, so it takes a turn like imports and bias audits do.
      const report = await services.backgroundWork.run(jobOwner(req.principal), () =>
        services.monitor.runProxyAudit(req.principal, req.params.id, req.params.version, csv, req.query),
      );
      return reply.code(201).send(report);
    },
  );

  app.post(
    '/api/systems/:id/versions/:version/place-audit',
    {
      config: { roles: ['oversight'] },
      schema: {
        tags: ['fairness'],
        summary:
          'Place-based audit of released patrol missions: exposure per resident by group, vs reported victimization, concentration, hit-rate parity',
        params: SystemVersionParams,
        body: z
          .object({
            from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
            to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
            exposure: z.enum(['planned', 'measured']).default('planned'),
            areasLayer: z
              .string()
              .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/)
              .optional(),
            band: z.tuple([z.number().gt(0).lt(1), z.number().gt(1).lt(10)]).optional(),
          })
          .strict(),
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(await services.monitor.runPlaceAudit(req.principal, req.params.id, req.params.version, req.body)),
  );

  app.post(
    '/api/audits/:auditId/publish',
    {
      config: { roles: ['oversight'] },
      schema: {
        tags: ['fairness'],
        summary: 'Publish an audit report to the public register',
        params: z.object({ auditId: z.coerce.number().int().min(1) }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await services.monitor.publishAudit(req.principal, req.params.auditId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/audits/:auditId',
    {
      config: { roles: ['public'] },
      schema: {
        tags: ['fairness'],
        summary: 'An audit report (published ones for everyone; oversight sees drafts)',
        params: z.object({ auditId: z.coerce.number().int().min(1) }),
      },
    },
    async (req) => services.monitor.getAudit(req.principal, req.params.auditId),
  );
};
