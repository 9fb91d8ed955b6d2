import { z } from 'zod';
import { NotFoundError } from '../../domain/errors';
import type { RouteModule } from '../context';
import {
  CSV_COLUMNS,
  csvRow,
  modelCardJsonSchema,
  recordJsonSchema,
  toAlgoritmeregister,
  toAtrs,
  toCsv,
} from '../../registry/register-export';
import { activationGate, listQuestionnaires, validateRecordDraft } from '../../registry/service-rules';
import { langOf, msg, render } from '../../domain/messages';
import { controlTitle, describeDuty, dutiesFor, lawOfControl } from '../../registry/legal-duties';

const sysParams = z.object({ id: z.string().regex(/^sys-[0-9a-f]{12}$/) });
const verParams = sysParams.extend({ version: z.coerce.number().int().min(1).max(100_000) });
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(s), 'no control characters');
const isoTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/, 'a UTC time like 2027-01-01T00:00:00Z');

/** Register routes that do not need the scoring and gate library: consultation, redactions, model cards, evidence, training. */
export const registerRoutes: RouteModule = (app, { services, config }) => {
  const recordBody = z.record(z.string(), z.unknown());

  app.post(
    '/api/systems',
    {
      config: { roles: ['system-owner'] },
      bodyLimit: 512 * 1024,
      schema: {
        tags: ['register'],
        summary:
          'Register an AI system (one technology, one version) as a draft; the caller becomes its accountable owner',
        body: z.object({ name: text(120), record: recordBody }).strict(),
        response: { 201: z.object({ systemId: z.string(), version: z.number(), state: z.string() }) },
      },
    },
    async (req, reply) => {
      const v = await services.registry.createSystem(req.principal, {
        name: req.body.name,
        record: validateRecordDraft(req.body.record),
      });
      return reply.code(201).send({ systemId: v.systemId, version: v.version, state: v.state });
    },
  );

  app.put(
    '/api/systems/:id/versions/:version',
    {
      config: { roles: ['system-owner'] },
      bodyLimit: 512 * 1024,
      schema: {
        tags: ['register'],
        summary: 'Edit a draft record (owner; other states are frozen)',
        params: verParams,
        body: z.object({ record: recordBody }).strict(),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await services.registry.updateDraft(
        req.principal,
        req.params.id,
        req.params.version,
        validateRecordDraft(req.body.record),
      );
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/systems/:id/versions',
    {
      config: { roles: ['system-owner'] },
      schema: {
        tags: ['register'],
        summary: 'Start a new version (a draft copy of the latest)',
        params: sysParams,
        response: { 201: z.object({ version: z.number() }) },
      },
    },
    async (req, reply) =>
      reply.code(201).send({ version: (await services.registry.newVersion(req.principal, req.params.id)).version }),
  );

  app.post(
    '/api/systems/:id/versions/:version/transition',
    {
      config: { roles: ['system-owner', 'oversight'] },
      schema: {
        tags: ['register'],
        summary:
          'Move a version through its lifecycle; refused with the reasons when a gate or separation of duties forbids it',
        params: verParams,
        body: z
          .object({
            to: z.enum(['draft', 'consultation', 'approved', 'active', 'paused', 'retired']),
            reason: text(2000),
            consultationDays: z.number().int().min(0).max(365).optional(),
            remedy: text(4000).optional(),
          })
          .strict(),
        response: { 200: z.object({ state: z.string() }) },
      },
    },
    async (req) => {
      const v = await services.registry.transitionSystem(
        activationGate,
        req.principal,
        req.params.id,
        req.params.version,
        req.body.to,
        req.body.reason,
        { consultationDays: req.body.consultationDays, remedy: req.body.remedy },
      );
      return { state: v.state };
    },
  );

  app.post(
    '/api/systems/:id/versions/:version/assessments',
    {
      config: { roles: ['system-owner'] },
      bodyLimit: 512 * 1024,
      schema: {
        tags: ['register'],
        summary: 'Submit a human-rights impact assessment: answers to a questionnaire, scored on the server',
        params: verParams,
        body: z
          .object({ questionnaire: z.string().regex(/^[a-z0-9-]{2,64}$/), answers: z.record(z.string(), z.unknown()) })
          .strict(),
        response: { 201: z.object({ id: z.string(), level: z.number(), result: z.unknown() }) },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(
          await services.registry.submitScoredAssessment(
            req.principal,
            req.params.id,
            req.params.version,
            req.body.questionnaire,
            req.body.answers,
          ),
        ),
  );

  app.put(
    '/api/systems/:id/versions/:version/classification',
    {
      config: { roles: ['system-owner'] },
      schema: {
        tags: ['register'],
        summary:
          "The owner answers the legal-classification questions for the version's declared output kinds; the server classifies (EU AI Act, Korea AI Framework Act) with the reasons; oversight then confirms",
        params: verParams,
        body: z.object({ answers: z.record(z.string().max(120), z.unknown()) }).strict(),
      },
    },
    async (req) =>
      services.registry.answerClassification(req.principal, req.params.id, req.params.version, req.body.answers),
  );

  app.post(
    '/api/systems/:id/versions/:version/classification/confirmation',
    {
      config: { roles: ['oversight'] },
      schema: {
        tags: ['register'],
        summary:
          "Oversight confirms the computed legal classification (never the system's owner); the assessment can be approved only after this",
        params: verParams,
        body: z.object({ reason: text(2000) }).strict(),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await services.registry.confirmClassification(req.principal, req.params.id, req.params.version, req.body.reason);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/assessments/:assessmentId/decision',
    {
      config: { roles: ['oversight'] },
      schema: {
        tags: ['register'],
        summary: "Oversight approves or rejects an assessment (never the system's owner)",
        params: z.object({ assessmentId: z.string().regex(/^aia-[0-9a-f]{12}$/) }),
        body: z.object({ decision: z.enum(['approved', 'rejected']), reason: text(2000) }).strict(),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await services.registry.decideAssessment(
        req.principal,
        req.params.assessmentId,
        req.body.decision,
        req.body.reason,
      );
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/questionnaires',
    {
      config: { roles: ['oversight', 'admin'] },
      bodyLimit: 4 * 1024 * 1024,
      schema: {
        tags: ['register'],
        summary:
          'Import a SurveyJS questionnaire that follows the Canadian AIA conventions (e.g. the official AIA, unchanged)',
        body: z
          .object({ id: z.string().regex(/^[a-z0-9-]{2,64}$/), surveyjs: z.record(z.string(), z.unknown()) })
          .strict(),
        response: {
          201: z.object({
            id: z.string(),
            logIndex: z.number(),
            rawMax: z.number(),
            mitigationMax: z.number(),
            questions: z.number(),
            warnings: z.array(z.unknown()),
          }),
        },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await services.registry.importQuestionnaire(req.principal, req.body.id, req.body.surveyjs)),
  );

  app.post(
    '/api/questionnaires/check',
    {
      config: { roles: ['oversight', 'admin'] },
      bodyLimit: 4 * 1024 * 1024,
      schema: {
        tags: ['register'],
        summary:
          'Check a SurveyJS questionnaire as POST /api/questionnaires would import it, writing nothing: its title, questions, maximum scores and warnings, or each problem named',
        body: z
          .object({ id: z.string().regex(/^[a-z0-9-]{2,64}$/), surveyjs: z.record(z.string(), z.unknown()) })
          .strict(),
      },
    },
    async (req) => services.registry.checkQuestionnaire(req.body.id, req.body.surveyjs),
  );

  app.get(
    '/api/questionnaires',
    {
      config: { roles: ['public'] },
      schema: {
        tags: ['register'],
        summary: 'Questionnaires available for impact assessments (built-in and imported)',
      },
    },
    async () => services.registry.allQuestionnaires(),
  );

  app.get(
    '/api/questionnaires/:id',
    {
      config: { roles: ['public'] },
      schema: {
        tags: ['register'],
        summary:
          'A questionnaire as a form: SurveyJS JSON to render and the questionnaire the server scores it with (the web app shows the live score from it)',
        params: z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/) }),
      },
    },
    async (req) => services.registry.questionnaireForm(req.params.id),
  );

  app.get(
    '/api/systems/:id/workspace',
    {
      config: { roles: ['system-owner', 'oversight'] },
      schema: {
        tags: ['register'],
        summary: 'A version with what stands between it and going live',
        params: sysParams,
        querystring: z.object({ version: z.coerce.number().int().min(1).optional() }).strict(),
      },
    },
    async (req) => {
      const v = await services.registry.getVersion(req.params.id, req.query.version);
      const input = await services.registry.gateInput(v);
      const g = activationGate(input);
      const lang = langOf(req.headers['accept-language']);
      const classification = await services.registry.classificationOf(v);
      const a = await services.registry.latestAssessment(v.systemId, v.version);
      return {
        id: v.systemId,
        name: v.name,
        version: v.version,
        state: v.state,
        ownerId: v.ownerId,
        record: v.record,
        assessment: a ?? null,
        classification,
        comments: (await services.registry.comments(v.systemId, v.version)).map((c) => ({
          id: c.id,
          author: c.author,
          body: c.body,
          response: c.response,
          responseKind: c.response ? (c.response_kind ?? 'answer') : null,
        })),
        gate: {
          ok: g.problems.length === 0,
          problems: g.problems,
          // The same problems as a checklist: each in the reader's language with the action that clears it.
          checks: g.checks.map((c) => ({
            action: c.action,
            code: c.message.code,
            params: c.message.params ?? {},
            text: render(c.message, lang),
          })),
          // Titles in the reader's language, each with the legal duties it serves (config/legal-duties.json).
          requiredControls: g.requiredControls.map((c) => ({
            ...c,
            title: controlTitle(c.id, lang),
            law: lawOfControl(c.id).map((d) => ({ id: d.id, article: d.article[lang], text: d.text[lang] })),
          })),
        },
        legalDuties: dutiesFor(v.record, classification).map((d) => describeDuty(d, lang)),
        questionnaires: listQuestionnaires(),
      };
    },
  );

  app.get(
    '/api/register',
    {
      config: { roles: ['public'] },
      schema: {
        tags: ['register'],
        summary: 'The public register: every AI system, its status, assessment level and latest published audit',
      },
    },
    async () => services.registry.publicRegister(),
  );

  app.get(
    '/api/register/schema.json',
    {
      config: { roles: ['public'] },
      schema: { tags: ['register'], summary: 'JSON Schema of the AI system record' },
    },
    async () => recordJsonSchema(),
  );

  app.get(
    '/api/register/model-card-schema.json',
    {
      config: { roles: ['public'] },
      schema: { tags: ['register'], summary: "JSON Schema of the model card a system's owner supplies" },
    },
    async () => modelCardJsonSchema(),
  );

  app.get(
    '/api/register/export.json',
    {
      config: { roles: ['public'] },
      schema: { tags: ['register'], summary: "Every system's latest version as JSON (redactions applied)" },
    },
    async () =>
      Promise.all((await services.registry.publicRegister()).map((r) => services.registry.publicSystem(r.id))),
  );

  app.get(
    '/api/register/export.csv',
    {
      config: { roles: ['public'] },
      schema: { tags: ['register'], summary: "Every system's latest version as CSV (redactions applied)" },
    },
    async (_req, reply) => {
      const all = await Promise.all(
        (await services.registry.publicRegister()).map((r) => services.registry.publicSystem(r.id)),
      );
      reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="ai-register.csv"');
      return toCsv(
        CSV_COLUMNS,
        all.map((p) => csvRow(p)),
      );
    },
  );

  app.get(
    '/api/register/:id/atrs',
    {
      config: { roles: ['public'] },
      schema: {
        tags: ['register'],
        summary: 'The record mapped to the UK Algorithmic Transparency Recording Standard fields',
        params: sysParams,
      },
    },
    async (req) => toAtrs(await services.registry.publicSystem(req.params.id)),
  );

  app.get(
    '/api/register/:id/algoritmeregister',
    {
      config: { roles: ['public'] },
      schema: {
        tags: ['register'],
        summary: 'The record mapped to the Dutch Algoritmeregister fields',
        params: sysParams,
      },
    },
    async (req) => toAlgoritmeregister(await services.registry.publicSystem(req.params.id)),
  );

  app.get(
    '/api/register/:id',
    {
      config: { roles: ['public'] },
      schema: {
        tags: ['register'],
        summary:
          "One system's public record (redacted fields name their legal reason), assessment, model card, consultation, audits, history",
        params: sysParams,
        querystring: z.object({ version: z.coerce.number().int().min(1).optional() }).strict(),
      },
    },
    async (req) => services.registry.publicSystem(req.params.id, req.query.version),
  );

  app.post(
    '/api/systems/:id/versions/:version/comments',
    {
      // Anonymous and each one a public log entry: throttled per client address, and capped per system per day (in addComment).
      config: {
        roles: ['public'],
        rateLimit: { max: config.commentRateLimit.max, timeWindow: config.commentRateLimit.windowMs },
      },
      bodyLimit: 32 * 1024,
      schema: {
        tags: ['register'],
        summary: 'Comment on a system during its public consultation (anyone; keep personal details out)',
        params: verParams,
        body: z.object({ author: text(80), body: text(8000) }).strict(),
        response: { 201: z.object({ id: z.number() }) },
      },
    },
    async (req, reply) =>
      reply.code(201).send({
        id: await services.registry.addComment(
          req.params.id,
          req.params.version,
          req.body,
          config.commentsPerSystemPerDay,
        ),
      }),
  );

  app.post(
    '/api/systems/:id/comments/:commentId/response',
    {
      config: { roles: ['system-owner', 'oversight'] },
      schema: {
        tags: ['register'],
        summary:
          "Answer or acknowledge a consultation comment (the system's owner or oversight; published and logged). Approval waits for every comment",
        params: sysParams.extend({ commentId: z.coerce.number().int().min(1) }),
        body: z
          .object({ response: text(8000), kind: z.enum(['answer', 'acknowledgement']).default('answer') })
          .strict(),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await services.registry.respondToComment(
        req.principal,
        req.params.id,
        req.params.commentId,
        req.body.response,
        req.body.kind,
      );
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/systems/:id/versions/:version/redactions',
    {
      config: { roles: ['oversight'] },
      schema: {
        tags: ['register'],
        summary: 'Redact one field of the public record, with the legal reason and an expiry (the record stays public)',
        params: verParams,
        body: z
          .object({ field: z.string().regex(/^[A-Za-z0-9_.[\]]{1,120}$/), legalReason: text(500), expiresAt: isoTime })
          .strict(),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await services.registry.addRedaction(req.principal, req.params.id, req.params.version, req.body);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/systems/:id/versions/:version/model-card',
    {
      config: { roles: ['system-owner', 'oversight'] },
      schema: {
        tags: ['register'],
        summary: 'The stored model card of a version as saved (null when there is none): what the workspace form loads',
        params: verParams,
      },
    },
    async (req) => ({ card: (await services.registry.storedModelCard(req.params.id, req.params.version)) ?? null }),
  );

  app.put(
    '/api/systems/:id/versions/:version/model-card',
    {
      config: { roles: ['system-owner'] },
      bodyLimit: 512 * 1024,
      schema: {
        tags: ['register'],
        summary:
          'Set the model card of a version (owner): checked against /api/register/model-card-schema.json, a refused card names each failing field and writes nothing',
        params: verParams,
        // Checked by the registry (parseOwnerModelCard), so every problem names its field in plain words.
        body: z.unknown(),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await services.registry.putModelCard(req.principal, req.params.id, req.params.version, req.body);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/systems/:id/versions/:version/evidence',
    {
      config: { roles: ['system-owner', 'oversight'] },
      schema: {
        tags: ['register'],
        summary: 'Record evidence that a required control is in place',
        params: verParams,
        body: z.object({ control: z.string().regex(/^[a-z0-9-]{2,64}$/), evidence: text(4000) }).strict(),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await services.registry.addEvidence(
        req.principal,
        req.params.id,
        req.params.version,
        req.body.control,
        req.body.evidence,
      );
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/systems/:id/versions/:version/authorisations',
    {
      config: { roles: ['oversight'] },
      schema: {
        tags: ['register'],
        summary: 'Authorise a use that needs one (e.g. real-time remote biometric identification): scope and expiry',
        params: verParams,
        body: z.object({ scope: text(2000), expiresAt: isoTime }).strict(),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await services.registry.addAuthorisation(req.principal, req.params.id, req.params.version, req.body);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/training',
    {
      config: { roles: ['supervisor', 'admin'] },
      schema: {
        tags: ['register'],
        summary: 'Record that a person completed the training a system requires',
        body: z
          .object({
            userId: z.string().uuid(),
            systemId: z.string().regex(/^sys-[0-9a-f]{12}$/),
            course: text(200),
            completedAt: isoTime,
            validUntil: isoTime,
          })
          .strict(),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await services.registry.recordTraining(req.principal, req.body);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/systems/:id/transitions',
    {
      config: { roles: ['public'] },
      schema: {
        tags: ['register'],
        summary: 'Every lifecycle transition with who, why, when and its log entry',
        params: sysParams,
      },
    },
    async (req) => {
      const rows = await services.registry.transitions(req.params.id);
      if (rows.length === 0)
        await services.registry.getVersion(req.params.id).catch(() => {
          throw new NotFoundError(msg('server.noSystem', { systemId: req.params.id }));
        });
      return rows.map((r) => ({
        version: r.version,
        from: r.from_state,
        to: r.to_state,
        actor: r.actor_id,
        reason: r.reason,
        at: r.at,
        logIndex: r.log_index,
      }));
    },
  );
};
