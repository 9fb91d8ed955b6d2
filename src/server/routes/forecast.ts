import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { JobId, jobOwner, SystemId } from '../schemas';
import { UnitSchema } from '../../domain/roles';
import { FORECAST_WINDOWS } from '../../forecast';
import { TACTICS } from '../../forecast-service/missions';
import { purposeOf } from '../access-log';
import type { RouteModule } from '../context';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const length = z
  .string()
  .regex(/^\d+(\.\d+)?(ft|m)?$/, 'a length like 500ft or 150m')
  .max(20);
const area = z
  .string()
  .regex(/^\d+(\.\d+)?(sqmi|sqft|sqm|sqkm)?$/, 'an area like 0.25sqmi')
  .max(20);
const model = z
  .string()
  .regex(/^[a-z]+(:[a-z0-9.]+){0,3}$/, 'a model like auto, counts:365, kde:gaussian:500ft:365 or etas:40')
  .max(60);
const layer = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/);
const unit = UnitSchema;
const forecastId = z.string().regex(/^fc-[0-9a-f]{12}$/);

export const forecastRoutes: RouteModule = (app, { services }) => {
  // Progress of this server's forecasts, backtests and audits, per person: the page polls GET /api/jobs/:id while its POST runs.
  const { jobs } = services;
  const ownerOf = jobOwner;
  const jobQuery = z.object({ jobId: JobId.optional() }).strict();

  app.get(
    '/api/jobs/:id',
    {
      config: { roles: ['analyst', 'oversight'] },
      schema: {
        tags: ['forecast'],
        summary:
          "Progress of one of your forecasts, backtests or bias audits: phase (loading, computing, storing, done, failed), stage, steps done of total (backtest origins, fit iterations, audited attributes), the fraction of the whole run, and a failed run's problem code. Only the person who started the run sees it",
        params: z.object({ id: z.string().uuid() }).strict(),
      },
    },
    async (req) => jobs.get(ownerOf(req.principal), req.params.id),
  );

  app.post(
    '/api/forecasts',
    {
      config: { roles: ['analyst'] },
      schema: {
        tags: ['forecast'],
        summary:
          'Forecast hotspots from the stored incidents strictly before asOf (citizen-reported only unless the flag is set); stored and logged',
        querystring: jobQuery,
        body: z
          .object({
            jurisdiction: layer.optional(),
            asOf: date,
            window: z.enum(FORECAST_WINDOWS as [string, ...string[]]).default('7d'),
            cell: length.default('500ft'),
            hotspotArea: area.default('0.25sqmi'),
            maxArea: area.default('0.75sqmi'),
            model: model.default('auto'),
            includeOfficerInitiated: z.boolean().default(false),
            seed: z
              .number()
              .int()
              .min(0)
              .max(2 ** 31 - 1)
              .default(1),
          })
          .strict(),
      },
    },
    async (req, reply) =>
      reply.code(201).send(
        await jobs.run(
          ownerOf(req.principal),
          req.query.jobId ?? randomUUID(),
          'forecast',
          (progress) => services.forecast.createForecast(req.principal, req.body, progress),
          (r) => r.id,
        ),
      ),
  );

  app.get(
    '/api/forecasts',
    {
      config: { roles: ['analyst', 'supervisor', 'oversight'] },
      schema: { tags: ['forecast'], summary: 'Stored forecast runs, newest first' },
    },
    async () => services.forecast.listForecasts(),
  );

  app.get(
    '/api/forecasts/:id',
    {
      config: { roles: ['analyst', 'supervisor', 'oversight'] },
      schema: {
        tags: ['forecast'],
        summary: 'A forecast: run record (provenance, data policy) and its top cells as WGS84 GeoJSON',
        params: z.object({ id: forecastId }),
      },
    },
    async (req) => services.forecast.forecastView(req.params.id),
  );

  app.post(
    '/api/forecasts/:id/reproduce',
    {
      config: { roles: ['analyst', 'oversight'] },
      schema: {
        tags: ['forecast'],
        summary:
          'Re-run a stored forecast from its run record: same data snapshot, bit-for-bit the same risk (or why not); logged',
        params: z.object({ id: forecastId }),
      },
    },
    // A reproduction fits the model again: it takes a turn like a forecast (store/work-queue.ts).
    async (req) =>
      services.backgroundWork.run(ownerOf(req.principal), () =>
        services.forecast.reproduceStoredForecast(req.principal, req.params.id),
      ),
  );

  app.get(
    '/api/forecasts/:id/explanations/:explanationId',
    {
      config: { roles: ['analyst', 'supervisor', 'officer', 'oversight'] },
      schema: {
        tags: ['forecast'],
        summary: 'Why a cell is a hotspot: background share and the past incidents that raised it',
        params: z.object({ id: forecastId, explanationId: z.string().regex(/^cell-\d{1,10}$/) }),
      },
    },
    async (req) => services.forecast.forecastExplanation(req.params.id, req.params.explanationId),
  );

  app.post(
    '/api/backtests',
    {
      config: { roles: ['analyst'] },
      schema: {
        tags: ['forecast'],
        summary:
          'Rolling-origin backtest on the stored incidents: PAI, PEI, hit rates, log score with bootstrap 95% intervals; stored and logged',
        querystring: jobQuery,
        body: z
          .object({
            jurisdiction: layer.optional(),
            from: date,
            to: date,
            stepDays: z.number().int().min(1).max(366).default(7),
            windows: z
              .array(z.enum(FORECAST_WINDOWS as [string, ...string[]]))
              .min(1)
              .max(5)
              .default(['7d', '1mo']),
            cell: length.default('500ft'),
            hotspotArea: area.default('0.25sqmi'),
            maxArea: area.default('0.75sqmi'),
            models: z.array(model).max(12).optional(),
            includeOfficerInitiated: z.boolean().default(false),
            seed: z
              .number()
              .int()
              .min(0)
              .max(2 ** 31 - 1)
              .default(1),
          })
          .strict(),
      },
    },
    async (req, reply) =>
      reply.code(201).send(
        await jobs.run(
          ownerOf(req.principal),
          req.query.jobId ?? randomUUID(),
          'backtest',
          (progress) => services.forecast.createBacktest(req.principal, req.body, progress),
          (r) => String(r.id),
        ),
      ),
  );

  app.get(
    '/api/backtests',
    {
      config: { roles: ['analyst', 'supervisor', 'oversight', 'system-owner'] },
      schema: { tags: ['forecast'], summary: 'Stored backtests, newest first' },
    },
    async () => services.forecast.listBacktests(),
  );

  app.get(
    '/api/backtests/:id',
    {
      config: { roles: ['analyst', 'supervisor', 'oversight', 'system-owner'] },
      schema: {
        tags: ['forecast'],
        summary:
          'A backtest: per model and window, means with bootstrap intervals, hit-rate curves, paired comparisons',
        params: z.object({ id: z.coerce.number().int().min(1) }),
      },
    },
    async (req) => services.forecast.getBacktest(req.params.id),
  );

  app.post(
    '/api/backtests/:id/model-card',
    {
      config: { roles: ['system-owner'] },
      schema: {
        tags: ['forecast'],
        summary:
          "Generate a system version's model card from a stored backtest (its owner only): metrics with intervals, data, limitations",
        params: z.object({ id: z.coerce.number().int().min(1) }),
        body: z.object({ systemId: SystemId, version: z.number().int().min(1) }).strict(),
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(
          await services.forecast.modelCardFromStoredBacktest(
            req.principal,
            req.params.id,
            req.body.systemId,
            req.body.version,
          ),
        ),
  );

  app.post(
    '/api/missions',
    {
      config: {
        roles: ['analyst'],
        unitScope: {
          exempt:
            'a proposal for a named unit: writes a plan and reads none back; a supervisor of that unit decides it',
        },
      },
      schema: {
        tags: ['forecast'],
        summary:
          "Propose a shift's patrol missions from a forecast, under a capacity budget and a dosage cap; a supervisor must approve",
        body: z
          .object({
            forecastId,
            unit,
            shiftStart: z.string().max(40),
            shiftEnd: z.string().max(40),
            budget: z.union([
              z.object({ cells: z.number().int().min(1).max(500) }).strict(),
              z
                .object({ minutes: z.number().min(1).max(100_000), minutesPerCell: z.number().min(1).max(1440) })
                .strict(),
            ]),
            dosage: z
              .object({ maxTimes: z.number().int().min(1).max(100), window: z.number().int().min(1).max(100) })
              .strict()
              .default({ maxTimes: 2, window: 3 }),
            tactics: z.array(z.enum(TACTICS)).max(TACTICS.length).default(['visible-presence']),
            seed: z
              .number()
              .int()
              .min(0)
              .max(2 ** 31 - 1)
              .default(1),
            fairnessBound: z
              .union([z.number().min(1).max(100), z.tuple([z.number().gt(0).max(1), z.number().min(1).lt(100)])])
              .optional(),
          })
          .strict(),
      },
    },
    // A fair plan runs the planner on a thread of its own and takes a turn (store/work-queue.ts); a plain
    // top-cells plan is quick and does not wait behind an import.
    async (req, reply) => {
      const propose = () => services.forecast.proposeMissions(req.principal, req.body);
      const plan =
        req.body.fairnessBound === undefined
          ? await propose()
          : await services.backgroundWork.run(ownerOf(req.principal), propose);
      return reply.code(201).send(plan);
    },
  );

  app.get(
    '/api/forecasts/:id/fairness-tradeoff',
    {
      config: { roles: ['analyst', 'supervisor', 'oversight'] },
      schema: {
        tags: ['forecast'],
        summary:
          "What keeping every resident group's exposure/victimization ratio within a band costs: expected hits kept per bound for a shift of `budget` cells (one plan per bound, as a mission would be planned)",
        params: z.object({ id: forecastId }),
        querystring: z.object({ budget: z.coerce.number().int().min(1).max(200) }).strict(),
      },
    },
    // One plan per bound, on a planning thread; it takes a turn like other heavy work (store/work-queue.ts).
    async (req) =>
      services.backgroundWork.run(ownerOf(req.principal), () =>
        services.forecast.missionTradeoff(req.params.id, req.query.budget),
      ),
  );

  app.post(
    '/api/missions/:id/decision',
    {
      config: { roles: ['supervisor'], unitScope: 'mission' },
      schema: {
        tags: ['forecast'],
        summary:
          "A supervisor of the mission's unit (not the proposer) approves — releasing it as an alert for review — or rejects a mission",
        params: z.object({ id: z.string().regex(/^msn-[0-9a-f]{12}$/) }),
        body: z.object({ decision: z.enum(['approve', 'reject']), reason: z.string().min(1).max(2000) }).strict(),
      },
    },
    async (req) => services.forecast.decideMission(req.principal, req.params.id, req.body.decision, req.body.reason),
  );

  app.get(
    '/api/missions',
    {
      config: {
        roles: ['analyst', 'supervisor', 'officer', 'oversight'],
        personalData: true,
        purposes: ['patrol-forecasting', 'alert-review', 'oversight-review'],
        unitScope: 'mission-list',
      },
      schema: {
        tags: ['forecast'],
        summary:
          'Missions of your unit, newest shift first (officers: your shift and earlier; oversight: any unit, with x-purpose outside its own; reads are access-logged)',
        querystring: z.object({ unit: unit.optional(), forecastId: forecastId.optional() }).strict(),
      },
    },
    async (req) => {
      const missions = await services.forecast.missionsFor(req.principal, req.query, purposeOf(req));
      req.accessRecords = missions.map((m) => `mission:${m.id}`);
      return missions;
    },
  );

  app.get(
    '/api/forecast/system',
    {
      config: { roles: ['analyst', 'supervisor', 'oversight', 'admin'] },
      schema: {
        tags: ['forecast'],
        summary: "Which registered AI system is Counterweight's forecaster (its missions are its alerts)",
      },
    },
    async () => ({ systemId: (await services.settings.getSetting('forecast.system_id')) ?? null }),
  );

  app.put(
    '/api/forecast/system',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['forecast'],
        summary: "Name the registered AI system that is Counterweight's forecaster",
        body: z.object({ systemId: SystemId }).strict(),
      },
    },
    async (req) => ({ systemId: await services.forecast.nameForecaster(req.principal, req.body.systemId) }),
  );
};
