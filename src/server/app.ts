import { availableParallelism } from 'node:os';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import cookie from '@fastify/cookie';
import helmet from 'helmet';
import fastifyStatic from '@fastify/static';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { MACHINE_ROLES, type Role } from '../domain/roles';
import type { UnitScope } from '../review/scope';
import type { Purpose } from '../privacy/sources';
import { authHook } from './auth';
import { personalDataHooks } from './access-log';
import type { App, RouteContext, ServerConfig, ServerContext } from './context';
import { makeServices } from './services';
import { WorkQueue } from '../store/work-queue';
import { errorHandler, sendProblem } from './problem';
import { ROUTE_MODULES } from './routes/index';
import type { Store } from '../store/db';
import { Ledger } from '../ledger-service/ledger';
import { expireAlerts } from '../review/alert-review';
import { runRetention } from '../privacy/oversight';
import { runMonitors } from '../monitor/monitor';
import { openLogKeysFor } from '../ledger-service/log-keys';
import { AccessError, InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import { DEFAULT_COMMENT_CAP } from '../registry/comment-quota';
import { jsonNestingExceeds, MAX_JSON_DEPTH } from './body-limits';
import { openPseudonymsFor } from '../privacy/pseudonyms';
import { UrgentAlerts } from '../review/urgent';
import { loadUrgencyPolicy } from '../review/urgency';
import { serverMetrics } from '../ops/metrics';
import { runOnce } from '../store/locks';

export interface RouteInfo {
  method: string;
  url: string;
  roles: Role[];
  /** Refuses API keys: only a person's session (see FastifyContextConfig.person). */
  person: boolean;
  personalData?: boolean | 'sensitive';
  unitScope?: UnitScope;
  purposes?: Purpose[];
}

/** Routes that reach an alert or a mission: each must declare config.unitScope (see src/review/scope.ts). */
export const UNIT_SCOPED_URL = /^\/api\/(alerts|missions)(\/|$)|:alertId|\/alerts(\/|$)/;

export const DEFAULT_CONFIG: ServerConfig = {
  taxonomyFile: 'config/taxonomy.json',
  secureCookies: false,
  webDist: 'web/dist',
  maxUploadBytes: 64 * 1024 * 1024,
  // One core for requests, the rest for imports, audits and forecasts; a few waiting (each holds its upload), two per person.
  backgroundWork: { running: Math.max(1, availableParallelism() - 1), waiting: 8, perOwner: 2 },
  keysDir: 'data/keys',
  logOrigin: 'counterweight.local/log',
  witnessKeys: [],
  commentsPerSystemPerDay: DEFAULT_COMMENT_CAP,
  commentRateLimit: { max: 5, windowMs: 10 * 60_000 },
  retentionAtStart: true,
  urgencyFile: 'config/urgency.json',
};

/**
 * Pino options for the server's JSON log (stdout unless a stream is given). A request is logged as
 * method, path (no query string) and client address only; headers that carry secrets and bodies are
 * redacted as well, in case a log call ever passes them.
 */
function loggerOptions(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return false;
  const custom = typeof logger === 'object' ? logger : {};
  return {
    level: process.env.CW_LOG_LEVEL ?? 'info',
    ...custom,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'req.body',
        'res.headers["set-cookie"]',
        'headers.authorization',
        'headers.cookie',
        'headers["x-csrf-token"]',
        'body',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: FastifyRequest) => ({ method: req.method, url: req.url.split('?')[0], remoteAddress: req.ip }),
    },
  };
}

/**
 * Build the HTTP app. Every route must declare the roles it admits (startup fails otherwise), so the
 * route table is also the access-control table; `routes` exposes it for the roles-matrix test.
 */
