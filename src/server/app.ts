import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import cookie from '@fastify/cookie';
import helmet from 'helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Role } from '../domain/roles';
import type { Purpose } from '../privacy/sources';
import { authHook } from './auth';
import { personalDataHooks } from './access-log';
import type { App, ServerConfig, ServerContext } from './context';
import { errorHandler, sendProblem } from './problem';
import { ROUTE_MODULES } from './routes/index';
import type { Store } from '../store/db';
import { Ledger } from '../ledger-service/ledger';
import { expireAlerts } from '../review/review';
import { runRetention } from '../privacy/oversight';
import { runMonitors } from '../monitor/monitor';
import { loadOrCreateLogKeys } from '../ledger-service/log-keys';

export interface RouteInfo {
  method: string;
  url: string;
  roles: Role[];
  personalData?: boolean | 'sensitive';
  purposes?: Purpose[];
}

export const DEFAULT_CONFIG: ServerConfig = {
  taxonomyFile: 'config/taxonomy.json',
  secureCookies: false,
  webDist: 'web/dist',
  maxUploadBytes: 64 * 1024 * 1024,
  keysDir: 'data/keys',
  logOrigin: 'counterweight.local/log',
  witnessKeys: [],
  retentionAtStart: true,
};

/**
 * Build the HTTP app. Every route must declare the roles it admits (startup fails otherwise), so the
 * route table is also the access-control table; `routes` exposes it for the roles-matrix test.
 */
export async function buildApp(store: Store, config: Partial<ServerConfig> = {}, opts: FastifyServerOptions = {}): Promise<{ app: App; routes: RouteInfo[]; ledger: Ledger }> {
  const cfg: ServerConfig = { ...DEFAULT_CONFIG, ...config };
  const ledger = new Ledger(store, loadOrCreateLogKeys(cfg.keysDir, cfg.logOrigin));
  const ctx: ServerContext = { store, config: cfg, ledger };
  const app = Fastify({
    bodyLimit: 1024 * 1024,
    trustProxy: false,
    // Never log request bodies, cookies or authorization headers: secrets and personal data stay out of logs.
    logger: opts.logger ?? false,
    ...opts,
  }).withTypeProvider<ZodTypeProvider>() as unknown as App;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

  const routes: RouteInfo[] = [];
  app.addHook('onRoute', (r) => {
    // The web app's static files (one wildcard route from @fastify/static) are public by declaration.
    if (r.url === '/*' && !r.config?.roles) r.config = { ...r.config, roles: ['public'] };
    const roles = r.config?.roles;
    if (!roles || roles.length === 0) throw new Error(`route ${r.method} ${r.url} does not declare config.roles`);
    if (r.config?.personalData && !r.config.purposes?.length) throw new Error(`route ${r.method} ${r.url} reads personal data but declares no config.purposes`);
    for (const m of ([] as string[]).concat(r.method)) if (m !== 'HEAD') routes.push({ method: m, url: r.url, roles, personalData: r.config?.personalData, purposes: r.config?.purposes });
  });

  await app.register(cookie);
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
  app.addHook('onRequest', (req, reply, done) => securityHeaders(req.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)));
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Counterweight API', version: '0.1.0', description: 'Accountable patrol guidance and governance for public-safety AI. Errors are RFC 9457 problem+json.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'cw_session' }, apiKey: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });
  app.addHook('onRequest', authHook(ctx));
  const pd = personalDataHooks(ctx);
  app.addHook('preHandler', pd.preHandler);
  app.addHook('onSend', pd.onSend);

  app.get('/api/openapi.json', { config: { roles: ['public'] }, schema: { hide: true } }, async () => app.swagger());
  for (const mod of ROUTE_MODULES) await mod(app, ctx);

  const dist = cfg.webDist ? resolve(cfg.webDist) : undefined;
  if (dist && existsSync(resolve(dist, 'index.html'))) {
    await app.register(fastifyStatic, { root: dist, prefix: '/', wildcard: true, index: ['index.html'] });
  }
  app.setNotFoundHandler((req, reply) => {
    // The browser app routes on the client: unknown non-API GETs get index.html.
    if (req.method === 'GET' && !req.url.startsWith('/api/') && !req.url.startsWith('/log/') && dist && existsSync(resolve(dist, 'index.html'))) {
      return reply.sendFile('index.html');
    }
    return sendProblem(reply, 404, `no such endpoint: ${req.method} ${req.url.split('?')[0]}`);
  });
  // Alerts that expire unreviewed are recorded as such, also when nobody opens the queue.
  const sweep = setInterval(() => void expireAlerts(store, ledger).catch((e) => app.log.error({ err: String(e) }, 'expiry sweep failed')), 60_000);
  sweep.unref();
  // The retention job: at start-up (a server that was down on the day still purges on time), then daily; purges personal data past each system's retention period (legal holds kept).
  const retention = setInterval(() => void runRetention(store, ledger, 'system:counterweight-retention').catch((e) => app.log.error({ err: String(e) }, 'retention run failed')), 24 * 3600_000);
  retention.unref();
  // Outcome monitors: hourly; a breach pauses the system automatically.
  const monitors = setInterval(() => void runMonitors(store, ledger).catch((e) => app.log.error({ err: String(e) }, 'monitor run failed')), 3600_000);
  monitors.unref();
  app.addHook('onClose', async () => {
    clearInterval(sweep);
    clearInterval(retention);
    clearInterval(monitors);
    await ledger.close();
  });
  if (cfg.retentionAtStart) await runRetention(store, ledger, 'system:counterweight-retention').catch((e) => app.log.error({ err: String(e) }, 'retention run at start-up failed'));
  await app.ready();
  return { app, routes, ledger };
}
