import type { WorkLimits } from '../store/work-queue';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Principal } from '../accounts/accounts';
import type { Role } from '../domain/roles';
import type { Store } from '../store/db';
import type { Ledger } from '../ledger-service/ledger';
import type { UnitScope } from '../review/scope';
import type { Pseudonyms } from '../privacy/pseudonyms';
import type { Purpose } from '../privacy/sources';
import type { UrgentAlerts } from '../review/urgent';
import type { UrgencyPolicy } from '../review/urgency';
import type { Services } from './services';

export interface ServerConfig {
  /** Agency-editable taxonomy of incident types and origins. */
  taxonomyFile: string;
  /** Always set cookies with the Secure flag. Without it they are Secure whenever the request came over HTTPS. */
  secureCookies: boolean;
  /**
   * Fastify's trustProxy: which proxies' X-Forwarded-For/-Proto to believe (true: any peer; or the
   * proxies' addresses/CIDRs, or loopback/linklocal/uniquelocal). Off by default: then forwarded
   * headers change neither the client address nor the protocol.
   */
  trustProxy?: boolean | string[];
  /** Accepted public consultation comments per system per UTC day (database-wide, all servers). */
  commentsPerSystemPerDay: number;
  /** Public comments one client address may post per window (per server process). */
  commentRateLimit: { max: number; windowMs: number };
  /** Directory of the built web app; absent in API-only tests. */
  webDist?: string;
  /** Largest CSV upload accepted by POST /api/imports. */
  maxUploadBytes: number;
  /** Imports and bias audits (a thread each) running at once, waiting, and per person (src/store/work-queue.ts). */
  backgroundWork: WorkLimits;
  /** Directory of the log's signing keys (0600 files, outside the database). */
  keysDir: string;
  /** The log's origin line, e.g. `police.example.org/counterweight`. */
  logOrigin: string;
  /** Verifier keys of witnesses whose cosignatures the log accepts. */
  witnessKeys: string[];
  /** Bearer token for GET /metrics; without one, /metrics answers only this machine (loopback, no proxy). */
  metricsToken?: string;
  /** Run the retention job when the server starts, as well as daily. */
  retentionAtStart: boolean;
  /** Urgency by alert kind, response-time targets and escalation chains (issue 24). */
  urgencyFile: string;
  /** The policy itself, instead of the file (tests: short deadlines). */
  urgencyPolicy?: UrgencyPolicy;
  /** The dispatch webhook's signing secret (else the environment variable the policy names). */
  dispatchWebhookSecret?: string;
}

/** What every route module receives: the database and the configuration. No globals. */
export interface ServerContext {
  store: Store;
  config: ServerConfig;
  /** The transparency log: every state-changing arrow appends to it. */
  ledger: Ledger;
  /** Mints the pseudonyms that replace senders' subject references (secret in keysDir). */
  pseudonyms: Pseudonyms;
  /** Urgent alerts: push to review pages, dispatch webhook, escalation sweep (issue 24). */
  urgent: UrgentAlerts;
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/**
 * What a route module is handed: services with the database bound (src/server/services.ts), never the
 * store itself, so a handler cannot query a table (the server's own hooks keep ServerContext).
 */
export type RouteContext = Omit<ServerContext, 'store'> & { services: Services };

/** A route module registers its routes; every route MUST declare `config.roles` (enforced at startup). */
export type RouteModule = (app: App, ctx: RouteContext) => void | Promise<void>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route. 'public' admits everyone, signed in or not. */
    roles?: Role[];
    /**
     * Only a named person's session may call this route, never an API key. Defaults to true for every
     * route that admits neither `integration` nor `public` (see app.ts), so a new human-only route is
     * protected without anyone remembering to mark it.
     */
    person?: boolean;
    /**
     * Routes that read or act on an alert, a mission or what hangs off them declare which record their
     * parameter names; the handler must scope it through src/review/scope.ts. Required for every route
     * under /api/alerts or /api/missions or with an :alertId (startup fails otherwise); `exempt` names why not.
     */
    unitScope?: UnitScope;
    /** Mark routes that read personal data, for the access log; 'sensitive' always needs an explicit x-purpose. */
    personalData?: boolean | 'sensitive';
    /** The registered purposes a personal-data route serves (required with personalData). */
    purposes?: Purpose[];
    /** The route checks `Authorization: Bearer` itself (GET /metrics and its scrape token): it is not an API key. */
    ownBearer?: boolean;
  }
  interface FastifyRequest {
    principal: Principal;
    /** Records a handler read, as pseudonymous refs, for the access log (routes with personalData). */
    accessRecords?: string[];
    /** The registered purpose of this personal-data read, checked before the handler runs. */
    purpose?: Purpose;
    purposeReference?: string | null;
  }
}
