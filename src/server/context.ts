import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Principal } from '../accounts/accounts';
import type { Role } from '../domain/roles';
import type { Store } from '../store/db';
import type { Ledger } from '../ledger-service/ledger';
import type { Purpose } from '../privacy/sources';

export interface ServerConfig {
  /** Agency-editable taxonomy of incident types and origins. */
  taxonomyFile: string;
  /** Set cookies with the Secure flag (behind HTTPS). */
  secureCookies: boolean;
  /** Directory of the built web app; absent in API-only tests. */
  webDist?: string;
  /** Largest CSV upload accepted by POST /api/imports. */
  maxUploadBytes: number;
  /** Directory of the log's signing keys (0600 files, outside the database). */
  keysDir: string;
  /** The log's origin line, e.g. `police.example.org/counterweight`. */
  logOrigin: string;
  /** Verifier keys of witnesses whose cosignatures the log accepts. */
  witnessKeys: string[];
  /** Run the retention job when the server starts, as well as daily. */
  retentionAtStart: boolean;
}

/** What every route module receives: the database and the configuration. No globals. */
export interface ServerContext {
  store: Store;
  config: ServerConfig;
  /** The transparency log: every state-changing arrow appends to it. */
  ledger: Ledger;
}

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/** A route module registers its routes; every route MUST declare `config.roles` (enforced at startup). */
export type RouteModule = (app: App, ctx: ServerContext) => void | Promise<void>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route. 'public' admits everyone, signed in or not. */
    roles?: Role[];
    /** Mark routes that read personal data, for the access log; 'sensitive' always needs an explicit x-purpose. */
    personalData?: boolean | 'sensitive';
    /** The registered purposes a personal-data route serves (required with personalData). */
    purposes?: Purpose[];
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