export async function buildApp(
  store: Store,
  config: Partial<ServerConfig> = {},
  opts: FastifyServerOptions = {},
): Promise<{ app: App; routes: RouteInfo[]; ledger: Ledger; urgent: UrgentAlerts; backgroundWork: WorkQueue }> {
  const cfg: ServerConfig = { ...DEFAULT_CONFIG, ...config };
  const ledger = new Ledger(store, await openLogKeysFor(store, cfg.keysDir, cfg.logOrigin));
  const urgencyPolicy = cfg.urgencyPolicy ?? loadUrgencyPolicy(cfg.urgencyFile);
  let logUrgent: (obj: Record<string, unknown>, text: string) => void = () => undefined;
  const urgent = new UrgentAlerts(store, ledger, urgencyPolicy, {
    webhookSecret: cfg.dispatchWebhookSecret,
    log: (o, t) => logUrgent(o, t),
  });
  const ctx: ServerContext = {
    store,
    config: cfg,
    ledger,
    pseudonyms: await openPseudonymsFor(store.db, cfg.keysDir),
    urgent,
  };
  const app = Fastify({
    bodyLimit: 1024 * 1024,
    // Unguessable request ids: a 500's body names only this id, and the log line carries it.
    genReqId: () => randomUUID(),
    ...opts,
    // Forwarded headers are believed only from proxies the operator named (serve --trust-proxy).
    trustProxy: cfg.trustProxy ?? false,
    // Never log request bodies, cookies, authorization or CSRF headers: secrets and personal data stay out of logs.
    logger: loggerOptions(opts.logger),
  }).withTypeProvider<ZodTypeProvider>() as unknown as App;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  // JSON bodies: refuse deep nesting before parsing (400, not a stack overflow later), then Fastify's own
  // parser with prototype-poisoning protection.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (jsonNestingExceeds(body as string, MAX_JSON_DEPTH)) {
      return done(
        new InputError(msg('server.tooDeep', { max: MAX_JSON_DEPTH }), [
          { field: 'body', expected: `JSON nested at most ${MAX_JSON_DEPTH} levels deep` },
        ]),
        undefined,
      );
    }
    // A body that does not parse is named in the reader's language (Fastify's own error is English only).
    return parseJson(req, body as string, (err, value) =>
      err
        ? done(new InputError(msg('server.badJson'), [{ field: 'body', expected: 'JSON (RFC 8259)' }]), undefined)
        : done(null, value),
    );
  });

  const routes: RouteInfo[] = [];
  app.addHook('onRoute', (r) => {
    // The web app's static files (one wildcard route from @fastify/static) are public by declaration.
    if (r.url === '/*' && !r.config?.roles) r.config = { ...r.config, roles: ['public'] };
    const roles = r.config?.roles;
    if (!roles || roles.length === 0) throw new Error(`route ${r.method} ${r.url} does not declare config.roles`);
    if (r.config?.personalData && !r.config.purposes?.length)
      throw new Error(`route ${r.method} ${r.url} reads personal data but declares no config.purposes`);
    if (UNIT_SCOPED_URL.test(r.url) && !r.config?.unitScope)
      throw new Error(`route ${r.method} ${r.url} reaches alerts or missions but does not declare config.unitScope`);
    // Machines only ever reach routes that admit a machine role or everyone; the rest need a person.
    const person = r.config?.person ?? !roles.some((x) => x === 'public' || MACHINE_ROLES.includes(x));
    r.config = { ...r.config, person };
    for (const m of ([] as string[]).concat(r.method))
      if (m !== 'HEAD')
        routes.push({
          method: m,
          url: r.url,
          roles,
          person,
          personalData: r.config?.personalData,
          unitScope: r.config?.unitScope,
          purposes: r.config?.purposes,
        });
  });

  await app.register(cookie);
  // Rate limits are per route (config.rateLimit), keyed on the client address (req.ip, so trustProxy applies).
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, c) =>
      new AccessError(msg('server.rateLimited', { seconds: Math.max(1, Math.ceil(c.ttl / 1000)) }), 429),
  });
  // Security headers (CSP and the rest) from helmet, built once: @fastify/helmet rebuilt the middleware
  // on every request, about 45 µs each.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        workerSrc: ["'self'", 'blob:'],
        childSrc: ['blob:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        // Only behind HTTPS: on plain-HTTP localhost it would break every request.
        upgradeInsecureRequests: cfg.secureCookies ? [] : null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', (req, reply, done) =>
    securityHeaders(req.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)),
  );
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Counterweight API',
        version: '0.1.0',
        description:
          'Accountable patrol guidance and governance for public-safety AI. Errors are RFC 9457 problem+json.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'cw_session' },
          apiKey: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  app.addHook('onRequest', authHook(ctx));
  const pd = personalDataHooks(ctx);
  app.addHook('preHandler', pd.preHandler);
  app.addHook('onSend', pd.onSend);

  app.get('/api/openapi.json', { config: { roles: ['public'] }, schema: { hide: true } }, async () => app.swagger());

  // --- operations: Prometheus /metrics (src/ops/metrics.ts); open to this machine only, or to a bearer token (CW_METRICS_TOKEN) ---
  const backgroundWork = new WorkQueue(cfg.backgroundWork);
  const metrics = serverMetrics(store, { token: cfg.metricsToken }, backgroundWork);
  app.addHook('onResponse', (req, reply, done) => {
    metrics.observeRequest(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  app.get(
    '/metrics',
    { config: { roles: ['public'], ownBearer: true }, schema: { hide: true } },
    async (req, reply) => {
      metrics.checkAccess({
        authorization: req.headers.authorization,
        forwarded: 'x-forwarded-for' in req.headers || 'forwarded' in req.headers,
        remoteAddress: req.socket.remoteAddress,
      });
      reply.header('cache-control', 'no-store').type(metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
  const { store: _store, ...shared } = ctx;
  const routeCtx: RouteContext = {
    ...shared,
    services: makeServices(store, ledger, backgroundWork),
  };
  for (const mod of ROUTE_MODULES) await mod(app, routeCtx);

  const dist = cfg.webDist ? resolve(cfg.webDist) : undefined;
  if (dist && existsSync(resolve(dist, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: dist,
      prefix: '/',
      wildcard: true,
      index: ['index.html'],
      // The build wrote .br and .gz copies (web/precompress.ts): sent as they are to a browser that takes them.
      preCompressed: true,
      // Files under assets/ carry a hash of their content in their name, so a browser may keep them for
      // good; the page that names them (index.html) is asked for again each time, so a new release shows.
      cacheControl: false,
      setHeaders: (reply: FastifyReply, path: string) =>
        reply.header(
          'cache-control',
          /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
        ),
    });
  }
  app.setNotFoundHandler((req, reply) => {
    // The browser app routes on the client: unknown non-API GETs get index.html.
    if (
      req.method === 'GET' &&
      !req.url.startsWith('/api/') &&
      !req.url.startsWith('/log/') &&
      dist &&
      existsSync(resolve(dist, 'index.html'))
    ) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return sendProblem(reply, 404, msg('server.noEndpoint', { method: req.method, path: req.url.split('?')[0] }));
  });
  // Scheduled jobs run on one server at a time when several share a PostgreSQL database (runOnce:
  // an advisory lock, and the daily and hourly jobs at most once per period between them).
  const job =
    (name: 'expiry' | 'retention' | 'monitors', everyMs: number | undefined, fn: () => Promise<unknown>) => () =>
      void runOnce(store, name, fn, { everyMs }).catch((e) => app.log.error({ err: String(e) }, `${name} run failed`));
  // Alerts that expire unreviewed are recorded as such, also when nobody opens the queue.
  const sweep = setInterval(
    job('expiry', undefined, () => expireAlerts(store, ledger)),
    60_000,
  );
  sweep.unref();
  // The retention job: at start-up (a server that was down on the day still purges on time), then daily; purges personal data past each system's retention period (legal holds kept).
  const retention = setInterval(
    job('retention', 23 * 3600_000, () => runRetention(store, ledger, 'system:counterweight-retention')),
    24 * 3600_000,
  );
  retention.unref();
  // Outcome monitors: hourly; a breach pauses the system automatically.
  const monitors = setInterval(
    job('monitors', 55 * 60_000, () => runMonitors(store, ledger, new Date(), urgencyPolicy)),
    3600_000,
  );
  monitors.unref();
  // Urgent alerts escalate from deadlines stored in the database: a sweep now (a restart misses nothing) and on an interval.
  logUrgent = (o, t) => app.log.warn(o, t);
  urgent.start((e) => app.log.error({ err: String(e) }, 'escalation sweep failed'));
  let closing = false; // the map's background index build may fail on a closed store: not worth a warning then
  app.addHook('onClose', async () => {
    closing = true;
    await urgent.close();
    clearInterval(sweep);
    clearInterval(retention);
    clearInterval(monitors);
    await ledger.close();
  });
  if (cfg.retentionAtStart)
    await runOnce(store, 'retention', () =>
      runRetention(store, ledger, 'system:counterweight-retention', new Date(), { logIfNothing: false }),
    ).catch((e) => app.log.error({ err: String(e) }, 'retention run at start-up failed'));
  await app.ready();
  // The map's first view: its cluster indexes are built in the background from now, not on the first request.
  void routeCtx.services.maps
    .warmClusterIndexes()
    .catch((e) => closing || app.log.warn({ err: String(e) }, 'map cluster index build failed'));
  return { app, routes, ledger, urgent, backgroundWork };
}
